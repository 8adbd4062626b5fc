import { appCredentialStep } from '../steps/appCredentials';
import { appDirectoryRoleStep } from '../steps/appDirectoryRoles';
import { appPermissionStep } from '../steps/appPermissions';
import { defaultValidDays, type PermissionApi } from '../steps/applicationWants';
import { appRegistrationStep } from '../steps/applications';
import { calendarAccessStep } from '../steps/calendarAccess';
import type { Ensure, Step } from '../steps/contract';
import { directoryRoleStep } from '../steps/directoryRoles';
import { licenceStep } from '../steps/licences';
import { mailGroupMemberStep, mailGroupStep } from '../steps/mailGroups';
import { roleGroupStep } from '../steps/roleGroups';
import { serviceAccountStep } from '../steps/serviceAccounts';
import { mailboxAccessStep } from '../steps/mailboxAccess';
import type { Recipe } from './recipe';

/** Every step's `want` may say its object must be absent. */
export type Wanted = { ensure?: Ensure };

/** One recipe entry as a step: its JSON pointer, its kind's implementation, and what it asks for. */
export interface RecipeEntry { id: string; step: Step<Wanted, unknown>; want: Wanted }

export const entry = <W extends Wanted, H>(id: string, step: Step<W, H>, want: W): RecipeEntry => ({ id, step: step, want });

/**
 * The recipe's entries as steps, in the order they are applied: first what must be there (accounts, then each
 * account's licence, directory roles and Exchange role groups, then the mail-enabled groups and their members, then
 * the calendar grants), then what must be gone, in reverse dependency order (calendar access revoked, group members
 * taken out, role-group memberships, roles, licences, then the accounts disabled and deleted, then the groups removed).
 * Under an account or group that must be absent, everything it lists must be absent too; so must a membership of an
 * absent account and a grant to an absent grantee. Plan, Apply, Verify and export all walk this one list.
 */
export function recipeEntries(recipe: Recipe): RecipeEntry[] {
    const absent = (e: { ensure?: Ensure }) => e.ensure === 'absent';
    const goneAccounts = new Set(recipe.serviceAccounts.filter(absent).map(a => a.userPrincipalName.trim().toLowerCase()));
    const goneGroups = new Set((recipe.mailEnabledGroups ?? []).filter(absent).map(g => g.primarySmtpAddress.trim().toLowerCase()));
    const gone = (address: string) => goneAccounts.has(address.trim().toLowerCase()) || goneGroups.has(address.trim().toLowerCase());
    const ensure = (isGone: boolean): { ensure?: Ensure } => (isGone ? { ensure: 'absent' } : {});

    const accounts: RecipeEntry[] = [];
    const grants: RecipeEntry[] = [];
    recipe.serviceAccounts.forEach((a, i) => accounts.push(entry(`/serviceAccounts/${i}`, serviceAccountStep, { userPrincipalName: a.userPrincipalName.trim(), displayName: a.displayName, usageLocation: a.usageLocation, ...ensure(absent(a)) })));
    recipe.serviceAccounts.forEach((a, i) => {
        const at = `/serviceAccounts/${i}`;
        const upn = a.userPrincipalName.trim();
        const under = ensure(absent(a));
        if (a.licence) grants.push(entry(`${at}/licence`, licenceStep, { user: upn, sku: a.licence.sku, plans: a.licence.enabledPlans, usageLocation: a.usageLocation, ...under }));
        (a.directoryRoles ?? []).forEach((role, j) => grants.push(entry(`${at}/directoryRoles/${j}`, directoryRoleStep, { principal: upn, role, ...under })));
        (a.exchangeRoleGroups ?? []).forEach((roleGroup, j) => grants.push(entry(`${at}/exchangeRoleGroups/${j}`, roleGroupStep, { member: upn, roleGroup, ...under })));
    });
    const groups: RecipeEntry[] = [];
    const members: RecipeEntry[] = [];
    (recipe.mailEnabledGroups ?? []).forEach((g, i) => {
        const at = `/mailEnabledGroups/${i}`;
        const address = g.primarySmtpAddress.trim();
        groups.push(entry(at, mailGroupStep, { name: g.name, primarySmtpAddress: address, ...(g.hiddenFromAddressLists !== undefined ? { hiddenFromAddressLists: g.hiddenFromAddressLists } : {}), ...(g.acceptMessagesOnlyFrom ? { acceptMessagesOnlyFrom: g.acceptMessagesOnlyFrom } : {}), ...ensure(absent(g)) }));
        (g.members ?? []).forEach((member, k) => members.push(entry(`${at}/members/${k}`, mailGroupMemberStep, { group: address, member: member.trim(), ...ensure(absent(g) || gone(member)) })));
    });
    const calendars = (recipe.calendarGrants ?? []).map((c, i) => entry(`/calendarGrants/${i}`, calendarAccessStep, { membersOf: c.membersOf, grantee: c.grantee.trim(), accessRight: c.accessRight ?? 'Editor', ...ensure(absent(c) || gone(c.grantee)) }));
    const apps = applicationEntries(recipe);
    const present = (list: RecipeEntry[]) => list.filter(e => !absent(e.want));
    const removed = (list: RecipeEntry[]) => list.filter(e => absent(e.want)).reverse();
    return [
        ...present(accounts), ...present(grants), ...present(groups), ...present(members), ...present(calendars), ...present(apps),
        ...removed(apps), ...removed(calendars), ...removed(members), ...removed(grants.filter(e => e.step === roleGroupStep)), ...removed(grants.filter(e => e.step === directoryRoleStep)), ...removed(grants.filter(e => e.step === licenceStep)), ...removed(accounts), ...removed(groups),
    ];
}


/**
 * Each application as steps, in dependency order: the registration (with its service principal and owners), its
 * credential, its API permissions (Microsoft Graph's, then Exchange.ManageAsApp), its directory roles, its mailbox
 * access. They come after the accounts and groups (owners are accounts; a scope names a group). An absent application
 * takes everything under it along; `recipeEntries` reverses the list for removals, so the registration goes last.
 */
function applicationEntries(recipe: Recipe): RecipeEntry[] {
    const list: RecipeEntry[] = [];
    (recipe.applications ?? []).forEach((a, i) => {
        const at = `/applications/${i}`;
        const application = a.displayName.trim();
        const under: { ensure?: Ensure } = a.ensure === 'absent' ? { ensure: 'absent' } : {};
        const permissions: { api: PermissionApi; permission: string; at: string }[] = [
            ...(a.graphPermissions ?? []).map((permission, j) => ({ api: 'Microsoft Graph' as const, permission: permission.trim(), at: `${at}/graphPermissions/${j}` })),
            ...(a.exchangeManagement ? [{ api: 'Office 365 Exchange Online' as const, permission: 'Exchange.ManageAsApp', at: `${at}/exchangeManagement` }] : []),
        ];
        list.push(entry(at, appRegistrationStep, { displayName: application, ...(a.owners?.length ? { owners: a.owners.map(u => u.trim()) } : {}), ...(permissions.length ? { permissions: permissions.map(p => ({ api: p.api, permission: p.permission })) } : {}), ...under }));
        if (a.credential) list.push(entry(`${at}/credential`, appCredentialStep, { application, type: a.credential.type, validDays: a.credential.validDays ?? defaultValidDays[a.credential.type], ...under }));
        for (const p of permissions) list.push(entry(p.at, appPermissionStep, { application, api: p.api, permission: p.permission, ...under }));
        (a.directoryRoles ?? []).forEach((role, j) => list.push(entry(`${at}/directoryRoles/${j}`, appDirectoryRoleStep, { application, role: role.trim(), ...under })));
        (a.mailboxAccess ?? []).forEach((m, j) => list.push(entry(`${at}/mailboxAccess/${j}`, mailboxAccessStep, { application, role: m.role, membersOf: m.membersOf.trim(), ...under })));
    });
    return list;
}
