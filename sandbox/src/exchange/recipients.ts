import type { DirectoryGroup, DirectoryUser, Mailbox, SandboxContext, TenantState } from '../contracts';
import { ambiguous, notFound, recipientNotFound } from './errors';

/** A directory object as Exchange knows it. */
export type Recipient = { kind: 'user'; user: DirectoryUser; mailbox?: Mailbox } | { kind: 'group'; group: DirectoryGroup };

/** Exchange sees a directory object only after the replication lag (DESIGN.md §1, the first guide's warning). */
export function replicated(ctx: SandboxContext, createdDateTime: string): boolean {
    return Date.parse(createdDateTime) + ctx.knobs.replicationLagMs <= ctx.now();
}

/** A group Exchange made itself needs no replication to be seen by Exchange. */
export function groupReplicated(ctx: SandboxContext, group: DirectoryGroup): boolean {
    return group.exchange?.createdInExchange === true || replicated(ctx, group.createdDateTime);
}

function matches(identity: string, candidates: (string | undefined)[]): boolean {
    const key = identity.toLowerCase();
    return candidates.some(c => c !== undefined && c.toLowerCase() === key);
}

function userKeys(user: DirectoryUser, mailbox?: Mailbox): (string | undefined)[] {
    return [user.id, user.userPrincipalName, user.mail, user.mailNickname, user.displayName, mailbox?.primarySmtpAddress, mailbox?.alias];
}

function groupKeys(group: DirectoryGroup): (string | undefined)[] {
    return [group.id, group.displayName, group.mailNickname, group.mail, group.exchange?.name, group.exchange?.primarySmtpAddress];
}

interface NameIndex { users: Map<string, DirectoryUser[]>; groups: Map<string, DirectoryGroup[]> }

/**
 * Within one `$batch`, the names its commands will resolve are looked up in one pass over the directory, at the first
 * lookup, instead of one scan per lookup (10 folder commands resolve 20 names; with 10,000 users those scans were
 * what the sandbox spent its time on). The batch runs synchronously, so nothing else changes the tenant meanwhile; the
 * cmdlets that add or rename recipients drop the index (api.ts), and a name not collected beforehand is scanned for.
 * Outside a batch, lookups scan as they always did.
 */
let scope: { state: TenantState; names: ReadonlySet<string>; index?: NameIndex } | undefined;

/** Runs `run` with lookups of `names` (any case) served from one pass over the directory. */
export function withRecipientIndex<T>(ctx: SandboxContext, names: Iterable<string>, run: () => T): T {
    const outer = scope;
    scope = { state: ctx.state, names: new Set([...names].map(n => n.toLowerCase())) };
    try {
        return run();
    } finally {
        scope = outer;
    }
}

/** After a cmdlet that may have added, removed or renamed a recipient. */
export function dropRecipientIndex(): void {
    if (scope) scope.index = undefined;
}

function buildIndex(state: TenantState, names: ReadonlySet<string>): NameIndex {
    const index: NameIndex = { users: new Map(), groups: new Map() };
    const add = <T>(map: Map<string, T[]>, key: string | undefined, value: T) => {
        if (key === undefined) return;
        const lower = key.toLowerCase();
        if (!names.has(lower)) return;
        const list = map.get(lower);
        if (!list) map.set(lower, [value]);
        else if (list[list.length - 1] !== value) list.push(value);
    };
    for (const user of state.users.values()) for (const key of userKeys(user, state.mailboxes.get(user.id))) add(index.users, key, user);
    for (const group of state.groups.values()) if (group.mailEnabled || group.securityEnabled) for (const key of groupKeys(group)) add(index.groups, key, group);
    return index;
}

/** The users and groups that may carry this name: all of them unless the batch's index knows the name. */
function candidates(ctx: SandboxContext, identity: string): { users: Iterable<DirectoryUser>; groups: Iterable<DirectoryGroup> } {
    const key = identity.toLowerCase();
    if (scope?.state !== ctx.state || !scope.names.has(key)) return { users: ctx.state.users.values(), groups: ctx.state.groups.values() };
    scope.index ??= buildIndex(ctx.state, scope.names);
    return { users: scope.index.users.get(key) ?? [], groups: scope.index.groups.get(key) ?? [] };
}

/**
 * Resolves `-Identity` / `-Member` / `-User` as Exchange does: by object id, name, alias, UPN or SMTP address.
 * Several matches are an error (ask, do not guess). An object newer than the replication lag is not there for
 * Exchange, and Exchange says so exactly as for one that never existed: "couldn't be found on '…'" for `-Identity`,
 * `Couldn't find object "…"` for a recipient named in another parameter (`named: 'parameter'`; errors.ts). Only the
 * caller knows it has just created the object, so only the caller can decide to wait.
 */
export function resolveRecipient(ctx: SandboxContext, identity: string, want: 'any' | 'user' | 'group' = 'any', named: 'identity' | 'parameter' = 'identity'): Recipient {
    const found: Recipient[] = [];
    const { users, groups } = candidates(ctx, identity);
    if (want !== 'group') {
        for (const user of users) {
            const mailbox = ctx.state.mailboxes.get(user.id);
            if (!matches(identity, userKeys(user, mailbox))) continue;
            if (!replicated(ctx, user.createdDateTime)) continue;
            found.push({ kind: 'user', user, ...(mailbox && replicated(ctx, mailbox.createdDateTime) ? { mailbox } : {}) });
        }
    }
    if (want !== 'user') {
        for (const group of groups) {
            if (!group.mailEnabled && !group.securityEnabled) continue;
            if (!matches(identity, groupKeys(group))) continue;
            if (!groupReplicated(ctx, group)) continue;
            found.push({ kind: 'group', group });
        }
    }
    if (found.length > 1) throw ambiguous(identity);
    if (found.length === 0) throw named === 'parameter' ? recipientNotFound(identity) : notFound(identity);
    return found[0];
}

export function recipientId(recipient: Recipient): string {
    return recipient.kind === 'user' ? recipient.user.id : recipient.group.id;
}

export function displayNameOf(ctx: SandboxContext, id: string): string {
    return ctx.state.users.get(id)?.displayName ?? ctx.state.groups.get(id)?.displayName ?? id;
}

/** Get-Recipient's view of any recipient. */
export function recipientShape(ctx: SandboxContext, id: string): Record<string, unknown> {
    const user = ctx.state.users.get(id);
    if (user) {
        const mailbox = ctx.state.mailboxes.get(id);
        const type = mailbox ? mailbox.recipientTypeDetails : 'User';
        return { Identity: user.mailNickname, Name: user.mailNickname, DisplayName: user.displayName, Alias: user.mailNickname, PrimarySmtpAddress: mailbox?.primarySmtpAddress ?? user.mail ?? '', RecipientType: mailbox ? 'UserMailbox' : 'User', RecipientTypeDetails: type, ExternalDirectoryObjectId: user.id, Guid: user.id };
    }
    const group = ctx.state.groups.get(id);
    if (group && !group.mailEnabled) {
        // A security group that is not mail-enabled is no mail recipient: no address, and nothing to grant permissions to.
        return { Identity: group.displayName, Name: group.displayName, DisplayName: group.displayName, Alias: group.mailNickname, PrimarySmtpAddress: '', RecipientType: 'Group', RecipientTypeDetails: 'UniversalSecurityGroup', ExternalDirectoryObjectId: group.id, Guid: group.id };
    }
    if (group) {
        const security = group.securityEnabled;
        return { Identity: group.exchange?.name ?? group.displayName, Name: group.exchange?.name ?? group.displayName, DisplayName: group.displayName, Alias: group.mailNickname, PrimarySmtpAddress: group.exchange?.primarySmtpAddress ?? group.mail ?? '', RecipientType: security ? 'MailUniversalSecurityGroup' : 'MailUniversalDistributionGroup', RecipientTypeDetails: group.groupTypes.includes('Unified') ? 'GroupMailbox' : security ? 'MailUniversalSecurityGroup' : 'MailUniversalDistributionGroup', ExternalDirectoryObjectId: group.id, Guid: group.id };
    }
    return { Identity: id, Name: id, DisplayName: id };
}

export function mailboxShape(ctx: SandboxContext, mailbox: Mailbox): Record<string, unknown> {
    const user = ctx.state.users.get(mailbox.userId);
    return {
        Identity: mailbox.alias,
        Name: mailbox.alias,
        Alias: mailbox.alias,
        DisplayName: user?.displayName ?? mailbox.alias,
        PrimarySmtpAddress: mailbox.primarySmtpAddress,
        UserPrincipalName: user?.userPrincipalName ?? mailbox.primarySmtpAddress,
        RecipientType: 'UserMailbox',
        RecipientTypeDetails: mailbox.recipientTypeDetails,
        ExternalDirectoryObjectId: mailbox.userId,
        Guid: mailbox.userId,
        EmailAddresses: [`SMTP:${mailbox.primarySmtpAddress}`],
        HiddenFromAddressListsEnabled: false,
        WhenCreated: mailbox.createdDateTime,
    };
}
