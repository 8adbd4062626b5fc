import { createHash } from 'node:crypto';
import type { DirectoryGroup, DirectoryUser, Mailbox, SandboxContext, TenantState } from '../contracts';
import { groupDistinguishedName } from './distinguishedNames';
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
 * Names are looked up in one index over the whole tenant, built at the first lookup and again after anything may have
 * added, removed or renamed a recipient: an Exchange cmdlet that may (api.ts calls dropRecipientIndex), or a change in
 * the number of users, groups or mailboxes (Graph creates and deletes, a test editing the state). The index only
 * proposes: each candidate is checked against its current names, and a name the index does not find is looked for in
 * the whole tenant, so an index that is behind (a rename through Graph) costs time, not a wrong answer. With 100,000
 * users one scan per lookup was what the sandbox spent its time on (bench/calendar-grant's scale run).
 */
let tenantIndex: { state: TenantState; fingerprint: string; names: NameIndex } | undefined;
let recipientChanges = 0;

/** After a cmdlet that may have added, removed or renamed a recipient. */
export function dropRecipientIndex(): void {
    recipientChanges++;
}

function buildIndex(state: TenantState): NameIndex {
    const index: NameIndex = { users: new Map(), groups: new Map() };
    const add = <T>(map: Map<string, T[]>, key: string | undefined, value: T) => {
        if (key === undefined) return;
        const lower = key.toLowerCase();
        const list = map.get(lower);
        if (!list) map.set(lower, [value]);
        else if (list[list.length - 1] !== value) list.push(value);
    };
    for (const user of state.users.values()) for (const key of userKeys(user, state.mailboxes.get(user.id))) add(index.users, key, user);
    for (const group of state.groups.values()) if (group.mailEnabled || group.securityEnabled) for (const key of groupKeys(group)) add(index.groups, key, group);
    return index;
}

/** The users and groups the index has under this name. */
function indexed(state: TenantState, identity: string): { users: Iterable<DirectoryUser>; groups: Iterable<DirectoryGroup> } {
    const fingerprint = `${recipientChanges}:${state.users.size}:${state.groups.size}:${state.mailboxes.size}`;
    if (tenantIndex?.state !== state || tenantIndex.fingerprint !== fingerprint) tenantIndex = { state, fingerprint, names: buildIndex(state) };
    const key = identity.toLowerCase();
    return { users: tenantIndex.names.users.get(key) ?? [], groups: tenantIndex.names.groups.get(key) ?? [] };
}

/**
 * Resolves `-Identity` / `-Member` / `-User` as Exchange does: by object id, name, alias, UPN or SMTP address.
 * Several matches are an error (ask, do not guess). An object newer than the replication lag is not there for
 * Exchange, and Exchange says so exactly as for one that never existed: "couldn't be found on '…'" for `-Identity`,
 * `Couldn't find object "…"` for a recipient named in another parameter (`named: 'parameter'`; errors.ts). Only the
 * caller knows it has just created the object, so only the caller can decide to wait.
 */
export function resolveRecipient(ctx: SandboxContext, identity: string, want: 'any' | 'user' | 'group' = 'any', named: 'identity' | 'parameter' = 'identity'): Recipient {
    let found = matching(ctx, identity, want, indexed(ctx.state, identity));
    if (found.length === 0) found = matching(ctx, identity, want, { users: ctx.state.users.values(), groups: ctx.state.groups.values() });
    if (found.length > 1) throw ambiguous(identity);
    if (found.length === 0) throw named === 'parameter' ? recipientNotFound(identity) : notFound(identity);
    return found[0];
}

/** The candidates that carry this name now and that Exchange has received. */
function matching(ctx: SandboxContext, identity: string, want: 'any' | 'user' | 'group', candidates: { users: Iterable<DirectoryUser>; groups: Iterable<DirectoryGroup> }): Recipient[] {
    const found: Recipient[] = [];
    if (want !== 'group') {
        for (const user of candidates.users) {
            const mailbox = ctx.state.mailboxes.get(user.id);
            if (!matches(identity, userKeys(user, mailbox))) continue;
            if (!replicated(ctx, user.createdDateTime)) continue;
            found.push({ kind: 'user', user, ...(mailbox && replicated(ctx, mailbox.createdDateTime) ? { mailbox } : {}) });
        }
    }
    if (want !== 'user') {
        for (const group of candidates.groups) {
            if (!group.mailEnabled && !group.securityEnabled) continue;
            if (!matches(identity, groupKeys(group))) continue;
            if (!groupReplicated(ctx, group)) continue;
            found.push({ kind: 'group', group });
        }
    }
    return found;
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
        return { Identity: group.exchange?.name ?? group.displayName, Name: group.exchange?.name ?? group.displayName, DisplayName: group.displayName, Alias: group.mailNickname, PrimarySmtpAddress: group.exchange?.primarySmtpAddress ?? group.mail ?? '', RecipientType: security ? 'MailUniversalSecurityGroup' : 'MailUniversalDistributionGroup', RecipientTypeDetails: group.groupTypes.includes('Unified') ? 'GroupMailbox' : security ? 'MailUniversalSecurityGroup' : 'MailUniversalDistributionGroup', DistinguishedName: groupDistinguishedName(ctx.state, group), ExternalDirectoryObjectId: group.id, Guid: group.id };
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

/**
 * How Exchange shows a permission entry whose grantee no longer resolves (deleted, or not yet restored): the grantee's
 * security identifier, `NT:S-1-5-21-…`. Public admin scripts filter these out of Get-MailboxFolderPermission output
 * as orphans (jflieben/M365Permissions public/get-ExOPermissions.ps1 reads `User` from the admin API and skips values
 * starting `NT:S-1-5-21-`; tostka/verb-EXO notes UserType `Unknown` "frequently as broken SID references:
 * NT:S-1-5-21-*", for deleted users); Microsoft's Bill Long (TechNet, "Removing Unresolved SIDs in Exchange 2010"): "An
 * unresolved SID is a SID that no longer resolves, usually because the user has been deleted". The SID itself is made
 * up here, stable per object id.
 */
export function unresolvedSid(objectId: string): string {
    const hash = createHash('sha256').update(`sid/${objectId}`).digest();
    return `NT:S-1-5-21-${hash.readUInt32BE(0)}-${hash.readUInt32BE(4)}-${hash.readUInt32BE(8)}-${1000 + (hash.readUInt32BE(12) % 1_000_000)}`;
}

/** Whether a permission entry's principal is a directory object Exchange can name (not deleted). */
export function principalResolves(ctx: SandboxContext, principal: string): boolean {
    return principal === 'Default' || principal === 'Anonymous' || ctx.state.users.has(principal) || ctx.state.groups.has(principal);
}
