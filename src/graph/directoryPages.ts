import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import { groupSelect, userSelect } from './directory';
import type { GraphClient } from './GraphClient';
import { advancedQueryHeaders, odataString, searchClause } from './odata';
import { withUserProperties } from './rolePrincipals';
import { serviceAccountEmployeeType } from './serviceAccounts';
import { listRoleDefinitions, subscribedSkus } from './tenantCatalogue';
import { licenceName } from './adminNames';
import { sortedByName } from '../shared/byName';

/** One page of a list, and where the next one is. The link is opaque: it is handed back as it came. */
export interface ListPage<T> {
    items: T[];
    nextLink?: string;
    /** Matches in all pages, where the query asked Graph to count them. */
    count?: number;
}

/** Where a page starts: the first page of a query (optionally narrowed by what the admin typed), or a next link. */
export interface PageRequest {
    /** Free text the admin typed in the folder's filter box; escaped here, never spliced raw into OData. */
    search?: string;
    nextLink?: string;
    signal?: AbortSignal;
}

export type DirectoryObject = MicrosoftGraph.DirectoryObject & Partial<MicrosoftGraph.User & MicrosoftGraph.Group & MicrosoftGraph.ServicePrincipal> & { '@odata.type'?: string };
export type RoleAssignment = MicrosoftGraph.UnifiedRoleAssignment & { principal?: DirectoryObject | null; roleDefinition?: MicrosoftGraph.UnifiedRoleDefinition | null };

interface ODataPage<T> { value: T[]; '@odata.nextLink'?: string; '@odata.count'?: number }

/**
 * What the tree shows of a member: a user row reads what `userSelect` gives the Users folder (UserNode: userType,
 * jobTitle, department, usageLocation …), a group row what `groupSelect` gives (GroupNode: description …). Graph
 * returns only what is selected, each item only the properties its own type has.
 */
const memberSelect = 'id,displayName,userPrincipalName,mail,accountEnabled,assignedLicenses,employeeType,userType,jobTitle,department,usageLocation,mailEnabled,securityEnabled,groupTypes,description';

/** The page size of every folder: enough to scan by eye, small enough to show at once in any tenant. */
export const folderPageSize = 100;

const eventual = advancedQueryHeaders;
const userScopes = ['User.Read.All'];
const groupScopes = ['Group.Read.All'];
const roleScopes = ['RoleManagement.Read.Directory'];

/**
 * Every folder lists by display name. Graph sorts users and groups by `displayName` by default (aad-advanced-queries.md,
 * "Support for sorting by properties": user and group displayName are "Default"), but `$orderby` with `$filter` or
 * `$search`, and on a relationship (members, memberOf: group-list-members.md, user-list-memberof.md), only in an
 * advanced query: those requests carry `ConsistencyLevel: eventual` and `$count=true`. A member list read that way is
 * eventually consistent, like every searched list already is.
 */
const byDisplayName = 'displayName';

/**
 * Lists Graph cannot sort (role definitions, role assignments: no `$orderby`; subscribed SKUs and a user's licence
 * details: not directory objects, and shown by product name, which Graph does not have) are sorted here, but only
 * when the whole list is in hand: sorting one page of several would only look sorted.
 */
function sortedWhenWhole<T>(page: ListPage<T>, name: (item: T) => string | null | undefined): ListPage<T> {
    return page.nextLink ? page : { ...page, items: sortedByName(page.items, name) };
}

/** A `$search` over the properties an admin recognises a user or group by, with what they typed escaped. */
function searchOver(properties: readonly string[], typed: string): string {
    return properties.map(p => searchClause(p, typed.trim())).join(' OR ');
}

function toPage<T>(page: ODataPage<T>): ListPage<T> {
    return { items: page.value, ...(page['@odata.nextLink'] ? { nextLink: page['@odata.nextLink'] } : {}), ...(typeof page['@odata.count'] === 'number' ? { count: page['@odata.count'] } : {}) };
}

/**
 * One page of each list the Directory view shows: one Graph request per page, whatever the tenant's size (a role's
 * members take one or two more, see roleMembers). Searches
 * and counts are Graph "advanced queries", so they carry `ConsistencyLevel: eventual` and `$count=true`.
 */
export function directoryPages(graph: GraphClient) {
    /** The first page of `path` with `query`, or the next link, as one request. */
    const page = async <T>(path: string, query: Record<string, string | undefined>, scopes: string[], request: PageRequest, advanced: boolean): Promise<ListPage<T>> => {
        const call = { scopes, ...(request.signal ? { signal: request.signal } : {}), ...(advanced ? { headers: eventual } : {}) };
        if (request.nextLink) return toPage(await graph.get<ODataPage<T>>(request.nextLink, call));
        const parts = Object.entries({ ...query, ...(advanced ? { $count: 'true' } : {}) })
            .filter((e): e is [string, string] => e[1] !== undefined)
            .map(([name, value]) => `${name}=${encodeURIComponent(value)}`);
        return toPage(await graph.get<ODataPage<T>>(`${path}?${parts.join('&')}`, call));
    };
    const searched = (request: PageRequest, properties: readonly string[]) => (request.search?.trim() ? searchOver(properties, request.search) : undefined);
    const userSearch = ['displayName', 'userPrincipalName', 'mail'];

    return {
        users: (request: PageRequest = {}) => {
            const $search = searched(request, userSearch);
            return page<MicrosoftGraph.User>('/users', { $select: userSelect, $top: String(folderPageSize), $search, $orderby: byDisplayName }, userScopes, request, $search !== undefined);
        },
        /** Accounts marked as service accounts (employeeType), the ones the setup wizard and actions create. */
        serviceAccounts: (request: PageRequest = {}) =>
            page<MicrosoftGraph.User>('/users', { $filter: `employeeType eq ${odataString(serviceAccountEmployeeType)}`, $select: userSelect, $top: String(folderPageSize), $search: searched(request, userSearch), $orderby: byDisplayName }, userScopes, request, true),
        groups: (request: PageRequest = {}) => {
            const $search = searched(request, ['displayName', 'mail', 'description']);
            return page<MicrosoftGraph.Group>('/groups', { $select: groupSelect, $top: String(folderPageSize), $search, $orderby: byDisplayName }, groupScopes, request, $search !== undefined);
        },
        /** Direct members: users, nested groups (which the tree expands) and service principals. */
        groupMembers: (groupId: string, request: PageRequest = {}) => {
            const $search = searched(request, userSearch);
            // Group.Read.All (asked for at sign-in) also reads members: no extra consent just to expand a group.
            return page<DirectoryObject>(`/groups/${encodeURIComponent(groupId)}/members`, { $select: memberSelect, $top: String(folderPageSize), $search, $orderby: byDisplayName }, groupScopes, request, true);
        },
        /** Users holding a licence (SKU). */
        usersWithLicence: (skuId: string, request: PageRequest = {}) =>
            page<MicrosoftGraph.User>('/users', { $filter: `assignedLicenses/any(x:x/skuId eq ${skuId})`, $select: userSelect, $top: String(folderPageSize), $search: searched(request, userSearch), $orderby: byDisplayName }, userScopes, request, true),
        /** The groups a user is a direct member of. */
        memberOf: (userId: string, request: PageRequest = {}) => page<DirectoryObject>(`/users/${encodeURIComponent(userId)}/memberOf`, { $select: groupSelect, $top: String(folderPageSize), $orderby: byDisplayName }, groupScopes, request, true),
        /** Every role definition (about a hundred built-in ones) as one list: the folder counts holders of each. */
        roleDefinitions: async (request: PageRequest = {}): Promise<ListPage<MicrosoftGraph.UnifiedRoleDefinition>> => ({ items: sortedByName(await listRoleDefinitions(graph, request.signal ? { signal: request.signal } : {}), r => r.displayName) }),
        /**
         * Who holds a role: its assignments with the principal expanded (one request names them), then the user
         * principals read again with what a user row needs (one more request per 15 users, batched), because an
         * expanded principal carries only its default properties (rolePrincipals.ts).
         */
        roleMembers: async (roleDefinitionId: string, request: PageRequest = {}) => {
            const assignments = await page<RoleAssignment>('/roleManagement/directory/roleAssignments', { $filter: `roleDefinitionId eq ${odataString(roleDefinitionId)}`, $expand: 'principal' }, roleScopes, request, false);
            await withUserProperties(graph, assignments.items, request.signal);
            return sortedWhenWhole(assignments, a => a.principal?.displayName);
        },
        /** The roles a user, group or app holds, with the role definition expanded. */
        rolesOf: async (principalId: string, request: PageRequest = {}) =>
            sortedWhenWhole(await page<RoleAssignment>('/roleManagement/directory/roleAssignments', { $filter: `principalId eq ${odataString(principalId)}`, $expand: 'roleDefinition' }, roleScopes, request, false), a => a.roleDefinition?.displayName),
        /** All role assignments in the tenant, for the members count beside each role (rarely more than a few pages). */
        allRoleAssignments: (request: PageRequest = {}) => page<RoleAssignment>('/roleManagement/directory/roleAssignments', { $select: 'id,principalId,roleDefinitionId' }, roleScopes, request, false),
        /** Licences the tenant has bought: a handful, one list. */
        subscribedSkus: async (request: PageRequest = {}): Promise<ListPage<MicrosoftGraph.SubscribedSku>> => ({ items: sortedByName(await subscribedSkus(graph, request.signal ? { signal: request.signal } : {}), s => licenceName(s.skuPartNumber)) }),
        licenceDetails: async (userId: string, request: PageRequest = {}) =>
            sortedWhenWhole(toPage(await graph.get<ODataPage<MicrosoftGraph.LicenseDetails>>(`/users/${encodeURIComponent(userId)}/licenseDetails`, { scopes: userScopes, ...(request.signal ? { signal: request.signal } : {}) })), l => licenceName(l.skuPartNumber)),
        user: (idOrUpn: string, signal?: AbortSignal) => graph.get<MicrosoftGraph.User>(`/users/${encodeURIComponent(idOrUpn)}?$select=${userSelect},createdDateTime,officeLocation,passwordPolicies,mailNickname`, { scopes: userScopes, ...(signal ? { signal } : {}) }),
        group: (id: string, signal?: AbortSignal) => graph.get<MicrosoftGraph.Group>(`/groups/${encodeURIComponent(id)}?$select=${groupSelect},createdDateTime`, { scopes: groupScopes, ...(signal ? { signal } : {}) }),
    };
}

export type DirectoryPages = ReturnType<typeof directoryPages>;
