import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import type { GraphClient } from './GraphClient';
import { advancedQueryHeaders, filterEquals, filterParam, searchClause } from './odata';

type Options = { signal?: AbortSignal };
interface Page<T> { value: T[]; '@odata.nextLink'?: string; '@odata.count'?: number }

/** The properties the explorer and the planner show; Graph returns only what is selected. */
export const userSelect = 'id,displayName,userPrincipalName,mail,accountEnabled,usageLocation,assignedLicenses,department,jobTitle,userType,employeeType';
export const groupSelect = 'id,displayName,description,mail,mailEnabled,securityEnabled,groupTypes,mailNickname';

/** Read operations on the directory, typed with Microsoft's Graph types; each names the least permission it needs. */
export function directoryReads(graph: GraphClient) {
    const users = ['User.Read.All'];
    const groups = ['Group.Read.All'];
    return {
        me: (o: Options = {}) => graph.get<MicrosoftGraph.User>('/me', { scopes: ['User.Read'], ...o }),
        getUser: (idOrUpn: string, o: Options = {}) => graph.get<MicrosoftGraph.User>(`/users/${encodeURIComponent(idOrUpn)}?$select=${userSelect}`, { scopes: users, ...o }),
        /** One page of users (100 by default); follow `@odata.nextLink` with `nextPage`. */
        listUsers: (top = 100, o: Options = {}) => graph.get<Page<MicrosoftGraph.User>>(`/users?$select=${userSelect}&$top=${top}`, { scopes: users, ...o }),
        /** Users whose display name, UPN or mail starts with what the admin typed (quotes and OData syntax escaped). */
        searchUsers: (typed: string, top = 100, o: Options = {}) => {
            const search = ['displayName', 'userPrincipalName', 'mail'].map(p => searchClause(p, typed)).join(' OR ');
            return graph.get<Page<MicrosoftGraph.User>>(`/users?$search=${encodeURIComponent(search)}&$select=${userSelect}&$top=${top}&$count=true`, { scopes: users, headers: { ConsistencyLevel: 'eventual' }, ...o });
        },
        findUsersByDisplayName: (name: string, o: Options = {}) => graph.get<Page<MicrosoftGraph.User>>(`/users?${filterParam(filterEquals('displayName', name))}&$select=${userSelect}`, { scopes: users, ...o }),
        nextPage: <T>(nextLink: string, scopes: readonly string[], o: Options = {}) => graph.get<Page<T>>(nextLink, { scopes, ...o }),
        listGroups: (top = 100, o: Options = {}) => graph.get<Page<MicrosoftGraph.Group>>(`/groups?$select=${groupSelect}&$top=${top}`, { scopes: groups, ...o }),
        findGroupsByDisplayName: (name: string, o: Options = {}) => graph.get<Page<MicrosoftGraph.Group>>(`/groups?${filterParam(filterEquals('displayName', name))}&$select=${groupSelect}`, { scopes: groups, ...o }),
        /**
         * Members, or with `transitive` every member of nested groups too, users only when `usersOnly`: that
         * `microsoft.graph.user` cast is an advanced query (ConsistencyLevel: eventual and $count=true, group-list-members.md).
         */
        groupMembers: (groupId: string, transitive: boolean, usersOnly: boolean, o: Options = {}) =>
            graph.pages<MicrosoftGraph.DirectoryObject & MicrosoftGraph.User>(`/groups/${groupId}/${transitive ? 'transitiveMembers' : 'members'}${usersOnly ? '/microsoft.graph.user' : ''}?$top=999${usersOnly ? '&$count=true' : ''}`, { scopes: ['GroupMember.Read.All'], ...(usersOnly ? { headers: advancedQueryHeaders } : {}), ...o }),
        domains: (o: Options = {}) => graph.get<Page<MicrosoftGraph.Domain>>('/domains', { scopes: ['Domain.Read.All'], ...o }),
        subscribedSkus: (o: Options = {}) => graph.get<Page<MicrosoftGraph.SubscribedSku>>('/subscribedSkus', { scopes: ['Organization.Read.All'], ...o }),
        organization: (o: Options = {}) => graph.get<Page<MicrosoftGraph.Organization>>('/organization', { scopes: ['Organization.Read.All'], ...o }),
        roleDefinitions: (o: Options = {}) => graph.get<Page<MicrosoftGraph.UnifiedRoleDefinition>>('/roleManagement/directory/roleDefinitions', { scopes: ['RoleManagement.Read.Directory'], ...o }),
        roleAssignmentsOf: (principalId: string, o: Options = {}) => graph.get<Page<MicrosoftGraph.UnifiedRoleAssignment>>(`/roleManagement/directory/roleAssignments?${filterParam(filterEquals('principalId', principalId))}`, { scopes: ['RoleManagement.Read.Directory'], ...o }),
    };
}
