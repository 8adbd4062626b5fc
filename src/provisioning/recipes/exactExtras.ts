import type { Ensure } from '../steps/contract';
import { calendarAccessStep } from '../steps/calendarAccess';
import { directoryRoleStep } from '../steps/directoryRoles';
import { mailGroupMemberStep } from '../steps/mailGroups';
import { roleGroupStep } from '../steps/roleGroups';
import { namesOf, type TenantReads } from '../steps/tenantReads';
import type { Recipe } from './recipe';
import { entry, type RecipeEntry } from './recipeEntries';

/** An entry for something the tenant has beyond the recipe: to remove, shown at the recipe entry it belongs to. */
export interface ExtraEntry extends RecipeEntry {
    /** The recipe entry the extra hangs on (an account, a group), for the plan view and the Problems panel. */
    at: string;
}

const absent: { ensure: Ensure } = { ensure: 'absent' };

/**
 * With `"exact": true`, what the tenant has beyond the recipe on the recipe's own objects, as removals: directory
 * roles and Exchange role groups the recipe's accounts hold but the recipe does not list, members of the recipe's
 * mail-enabled groups it does not list, and each calendar grant's grantee's access on calendars outside its group (every
 * other mailbox is read at apply: on a large tenant the costliest step there is). Plan and Verify report them; Apply
 * removes them after the review. Accounts and groups the recipe offboards are not looked at (they go whole), nor ones
 * not in the tenant yet.
 */
export async function exactExtras(recipe: Recipe, reads: TenantReads): Promise<ExtraEntry[]> {
    if (!recipe.exact) return [];
    const roles: ExtraEntry[] = [];
    const roleGroups: ExtraEntry[] = [];
    const members: ExtraEntry[] = [];
    for (const [i, account] of recipe.serviceAccounts.entries()) {
        if (account.ensure === 'absent') continue;
        const at = `/serviceAccounts/${i}`;
        const upn = account.userPrincipalName.trim();
        const user = await reads.user(upn);
        if (!user?.id) continue;
        const definitions = await reads.roleDefinitions();
        const listed = new Set((account.directoryRoles ?? []).map(r => r.trim().toLowerCase()));
        const isListed = (id: string | null | undefined) => {
            const d = definitions.find(x => x.id === id);
            return [d?.id, d?.templateId, d?.displayName].some(v => v && listed.has(v.toLowerCase()));
        };
        for (const assignment of await reads.roleAssignments(user.id)) {
            if (isListed(assignment.roleDefinitionId)) continue;
            const name = definitions.find(d => d.id === assignment.roleDefinitionId)?.displayName ?? assignment.roleDefinitionId ?? '';
            roles.push({ ...entry(`${at}/directoryRoles/+${name}`, directoryRoleStep, { principal: upn, role: assignment.roleDefinitionId ?? name, ...absent }), at });
        }
        const wanted = new Set((account.exchangeRoleGroups ?? []).map(r => r.trim().toLowerCase()));
        for (const group of await reads.roleGroupsOf(user)) {
            if (wanted.has(group.Name.toLowerCase()) || wanted.has(group.DisplayName.toLowerCase())) continue;
            roleGroups.push({ ...entry(`${at}/exchangeRoleGroups/+${group.DisplayName || group.Name}`, roleGroupStep, { member: upn, roleGroup: group.DisplayName || group.Name, ...absent }), at });
        }
    }
    for (const [i, group] of (recipe.mailEnabledGroups ?? []).entries()) {
        if (group.ensure === 'absent') continue;
        const at = `/mailEnabledGroups/${i}`;
        const address = group.primarySmtpAddress.trim();
        if (!(await reads.recipient(address))) continue;
        // Each listed member by every name Exchange gives it: the member list may name it by alias or object id.
        const listed = new Set((group.members ?? []).map(m => m.trim().toLowerCase()));
        for (const typed of group.members ?? []) {
            const known = (await reads.exchangeUser(typed)) ?? (await reads.recipient(typed));
            if (known) for (const n of namesOf(known)) listed.add(n);
        }
        for (const member of await reads.distributionGroupMemberList(address)) {
            if (namesOf(member).some(n => listed.has(n))) continue;
            const identity = member.PrimarySmtpAddress || member.UserPrincipalName || member.ExternalDirectoryObjectId || member.Identity;
            members.push({ ...entry(`${at}/members/+${identity}`, mailGroupMemberStep, { group: address, member: identity, ...absent }), at });
        }
    }
    // The grantee's access on calendars outside the group: found only by reading every other mailbox, at apply.
    const calendars = (recipe.calendarGrants ?? []).flatMap((grant, i) => (grant.ensure === 'absent' ? [] : [{ ...entry(`/calendarGrants/${i}/+outside`, calendarAccessStep, { membersOf: grant.membersOf, grantee: grant.grantee.trim(), accessRight: grant.accessRight ?? 'Editor', ensure: 'absent' as const, outsideGroup: true }), at: `/calendarGrants/${i}` }]));
    // Removed in reverse dependency order, like the recipe's own removals.
    return [...calendars, ...members, ...roleGroups, ...roles];
}
