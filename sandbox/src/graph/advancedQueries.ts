/*
 * Graph's "advanced query" rules for directory objects, as one table the sandbox answers by and the test suites'
 * request validator (test/sandbox/graphConformance.ts) checks by. Plain TypeScript, no sandbox state: given a GET's
 * path, query and headers, it says which rule the request breaks, with the status, code and text Graph answers.
 *
 * The rule book is microsoftgraph/microsoft-graph-docs-contrib concepts/aad-advanced-queries.md ("Query scenarios that
 * require advanced query capabilities", "Support for filter by properties", "Error handling for advanced queries"):
 * the advanced query parameters are the `ConsistencyLevel: eventual` header AND `$count=true`, except that `$search`
 * and the `/$count` segment need only the header; `$count=true` without the header is silently ignored (200, no
 * `@odata.count`), which is why it is not a rule here.
 */

/** What a rule requires: the header alone, or the header and `$count=true`. */
export type AdvancedParameters = 'header' | 'header and $count=true';

export interface AdvancedQueryViolation {
    /** Short name of the rule, as the validator reports it. */
    rule: string;
    needs: AdvancedParameters;
    status: 400;
    code: 'Request_BadRequest' | 'Request_UnsupportedQuery';
    message: string;
}

/** Collections of directory objects (aad-advanced-queries.md, "Microsoft Graph objects that support advanced query capabilities"). */
const directoryCollections = new Set(['users', 'groups', 'devices', 'applications', 'serviceprincipals', 'contacts', 'orgcontacts', 'administrativeunits', 'directoryobjects', 'me']);

/** Relationships of directory objects that list directory objects (same table, "Relationships" column). */
const directoryRelationships = new Set([
    'members', 'transitivemembers', 'memberof', 'transitivememberof', 'owners', 'ownedobjects', 'registeredowners', 'registeredusers',
    'registereddevices', 'owneddevices', 'directreports', 'transitivereports', 'transitivemanagers', 'approleassignments', 'approleassignedto',
]);

/**
 * Properties whose `eq` works only in advanced queries, per collection (aad-advanced-queries.md includes
 * filter-directory-objects.md: user.employeeType and user.officeLocation are "advanced" for eq). `resource` is the
 * name Graph's error text gives the type. Source of the text: the same page, "Error handling", the createdDateTime example.
 */
const advancedOnlyProperties: Record<string, { resource: string; properties: readonly string[] }> = {
    users: { resource: 'User', properties: ['employeeType', 'officeLocation'] },
};

/**
 * `$orderby` properties that sort only in advanced queries, per collection: aad-advanced-queries.md, "Support for
 * sorting by properties of Microsoft Entra ID (directory) objects" (the rows marked "Advanced"; user displayName and
 * userPrincipalName and group displayName are "Default"). Lower case, as `collection` is.
 */
const advancedOnlyOrderBy: Record<string, readonly string[]> = {
    administrativeunits: ['createddatetime', 'deleteddatetime', 'displayname'],
    applications: ['createddatetime', 'deleteddatetime', 'displayname'],
    contacts: ['createddatetime', 'displayname'],
    orgcontacts: ['createddatetime', 'displayname'],
    devices: ['approximatelastsignindatetime', 'createddatetime', 'deleteddatetime', 'displayname'],
    groups: ['deleteddatetime'],
    serviceprincipals: ['createddatetime', 'deleteddatetime', 'displayname'],
    users: ['createddatetime', 'deleteddatetime'],
};

/** The texts Graph answers with, each with where it was seen. */
export const advancedQueryMessages = {
    // aad-advanced-queries.md, "Error handling": GET /users/$count without the header. Also
    // microsoftgraph/microsoft-graph-docs#18613 (GET /groups/{id}/members/$count).
    countSegment: '$count is not currently supported.',
    // aad-advanced-queries.md, "Error handling": GET /applications?$search=... without the header.
    search: "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
    // aad-advanced-queries.md, "Error handling": endsWith(userPrincipalName, ...) without the advanced parameters.
    endsWith: "Operator 'endsWith' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information",
    // microsoftgraph/microsoft-graph-docs-contrib#9043 (2024) and #1071 (2023): `companyName ne null` without them.
    ne: "Filter operator 'NotEqualsMatch' is not supported.",
    // No public text for `not` without the advanced parameters; Graph's generic refusal of an advanced-only filter
    // (microsoftgraph/microsoft-graph-docs#10324, #13735) stands in for it. An assumption: see docs/FIDELITY.md.
    not: 'Unsupported Query.',
    countInFilter: 'Unsupported Query.',
    // microsoftgraph/microsoft-graph-docs-contrib#4187 and #3145: $filter with $orderby without the advanced parameters.
    sorting: 'Sorting not supported for current query.',
    // microsoftgraph/microsoft-graph-docs#13114 and #11242: a $filter (and a cast, which Graph runs as a type filter)
    // on a member list without the advanced parameters.
    referenceFilter: 'The specified filter to the reference property query is currently not supported.',
    advancedOnlyProperty: (property: string, resource: string) => `Unsupported or invalid query filter clause specified for property '${property}' of resource '${resource}'.`,
} as const;

/** Whether the request carries `ConsistencyLevel: eventual` (header names and the value in any case). */
function hasEventualHeader(headers: Record<string, string | undefined>): boolean {
    return Object.entries(headers).some(([name, value]) => name.toLowerCase() === 'consistencylevel' && (value ?? '').toLowerCase() === 'eventual');
}

/** The words of a `$filter`, lower-cased, with string literals removed (so a name containing " ne " is no operator). */
function filterWords(filter: string): string[] {
    return filter.replace(/'(?:[^']|'')*'/g, "''").toLowerCase().split(/[^a-z0-9_$./]+/).filter(Boolean);
}

/**
 * The rules a GET breaks, in the order Graph is assumed to check them (the first is what it answers). `path` is the
 * request path, with or without `/graph` and `/v1.0`; `query` its query string or parameters; header names any case.
 */
export function advancedQueryViolations(method: string, path: string, query: URLSearchParams | string, headers: Record<string, string | undefined>): AdvancedQueryViolation[] {
    if (method.toUpperCase() !== 'GET') return [];
    const q = typeof query === 'string' ? new URLSearchParams(query) : query;
    const segments = decodeURIComponent(path).replace(/^\/graph/, '').replace(/^\/v1\.0/, '').split('/').filter(Boolean);
    const collection = (segments[0] ?? '').toLowerCase();
    if (!directoryCollections.has(collection)) return [];
    // /me/... is /users/{id}/...: shift so that [collection, id, relation, cast] line up.
    const parts = collection === 'me' ? ['users', 'me', ...segments.slice(1)] : segments;
    const countSegment = parts[parts.length - 1] === '$count';
    const rest = countSegment ? parts.slice(0, -1) : parts;
    const isCast = (s: string | undefined) => s !== undefined && s.toLowerCase().startsWith('microsoft.graph.');
    // A list: the collection itself (optionally cast), or a directory relationship of one object (optionally cast).
    const relation = rest[2]?.toLowerCase();
    const onRelationship = relation !== undefined && directoryRelationships.has(relation) && rest.length <= 4;
    const onCollection = rest.length === 1 || (rest.length === 2 && isCast(rest[1]));
    if (!onRelationship && !onCollection) return [];
    const cast = onRelationship ? isCast(rest[3]) : isCast(rest[1]);

    const header = hasEventualHeader(headers);
    const counted = q.get('$count')?.toLowerCase() === 'true';
    const advanced = header && counted;
    const out: AdvancedQueryViolation[] = [];
    const add = (rule: string, needs: AdvancedParameters, code: AdvancedQueryViolation['code'], message: string) => {
        if (needs === 'header' ? !header : !advanced) out.push({ rule, needs, status: 400, code, message });
    };

    if (countSegment) add('$count segment', 'header', 'Request_BadRequest', advancedQueryMessages.countSegment);
    if (q.has('$search')) add('$search', 'header', 'Request_UnsupportedQuery', advancedQueryMessages.search);
    const filter = q.get('$filter');
    // group-list-transitivemembers.md (Request headers): "This header and $count are required when using the $search,
    // $filter, $orderby, or OData cast query parameters"; aad-advanced-queries.md lists "OData cast with transitive
    // members list" among the scenarios. The same holds for members, memberOf and transitiveMemberOf casts
    // (group-list-members.md, user-list-memberof.md, user-list-transitivememberof.md).
    if (cast) add('OData cast', 'header and $count=true', 'Request_UnsupportedQuery', advancedQueryMessages.referenceFilter);
    if (onRelationship && filter) add('$filter on a relationship', 'header and $count=true', 'Request_UnsupportedQuery', advancedQueryMessages.referenceFilter);
    if (onRelationship && q.has('$orderby')) add('$orderby on a relationship', 'header and $count=true', 'Request_UnsupportedQuery', advancedQueryMessages.sorting);
    const orderedBy = q.get('$orderby')?.trim().split(/\s+/)[0]?.toLowerCase();
    // The sorting table's "Advanced" rows (applications and service principals by displayName, users by
    // createdDateTime …). Graph's refusal text for them is not documented: A68.
    if (orderedBy && onCollection && advancedOnlyOrderBy[collection]?.includes(orderedBy)) add(`$orderby on ${orderedBy}`, 'header and $count=true', 'Request_UnsupportedQuery', advancedQueryMessages.sorting);
    // $search needs only the header, but every Microsoft example that sorts a search also sends $count=true
    // (user-list.md, group-list-members.md "Use $search and $orderby"); the sandbox requires both: A68.
    if (orderedBy && q.has('$search')) add('$search with $orderby', 'header and $count=true', 'Request_UnsupportedQuery', advancedQueryMessages.sorting);
    if (filter) {
        const words = filterWords(filter);
        if (words.includes('endswith')) add('endsWith', 'header and $count=true', 'Request_UnsupportedQuery', advancedQueryMessages.endsWith);
        if (words.includes('ne')) add('ne', 'header and $count=true', 'Request_UnsupportedQuery', advancedQueryMessages.ne);
        if (words.includes('not')) add('not', 'header and $count=true', 'Request_UnsupportedQuery', advancedQueryMessages.not);
        if (words.some(w => w.endsWith('/$count'))) add('$count in $filter', 'header and $count=true', 'Request_UnsupportedQuery', advancedQueryMessages.countInFilter);
        if (q.has('$orderby') && !onRelationship) add('$filter with $orderby', 'header and $count=true', 'Request_UnsupportedQuery', advancedQueryMessages.sorting);
        const special = onCollection ? advancedOnlyProperties[rest[0].toLowerCase()] : undefined;
        const property = special?.properties.find(p => words.includes(p.toLowerCase()));
        if (special && property) add(`${property} in $filter`, 'header and $count=true', 'Request_UnsupportedQuery', advancedQueryMessages.advancedOnlyProperty(property, special.resource));
    }
    return out;
}

/** The answer Graph gives, or undefined when the request needs no (more) advanced parameters. */
export function advancedQueryViolation(method: string, path: string, query: URLSearchParams | string, headers: Record<string, string | undefined>): AdvancedQueryViolation | undefined {
    return advancedQueryViolations(method, path, query, headers)[0];
}

/** Whether Graph counts this list: `$count=true` with the header; without the header Graph ignores `$count=true`. */
export function countRequested(query: URLSearchParams, headers: Record<string, string | undefined>): boolean {
    return hasEventualHeader(headers) && query.get('$count')?.toLowerCase() === 'true';
}
