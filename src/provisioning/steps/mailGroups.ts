import type { DistributionGroupSummary, RecipientSummary } from '../../exchange/cmdlets';
import type { ExchangeAdminClient } from '../../exchange/ExchangeAdminClient';
import { ExchangeCommandError } from '../../exchange/ExchangeCommandError';
import { ProvisioningInputError } from '../errors';
import { checkDisplayName, checkGroupAddress, checkGroupName, fields, refuseBadFields } from '../fields';
import { memberKnownToExchange, memberNotThereYet, type Options as MemberOptions } from './roleGroups';
import { waitForReplication } from './replication';

type Signal = { signal?: AbortSignal };

export interface NewMailEnabledSecurityGroup {
    /** Exchange's Name (unique), also the display name unless one is given. */
    name: string;
    displayName?: string;
    /** The group's address, e.g. sa-mytt-exch-secgroup@contoso.com. */
    primarySmtpAddress: string;
    hiddenFromAddressLists?: boolean;
    /** Only these senders may mail the group (UPNs or addresses); empty = anyone. */
    acceptMessagesOnlyFrom?: string[];
}

export type MailGroupOutcome = 'created' | 'alreadyExists' | 'updated';

/**
 * The domains the organisation takes mail for, lower case (Get-AcceptedDomain; office-docs-powershell
 * Get-AcceptedDomain.md: DomainName, DomainType). A group's address must be on one of them.
 */
export async function acceptedDomains(exo: ExchangeAdminClient, o: Signal = {}): Promise<string[]> {
    return (await exo.invoke<{ DomainName: string }>('Get-AcceptedDomain', {}, o)).value.map(d => String(d.DomainName).toLowerCase());
}

/** Who else answers to an address: an existing recipient means the address is taken. */
export async function recipientAt(exo: ExchangeAdminClient, address: string, o: Signal = {}): Promise<RecipientSummary | undefined> {
    try {
        return (await exo.invoke<RecipientSummary>('Get-Recipient', { Identity: address }, o)).value[0];
    } catch (error) {
        if (error instanceof ExchangeCommandError && error.isNotFound) return undefined;
        throw error;
    }
}

/**
 * Creates the guide's mail-enabled universal security group (closed join and depart), optionally hidden from the
 * address lists and accepting mail only from chosen senders. Checks before any change: name and address well formed,
 * the address free or already this very group (then only its settings are brought in line: idempotent).
 */
export async function createMailEnabledSecurityGroup(exo: ExchangeAdminClient, input: NewMailEnabledSecurityGroup, o: Signal = {}): Promise<{ outcome: MailGroupOutcome; group: DistributionGroupSummary }> {
    refuseBadFields({
        name: checkGroupName(input.name),
        displayName: input.displayName === undefined ? undefined : checkDisplayName(input.displayName),
        primarySmtpAddress: checkGroupAddress(input.primarySmtpAddress),
        acceptMessagesOnlyFrom: input.acceptMessagesOnlyFrom && fields.senders.check(input.acceptMessagesOnlyFrom),
    });
    const address = input.primarySmtpAddress.trim();
    // Exchange takes mail only for its accepted domains; said before New-DistributionGroup, not by its refusal.
    const domains = await acceptedDomains(exo, o);
    const domain = address.split('@')[1].toLowerCase();
    if (!domains.includes(domain)) throw new ProvisioningInputError(`The group address's domain ${domain} is not an accepted domain of this organisation. Use one of: ${domains.join(', ')} (or add ${domain} in the Microsoft 365 admin centre first).`, 'primarySmtpAddress');
    // Senders must be recipients Exchange knows; checked before anything is created.
    const senders = await Promise.all((input.acceptMessagesOnlyFrom ?? []).map(async s => ({ typed: s, recipient: await recipientAt(exo, s.trim(), o) })));
    const unknown = senders.filter(s => !s.recipient).map(s => s.typed);
    if (unknown.length) throw new ProvisioningInputError(`Exchange has no recipient ${unknown.join(', ')} to accept mail from. Use the address of a mailbox, mail user or mail-enabled group.`, 'acceptMessagesOnlyFrom');
    const existing = await recipientAt(exo, address, o);
    let outcome: MailGroupOutcome = 'created';
    if (existing) {
        if (existing.RecipientTypeDetails !== 'MailUniversalSecurityGroup') {
            throw new ProvisioningInputError(`${address} is already used by ${existing.DisplayName} (${existing.RecipientTypeDetails}). Choose another address.`, 'primarySmtpAddress');
        }
        outcome = 'alreadyExists';
    } else {
        await exo.invoke('New-DistributionGroup', { Name: input.name.trim(), DisplayName: (input.displayName ?? input.name).trim(), PrimarySmtpAddress: address, Type: 'Security', MemberJoinRestriction: 'Closed', MemberDepartRestriction: 'Closed' }, o);
    }
    const settings: Record<string, unknown> = {};
    if (input.hiddenFromAddressLists !== undefined) settings.HiddenFromAddressListsEnabled = input.hiddenFromAddressLists;
    if (input.acceptMessagesOnlyFrom?.length) settings.AcceptMessagesOnlyFromSendersOrMembers = input.acceptMessagesOnlyFrom;
    let group = (await exo.invoke<DistributionGroupSummary>('Get-DistributionGroup', { Identity: address }, o)).value[0];
    // Exchange lists accepted senders by identity, not by the address typed: compare each sender by any of its names.
    const listed = (group.AcceptMessagesOnlyFromSendersOrMembers ?? []).map(v => v.toLowerCase());
    const sendersDiffer = senders.length > 0 && (listed.length !== senders.length || senders.some(({ recipient: r }) => ![r?.Identity, r?.DisplayName, r?.PrimarySmtpAddress, r?.ExternalDirectoryObjectId].some(k => k && listed.includes(k.toLowerCase()))));
    const differs = (settings.HiddenFromAddressListsEnabled !== undefined && settings.HiddenFromAddressListsEnabled !== group.HiddenFromAddressListsEnabled) || sendersDiffer;
    if (Object.keys(settings).length && differs) {
        await exo.invoke('Set-DistributionGroup', { Identity: address, ...settings }, o);
        group = (await exo.invoke<DistributionGroupSummary>('Get-DistributionGroup', { Identity: address }, o)).value[0];
        if (outcome === 'alreadyExists') outcome = 'updated';
    }
    return { outcome, group };
}

/** Adds a member to a mail-enabled group, waiting for Exchange to see a new account; idempotent. */
export async function addMailGroupMember(exo: ExchangeAdminClient, group: string, member: string, o: MemberOptions = {}): Promise<'added' | 'alreadyMember'> {
    refuseBadFields({ group: fields.mailGroup.check(group), member: fields.member.check(member) });
    await memberKnownToExchange(exo, member, o);
    try {
        // Get-User saw the account; Add-DistributionGroupMember may still say Couldn't find object for a while: wait again.
        await waitForReplication(() => exo.invoke('Add-DistributionGroupMember', { Identity: group, Member: member, BypassSecurityGroupManagerCheck: true }, o.signal ? { signal: o.signal } : {}), memberNotThereYet, { what: `Exchange to see ${member}`, ...o });
    } catch (error) {
        if (error instanceof ExchangeCommandError && error.isAlreadyExists) return 'alreadyMember';
        throw error;
    }
    return 'added';
}

export async function removeMailGroupMember(exo: ExchangeAdminClient, group: string, member: string, o: Signal = {}): Promise<'removed' | 'notMember'> {
    try {
        await exo.invoke('Remove-DistributionGroupMember', { Identity: group, Member: member, BypassSecurityGroupManagerCheck: true, Confirm: false }, o);
    } catch (error) {
        if (error instanceof ExchangeCommandError && /isn't a member|is not a member|MemberNotFound/i.test(`${error.exceptionType} ${error.message}`)) return 'notMember';
        throw error;
    }
    return 'removed';
}
