import type { DirectoryGroup, DirectoryUser, TenantState } from '../contracts';

/**
 * Lookups over the tenant that stay fast with 100,000 users: UPN and mail address to user, and users sorted by the
 * properties Graph can order on. Graph and Exchange both use them.
 *
 * Any part may change `state.users` directly (the contract is a plain Map), so an index is trusted only while the
 * directory looks unchanged: the same number of users and no `markDirectoryChanged` since it was built. Writers in
 * this repository call `markDirectoryChanged`; a lookup that misses on a stale index rebuilds it and tries again.
 */
interface DirectoryIndex {
    version: number;
    userCount: number;
    byAddress: Map<string, string>;
    sorted: Map<string, readonly DirectoryUser[]>;
}

const versions = new WeakMap<TenantState, number>();
const indexes = new WeakMap<TenantState, DirectoryIndex>();

/** Call after adding, removing or renaming users or groups, so the indexes are rebuilt on next use. */
export function markDirectoryChanged(state: TenantState): void {
    versions.set(state, (versions.get(state) ?? 0) + 1);
}

/** A number that changes whenever the directory does (for caches outside this module). */
export function directoryVersion(state: TenantState): string {
    return `${versions.get(state) ?? 0}/${state.users.size}/${state.groups.size}`;
}

function currentIndex(state: TenantState, forceFresh = false): DirectoryIndex {
    const version = versions.get(state) ?? 0;
    const existing = indexes.get(state);
    if (existing && !forceFresh && existing.version === version && existing.userCount === state.users.size) return existing;
    const byAddress = new Map<string, string>();
    for (const user of state.users.values()) {
        byAddress.set(user.userPrincipalName.toLowerCase(), user.id);
        if (user.mail) byAddress.set(user.mail.toLowerCase(), user.id);
    }
    const index: DirectoryIndex = { version, userCount: state.users.size, byAddress, sorted: new Map() };
    indexes.set(state, index);
    return index;
}

/** The user with this address as UPN or primary mail address (case-insensitive), or undefined. */
export function findUserByAddress(state: TenantState, address: string): DirectoryUser | undefined {
    const key = address.toLowerCase();
    const matches = (user: DirectoryUser | undefined) => user !== undefined && (user.userPrincipalName.toLowerCase() === key || user.mail?.toLowerCase() === key);
    const hit = state.users.get(currentIndex(state).byAddress.get(key) ?? '');
    if (matches(hit)) return hit;
    // The index may be stale (someone renamed or replaced a user without telling): rebuild once and look again.
    const fresh = state.users.get(currentIndex(state, true).byAddress.get(key) ?? '');
    return matches(fresh) ? fresh : undefined;
}

/** A user by object id or by UPN, as Graph's `/users/{id | userPrincipalName}` accepts. */
export function findUser(state: TenantState, idOrUpn: string): DirectoryUser | undefined {
    return state.users.get(idOrUpn) ?? (idOrUpn.includes('@') ? findUserByAddress(state, idOrUpn) : undefined);
}

export type SortableUserProperty = 'displayName' | 'userPrincipalName';

/** Users sorted by a property (case-insensitive, then by id), cached until the directory changes. */
export function usersSortedBy(state: TenantState, property: SortableUserProperty): readonly DirectoryUser[] {
    const index = currentIndex(state);
    const cached = index.sorted.get(property);
    if (cached) return cached;
    const keyed = [...state.users.values()].map(user => ({ user, key: sortKey(user[property]) }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.user.id < b.user.id ? -1 : a.user.id > b.user.id ? 1 : 0));
    const sorted = keyed.map(k => k.user);
    index.sorted.set(property, sorted);
    return sorted;
}

/** The comparable form of a sortable value (Graph sorts case-insensitively). */
export function sortKey(value: string | undefined): string {
    return (value ?? '').toLowerCase();
}

/** Members of a group and of every group nested in it (any depth, cycles tolerated), each once, groups included. */
export function transitiveMemberIds(state: TenantState, groupId: string): string[] {
    const seen = new Set<string>();
    const visit = (id: string) => {
        for (const member of state.groups.get(id)?.members ?? []) {
            if (seen.has(member) || member === groupId) continue;
            seen.add(member);
            if (state.groups.has(member)) visit(member);
        }
    };
    visit(groupId);
    return [...seen];
}

/** The users among a group's transitive members (what "members of Staff" means to an admin). */
export function transitiveMemberUsers(state: TenantState, groupId: string): DirectoryUser[] {
    const users: DirectoryUser[] = [];
    for (const id of transitiveMemberIds(state, groupId)) {
        const user = state.users.get(id);
        if (user) users.push(user);
    }
    return users;
}

/** Groups that list the object as a direct member. */
export function groupsWithMember(state: TenantState, objectId: string): DirectoryGroup[] {
    return [...state.groups.values()].filter(g => g.members.includes(objectId));
}

/** Groups the object belongs to directly or through nesting. */
export function groupsWithTransitiveMember(state: TenantState, objectId: string): DirectoryGroup[] {
    const found = new Map<string, DirectoryGroup>();
    let frontier = [objectId];
    while (frontier.length) {
        const next: string[] = [];
        for (const group of state.groups.values()) {
            if (found.has(group.id)) continue;
            if (frontier.some(id => group.members.includes(id))) {
                found.set(group.id, group);
                next.push(group.id);
            }
        }
        frontier = next;
    }
    return [...found.values()];
}

/** A group by object id, or by display name when exactly one group has it. */
export function findGroup(state: TenantState, idOrName: string): DirectoryGroup | undefined {
    const byId = state.groups.get(idOrName);
    if (byId) return byId;
    const lower = idOrName.toLowerCase();
    const named = [...state.groups.values()].filter(g => g.displayName.toLowerCase() === lower);
    return named.length === 1 ? named[0] : undefined;
}

/** Removes every trace of a directory object: group memberships, ownerships, role assignments and role groups. */
export function removeReferences(state: TenantState, objectId: string): void {
    for (const group of state.groups.values()) {
        if (group.members.includes(objectId)) group.members = group.members.filter(m => m !== objectId);
        if (group.owners.includes(objectId)) group.owners = group.owners.filter(m => m !== objectId);
    }
    state.roleAssignments = state.roleAssignments.filter(a => a.principalId !== objectId);
    for (const roleGroup of state.roleGroups) {
        if (roleGroup.members.includes(objectId)) roleGroup.members = roleGroup.members.filter(m => m !== objectId);
    }
}
