import type { RoleGroupSummary } from '../../exchange/cmdlets';
import type { ExchangeAdminClient } from '../../exchange/ExchangeAdminClient';
import { ExchangeCommandError } from '../../exchange/ExchangeCommandError';
import { closestNames } from './closestNames';
import { ProvisioningInputError } from '../errors';
import { fields, refuseBadFields } from '../fields';
import { waitForReplication, type ReplicationWait } from './replication';

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
    const groups = (await exo.invoke<RoleGroupSummary>('Get-RoleGroup', {}, o)).value;
    const key = name.trim().toLowerCase();
    const found = groups.find(g => g.Name.toLowerCase() === key || g.DisplayName.toLowerCase() === key);
    if (!found) {
        const close = closestNames(name, groups.map(g => g.DisplayName || g.Name));
        const hint = close.length ? `Did you mean ${close.map(c => `"${c}"`).join(' or ')}?` : `Role groups here: ${groups.map(g => g.DisplayName || g.Name).join(', ')}.`;
        throw new ProvisioningInputError(`There is no Exchange role group "${name}". ${hint}`, 'roleGroup');
    }
    return found;
}

/**
 * Waits until Exchange knows the account (a new account can take minutes; the guide says up to 30), with progress
 * through `onWait`. A user Entra does not have at all is refused at once by the caller's own Graph check.
 */
export function waitForExchangeToSee(exo: ExchangeAdminClient, identity: string, o: Options = {}): Promise<unknown> {
    return waitForReplication(() => exo.invoke('Get-User', { Identity: identity }, o.signal ? { signal: o.signal } : {}), notThereYet, { what: `Exchange to see ${identity}`, ...o });
}

/**
 * The member a step adds, known to Exchange before anything changes: waited for when the caller knows the account
 * exists (`accountExists`), else asked once, and an unknown one refused in the admin's words.
 */
export async function memberKnownToExchange(exo: ExchangeAdminClient, member: string, o: Options = {}): Promise<void> {
    refuseBadFields({ member: fields.member.check(member) });
    if (o.accountExists) {
        await waitForExchangeToSee(exo, member, o);
        return;
    }
    try {
        await exo.invoke('Get-User', { Identity: member.trim() }, o.signal ? { signal: o.signal } : {});
    } catch (error) {
        if (!notThereYet(error)) throw error;
        throw new ProvisioningInputError(`There is no user ${member.trim()} in this tenant (Exchange knows no one by that name). Check the member's user principal name; an account created minutes ago reaches Exchange later, so try a new one again in a few minutes.`, 'member');
    }
}

/** Whether any of `keys` (UPN, address, object id) names a member of the role group. */
export async function isRoleGroupMember(exo: ExchangeAdminClient, group: RoleGroupSummary, keys: string[], o: { signal?: AbortSignal } = {}): Promise<boolean> {
    const members = (await exo.invoke<{ PrimarySmtpAddress?: string; Identity?: string; ExternalDirectoryObjectId?: string; UserPrincipalName?: string }>('Get-RoleGroupMember', { Identity: group.Name }, o)).value;
    const wanted = keys.filter(Boolean).map(k => k.toLowerCase());
    return members.some(m => [m.PrimarySmtpAddress, m.Identity, m.ExternalDirectoryObjectId, m.UserPrincipalName].some(v => v !== undefined && wanted.includes(v.toLowerCase())));
}

/** Adds a member to an Exchange role group (e.g. View-Only Organization Management); idempotent. */
export async function addRoleGroupMember(exo: ExchangeAdminClient, roleGroup: string, member: string, o: Options = {}): Promise<'added' | 'alreadyMember'> {
    refuseBadFields({ member: fields.member.check(member) });
    const group = await resolveRoleGroup(exo, roleGroup, o);
    await memberKnownToExchange(exo, member, o);
    if (await isRoleGroupMember(exo, group, [member], o.signal ? { signal: o.signal } : {})) return 'alreadyMember';
    try {
        // Get-User saw the account; the server that runs Add-RoleGroupMember may not yet (Couldn't find object): wait again.
        await waitForReplication(() => exo.invoke('Add-RoleGroupMember', { Identity: group.Name, Member: member, BypassSecurityGroupManagerCheck: true }, o.signal ? { signal: o.signal } : {}), memberNotThereYet, { what: `Exchange to see ${member}`, ...o });
    } catch (error) {
        if (error instanceof ExchangeCommandError && error.isAlreadyExists) return 'alreadyMember';
        throw error;
    }
    return 'added';
}

export async function removeRoleGroupMember(exo: ExchangeAdminClient, roleGroup: string, member: string, o: { signal?: AbortSignal } = {}): Promise<'removed' | 'notMember'> {
    const group = await resolveRoleGroup(exo, roleGroup, o);
    try {
        await exo.invoke('Remove-RoleGroupMember', { Identity: group.Name, Member: member, BypassSecurityGroupManagerCheck: true, Confirm: false }, o);
    } catch (error) {
        if (error instanceof ExchangeCommandError && (error.isNotFound || /MemberNotFound/.test(error.exceptionType) || /isn't a member|is not a member/i.test(error.message))) return 'notMember';
        throw error;
    }
    return 'removed';
}
