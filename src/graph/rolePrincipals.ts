import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import { userSelect } from './directory';
import type { GraphClient } from './GraphClient';
import { graphErrorFrom } from './GraphRequestError';
import { filterParam, odataString } from './odata';

/** The role assignment shape this module completes: a principal that may be a user, a group or an app. */
interface WithPrincipal {
    principal?: (MicrosoftGraph.DirectoryObject & { '@odata.type'?: string }) | null;
}

/**
 * Graph allows at most 15 values in an `in` filter on directory objects: "When using the `in` operator, the request is
 * limited to 15 expressions in the filter clause by default" (Microsoft Graph known issues, "Some limitations apply to
 * query parameters", https://learn.microsoft.com/graph/known-issues?search=13635, linked from
 * microsoftgraph/microsoft-graph-docs-contrib:concepts/filter-query-parameter.md).
 */
export const idsPerInFilter = 15;

const userType = '#microsoft.graph.user';

/** The relative URL reading the users with these ids, each with what the Users folder selects. */
function usersWithIds(ids: readonly string[]): string {
    return `/users?${filterParam(`id in (${ids.map(odataString).join(',')})`)}&$select=${userSelect}`;
}

/**
 * Fills in the user principals of role assignments with the properties a user row reads (`userSelect`: accountEnabled,
 * assignedLicenses, userType, employeeType, usageLocation …), in place.
 *
 * Why: `$expand=principal` gives each principal only its type's default properties (user-get.md: "By default, only a
 * limited set of properties are returned"; accountEnabled, assignedLicenses, employeeType … are not in it), and Graph does not
 * support a nested `$select` inside an `$expand` on directory objects (the same known-issues section: "No support for
 * nesting other query parameters such as `$filter` and `$select` inside an `$expand` query";
 * microsoftgraph/microsoft-graph-docs-contrib issue #8876: it is ignored). So the users are read again by id: one
 * `GET /users?$filter=id in (…)` per 15 users, and when a page holds more than 15 users those requests go together in
 * `$batch` round trips of 20 (GraphClient.batch). Groups and service principals stay as expanded: their rows read
 * only what the expansion gives (displayName, and a group's kind).
 */
export async function withUserProperties<T extends WithPrincipal>(graph: GraphClient, assignments: readonly T[], signal?: AbortSignal): Promise<void> {
    const ids = [...new Set(assignments.filter(a => a.principal?.['@odata.type'] === userType && a.principal.id).map(a => a.principal?.id ?? ''))];
    if (!ids.length) return;
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += idsPerInFilter) chunks.push(ids.slice(i, i + idsPerInFilter));
    const call = { scopes: ['User.Read.All'], ...(signal ? { signal } : {}) };
    const read: MicrosoftGraph.User[] = [];
    if (chunks.length === 1) {
        read.push(...(await graph.get<{ value: MicrosoftGraph.User[] }>(usersWithIds(chunks[0]), call)).value);
    } else {
        const results = await graph.batch(chunks.map((chunk, i) => ({ id: String(i), method: 'GET' as const, url: usersWithIds(chunk) })), call);
        for (const [i, result] of results.entries()) {
            if (result.status < 200 || result.status > 299) throw graphErrorFrom(result.status, result.body, result.headers?.['request-id'], 'GET', usersWithIds(chunks[i]));
            read.push(...((result.body as { value?: MicrosoftGraph.User[] } | undefined)?.value ?? []));
        }
    }
    const byId = new Map(read.map(u => [u.id ?? '', u]));
    for (const assignment of assignments) {
        const user = assignment.principal?.['@odata.type'] === userType ? byId.get(assignment.principal.id ?? '') : undefined;
        // A user deleted between the two reads keeps what the expansion gave.
        if (user && assignment.principal) Object.assign(assignment.principal, user);
    }
}
