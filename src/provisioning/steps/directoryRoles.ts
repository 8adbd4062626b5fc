import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import type { GraphClient } from '../../graph/GraphClient';
import { GraphRequestError } from '../../graph/GraphRequestError';
import { isPrivilegedRole } from '../../graph/adminNames';
import { filterParam, odataString } from '../../graph/odata';
import { closestNames } from './closestNames';
import { AmbiguousNameError, ProvisioningInputError } from '../errors';
import { fields, refuseBadFields } from '../fields';
import { userIfAny } from './lookup';
import { waitForReplication, type ReplicationWait } from './replication';

/** `accountExists`: the caller has seen the principal in Entra (or just created it): worth waiting for role management. */
type Options = { signal?: AbortSignal; accountExists?: boolean } & Partial<Pick<ReplicationWait, 'onWait' | 'sleep' | 'timeoutMs'>>;
const readScopes = ['RoleManagement.Read.Directory'];
const writeScopes = ['RoleManagement.ReadWrite.Directory'];

/** Every role definition, for pickers (name, description, privileged flag). */
export async function listRoleDefinitions(graph: GraphClient, o: { signal?: AbortSignal } = {}): Promise<MicrosoftGraph.UnifiedRoleDefinition[]> {
    const all: MicrosoftGraph.UnifiedRoleDefinition[] = [];
    for await (const page of graph.pages<MicrosoftGraph.UnifiedRoleDefinition>('/roleManagement/directory/roleDefinitions?$select=id,displayName,description,templateId,isBuiltIn', { scopes: readScopes, ...o })) all.push(...page);
    return all.sort((a, b) => (a.displayName ?? '').localeCompare(b.displayName ?? ''));
}

/**
 * A role by id, template id or exact display name (case-insensitive). Unknown → an error naming close matches;
 * several with the same name (custom roles can share one) → AmbiguousNameError for the caller to ask.
 */
export async function resolveRole(graph: GraphClient, nameOrId: string, o: { signal?: AbortSignal } = {}): Promise<MicrosoftGraph.UnifiedRoleDefinition> {
    refuseBadFields({ role: fields.roleName.check(nameOrId) });
    const roles = await listRoleDefinitions(graph, o);
    const key = nameOrId.trim().toLowerCase();
    const byId = roles.find(r => r.id?.toLowerCase() === key || r.templateId?.toLowerCase() === key);
    if (byId) return byId;
    const byName = roles.filter(r => r.displayName?.toLowerCase() === key);
    if (byName.length === 1) return byName[0];
    if (byName.length > 1) throw new AmbiguousNameError(nameOrId, byName, 'directory roles');
    throw new ProvisioningInputError(`There is no directory role "${nameOrId}" in this tenant.${didYouMean(nameOrId, roles)} Role names are as the Entra admin centre shows them, e.g. "Service Support Administrator".`, 'role');
}

/**
 * Roles spelt like the one typed, a privileged one always said to be so: a typo must not slip an account into a role
 * that can change credentials, security settings or admins.
 */
function didYouMean(typed: string, roles: MicrosoftGraph.UnifiedRoleDefinition[]): string {
    const close = closestNames(typed, roles.map(r => r.displayName ?? '').filter(Boolean));
    if (!close.length) return ' No role has a name close to it: pick one from the list of roles.';
    const named = close.map(name => {
        const role = roles.find(r => r.displayName === name);
        return role && isPrivilegedRole(role) ? `"${name}" (privileged: it can change credentials, security settings or admins)` : `"${name}"`;
    });
    return ` Did you mean ${named.length > 1 ? `${named.slice(0, -1).join(', ')} or ${named.at(-1) ?? ''}` : named[0]}?`;
}

/** The principal's tenant-wide assignments of a role (none, or one). */
export async function assignmentsOf(graph: GraphClient, principalId: string, roleDefinitionId: string, o: { signal?: AbortSignal } = {}): Promise<MicrosoftGraph.UnifiedRoleAssignment[]> {
    const filter = `principalId eq ${odataString(principalId)} and roleDefinitionId eq ${odataString(roleDefinitionId)}`;
    const answer = await graph.get<{ value: MicrosoftGraph.UnifiedRoleAssignment[] }>(`/roleManagement/directory/roleAssignments?${filterParam(filter)}`, { scopes: readScopes, ...o });
    return answer.value.filter(a => a.directoryScopeId === '/');
}

/**
 * Gives a user (or group, or app) a directory role for the whole tenant; idempotent: an existing assignment is
 * reported, not duplicated. A just-created account may not be known to role management yet: waits for it.
 */
export async function assignDirectoryRole(graph: GraphClient, principalId: string, roleDefinitionId: string, o: Options = {}): Promise<'assigned' | 'alreadyAssigned'> {
    refuseBadFields({ user: fields.user.check(principalId) });
    // A principal nobody has seen would make the wait below last its whole timeout: look it up first, unless the caller
    // has (a just-created account may not be readable everywhere yet, and then the wait is the point).
    if (!o.accountExists && !(await principalExists(graph, principalId, o))) {
        throw new ProvisioningInputError(`There is no user or group ${principalId.trim()} in this tenant to give the role to. Check the user principal name or object id, or pick the account in the Directory view.`, 'user');
    }
    if ((await assignmentsOf(graph, principalId, roleDefinitionId, o)).length) return 'alreadyAssigned';
    const notYet = (e: unknown) => e instanceof GraphRequestError && (e.code === 'Request_ResourceNotFound' || e.status === 404) && /does not exist/.test(e.message) && !/role definition/.test(e.message);
    try {
        await waitForReplication(
            () => graph.post('/roleManagement/directory/roleAssignments', { '@odata.type': '#microsoft.graph.unifiedRoleAssignment', roleDefinitionId, principalId, directoryScopeId: '/' }, { scopes: writeScopes, ...(o.signal ? { signal: o.signal } : {}) }),
            notYet,
            { what: 'role management to see the account', ...o },
        );
    } catch (error) {
        // Someone (or an earlier, interrupted run) assigned it between the read and the write: that is the goal.
        if (error instanceof GraphRequestError && error.status === 409) return 'alreadyAssigned';
        throw error;
    }
    return 'assigned';
}

/** Whether a user (by UPN or id) or a group (by id) of that name exists. */
async function principalExists(graph: GraphClient, principalId: string, o: { signal?: AbortSignal }): Promise<boolean> {
    if (await userIfAny(graph, principalId, o)) return true;
    if (!/^[0-9a-f-]{36}$/i.test(principalId.trim())) return false;
    try {
        await graph.get(`/groups/${encodeURIComponent(principalId.trim())}?$select=id`, { scopes: ['Group.Read.All'], ...o });
        return true;
    } catch (error) {
        if (error instanceof GraphRequestError && error.isNotFound) return false;
        throw error;
    }
}

export async function removeDirectoryRole(graph: GraphClient, principalId: string, roleDefinitionId: string, o: { signal?: AbortSignal } = {}): Promise<'removed' | 'notAssigned'> {
    const existing = await assignmentsOf(graph, principalId, roleDefinitionId, o);
    if (!existing.length) return 'notAssigned';
    for (const assignment of existing) await graph.delete(`/roleManagement/directory/roleAssignments/${encodeURIComponent(assignment.id ?? '')}`, { scopes: writeScopes, ...o });
    return 'removed';
}
