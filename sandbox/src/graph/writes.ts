import type { DirectoryGroup, DirectoryUser, SandboxContext, SandboxRequest } from '../contracts';
import { softDeleteUser } from '../tenant/deletedItems';
import { recountConsumedUnits } from '../tenant/licences';
import { hasExchangePlan, provisionMailbox } from '../tenant/mailboxes';
import { badRequest, denied, GraphError, notFound } from './errors';
import { requirePermission } from './permissions';
import { graphGroup, graphUser } from './shapes';

export const write = {
    users: ['User.ReadWrite.All', 'Directory.ReadWrite.All'],
    licences: ['LicenseAssignment.ReadWrite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
    groups: ['Group.ReadWrite.All', 'Directory.ReadWrite.All'],
    members: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
    roles: ['RoleManagement.ReadWrite.Directory'],
};

type Body = Record<string, unknown>;
const asBody = (request: SandboxRequest): Body => (request.body && typeof request.body === 'object' ? (request.body as Body) : {});
const required = (body: Body, resource: string, names: string[]) => {
    for (const name of names) {
        if (body[name] === undefined || body[name] === null || body[name] === '') throw badRequest(`Invalid value specified for property '${name}' of resource '${resource}'.`, 'Request_BadRequest');
    }
};

export function findUser(ctx: SandboxContext, key: string): DirectoryUser {
    const byId = ctx.state.users.get(key);
    if (byId) return byId;
    const upn = key.toLowerCase();
    for (const user of ctx.state.users.values()) if (user.userPrincipalName.toLowerCase() === upn) return user;
    throw notFound(key);
}

/** POST /users, with Entra's checks in Entra's words. */
export function createUser(ctx: SandboxContext, request: SandboxRequest): Body {
    requirePermission(ctx.state, request.principal, write.users, true);
    const body = asBody(request);
    required(body, 'User', ['accountEnabled', 'displayName', 'mailNickname', 'passwordProfile', 'userPrincipalName']);
    const upn = String(body.userPrincipalName);
    const domain = upn.split('@')[1]?.toLowerCase() ?? '';
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(upn) || !ctx.state.domains.some(d => d.isVerified && d.id === domain)) {
        throw badRequest('The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.', 'Request_BadRequest');
    }
    for (const user of ctx.state.users.values()) {
        if (user.userPrincipalName.toLowerCase() === upn.toLowerCase()) throw badRequest('Another object with the same value for property userPrincipalName already exists.', 'Request_BadRequest');
    }
    const profile = body.passwordProfile as { password?: string; forceChangePasswordNextSignIn?: boolean };
    const password = profile.password ?? '';
    const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter(r => r.test(password)).length;
    if (password.length < 8 || password.length > 256 || classes < 3) {
        throw badRequest('The specified password does not comply with password complexity requirements. Please provide a different password.', 'Request_BadRequest');
    }
    const user: DirectoryUser = {
        id: ctx.newId(),
        userPrincipalName: upn,
        displayName: String(body.displayName),
        mailNickname: String(body.mailNickname),
        accountEnabled: body.accountEnabled === true,
        userType: 'Member',
        assignedLicenses: [],
        createdDateTime: new Date(ctx.now()).toISOString(),
        password,
        forceChangePasswordNextSignIn: profile.forceChangePasswordNextSignIn !== false,
        ...(typeof body.givenName === 'string' ? { givenName: body.givenName } : {}),
        ...(typeof body.surname === 'string' ? { surname: body.surname } : {}),
        ...(typeof body.usageLocation === 'string' ? { usageLocation: body.usageLocation } : {}),
        ...(typeof body.department === 'string' ? { department: body.department } : {}),
        ...(typeof body.jobTitle === 'string' ? { jobTitle: body.jobTitle } : {}),
        ...(typeof body.passwordPolicies === 'string' ? { passwordPolicies: body.passwordPolicies } : {}),
        ...(typeof body.employeeType === 'string' ? { extensionAttributes: { employeeType: body.employeeType } } : {}),
    };
    ctx.state.users.set(user.id, user);
    return graphUser(user);
}

const patchableUser = ['displayName', 'givenName', 'surname', 'jobTitle', 'department', 'officeLocation', 'usageLocation', 'accountEnabled', 'passwordPolicies', 'mailNickname'] as const;

export function updateUser(ctx: SandboxContext, request: SandboxRequest, id: string): void {
    requirePermission(ctx.state, request.principal, write.users, true);
    const user = findUser(ctx, id);
    const body = asBody(request);
    for (const name of patchableUser) {
        if (body[name] !== undefined) (user as unknown as Record<string, unknown>)[name] = body[name];
    }
    if (typeof body.employeeType === 'string') user.extensionAttributes = { ...(user.extensionAttributes ?? {}), employeeType: body.employeeType };
    const profile = body.passwordProfile as { password?: string; forceChangePasswordNextSignIn?: boolean } | undefined;
    if (profile?.password) {
        user.password = profile.password;
        user.forceChangePasswordNextSignIn = profile.forceChangePasswordNextSignIn !== false;
    }
}

/**
 * DELETE /users/{id}: the user goes to deleted items with its mailbox, licences and memberships (tenant/deletedItems.ts),
 * restorable for 30 days. A user holding a directory role is a sensitive target: "In app-only scenarios, the
 * User.ReadWrite.All application permission isn't enough privilege to delete users with administrative roles. The app
 * must be assigned a higher privileged administrator role", and delegated callers need Directory.AccessAsUser.All and a
 * higher privileged role (user-delete.md, "Who can perform sensitive actions"). The sandbox takes "higher privileged" as
 * Global Administrator or Privileged Authentication Administrator, and "administrative roles" as any role (stricter).
 */
export function deleteUser(ctx: SandboxContext, request: SandboxRequest, id: string): void {
    requirePermission(ctx.state, request.principal, write.users, true);
    const user = findUser(ctx, id);
    requireSensitiveActionRights(ctx, request, user);
    softDeleteUser(ctx.state, user, new Date(ctx.now()).toISOString());
}

const globalAdministrator = '62e90394-69f5-4237-9190-012177145e10';
const privilegedAuthenticationAdministrator = '7be44c8a-adaf-4e2a-84d6-ab2649e08a13';

/** Deleting (or restoring) a user who holds a directory role needs more than User.ReadWrite.All (see deleteUser). */
export function requireSensitiveActionRights(ctx: SandboxContext, request: SandboxRequest, target: DirectoryUser, heldRoleIds?: readonly string[]): void {
    const targetRoles = heldRoleIds ?? ctx.state.roleAssignments.filter(a => a.principalId === target.id).map(a => a.roleDefinitionId);
    if (targetRoles.length === 0) return;
    const principal = request.principal;
    const callerId = principal.kind === 'delegated' ? principal.userId ?? '' : ctx.state.apps.find(a => a.appId === principal.appId)?.servicePrincipalId ?? '';
    const callerRoles = ctx.state.roleAssignments.filter(a => a.principalId === callerId).map(a => a.roleDefinitionId);
    const higher = callerRoles.some(r => r === globalAdministrator || r === privilegedAuthenticationAdministrator);
    if (!higher || (principal.kind === 'delegated' && !principal.scopes.includes('Directory.AccessAsUser.All'))) throw denied();
}

/** POST /users/{id}/assignLicense: re-assigning a SKU replaces its disabledPlans (what the guides' tooling forgets). */
export function assignLicense(ctx: SandboxContext, request: SandboxRequest, id: string): Body {
    requirePermission(ctx.state, request.principal, write.licences, true);
    const user = findUser(ctx, id);
    const body = asBody(request);
    if (!Array.isArray(body.addLicenses) || !Array.isArray(body.removeLicenses)) {
        throw badRequest("Invalid value specified for property 'addLicenses' of resource 'User'. Both addLicenses and removeLicenses are required.", 'Request_BadRequest');
    }
    const add = body.addLicenses as { skuId?: string; disabledPlans?: string[] }[];
    const remove = body.removeLicenses as string[];
    if (add.length && !user.usageLocation) throw badRequest('License assignment cannot be done for user with invalid usage location.', 'Request_BadRequest');
    for (const licence of add) {
        const sku = ctx.state.skus.find(s => s.skuId === licence.skuId);
        if (!sku) throw badRequest(`License ${licence.skuId ?? ''} does not correspond to a valid company License.`, 'Request_BadRequest');
        for (const plan of licence.disabledPlans ?? []) {
            if (!sku.servicePlans.some(p => p.servicePlanId === plan)) throw badRequest(`Service plan ${plan} is not part of license ${sku.skuPartNumber}.`, 'Request_BadRequest');
        }
        const already = user.assignedLicenses.some(l => l.skuId === sku.skuId);
        if (!already && sku.consumedUnits >= sku.prepaidUnits.enabled) {
            throw badRequest(`Subscription ${sku.skuPartNumber} does not have any available licenses.`, 'Request_BadRequest');
        }
    }
    for (const skuId of remove) {
        if (!user.assignedLicenses.some(l => l.skuId === skuId)) throw badRequest(`User does not have a corresponding license ${skuId}.`, 'Request_BadRequest');
    }
    user.assignedLicenses = user.assignedLicenses.filter(l => !remove.includes(l.skuId));
    for (const licence of add) {
        user.assignedLicenses = [...user.assignedLicenses.filter(l => l.skuId !== licence.skuId), { skuId: licence.skuId ?? '', disabledPlans: [...(licence.disabledPlans ?? [])] }];
    }
    if (hasExchangePlan(ctx.state, user)) provisionMailbox(ctx.state, user, new Date(ctx.now()).toISOString());
    recountConsumedUnits(ctx.state);
    return graphUser(user, ctx.state);
}

/** POST /groups. Graph refuses mail-enabled security groups and distribution lists: Exchange creates those. */
export function createGroup(ctx: SandboxContext, request: SandboxRequest): Body {
    requirePermission(ctx.state, request.principal, write.groups, true);
    const body = asBody(request);
    required(body, 'Group', ['displayName', 'mailNickname']);
    if (body.mailEnabled === undefined || body.securityEnabled === undefined) {
        throw badRequest(`Invalid value specified for property '${body.mailEnabled === undefined ? 'mailEnabled' : 'securityEnabled'}' of resource 'Group'.`, 'Request_BadRequest');
    }
    const groupTypes = Array.isArray(body.groupTypes) ? (body.groupTypes as string[]) : [];
    if (body.mailEnabled === true && !groupTypes.includes('Unified')) {
        throw badRequest('Only Microsoft 365 groups can be mail-enabled through Microsoft Graph. Create mail-enabled security groups and distribution lists in Exchange Online (New-DistributionGroup).', 'Request_BadRequest');
    }
    const nickname = String(body.mailNickname);
    if ([...ctx.state.groups.values()].some(g => g.mailNickname.toLowerCase() === nickname.toLowerCase() && g.mailEnabled)) {
        throw badRequest('Another object with the same value for property mailNickname already exists.', 'Request_BadRequest');
    }
    const bound = (name: string) => (Array.isArray(body[name]) ? (body[name] as string[]).map(ref => ref.split('/').pop() ?? '') : []);
    const group: DirectoryGroup = {
        id: ctx.newId(),
        displayName: String(body.displayName),
        mailNickname: nickname,
        mailEnabled: body.mailEnabled === true,
        securityEnabled: body.securityEnabled === true,
        groupTypes,
        members: bound('members@odata.bind').filter(m => ctx.state.users.has(m) || ctx.state.groups.has(m)),
        owners: bound('owners@odata.bind').filter(m => ctx.state.users.has(m)),
        createdDateTime: new Date(ctx.now()).toISOString(),
        ...(typeof body.description === 'string' ? { description: body.description } : {}),
        ...(groupTypes.includes('Unified') ? { mail: `${nickname}@${ctx.state.domains.find(d => d.isDefault)?.id ?? 'contoso.com'}` } : {}),
    };
    ctx.state.groups.set(group.id, group);
    return graphGroup(group);
}

const patchableGroup = ['displayName', 'description', 'mailNickname'] as const;

export function updateGroup(ctx: SandboxContext, request: SandboxRequest, id: string): void {
    requirePermission(ctx.state, request.principal, write.groups, true);
    const group = ctx.state.groups.get(id);
    if (!group) throw notFound(id);
    requireGraphManagedMembers(group);
    const body = asBody(request);
    for (const name of patchableGroup) {
        if (typeof body[name] === 'string') group[name] = body[name];
    }
}

export function deleteGroup(ctx: SandboxContext, request: SandboxRequest, id: string): void {
    requirePermission(ctx.state, request.principal, write.groups, true);
    if (!ctx.state.groups.delete(id)) throw notFound(id);
    for (const group of ctx.state.groups.values()) group.members = group.members.filter(m => m !== id);
}

/** Graph cannot change the members of groups Exchange owns (mail-enabled security groups, distribution lists). */
function requireGraphManagedMembers(group: DirectoryGroup): void {
    if (group.exchange || (group.mailEnabled && !group.groupTypes.includes('Unified'))) {
        throw badRequest('Cannot Update a mail-enabled security groups and or distribution list.', 'Request_BadRequest');
    }
}

export function addMember(ctx: SandboxContext, request: SandboxRequest, groupId: string): void {
    requirePermission(ctx.state, request.principal, write.members, true);
    const group = ctx.state.groups.get(groupId);
    if (!group) throw notFound(groupId);
    const rawRef = asBody(request)['@odata.id'];
    const ref = typeof rawRef === 'string' ? rawRef : '';
    const memberId = ref.split('/').pop() ?? '';
    if (!ref || (!ctx.state.users.has(memberId) && !ctx.state.groups.has(memberId))) throw notFound(memberId || '@odata.id');
    requireGraphManagedMembers(group);
    if (group.members.includes(memberId)) {
        throw badRequest("One or more added object references already exist for the following modified properties: 'members'.", 'Request_BadRequest');
    }
    group.members.push(memberId);
}

export function removeMember(ctx: SandboxContext, request: SandboxRequest, groupId: string, memberId: string): void {
    requirePermission(ctx.state, request.principal, write.members, true);
    const group = ctx.state.groups.get(groupId);
    if (!group) throw notFound(groupId);
    requireGraphManagedMembers(group);
    if (!group.members.includes(memberId)) throw notFound(memberId);
    group.members = group.members.filter(m => m !== memberId);
}

/** POST /roleManagement/directory/roleAssignments. */
export function createRoleAssignment(ctx: SandboxContext, request: SandboxRequest): Body {
    requirePermission(ctx.state, request.principal, write.roles, true);
    const body = asBody(request);
    required(body, 'UnifiedRoleAssignment', ['roleDefinitionId', 'principalId', 'directoryScopeId']);
    const roleId = String(body.roleDefinitionId);
    const role = ctx.state.roleDefinitions.find(r => r.id === roleId || r.templateId === roleId);
    if (!role) throw new GraphError(404, 'Request_ResourceNotFound', `The role definition '${roleId}' does not exist or one of its queried reference-property objects are not present.`);
    const principalId = String(body.principalId);
    // A service principal may hold a directory role too (unifiedroleassignment-post: "principalId ... user, group, or
    // service principal"); its app-only tokens then carry the role in `wids` (identity/tokens.ts).
    const known = ctx.state.users.has(principalId) || ctx.state.groups.has(principalId) || (ctx.state.servicePrincipals ?? []).some(sp => sp.id === principalId);
    // A user created moments ago may not be visible to role management yet (DESIGN.md §1): replication applies here too.
    const user = ctx.state.users.get(principalId);
    if (!known || (user && Date.parse(user.createdDateTime) + ctx.knobs.replicationLagMs > ctx.now())) {
        throw badRequest(`Resource '${principalId}' does not exist or one of its queried reference-property objects are not present.`, 'Request_ResourceNotFound');
    }
    if (ctx.state.roleAssignments.some(a => a.principalId === principalId && a.roleDefinitionId === role.id && a.directoryScopeId === body.directoryScopeId)) {
        throw new GraphError(409, 'Request_BadRequest', 'A conflicting object with one or more of the specified property values is present in the directory.');
    }
    const assignment = { id: ctx.newId(), roleDefinitionId: role.id, principalId, directoryScopeId: String(body.directoryScopeId), createdDateTime: new Date(ctx.now()).toISOString() };
    ctx.state.roleAssignments.push(assignment);
    return { id: assignment.id, roleDefinitionId: assignment.roleDefinitionId, principalId, directoryScopeId: assignment.directoryScopeId };
}

export function deleteRoleAssignment(ctx: SandboxContext, request: SandboxRequest, id: string): void {
    requirePermission(ctx.state, request.principal, write.roles, true);
    const before = ctx.state.roleAssignments.length;
    ctx.state.roleAssignments = ctx.state.roleAssignments.filter(a => a.id !== id);
    if (ctx.state.roleAssignments.length === before) throw notFound(id);
}
