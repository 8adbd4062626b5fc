import type { DeletedUser, DirectoryUser, TenantState } from '../contracts';
import { markDirectoryChanged } from './directory';
import { recountConsumedUnits } from './licences';

/**
 * Entra's deleted items for users: "When deleted, user resources are moved to a temporary container and can be
 * restored within 30 days. After that time, they are permanently deleted." (microsoft-graph-docs-contrib
 * api-reference/v1.0/api/user-delete.md; the restore and purge pages say the same of deleted items.)
 *
 * What the docs say a deleted user keeps, and the sandbox therefore keeps with it: its mailbox and licence assignments,
 * and its group memberships, all given back on restore (learn.microsoft.com/graph/api/user-delete: "user resources,
 * including their mailbox and license assignments, are moved to a temporary container … The user is also restored to
 * any groups they were a member of"; entra-docs fundamentals/users-restore.md: "licenses that were assigned to the user
 * at the time of deletion are also restored even if there are no seats available"). The licences stay consumed until the
 * purge ("After 30 days … their assigned resources freed"), which is why offboarding removes the licence first.
 *
 * What the docs do not say, and the sandbox does the stricter way (docs/FIDELITY.md A41): the user's directory role
 * assignments and Exchange role-group memberships are hidden while it is deleted and come back on restore — a deleted
 * account's privileges are latent, not gone, so the client must remove them before deleting. Calendar permissions the
 * user holds on other mailboxes are not touched at all: Exchange keeps such entries and shows them as an unresolved
 * SID (A42; exchange/cmdlets.ts).
 */
export const deletedUserRetentionMs = 30 * 86_400_000;

function deleted(state: TenantState): DeletedUser[] {
    return (state.deletedUsers ??= []);
}

/** Moves a user, with what it holds, into deleted items; returns the deleted item. */
export function softDeleteUser(state: TenantState, user: DirectoryUser, nowIso: string): DeletedUser {
    const item: DeletedUser = { user, deletedDateTime: nowIso, memberOf: [], ownerOf: [], roleAssignments: [], roleGroups: [] };
    for (const group of state.groups.values()) {
        if (group.members.includes(user.id)) {
            item.memberOf.push(group.id);
            group.members = group.members.filter(m => m !== user.id);
        }
        if (group.owners.includes(user.id)) {
            item.ownerOf.push(group.id);
            group.owners = group.owners.filter(m => m !== user.id);
        }
    }
    item.roleAssignments = state.roleAssignments.filter(a => a.principalId === user.id);
    state.roleAssignments = state.roleAssignments.filter(a => a.principalId !== user.id);
    for (const roleGroup of state.roleGroups) {
        if (!roleGroup.members.includes(user.id)) continue;
        item.roleGroups.push(roleGroup.id);
        roleGroup.members = roleGroup.members.filter(m => m !== user.id);
    }
    const mailbox = state.mailboxes.get(user.id);
    if (mailbox) {
        item.mailbox = mailbox;
        state.mailboxes.delete(user.id);
    }
    state.users.delete(user.id);
    deleted(state).push(item);
    markDirectoryChanged(state);
    return item;
}

/** A user in deleted items by object id, or undefined. */
export function findDeletedUser(state: TenantState, id: string): DeletedUser | undefined {
    return state.deletedUsers?.find(d => d.user.id === id);
}

export type RestoreOutcome = { restored: DirectoryUser } | { notFound: true } | { conflictingUserPrincipalName: string };

/**
 * Brings a deleted user back with everything it held (groups and role groups that were removed since are skipped). A
 * user created meanwhile with the same UPN blocks the restore: the admin must free the name or restore under another.
 */
export function restoreDeletedUser(state: TenantState, id: string): RestoreOutcome {
    const item = findDeletedUser(state, id);
    if (!item) return { notFound: true };
    const upn = item.user.userPrincipalName.toLowerCase();
    if ([...state.users.values()].some(u => u.userPrincipalName.toLowerCase() === upn)) return { conflictingUserPrincipalName: item.user.userPrincipalName };
    state.deletedUsers = deleted(state).filter(d => d !== item);
    state.users.set(item.user.id, item.user);
    if (item.mailbox) state.mailboxes.set(item.user.id, item.mailbox);
    for (const groupId of item.memberOf) state.groups.get(groupId)?.members.push(item.user.id);
    for (const groupId of item.ownerOf) state.groups.get(groupId)?.owners.push(item.user.id);
    state.roleAssignments.push(...item.roleAssignments.filter(a => state.roleDefinitions.some(r => r.id === a.roleDefinitionId)));
    for (const roleGroupId of item.roleGroups) state.roleGroups.find(g => g.id === roleGroupId)?.members.push(item.user.id);
    markDirectoryChanged(state);
    return { restored: item.user };
}

/** Deletes a deleted user for good: its licences are freed, its mailbox is gone; false when it is not in deleted items. */
export function purgeDeletedUser(state: TenantState, id: string): boolean {
    const before = deleted(state).length;
    state.deletedUsers = deleted(state).filter(d => d.user.id !== id);
    if (state.deletedUsers.length === before) return false;
    recountConsumedUnits(state);
    return true;
}

/** Purges what has been in deleted items for 30 days or more (Entra does it on its own); returns how many. */
export function purgeExpired(state: TenantState, nowMs: number): number {
    const expired = (state.deletedUsers ?? []).filter(d => Date.parse(d.deletedDateTime) + deletedUserRetentionMs <= nowMs);
    for (const item of expired) purgeDeletedUser(state, item.user.id);
    return expired.length;
}
