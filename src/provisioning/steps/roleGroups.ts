import * as cmdlets from '../../exchange/cmdlets';
import type { RecipientSummary, RoleGroupSummary } from '../../exchange/cmdlets';
import type { ExchangeAdminClient } from '../../exchange/ExchangeAdminClient';
import { ExchangeCommandError } from '../../exchange/ExchangeCommandError';
import { closestNames } from './closestNames';
import { ProvisioningInputError } from '../errors';
import { fields, refuseBadFields } from '../fields';
import { waitForReplication, type ReplicationWait } from './replication';
import { isAbsent, type Ensure, type Step, type WriteContext, type Written } from './contract';
import { runStep } from './runStep';
import { namesOf } from './tenantReads';

/**
 * `accountExists`: the caller has seen the account in Entra (looked it up, or just created it), so an Exchange that does
 * not know it yet is worth waiting for. Without it an account Exchange does not know is refused at once: waiting the
 * whole replication timeout for a typo helps nobody.
 */
export type Options = { signal?: AbortSignal; accountExists?: boolean } & Partial<Pick<ReplicationWait, 'onWait' | 'sleep' | 'timeoutMs'>>;

/**
 * "Exchange does not have it". Real Exchange says the same of an account created minutes ago as of one that never
 * existed ("couldn't be found on '…'" for -Identity, `Couldn't find object "…"` for -Member), so no text tells them
 * apart: the waits below use it only for an account the caller knows exists (Entra has it, or Exchange just showed it).
 */
const notThereYet = (e: unknown) => e instanceof ExchangeCommandError && e.isNotFound;

/**
 * The recipient in -Member that Exchange named as unknown (`Couldn't find object "…"`), when the caller has just seen
 * it exist. Not an unknown -Identity ("couldn't be found on"): a missing group is no reason to wait.
 */
export const memberNotThereYet = (e: unknown) => e instanceof ExchangeCommandError && e.isNotYetReplicated;

/** The role group by name or display name; unknown → the names that exist. */
export async function resolveRoleGroup(exo: ExchangeAdminClient, name: string, o: { signal?: AbortSignal } = {}): Promise<RoleGroupSummary> {
    refuseBadFields({ roleGroup: fields.roleGroupName.check(name) });
    return roleGroupNamed(await cmdlets.listRoleGroups(exo, o), name);
}

/** The same, among role groups already read. */
export function roleGroupNamed(groups: RoleGroupSummary[], name: string): RoleGroupSummary {
    const found = roleGroupIfAny(groups, name);
    if (found) return found;
    const close = closestNames(name, groups.map(g => g.DisplayName || g.Name));
    const hint = close.length ? `Did you mean ${close.map(c => `"${c}"`).join(' or ')}?` : `Role groups here: ${groups.map(g => g.DisplayName || g.Name).join(', ')}.`;
    throw new ProvisioningInputError(`There is no Exchange role group "${name}". ${hint}`, 'roleGroup', '');
}

/** The role group by name or display name, or undefined. */
function roleGroupIfAny(groups: RoleGroupSummary[], name: string): RoleGroupSummary | undefined {
    const key = name.trim().toLowerCase();
    return groups.find(g => g.Name.toLowerCase() === key || g.DisplayName.toLowerCase() === key);
}

/**
 * Waits until Exchange knows the account (a new account can take minutes; the guide says up to 30), with progress
 * through `onWait`. A user Entra does not have at all is refused at once by the caller's own Graph check.
 */
export function waitForExchangeToSee(exo: ExchangeAdminClient, identity: string, o: Options = {}): Promise<unknown> {
    return waitForReplication(() => cmdlets.getUser(exo, identity, o.signal ? { signal: o.signal } : {}), notThereYet, { what: `Exchange to see ${identity}`, ...o });
}

/** An account in an Exchange role group (e.g. View-Only Organization Management). */
export interface RoleGroupWant {
    member: string;
    roleGroup: string;
    /** 'absent': the account must not be a member (offboarding). */
    ensure?: Ensure;
}

export interface RoleGroupHave {
    group: RoleGroupSummary;
    /** The account as Exchange knows it; undefined while Exchange has not got it yet (a new account). */
    member?: RecipientSummary;
    isMember: boolean;
}

/** The message for a member nobody has: the same from a command, the wizard and a recipe. */
export const noSuchMember = (member: string) => `There is no user ${member.trim()} in this tenant (Exchange knows no one by that name). Check the member's user principal name; an account created minutes ago reaches Exchange later, so try a new one again in a few minutes.`;

/**
 * Membership of an Exchange role group. A member Exchange does not know yet is waited for only when it is expected
 * (the recipe makes it, or the caller has just created it); otherwise it is refused at once (no wait for a typo).
 */
export const roleGroupStep: Step<RoleGroupWant, RoleGroupHave> = {
    kind: 'addRoleGroupMember',
    label: 'Add to Exchange role group',
    writeScopes: [],
    target: want => `${want.member.trim()} → ${want.roleGroup.trim()}`,
    async read(reads, want) {
        const groups = await reads.roleGroups();
        // An absent membership of a role group that does not exist is simply not there.
        const group = isAbsent(want) ? roleGroupIfAny(groups, want.roleGroup) ?? { Name: want.roleGroup.trim(), DisplayName: want.roleGroup.trim(), Description: '', Members: [], Roles: [] } : roleGroupNamed(groups, want.roleGroup);
        const member = await reads.exchangeUser(want.member);
        if (!member && isAbsent(want)) return { group, isMember: false };
        if (!member) {
            if (!reads.expected(want.member)) throw new ProvisioningInputError(noSuchMember(want.member), 'member', '');
            return { group, isMember: false };
        }
        const names = new Set([want.member.trim().toLowerCase(), ...namesOf(member)]);
        const isMember = (await reads.roleGroupMembers(group.Name)).some(m => m.some(n => names.has(n)));
        return { group, member, isMember };
    },
    compare(want, { group, isMember }) {
        const name = group.DisplayName || group.Name;
        if (isAbsent(want)) return isMember ? { status: 'remove', detail: `Take ${want.member.trim()} out of the Exchange role group ${name}.` } : { status: 'done', detail: `${want.member.trim()} is not a member of ${name}.` };
        return isMember ? { status: 'done', detail: `${want.member.trim()} is a member of ${name}.` } : { status: 'create', detail: `Add to the Exchange role group ${name}.` };
    },
    async write(ctx, want, have) {
        const member = want.member.trim();
        const detail = `Member of ${have.group.DisplayName || have.group.Name}.`;
        if (have.isMember) return { outcome: 'alreadyInPlace', detail };
        return addExchangeMember(ctx, cmdlets.addRoleGroupMember, have.group.Name, member, have.member !== undefined, detail);
    },
    async remove(ctx, want, { group }) {
        const outcome = await takeOutOfRoleGroup(ctx.exchange, group.Name, want.member.trim(), ctx.signal ? { signal: ctx.signal } : {});
        return { outcome: outcome === 'removed' ? 'removed' : 'alreadyInPlace', detail: `${want.member.trim()} ${outcome === 'removed' ? 'taken out of' : 'is not a member of'} ${group.DisplayName || group.Name}.` };
    },
};

/**
 * Adds a member with an Exchange Add-…Member cmdlet (`add`). A member Exchange did not know when read (a new account) is
 * waited for first; then, since the server that runs the add may still not know it (Couldn't find object), the add is
 * tried again until it does. "Already a member" is the goal reached.
 */
export async function addExchangeMember(ctx: WriteContext, add: typeof cmdlets.addRoleGroupMember, identity: string, member: string, known: boolean, detail: string): Promise<Written> {
    const signal = ctx.signal ? { signal: ctx.signal } : {};
    const wait = { what: `Exchange to see ${member}`, ...signal, ...ctx.replication };
    if (!known) await waitForExchangeToSee(ctx.exchange, member, wait);
    try {
        await waitForReplication(() => add(ctx.exchange, identity, member, signal), memberNotThereYet, wait);
    } catch (error) {
        if (error instanceof ExchangeCommandError && error.isAlreadyExists) return { outcome: 'alreadyInPlace', detail };
        throw error;
    }
    return { outcome: 'created', detail };
}

/** "Add to Role Group…": the role group step run on its own; idempotent. */
export async function addRoleGroupMember(exo: ExchangeAdminClient, roleGroup: string, member: string, o: Options = {}): Promise<'added' | 'alreadyMember'> {
    refuseBadFields({ roleGroup: fields.roleGroupName.check(roleGroup), member: fields.member.check(member) });
    const { written } = await runStep(roleGroupStep, { exchange: exo }, { member, roleGroup }, { ...(o.signal ? { signal: o.signal } : {}), replication: o, ...(o.accountExists ? { accountExists: member } : {}) });
    return written.outcome === 'created' ? 'added' : 'alreadyMember';
}

export async function removeRoleGroupMember(exo: ExchangeAdminClient, roleGroup: string, member: string, o: { signal?: AbortSignal } = {}): Promise<'removed' | 'notMember'> {
    return takeOutOfRoleGroup(exo, (await resolveRoleGroup(exo, roleGroup, o)).Name, member, o);
}

/** Remove-RoleGroupMember on a role group by its Name; not a member (any more) is the goal reached. */
async function takeOutOfRoleGroup(exo: ExchangeAdminClient, name: string, member: string, o: { signal?: AbortSignal }): Promise<'removed' | 'notMember'> {
    try {
        await cmdlets.removeRoleGroupMember(exo, name, member, o);
    } catch (error) {
        if (error instanceof ExchangeCommandError && (error.isNotFound || /MemberNotFound/.test(error.exceptionType) || /isn't a member|is not a member/i.test(error.message))) return 'notMember';
        throw error;
    }
    return 'removed';
}
