import type { ExchangeAppRoleAssignment, ManagementScope, Principal, TenantState } from '../contracts';
import { groupDistinguishedName } from './distinguishedNames';
import { compileOpath, type OpathPredicate, type OpathRecord } from './opath';

/**
 * RBAC for Applications' roles and the Graph / EWS permission each grants, from the table of supported application roles
 * in MicrosoftDocs/OfficeDocs-Exchange `Exchange/ExchangeOnline/permissions-exo/application-rbac.md`
 * (learn.microsoft.com/exchange/permissions-exo/application-rbac): "Application Mail.Read" grants Mail.Read, and so on;
 * "Application EWS.AccessAsApp" is the one EWS role.
 */
export const applicationRoles: Readonly<Record<string, string>> = Object.fromEntries(
    ['Mail.Read', 'Mail.ReadBasic', 'Mail.ReadWrite', 'Mail.Send', 'MailboxSettings.Read', 'MailboxSettings.ReadWrite', 'Calendars.Read', 'Calendars.ReadWrite', 'Contacts.Read', 'Contacts.ReadWrite', 'EWS.AccessAsApp'].map(p => [`Application ${p}`, p]),
);

/** The properties a management scope's RecipientRestrictionFilter may name in the sandbox (a subset of Exchange's). */
export const scopeFilterProperties = ['MemberOfGroup', 'DisplayName', 'Alias', 'Name', 'PrimarySmtpAddress', 'RecipientTypeDetails', 'Department', 'Title', 'Office', 'UserPrincipalName', ...Array.from({ length: 15 }, (_, i) => `CustomAttribute${i + 1}`)];

/** Compiles a RecipientRestrictionFilter; an OpathError (with Exchange's text) when it is not valid. */
export function compileScopeFilter(filter: string): OpathPredicate {
    return compileOpath(filter, scopeFilterProperties);
}

/**
 * A mailbox as a management scope's filter sees it. MemberOfGroup holds the distinguished names of the groups the owner
 * is a DIRECT member of: the scope does not follow nested groups (the stricter reading; public setup guides for RBAC for
 * Applications say "Exchange Online RBAC does not traverse nested group memberships"; FIDELITY.md A61).
 */
function scopeRecord(state: TenantState, userId: string): OpathRecord | undefined {
    const user = state.users.get(userId);
    const mailbox = state.mailboxes.get(userId);
    if (!user || !mailbox) return undefined;
    const groups = [...state.groups.values()].filter(g => g.members.includes(userId)).map(g => groupDistinguishedName(state, g));
    return {
        MemberOfGroup: groups,
        DisplayName: user.displayName,
        Alias: mailbox.alias,
        Name: mailbox.alias,
        PrimarySmtpAddress: mailbox.primarySmtpAddress,
        RecipientTypeDetails: mailbox.recipientTypeDetails,
        Department: user.department,
        Title: user.jobTitle,
        Office: user.officeLocation,
        UserPrincipalName: user.userPrincipalName,
    };
}

/** Whether the scope's filter takes in this mailbox. A scope whose filter no longer compiles takes in nothing. */
export function scopeContains(state: TenantState, scope: ManagementScope, userId: string): boolean {
    const record = scopeRecord(state, userId);
    if (!record) return false;
    try {
        return compileScopeFilter(scope.recipientRestrictionFilter)(record);
    } catch {
        return false;
    }
}

/** The Exchange service principal pointers that stand for this app-only caller: its appid AND its oid must match. */
function pointersOf(state: TenantState, principal: Principal): string[] {
    return (state.exchangeServicePrincipals ?? []).filter(sp => sp.appId === principal.appId && sp.objectId === principal.objectId).map(sp => sp.identity);
}

/** Whether this assignment covers the mailbox: no scope is the whole organisation; an unknown scope covers nothing. */
export function assignmentCovers(state: TenantState, assignment: ExchangeAppRoleAssignment, userId: string): boolean {
    if (!assignment.customResourceScope) return state.mailboxes.has(userId);
    const scope = (state.managementScopes ?? []).find(s => s.name.toLowerCase() === assignment.customResourceScope?.toLowerCase());
    return scope !== undefined && scopeContains(state, scope, userId);
}

/**
 * Whether an app-only caller may use this mailbox with one of the `accepted` permissions. The Entra grant and the
 * Exchange grant add up: "These permission grants are independent of the unscoped grants in Microsoft Entra ID" and "an
 * app can have both Microsoft Entra consented permissions and RBAC assignments" (application-rbac.md), so a token whose
 * `roles` hold the permission (tenant-wide consent) is allowed on every mailbox, and otherwise an RBAC for Applications
 * assignment of the matching "Application …" role whose scope contains the mailbox is needed. Role assignments take
 * effect at once in the sandbox (Microsoft says changes can take up to two hours to reach its cache: A64).
 */
export function appMayUseMailbox(state: TenantState, principal: Principal, mailboxUserId: string, accepted: readonly string[]): boolean {
    if (principal.kind !== 'application') return false;
    if (accepted.some(p => principal.roles.includes(p))) return true;
    const pointers = pointersOf(state, principal);
    if (!pointers.length) return false;
    return (state.exchangeAppRoleAssignments ?? []).some(a =>
        pointers.includes(a.servicePrincipal) && accepted.includes(applicationRoles[a.role] ?? '') && assignmentCovers(state, a, mailboxUserId));
}
