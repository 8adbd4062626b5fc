import type { Principal, TenantState } from '../contracts';
import { denied } from './errors';
import { requirePermission } from './permissions';

/**
 * Who may read and change applications, service principals and consent: the permission tables of Graph's pages
 * (microsoftgraph/microsoft-graph-docs-contrib: api-reference/v1.0/api/application-list.md, application-post-applications.md,
 * serviceprincipal-post-approleassignments.md, oauth2permissiongrant-post.md …), plus the directory role a delegated
 * caller needs for a change, which the pages name in their "In delegated scenarios" notes.
 */
export const appPermissions = {
    readApps: ['Application.Read.All', 'Application.ReadWrite.All', 'Application.ReadWrite.OwnedBy', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    writeApps: ['Application.ReadWrite.All', 'Application.ReadWrite.OwnedBy'],
    /** appRoleAssignment create/delete: AppRoleAssignment.ReadWrite.All (with Application.Read.All to find the SPs). */
    writeAssignments: ['AppRoleAssignment.ReadWrite.All'],
    readGrants: ['DelegatedPermissionGrant.Read.All', 'DelegatedPermissionGrant.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    writeGrants: ['DelegatedPermissionGrant.ReadWrite.All', 'Directory.ReadWrite.All'],
};

const role = {
    globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
    privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
    applicationAdministrator: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
    cloudApplicationAdministrator: '158c047a-c907-4556-b7ef-446551a6b5f7',
};

/**
 * A delegated change to apps or consent: the signed-in user must hold Global Administrator, Application Administrator
 * or Cloud Application Administrator; granting Microsoft Graph app roles or delegated permissions for every user needs
 * Global Administrator or Privileged Role Administrator (serviceprincipal-post-approleassignments.md: "Privileged Role
 * Administrator" for Microsoft Graph app roles). Stricter than Entra where the pages leave room (FIDELITY.md A47):
 * ordinary members may register apps in a real tenant by default, here they may not.
 */
export function requireAppAdmin(state: TenantState, principal: Principal, accepted: readonly string[], grantsGraphPermissions = false): void {
    requirePermission(state, principal, accepted, true);
    if (principal.kind !== 'delegated' || !principal.userId) return;
    const held = state.roleAssignments.filter(a => a.principalId === principal.userId).map(a => a.roleDefinitionId);
    const allowed = grantsGraphPermissions
        ? [role.globalAdministrator, role.privilegedRoleAdministrator]
        : [role.globalAdministrator, role.privilegedRoleAdministrator, role.applicationAdministrator, role.cloudApplicationAdministrator];
    if (!held.some(r => allowed.includes(r))) throw denied();
}

/** A read: the token's permission as the page lists it (any member may read apps in Entra; the token still must allow it). */
export function requireAppRead(state: TenantState, principal: Principal, accepted: readonly string[]): void {
    requirePermission(state, principal, accepted, false);
}
