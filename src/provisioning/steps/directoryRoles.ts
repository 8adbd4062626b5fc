import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import type { GraphClient } from '../../graph/GraphClient';
import { GraphRequestError } from '../../graph/GraphRequestError';
import { listRoleDefinitions } from '../../graph/tenantCatalogue';
import { isPrivilegedRole } from '../../graph/adminNames';
import { closestNames } from './closestNames';
import { AmbiguousNameError, ProvisioningInputError } from '../errors';
import { fields, refuseBadFields } from '../fields';
import { runStep } from './runStep';
import { isAbsent, type Difference, type Ensure, type Step, type WriteContext, type Written } from './contract';
import { TenantReads } from './tenantReads';
import { waitForReplication, type ReplicationWait } from './replication';

/** `accountExists`: the caller has seen the principal in Entra (or just created it): worth waiting for role management. */
type Options = { signal?: AbortSignal; accountExists?: boolean } & Partial<Pick<ReplicationWait, 'onWait' | 'sleep' | 'timeoutMs'>>;
const writeScopes = ['RoleManagement.ReadWrite.Directory'];

/**
 * A role by id, template id or exact display name (case-insensitive). Unknown → an error naming close matches;
 * several with the same name (custom roles can share one) → AmbiguousNameError for the caller to ask.
 */
export async function resolveRole(graph: GraphClient, nameOrId: string, o: { signal?: AbortSignal } = {}): Promise<MicrosoftGraph.UnifiedRoleDefinition> {
    refuseBadFields({ role: fields.roleName.check(nameOrId) });
    return roleNamed(await listRoleDefinitions(graph, o), nameOrId);
}

/** The same, among role definitions already read. */
export function roleNamed(roles: MicrosoftGraph.UnifiedRoleDefinition[], nameOrId: string): MicrosoftGraph.UnifiedRoleDefinition {
    const byName = rolesNamed(roles, nameOrId);
    if (byName.length === 1) return byName[0];
    if (byName.length > 1) throw new AmbiguousNameError(nameOrId, byName, 'directory roles');
    throw new ProvisioningInputError(`There is no directory role "${nameOrId}" in this tenant.${didYouMean(nameOrId, roles)} Role names are as the Entra admin centre shows them, e.g. "Service Support Administrator".`, 'role', '');
}

/** The role with that id or template id, else every role with that display name (none, one, or several). */
function rolesNamed(roles: MicrosoftGraph.UnifiedRoleDefinition[], nameOrId: string): MicrosoftGraph.UnifiedRoleDefinition[] {
    const key = nameOrId.trim().toLowerCase();
    const byId = roles.find(r => r.id?.toLowerCase() === key || r.templateId?.toLowerCase() === key);
    return byId ? [byId] : roles.filter(r => r.displayName?.toLowerCase() === key);
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

/** A directory role for a user (UPN or id) or a group (id), for the whole tenant. */
export interface RoleWant {
    principal: string;
    /** Display name, id or template id. */
    role: string;
    /** 'absent': the principal must not hold the role (offboarding). */
    ensure?: Ensure;
}

export interface RoleHave {
    definition: MicrosoftGraph.UnifiedRoleDefinition;
    /** Undefined while the account is still to be made by the recipe being planned. */
    principalId?: string;
    assignment?: MicrosoftGraph.UnifiedRoleAssignment;
}

/**
 * A directory role for the whole tenant. A just-created account may not be known to role management yet: the write
 * waits for it. An assignment someone made after the plan (409) is the goal reached, not a failure.
 */
export const directoryRoleStep: Step<RoleWant, RoleHave> = {
    kind: 'assignRole',
    label: 'Give directory role',
    writeScopes,
    target: want => `${want.principal.trim()} → ${want.role.trim()}`,
    async read(reads, want) {
        if (isAbsent(want)) {
            // What cannot be held (an unknown role, an account not there) is simply not there to remove.
            const [definition] = rolesNamed(await reads.roleDefinitions(), want.role);
            const user = await reads.user(want.principal);
            const assignment = definition && user?.id ? (await reads.roleAssignments(user.id)).find(a => a.roleDefinitionId === definition.id) : undefined;
            return { definition: definition ?? { displayName: want.role.trim() }, ...(user?.id ? { principalId: user.id } : {}), ...(assignment ? { assignment } : {}) };
        }
        const definition = roleNamed(await reads.roleDefinitions(), want.role);
        const principalId = await principalIdOf(reads, want.principal);
        const assignment = principalId ? (await reads.roleAssignments(principalId)).find(a => a.roleDefinitionId === definition.id) : undefined;
        return { definition, ...(principalId ? { principalId } : {}), ...(assignment ? { assignment } : {}) };
    },
    compare: (want, { definition, assignment }) => compareRole(want.principal.trim(), isAbsent(want), definition, assignment, want.role),
    async write(ctx, want, have) {
        const principalId = ctx.accountIds.get(want.principal.trim().toLowerCase()) ?? have.principalId;
        if (!principalId) throw new Error(`${want.principal.trim()} is not in the tenant any more (deleted while the recipe was being applied?). Apply again to create it.`);
        return writeRoleAssignment(ctx, have.definition, principalId, want.role);
    },
    remove: (ctx, want, { definition, assignment }) => removeRoleAssignment(ctx, definition, assignment, want.role),
};

/**
 * Gives a principal (an account, a group, an app's service principal) a directory role for the whole tenant. The
 * principal exists (read saw it, or this apply made it): a 404 for it is replication, worth waiting for. An assignment
 * someone made after the plan (409) is the goal reached, not a failure.
 */
export async function writeRoleAssignment(ctx: Pick<WriteContext, 'graph' | 'signal' | 'replication'>, definition: MicrosoftGraph.UnifiedRoleDefinition, principalId: string, typedRole: string): Promise<Written> {
    const name = definition.displayName ?? typedRole.trim();
    const notYet = (e: unknown) => e instanceof GraphRequestError && (e.code === 'Request_ResourceNotFound' || e.status === 404) && /does not exist/.test(e.message) && !/role definition/.test(e.message);
    try {
        await waitForReplication(
            () => ctx.graph.post('/roleManagement/directory/roleAssignments', { '@odata.type': '#microsoft.graph.unifiedRoleAssignment', roleDefinitionId: definition.id, principalId, directoryScopeId: '/' }, { scopes: writeScopes, ...(ctx.signal ? { signal: ctx.signal } : {}) }),
            notYet,
            { what: 'role management to see the account', ...(ctx.signal ? { signal: ctx.signal } : {}), ...ctx.replication },
        );
    } catch (error) {
        // Someone (or an earlier, interrupted run) assigned it between the read and the write: that is the goal.
        if (error instanceof GraphRequestError && error.status === 409) return { outcome: 'alreadyInPlace', detail: `${name} for the whole tenant.` };
        throw error;
    }
    return { outcome: 'created', detail: `${name} for the whole tenant.` };
}

/** Takes a tenant-wide directory role assignment away; gone already is the removal done. */
export async function removeRoleAssignment(ctx: Pick<WriteContext, 'graph' | 'signal'>, definition: MicrosoftGraph.UnifiedRoleDefinition, assignment: MicrosoftGraph.UnifiedRoleAssignment | undefined, typedRole: string): Promise<Written> {
    const name = definition.displayName ?? typedRole.trim();
    try {
        await ctx.graph.delete(`/roleManagement/directory/roleAssignments/${encodeURIComponent(assignment?.id ?? '')}`, { scopes: writeScopes, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    } catch (error) {
        // The plan saw the assignment; gone now means an earlier try whose answer was lost (the client sends a
        // DELETE again itself), or someone else, removed it: the removal this step was for has happened.
        if (error instanceof GraphRequestError && error.isNotFound) return { outcome: 'removed', detail: `${name} taken away (found gone on the last try: an earlier try whose answer was lost, or someone else, removed it).` };
        throw error;
    }
    return { outcome: 'removed', detail: `${name} taken away.` };
}

/** The roles a role step may name, found among the definitions: by id, template id or display name (absent: lenient). */
export function roleDefinitionFor(roles: MicrosoftGraph.UnifiedRoleDefinition[], nameOrId: string, lenient: boolean): MicrosoftGraph.UnifiedRoleDefinition | undefined {
    return lenient ? rolesNamed(roles, nameOrId)[0] : roleNamed(roles, nameOrId);
}

/** The role step's compare, for any principal: the same words for an account and an app. */
export function compareRole(principal: string, absent: boolean, definition: MicrosoftGraph.UnifiedRoleDefinition, assignment: MicrosoftGraph.UnifiedRoleAssignment | undefined, typedRole: string): Difference {
    const name = definition.displayName ?? typedRole.trim();
    if (absent) return assignment ? { status: 'remove', detail: `Take ${name} away from ${principal}.` } : { status: 'done', detail: `${principal} does not hold ${name}.` };
    if (assignment) return { status: 'done', detail: `${principal} has ${name} for the whole tenant.` };
    const privileged = isPrivilegedRole(definition);
    return { status: 'create', detail: `Give ${name} for the whole tenant${privileged ? ' (Microsoft marks this role privileged: it reaches credentials, security settings or other admins\' access; check the integration needs it)' : ''}.`, ...(privileged ? { privileged } : {}) };
}

/** The object id of a user (UPN or id) or group (id); undefined for an account the recipe makes; refused when unknown. */
async function principalIdOf(reads: TenantReads, principal: string): Promise<string | undefined> {
    const user = await reads.user(principal);
    if (user?.id) return user.id;
    if (reads.expected(principal)) return undefined;
    if (/^[0-9a-f-]{36}$/i.test(principal.trim())) {
        try {
            await reads.graph.get(`/groups/${encodeURIComponent(principal.trim())}?$select=id`, { scopes: ['Group.Read.All'], ...reads.o });
            return principal.trim();
        } catch (error) {
            if (!(error instanceof GraphRequestError && error.isNotFound)) throw error;
        }
    }
    throw new ProvisioningInputError(`There is no user or group ${principal.trim()} in this tenant to give the role to. Check the user principal name or object id, or pick the account in the Directory view.`, 'user', '');
}

/**
 * "Assign Directory Role…": the role step run on its own; idempotent (an existing assignment is reported, not
 * duplicated).
 */
export async function assignDirectoryRole(graph: GraphClient, principalId: string, roleDefinitionId: string, o: Options = {}): Promise<'assigned' | 'alreadyAssigned'> {
    refuseBadFields({ user: fields.user.check(principalId) });
    const { written } = await runStep(directoryRoleStep, { graph }, { principal: principalId, role: roleDefinitionId }, { ...(o.signal ? { signal: o.signal } : {}), replication: o });
    return written.outcome === 'created' ? 'assigned' : 'alreadyAssigned';
}

export async function removeDirectoryRole(graph: GraphClient, principalId: string, roleDefinitionId: string, o: { signal?: AbortSignal } = {}): Promise<'removed' | 'notAssigned'> {
    const existing = (await new TenantReads(graph, undefined, o).roleAssignments(principalId)).filter(a => a.roleDefinitionId === roleDefinitionId);
    if (!existing.length) return 'notAssigned';
    for (const assignment of existing) await graph.delete(`/roleManagement/directory/roleAssignments/${encodeURIComponent(assignment.id ?? '')}`, { scopes: writeScopes, ...o });
    return 'removed';
}
