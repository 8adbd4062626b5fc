import type { DirectoryGroup, DirectoryUser, Mailbox, SandboxContext } from '../contracts';
import { ambiguous, notFound, notReplicated } from './errors';

/** A directory object as Exchange knows it. */
export type Recipient = { kind: 'user'; user: DirectoryUser; mailbox?: Mailbox } | { kind: 'group'; group: DirectoryGroup };

/** Exchange sees a directory object only after the replication lag (DESIGN.md §1, the first guide's warning). */
export function replicated(ctx: SandboxContext, createdDateTime: string): boolean {
    return Date.parse(createdDateTime) + ctx.knobs.replicationLagMs <= ctx.now();
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

/**
 * Resolves `-Identity` / `-Member` / `-User` as Exchange does: by object id, name, alias, UPN or SMTP address.
 * Several matches are an error (ask, do not guess); an object newer than the replication lag is "couldn't find".
 */
export function resolveRecipient(ctx: SandboxContext, identity: string, want: 'any' | 'user' | 'group' = 'any'): Recipient {
    const found: Recipient[] = [];
    let tooNew = false;
    if (want !== 'group') {
        for (const user of ctx.state.users.values()) {
            const mailbox = ctx.state.mailboxes.get(user.id);
            if (!matches(identity, userKeys(user, mailbox))) continue;
            if (!replicated(ctx, user.createdDateTime)) { tooNew = true; continue; }
            found.push({ kind: 'user', user, ...(mailbox && replicated(ctx, mailbox.createdDateTime) ? { mailbox } : {}) });
        }
    }
    if (want !== 'user') {
        for (const group of ctx.state.groups.values()) {
            if (!group.mailEnabled && !group.securityEnabled) continue;
            if (!matches(identity, groupKeys(group))) continue;
            if (!replicated(ctx, group.createdDateTime)) { tooNew = true; continue; }
            found.push({ kind: 'group', group });
        }
    }
    if (found.length > 1) throw ambiguous(identity);
    if (found.length === 0) throw tooNew ? notReplicated(identity) : notFound(identity);
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
