import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import type { GraphClient } from '../../graph/GraphClient';
import { SignInError } from '../../auth/signInErrors';
import { GraphRequestError } from '../../graph/GraphRequestError';
import { serviceAccountEmployeeType } from '../../graph/serviceAccounts';
import { ProvisioningInputError } from '../errors';
import { checkDisplayName, checkUsageLocation, checkUserPrincipalName, mailNicknameFor, refuseBadFields } from '../fields';
import { userIfAny } from './lookup';
import { isAbsent, TenantChangedError, type Ensure, type Signal, type Step } from './contract';
import { TenantReads } from './tenantReads';
import { generatePassword } from './passwords';

export interface NewServiceAccount {
    displayName: string;
    userPrincipalName: string;
    /** Two-letter country; needed before a licence can be assigned. */
    usageLocation: string;
    /** 'absent': offboarding: the account is disabled, then deleted. */
    ensure?: Ensure;
}

const writeScopes = ['User.ReadWrite.All'];
/**
 * Creating also reads the sign-in policies to warn about them: asking for both permissions with the write means one
 * consent prompt, not two; the policy reads then never prompt (silentOnly).
 */
const createScopes = ['User.ReadWrite.All', 'Policy.Read.All'];

/** Whether a UPN is free: Graph answers 404 for a UPN nobody has. */
export async function isUserPrincipalNameFree(graph: GraphClient, upn: string, o: Signal = {}): Promise<boolean> {
    return (await userIfAny(graph, upn, o)) === undefined;
}

/**
 * Why an address cannot use `domain` (it is not one of the tenant's verified domains), or undefined when it can.
 * `label` names the field in the message ("user principal name's domain"); without it the caller names the field.
 */
export function unverifiedDomainProblem(domain: string, verified: string[], label?: string): string | undefined {
    const wanted = domain.trim().toLowerCase();
    if (verified.some(d => d.toLowerCase() === wanted)) return undefined;
    return `${label ? `The ${label} ` : ''}${wanted} is not a verified domain of this tenant. Use one of: ${verified.join(', ')} (or verify ${wanted} in the Microsoft 365 admin centre first).`;
}

/** What the service account step finds: the account with that UPN, if there is one. */
export interface ServiceAccountHave {
    user?: MicrosoftGraph.User;
}

/**
 * The service account the guides ask for: enabled, marked as a service account, password never expires and no change
 * forced at first sign-in. An existing account with the UPN is adopted: its display name and usage location are brought
 * in line, nothing else.
 */
export const serviceAccountStep: Step<NewServiceAccount, ServiceAccountHave> = {
    kind: 'createServiceAccount',
    label: 'Create service account',
    // Creating also reads the sign-in policies to warn about them: one consent prompt, not two.
    writeScopes: createScopes,
    // Offboarding disables and deletes the account, and releases the licences it still holds.
    removeScopes: [...writeScopes, 'LicenseAssignment.ReadWrite.All'],
    target: want => want.userPrincipalName.trim(),
    async read(reads, want) {
        const upn = want.userPrincipalName.trim();
        const user = await reads.user(upn);
        if (user) return { user };
        if (isAbsent(want)) return {};
        const problem = unverifiedDomainProblem(upn.split('@')[1] ?? '', await reads.verifiedDomains(), 'user principal name\'s domain');
        if (problem) throw new ProvisioningInputError(problem, 'userPrincipalName', '/userPrincipalName');
        return {};
    },
    compare(want, { user }) {
        if (isAbsent(want)) {
            return user ? { status: 'remove', detail: `Disable ${user.userPrincipalName ?? want.userPrincipalName.trim()} (its sign-ins stop at once), release any licence it still holds, then delete it: Entra keeps a deleted user 30 days in Deleted users, where it can be restored.` } : { status: 'done', detail: 'The account is not in the tenant.' };
        }
        if (!user) return { status: 'create', detail: `New service account "${want.displayName.trim()}", usage location ${want.usageLocation.trim().toUpperCase()}.` };
        const differs = accountChanges(user, want).map(c => `${c.label} "${c.from}" → "${c.to}"`);
        return differs.length ? { status: 'change', detail: `The account exists; ${differs.join(', ')}.` } : { status: 'done', detail: 'The account exists as described.' };
    },
    async write(ctx, want, { user }) {
        const upn = want.userPrincipalName.trim();
        const key = upn.toLowerCase();
        const keptIn = ctx.passwordKeptIn ?? 'the password store this apply was given';
        if (user) {
            ctx.accountIds.set(key, user.id ?? '');
            if (ctx.afterLostAnswer && ctx.newAccounts.has(key)) {
                // An earlier try's create landed but its answer (and so the password) was lost: set a new one.
                await ctx.storePassword(upn, await resetServiceAccountPassword(ctx.graph, user.id ?? '', ctx));
                return { outcome: 'created', detail: `Created (object id ${user.id ?? ''}); its password is kept in ${keptIn}.` };
            }
            const changes = accountChanges(user, want);
            if (!changes.length) return { outcome: 'alreadyInPlace', detail: 'The account exists as described.' };
            await ctx.graph.patch(`/users/${encodeURIComponent(user.id ?? '')}`, Object.fromEntries(changes.map(c => [c.property, c.to])), { scopes: writeScopes, ...signalOf(ctx) });
            return { outcome: 'changed', detail: `Set ${changes.map(c => c.property).join(' and ')}.` };
        }
        ctx.newAccounts.add(key);
        const created = await postServiceAccount(ctx.graph, want, signalOf(ctx));
        ctx.accountIds.set(key, created.user.id ?? '');
        await ctx.storePassword(upn, created.password);
        return { outcome: 'created', detail: `Created (object id ${created.user.id ?? ''}); its password is kept in ${keptIn}.` };
    },
    async remove(ctx, _want, { user }) {
        const id = encodeURIComponent(user?.id ?? '');
        const o = { scopes: writeScopes, ...signalOf(ctx) };
        try {
            // Disabled first: should the delete fail, the account can no longer sign in.
            await ctx.graph.patch(`/users/${id}`, { accountEnabled: false }, o);
            // Licences the recipe did not list go too: a deleted user keeps its licences, and their units stay used,
            // until Entra purges it 30 days later.
            // Read now, not from the plan: the recipe's own licence step may have removed one since.
            const now = await ctx.graph.get<MicrosoftGraph.User>(`/users/${id}?$select=id,assignedLicenses`, { ...o, scopes: ['User.Read.All'] });
            const held = (now.assignedLicenses ?? []).map(l => l.skuId ?? '').filter(Boolean);
            if (held.length) await ctx.graph.post(`/users/${id}/assignLicense`, { addLicenses: [], removeLicenses: held }, { ...o, scopes: ['LicenseAssignment.ReadWrite.All'] });
            await ctx.graph.delete(`/users/${id}`, o);
        } catch (error) {
            // The plan saw the account; gone now means an earlier try whose answer was lost (the client sends a DELETE
            // again itself), or someone else, deleted it: the removal this step was for has happened.
            if (error instanceof GraphRequestError && error.isNotFound) return { outcome: 'removed', detail: 'Deleted (found gone on the last try: an earlier try whose answer was lost, or someone else, deleted it); restorable from Deleted users for 30 days.' };
            throw error;
        }
        return { outcome: 'removed', detail: `Disabled and deleted (object id ${user?.id ?? ''}); restorable from Deleted users for 30 days.` };
    },
};

/** The account's fields that differ from what is wanted, as Graph names them. */
function accountChanges(user: Pick<MicrosoftGraph.User, 'displayName' | 'usageLocation'>, want: Omit<NewServiceAccount, 'userPrincipalName'>): { property: 'displayName' | 'usageLocation'; label: string; from: string; to: string }[] {
    const changes: { property: 'displayName' | 'usageLocation'; label: string; from: string; to: string }[] = [];
    if (user.displayName !== want.displayName.trim()) changes.push({ property: 'displayName', label: 'display name', from: user.displayName ?? '', to: want.displayName.trim() });
    const location = want.usageLocation.trim().toUpperCase();
    if ((user.usageLocation ?? '').toUpperCase() !== location) changes.push({ property: 'usageLocation', label: 'usage location', from: user.usageLocation ?? 'none', to: location });
    return changes;
}

const signalOf = (o: Signal): Signal => (o.signal ? { signal: o.signal } : {});

/**
 * Every check that can be made before creating the account, in the order an admin fixes them: the values' form, then
 * the tenant (domain verified, UPN free). Throws the first problem as a ProvisioningInputError naming the field.
 */
export async function checkNewServiceAccount(graph: GraphClient, input: NewServiceAccount, o: Signal = {}): Promise<void> {
    refuseBadFields({ displayName: checkDisplayName(input.displayName), userPrincipalName: checkUserPrincipalName(input.userPrincipalName), usageLocation: checkUsageLocation(input.usageLocation) });
    const { user } = await serviceAccountStep.read(new TenantReads(graph, undefined, o), input);
    if (user) throw new ProvisioningInputError(`The user principal name ${input.userPrincipalName.trim()} is already taken. Choose another name, or use the existing account.`, 'userPrincipalName');
}

export interface CreatedServiceAccount {
    user: MicrosoftGraph.User;
    /** Shown once to the admin, never logged or stored by the extension. */
    password: string;
}

/** Creates a new service account (the command's "Create Service Account…"): refused when the UPN is taken. */
export async function createServiceAccount(graph: GraphClient, input: NewServiceAccount, o: Signal = {}): Promise<CreatedServiceAccount> {
    await checkNewServiceAccount(graph, input, o);
    return postServiceAccount(graph, input, o);
}

/**
 * The one request that creates the account (forceChangePasswordNextSignIn sent explicitly: Graph's default is to force
 * it). Someone who made the same UPN after the plan was reviewed is said so, not hidden in Graph's words.
 */
async function postServiceAccount(graph: GraphClient, input: NewServiceAccount, o: Signal): Promise<CreatedServiceAccount> {
    const password = generatePassword();
    const upn = input.userPrincipalName.trim();
    try {
        const user = await graph.post<MicrosoftGraph.User>('/users', {
            accountEnabled: true,
            displayName: input.displayName.trim(),
            mailNickname: mailNicknameFor(upn),
            userPrincipalName: upn,
            usageLocation: input.usageLocation.trim().toUpperCase(),
            employeeType: serviceAccountEmployeeType,
            passwordPolicies: 'DisablePasswordExpiration',
            passwordProfile: { password, forceChangePasswordNextSignIn: false },
        }, { scopes: createScopes, ...o });
        return { user, password };
    } catch (error) {
        // Graph: 400 "Another object with the same value for property userPrincipalName already exists."
        if (error instanceof GraphRequestError && error.status === 400 && /already exists/i.test(error.message)) throw new TenantChangedError(`${upn} was created by someone else since the plan was made.`);
        throw error;
    }
}

/** A new password for a service account, again with no forced change (the integration signs in, not a person). */
export async function resetServiceAccountPassword(graph: GraphClient, userId: string, o: Signal = {}): Promise<string> {
    const password = generatePassword();
    await graph.patch(`/users/${encodeURIComponent(userId)}`, { passwordProfile: { password, forceChangePasswordNextSignIn: false } }, { scopes: writeScopes, ...signalOf(o) });
    return password;
}

/**
 * What would block the service account's sign-in without MFA, which the guides' integrations need: security
 * defaults (MFA registration for everyone), or an enabled Conditional Access policy requiring MFA for all users.
 * Returns warnings to show; a policy the signed-in admin may not read becomes a warning too, never a failure.
 */
export async function signInBlockers(graph: GraphClient, o: Signal = {}): Promise<string[]> {
    const warnings: string[] = [];
    try {
        const defaults = await graph.get<{ isEnabled?: boolean }>('/policies/identitySecurityDefaultsEnforcementPolicy', { scopes: ['Policy.Read.All'], silentOnly: true, ...o });
        if (defaults.isEnabled) {
            warnings.push('Security defaults are on in this tenant: every account must register for MFA within 14 days, and sign-ins without MFA (such as a service account\'s) will then be blocked. Exclude the account with Conditional Access (which replaces security defaults) or use an app with certificate credentials instead.');
        }
    } catch (error) {
        if (!unreadable(error)) throw error;
        warnings.push('Could not check security defaults (reading them needs Policy.Read.All). Check that the service account can sign in without MFA.');
    }
    try {
        const policies = await graph.get<{ value: { displayName?: string; state?: string; conditions?: { users?: { includeUsers?: string[]; excludeUsers?: string[] } }; grantControls?: { builtInControls?: string[] } }[] }>('/identity/conditionalAccess/policies', { scopes: ['Policy.Read.All'], silentOnly: true, ...o });
        for (const p of policies.value) {
            const all = p.conditions?.users?.includeUsers?.includes('All');
            const mfa = p.grantControls?.builtInControls?.includes('mfa');
            if (p.state === 'enabled' && all && mfa) warnings.push(`Conditional Access policy "${p.displayName ?? ''}" requires MFA for all users: exclude the service account from it, or its sign-in will be blocked.`);
        }
    } catch (error) {
        if (!unreadable(error)) throw error;
        warnings.push('Could not read Conditional Access policies (needs Policy.Read.All). Check that none requires MFA for the service account.');
    }
    return warnings;
}

/** A policy the admin may not read (role, or Policy.Read.All not consented): a warning, never a failure of the action. */
function unreadable(error: unknown): boolean {
    return (error instanceof GraphRequestError && (error.status === 403 || error.status === 404)) || (error instanceof SignInError && error.problem === 'consentRequired');
}
