import { addDistributionGroupMember, getDistributionGroup, newDistributionGroup, removeDistributionGroup, removeDistributionGroupMember, setDistributionGroup, type DistributionGroupSummary, type RecipientSummary } from '../../exchange/cmdlets';
import type { ExchangeAdminClient } from '../../exchange/ExchangeAdminClient';
import { ExchangeCommandError } from '../../exchange/ExchangeCommandError';
import { ProvisioningInputError } from '../errors';
import { checkDisplayName, checkGroupAddress, checkGroupName, fields, refuseBadFields } from '../fields';
import { addExchangeMember, noSuchMember, waitForExchangeToSee, type Options as MemberOptions } from './roleGroups';
import { isAbsent, TenantChangedError, type Ensure, type Signal, type Step, type Written } from './contract';
import { runStep } from './runStep';
import { namesOf } from './tenantReads';


export interface NewMailEnabledSecurityGroup {
    /** Exchange's Name (unique), also the display name unless one is given. */
    name: string;
    displayName?: string;
    /** The group's address, e.g. sa-mytt-exch-secgroup@contoso.com. */
    primarySmtpAddress: string;
    hiddenFromAddressLists?: boolean;
    /** Only these senders may mail the group (UPNs or addresses); empty = anyone. */
    acceptMessagesOnlyFrom?: string[];
    /** 'absent': the recipe owns the group and it must be removed (offboarding). */
    ensure?: Ensure;
}

export type MailGroupOutcome = 'created' | 'alreadyExists' | 'updated';

export interface MailGroupHave {
    /** The group at the address, when there is one. */
    group?: DistributionGroupSummary;
    /** Each accepted sender as Exchange knows it, or 'expected' for one the recipe makes. */
    senders: { typed: string; recipient: RecipientSummary | 'expected' }[];
}

/**
 * The guide's mail-enabled universal security group (closed join and depart), optionally hidden from the address
 * lists and accepting mail only from chosen senders. An existing group at the address is adopted and only its settings
 * brought in line; an address used by anything else, or on a domain Exchange does not take mail for, is refused.
 */
export const mailGroupStep: Step<NewMailEnabledSecurityGroup, MailGroupHave> = {
    kind: 'createMailGroup',
    label: 'Create mail-enabled security group',
    writeScopes: [],
    target: want => want.primarySmtpAddress.trim(),
    async read(reads, want) {
        const address = want.primarySmtpAddress.trim();
        const existing = await reads.recipient(address);
        if (isAbsent(want) && existing?.RecipientTypeDetails === 'MailUniversalSecurityGroup') return { group: await reads.distributionGroup(address), senders: [] };
        if (isAbsent(want) && !existing) return { senders: [] };
        // Also for an absent group: an address that is a mailbox or anything else is not the recipe's group, never removed.
        if (existing && existing.RecipientTypeDetails !== 'MailUniversalSecurityGroup') {
            throw new ProvisioningInputError(`${address} is already used by ${existing.DisplayName} (${existing.RecipientTypeDetails}). Choose another address.`, 'primarySmtpAddress', '/primarySmtpAddress');
        }
        if (!existing) {
            // Exchange takes mail only for its accepted domains; said before New-DistributionGroup, not by its refusal.
            const domains = await reads.acceptedDomains();
            const domain = (address.split('@')[1] ?? '').toLowerCase();
            if (!domains.includes(domain)) throw new ProvisioningInputError(`The group address's domain ${domain} is not an accepted domain of this organisation. Use one of: ${domains.join(', ')} (or add ${domain} in the Microsoft 365 admin centre first).`, 'primarySmtpAddress', '/primarySmtpAddress');
        }
        const senders: MailGroupHave['senders'] = [];
        for (const [k, typed] of (want.acceptMessagesOnlyFrom ?? []).entries()) {
            const recipient = await reads.recipient(typed);
            if (recipient) senders.push({ typed, recipient });
            else if (reads.expected(typed)) senders.push({ typed, recipient: 'expected' });
            else throw new ProvisioningInputError(`Exchange has no recipient ${typed.trim()} to accept mail from. Use the address of a mailbox, mail user or mail-enabled group.`, 'acceptMessagesOnlyFrom', `/acceptMessagesOnlyFrom/${k}`);
        }
        return { ...(existing ? { group: await reads.distributionGroup(address) } : {}), senders };
    },
    compare(want, have) {
        if (isAbsent(want)) return have.group ? { status: 'remove', detail: `Remove the mail-enabled security group ${have.group.DisplayName} (${have.group.PrimarySmtpAddress}); Exchange does not keep a removed group.` } : { status: 'done', detail: 'The group is not in the organisation.' };
        if (!have.group) {
            const settings = [want.hiddenFromAddressLists ? 'hidden from the address lists' : '', have.senders.length ? `accepting mail only from ${have.senders.map(s => s.typed.trim()).join(', ')}` : ''].filter(Boolean);
            return { status: 'create', detail: `New mail-enabled security group "${want.name.trim()}", closed to joining and leaving${settings.length ? `, ${settings.join(', ')}` : ''}.` };
        }
        const differs = settingsToChange(want, have.group, have.senders);
        const words = [differs.HiddenFromAddressListsEnabled === undefined ? '' : differs.HiddenFromAddressListsEnabled ? 'hide it from the address lists' : 'show it in the address lists', differs.AcceptMessagesOnlyFromSendersOrMembers ? `accept mail only from ${have.senders.map(s => s.typed.trim()).join(', ')}` : ''].filter(Boolean);
        return words.length ? { status: 'change', detail: `The group exists; ${words.join(', ')}.` } : { status: 'done', detail: 'The group exists as described.' };
    },
    async write(ctx, want, have) {
        const address = want.primarySmtpAddress.trim();
        const o = ctx.signal ? { signal: ctx.signal } : {};
        // Sender accounts this apply made must be known to Exchange before the group can name them (a group made in
        // Exchange is known at once).
        for (const s of have.senders) if (s.recipient === 'expected' && ctx.newAccounts.has(s.typed.trim().toLowerCase())) await waitForExchangeToSee(ctx.exchange, s.typed.trim(), { ...o, ...ctx.replication });
        let outcome: Written['outcome'] = 'alreadyInPlace';
        let group = have.group;
        if (!group) {
            try {
                await newDistributionGroup(ctx.exchange, { Name: want.name.trim(), DisplayName: (want.displayName ?? want.name).trim(), PrimarySmtpAddress: address, Type: 'Security', MemberJoinRestriction: 'Closed', MemberDepartRestriction: 'Closed' }, o);
            } catch (error) {
                if (error instanceof ExchangeCommandError && error.isAlreadyExists && !ctx.afterLostAnswer) throw new TenantChangedError(`${address} or the name "${want.name.trim()}" was taken by someone else since the plan was made.`);
                if (!(error instanceof ExchangeCommandError && error.isAlreadyExists)) throw error;
            }
            outcome = 'created';
            group = await getDistributionGroup(ctx.exchange, address, o);
            if (!group) throw new Error(`Exchange created ${address} but does not show it yet; apply again in a minute.`);
        }
        const settings = settingsToChange(want, group, have.senders);
        if (Object.keys(settings).length) {
            await setDistributionGroup(ctx.exchange, address, settings, o);
            if (outcome === 'alreadyInPlace') outcome = 'changed';
        }
        return { outcome, detail: `${group.DisplayName} (${group.PrimarySmtpAddress}).` };
    },
    async remove(ctx, want, have) {
        const address = want.primarySmtpAddress.trim();
        try {
            await removeDistributionGroup(ctx.exchange, address, ctx.signal ? { signal: ctx.signal } : {});
        } catch (error) {
            if (error instanceof ExchangeCommandError && error.isNotFound) return { outcome: 'alreadyInPlace', detail: 'The group is not in the organisation.' };
            throw error;
        }
        return { outcome: 'removed', detail: `${have.group?.DisplayName ?? want.name.trim()} (${address}) removed.` };
    },
};

/**
 * The settings to send with Set-DistributionGroup so the group is as wanted; empty when it is. Exchange lists accepted
 * senders by identity, not by the address typed: each sender is compared by any of its names.
 */
function settingsToChange(want: NewMailEnabledSecurityGroup, group: DistributionGroupSummary, senders: MailGroupHave['senders']): { HiddenFromAddressListsEnabled?: boolean; AcceptMessagesOnlyFromSendersOrMembers?: string[] } {
    const settings: { HiddenFromAddressListsEnabled?: boolean; AcceptMessagesOnlyFromSendersOrMembers?: string[] } = {};
    if (want.hiddenFromAddressLists !== undefined && want.hiddenFromAddressLists !== group.HiddenFromAddressListsEnabled) settings.HiddenFromAddressListsEnabled = want.hiddenFromAddressLists;
    const listed = (group.AcceptMessagesOnlyFromSendersOrMembers ?? []).map(v => v.toLowerCase());
    const sendersDiffer = senders.length > 0 && (listed.length !== senders.length || senders.some(s => s.recipient === 'expected' || !namesOf(s.recipient).some(n => listed.includes(n))));
    if (sendersDiffer) settings.AcceptMessagesOnlyFromSendersOrMembers = senders.map(s => s.typed.trim());
    return settings;
}

/**
 * "Create Mail-Enabled Security Group…": the mail group step run on its own. Checks before any change: name and address
 * well formed, the address free or already this very group (then only its settings are brought in line: idempotent).
 */
export async function createMailEnabledSecurityGroup(exo: ExchangeAdminClient, input: NewMailEnabledSecurityGroup, o: Signal = {}): Promise<{ outcome: MailGroupOutcome; group: DistributionGroupSummary }> {
    refuseBadFields({
        name: checkGroupName(input.name),
        displayName: input.displayName === undefined ? undefined : checkDisplayName(input.displayName),
        primarySmtpAddress: checkGroupAddress(input.primarySmtpAddress),
        acceptMessagesOnlyFrom: input.acceptMessagesOnlyFrom && fields.senders.check(input.acceptMessagesOnlyFrom),
    });
    const { written } = await runStep(mailGroupStep, { exchange: exo }, input, o);
    const group = await getDistributionGroup(exo, input.primarySmtpAddress.trim(), o);
    if (!group) throw new Error(`Exchange does not show ${input.primarySmtpAddress.trim()} yet; look again in a minute.`);
    return { outcome: written.outcome === 'created' ? 'created' : written.outcome === 'changed' ? 'updated' : 'alreadyExists', group };
}

/** A member of a mail-enabled group. */
export interface MailGroupMemberWant {
    /** The group's address. */
    group: string;
    member: string;
    /** 'absent': the member must not be in the group (offboarding). */
    ensure?: Ensure;
}

export interface MailGroupMemberHave {
    /** The member as Exchange knows it; undefined while it is on its way (made by the recipe, or just created). */
    member?: RecipientSummary;
    isMember: boolean;
}

/** Membership of a mail-enabled group; a new account is waited for, an unknown one refused at once. */
export const mailGroupMemberStep: Step<MailGroupMemberWant, MailGroupMemberHave> = {
    kind: 'addMailGroupMember',
    label: 'Add to mail-enabled group',
    writeScopes: [],
    target: want => `${want.member.trim()} → ${want.group.trim()}`,
    async read(reads, want) {
        const member = await reads.exchangeUser(want.member) ?? await reads.recipient(want.member);
        if (isAbsent(want) && (!member || !(await reads.recipient(want.group)))) return { ...(member ? { member } : {}), isMember: false };
        if (!member && !reads.expected(want.member)) throw new ProvisioningInputError(noSuchMember(want.member), 'member', '');
        const group = await reads.recipient(want.group);
        if (!group && !reads.expected(want.group)) throw new ProvisioningInputError(`There is no mail-enabled group ${want.group.trim()} in this organisation. Check its address, or create it first.`, 'group', '');
        if (!member || !group) return { ...(member ? { member } : {}), isMember: false };
        const names = new Set([want.member.trim().toLowerCase(), ...namesOf(member)]);
        const isMember = (await reads.distributionGroupMembers(want.group)).some(m => m.some(n => names.has(n)));
        return { member, isMember };
    },
    compare(want, { isMember }) {
        if (isAbsent(want)) return isMember ? { status: 'remove', detail: `Take ${want.member.trim()} out of ${want.group.trim()}.` } : { status: 'done', detail: `${want.member.trim()} is not a member.` };
        return isMember ? { status: 'done', detail: `${want.member.trim()} is a member.` } : { status: 'create', detail: `Add ${want.member.trim()} to the group.` };
    },
    async write(ctx, want, have) {
        const member = want.member.trim();
        const address = want.group.trim();
        const detail = `${member} is a member of ${address}.`;
        if (have.isMember) return { outcome: 'alreadyInPlace', detail };
        return addExchangeMember(ctx, addDistributionGroupMember, address, member, have.member !== undefined, detail);
    },
    async remove(ctx, want) {
        const outcome = await removeMailGroupMember(ctx.exchange, want.group.trim(), want.member.trim(), ctx.signal ? { signal: ctx.signal } : {});
        return { outcome: outcome === 'removed' ? 'removed' : 'alreadyInPlace', detail: `${want.member.trim()} ${outcome === 'removed' ? 'taken out of' : 'is not a member of'} ${want.group.trim()}.` };
    },
};

/** "Add Member…" on a mail-enabled group: the member step run on its own; idempotent. */
export async function addMailGroupMember(exo: ExchangeAdminClient, group: string, member: string, o: MemberOptions = {}): Promise<'added' | 'alreadyMember'> {
    refuseBadFields({ group: fields.mailGroup.check(group), member: fields.member.check(member) });
    const { written } = await runStep(mailGroupMemberStep, { exchange: exo }, { group, member }, { ...(o.signal ? { signal: o.signal } : {}), replication: o, ...(o.accountExists ? { accountExists: member } : {}) });
    return written.outcome === 'created' ? 'added' : 'alreadyMember';
}

export async function removeMailGroupMember(exo: ExchangeAdminClient, group: string, member: string, o: Signal = {}): Promise<'removed' | 'notMember'> {
    try {
        await removeDistributionGroupMember(exo, group, member, o);
    } catch (error) {
        if (error instanceof ExchangeCommandError && /isn't a member|is not a member|MemberNotFound/i.test(`${error.exceptionType} ${error.message}`)) return 'notMember';
        throw error;
    }
    return 'removed';
}
