/**
 * Exchange Online's RBAC for Applications, one typed function per cmdlet (issue 17): a pointer to the app's Entra
 * service principal, a management scope of recipients, an "Application …" role assigned to the pointer with that scope,
 * and Test-ServicePrincipalAuthorization to see what the assignments grant. Sources: MicrosoftDocs/OfficeDocs-Exchange
 * `Exchange/ExchangeOnline/permissions-exo/application-rbac.md`; office-docs-powershell
 * `exchange/exchange-ps/ExchangePowerShell/<Cmdlet>.md` for each cmdlet's parameters and output. Also
 * Get-OrganizationConfig's EWS settings (the plan's warnings about MC1227454).
 */
import type { ExchangeAdminClient } from './ExchangeAdminClient';

type Options = { signal?: AbortSignal };

/** An Entra service principal as Exchange knows it (Get-ServicePrincipal.md: DisplayName, ObjectId, AppId; Identity). */
export interface ExchangeServicePrincipal { Identity: string; DisplayName: string; AppId: string; ObjectId: string }

/** A recipient management scope (Get-ManagementScope.md). */
export interface ManagementScope { Identity: string; Name: string; RecipientRestrictionFilter: string; ScopeRestrictionType: string; Exclusive: boolean }

/** A role assignment; for an app: RoleAssigneeType ServicePrincipal, RoleAssignee the pointer's Identity (Get-ManagementRoleAssignment.md). */
export interface ManagementRoleAssignment { Identity: string; Name: string; Role: string; RoleAssignee: string; RoleAssigneeName: string; RoleAssigneeType: string; CustomResourceScope: string | null; RecipientWriteScope: string }

/** One row per assignment (Test-ServicePrincipalAuthorization.md, examples 1 and 2); InScope is `Not Run` without -Resource. */
export interface ServicePrincipalAuthorization { RoleName: string; GrantedPermissions: string; AllowedResourceScope: string; ScopeType: string; InScope: boolean | 'Not Run' }

/** EWS settings (Set-OrganizationConfig.md: -EwsEnabled, -EwsApplicationAccessPolicy, -EwsAllowList, -EwsBlockList); null = never set. */
export interface OrganizationEwsSettings { EwsEnabled: boolean | null; EwsApplicationAccessPolicy: string | null; EwsAllowList: string[] | null; EwsBlockList: string[] | null }

/** Every service principal pointer Exchange has (a tenant has a handful). */
export async function listExchangeServicePrincipals(exo: ExchangeAdminClient, o: Options = {}): Promise<ExchangeServicePrincipal[]> {
    return (await exo.invoke<ExchangeServicePrincipal>('Get-ServicePrincipal', {}, o)).value;
}

/**
 * Tells Exchange about the app: "-ObjectId … the Object ID of the Enterprise application (service principal), not of
 * the app registration" (New-ServicePrincipal.md; -ServiceId is the parameter's older name).
 */
export async function newExchangeServicePrincipal(exo: ExchangeAdminClient, appId: string, objectId: string, displayName: string, o: Options = {}): Promise<ExchangeServicePrincipal | undefined> {
    return (await exo.invoke<ExchangeServicePrincipal>('New-ServicePrincipal', { AppId: appId, ObjectId: objectId, DisplayName: displayName }, o)).value[0];
}

export async function removeExchangeServicePrincipal(exo: ExchangeAdminClient, identity: string, o: Options = {}): Promise<void> {
    await exo.invoke('Remove-ServicePrincipal', { Identity: identity, Confirm: false }, o);
}

export async function listManagementScopes(exo: ExchangeAdminClient, o: Options = {}): Promise<ManagementScope[]> {
    return (await exo.invoke<ManagementScope>('Get-ManagementScope', {}, o)).value;
}

/** A recipient scope, e.g. `MemberOfGroup -eq '<group DN>'` (New-ManagementScope.md, -RecipientRestrictionFilter). */
export async function newManagementScope(exo: ExchangeAdminClient, name: string, recipientRestrictionFilter: string, o: Options = {}): Promise<ManagementScope | undefined> {
    return (await exo.invoke<ManagementScope>('New-ManagementScope', { Name: name, RecipientRestrictionFilter: recipientRestrictionFilter }, o)).value[0];
}

export async function removeManagementScope(exo: ExchangeAdminClient, identity: string, o: Options = {}): Promise<void> {
    await exo.invoke('Remove-ManagementScope', { Identity: identity, Confirm: false }, o);
}

/** The role assignments of one assignee (a service principal pointer, by any name Exchange takes for it). */
export async function roleAssignmentsOf(exo: ExchangeAdminClient, roleAssignee: string, o: Options = {}): Promise<ManagementRoleAssignment[]> {
    return (await exo.invoke<ManagementRoleAssignment>('Get-ManagementRoleAssignment', { RoleAssignee: roleAssignee }, o)).value;
}

/** One "Application …" role an app holds in Exchange, with the scope that limits it (none: every mailbox). */
export interface MailboxAccessHeld { role: string; assignment: string; scope: string | null; filter?: string }

/**
 * What an app may do in mailboxes through RBAC for Applications, for the Applications folder: its pointer (found by
 * app id among the few Exchange has), its "Application …" role assignments, and each scope's recipient filter. An app
 * Exchange has no pointer for holds none. Requests: Get-ServicePrincipal, then Get-ManagementRoleAssignment and
 * Get-ManagementScope when there is a pointer.
 */
export async function mailboxAccessOf(exo: ExchangeAdminClient, appId: string, o: Options = {}): Promise<MailboxAccessHeld[]> {
    const pointer = (await listExchangeServicePrincipals(exo, o)).find(p => p.AppId.toLowerCase() === appId.toLowerCase());
    if (!pointer) return [];
    const [assignments, scopes] = await Promise.all([roleAssignmentsOf(exo, pointer.Identity, o), listManagementScopes(exo, o)]);
    const filterOf = new Map(scopes.map(s => [s.Name, s.RecipientRestrictionFilter]));
    return assignments.filter(a => a.Role.startsWith('Application ')).map(a => {
        const filter = a.CustomResourceScope ? filterOf.get(a.CustomResourceScope) : undefined;
        return { role: a.Role, assignment: a.Name, scope: a.CustomResourceScope, ...(filter ? { filter } : {}) };
    }).sort((x, y) => x.role.localeCompare(y.role));
}

/** `-App <service principal> -Role "Application …" -CustomResourceScope <scope> -Name` (New-ManagementRoleAssignment.md, the -App set). */
export async function newAppRoleAssignment(exo: ExchangeAdminClient, app: string, role: string, customResourceScope: string, name: string, o: Options = {}): Promise<ManagementRoleAssignment | undefined> {
    return (await exo.invoke<ManagementRoleAssignment>('New-ManagementRoleAssignment', { App: app, Role: role, CustomResourceScope: customResourceScope, Name: name }, o)).value[0];
}

export async function removeManagementRoleAssignment(exo: ExchangeAdminClient, identity: string, o: Options = {}): Promise<void> {
    await exo.invoke('Remove-ManagementRoleAssignment', { Identity: identity, Confirm: false }, o);
}

/** What the app's assignments grant, and whether `resource` (a mailbox) is inside each one's scope. */
export async function testServicePrincipalAuthorization(exo: ExchangeAdminClient, identity: string, resource: string | undefined, o: Options = {}): Promise<ServicePrincipalAuthorization[]> {
    return (await exo.invoke<ServicePrincipalAuthorization>('Test-ServicePrincipalAuthorization', { Identity: identity, ...(resource !== undefined ? { Resource: resource } : {}) }, o)).value;
}

/** The organisation's EWS settings (Get-OrganizationConfig.md); a tenant that never set them shows them null. */
export async function organizationEwsSettings(exo: ExchangeAdminClient, o: Options = {}): Promise<OrganizationEwsSettings> {
    const config = (await exo.invoke<Partial<OrganizationEwsSettings>>('Get-OrganizationConfig', {}, o)).value[0] ?? {};
    return { EwsEnabled: config.EwsEnabled ?? null, EwsApplicationAccessPolicy: config.EwsApplicationAccessPolicy ?? null, EwsAllowList: config.EwsAllowList ?? null, EwsBlockList: config.EwsBlockList ?? null };
}

/** Whether `InScope` says yes: Exchange's answer reaches us as a boolean or as its text. */
export const inScope = (row: ServicePrincipalAuthorization): boolean => row.InScope === true || String(row.InScope).toLowerCase() === 'true';
