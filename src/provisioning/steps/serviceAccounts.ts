import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import type { GraphClient } from '../../graph/GraphClient';
import { SignInError } from '../../auth/signInErrors';
import { GraphRequestError } from '../../graph/GraphRequestError';
import { serviceAccountEmployeeType } from '../../graph/serviceAccounts';
import { ProvisioningInputError } from '../errors';
import { checkDisplayName, checkUsageLocation, checkUserPrincipalName, mailNicknameFor, refuseBadFields } from '../fields';
import { userIfAny } from './lookup';
import { generatePassword } from './passwords';

export interface NewServiceAccount {
    displayName: string;
    userPrincipalName: string;
    /** Two-letter country; needed before a licence can be assigned. */
    usageLocation: string;
}

type Signal = { signal?: AbortSignal };
const writeScopes = ['User.ReadWrite.All'];
/**
 * Creating also reads the sign-in policies to warn about them: asking for both permissions with the write means one
 * consent prompt, not two; the policy reads then never prompt (silentOnly).
 */
const createScopes = ['User.ReadWrite.All', 'Policy.Read.All'];

/** The tenant's verified domains, the only ones a UPN may use; the default first. */
export async function verifiedDomains(graph: GraphClient, o: Signal = {}): Promise<string[]> {
    const domains = await graph.get<{ value: MicrosoftGraph.Domain[] }>('/domains', { scopes: ['Domain.Read.All'], ...o });
    return domains.value.filter(d => d.isVerified).sort((a, b) => Number(b.isDefault) - Number(a.isDefault)).map(d => d.id ?? '');
}

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

/**
 * Every check that can be made before creating the account, in the order an admin fixes them: the values' form, then
 * the tenant (domain verified, UPN free). Throws the first problem as a ProvisioningInputError naming the field.
 */
export async function checkNewServiceAccount(graph: GraphClient, input: NewServiceAccount, o: Signal = {}): Promise<void> {
    refuseBadFields({ displayName: checkDisplayName(input.displayName), userPrincipalName: checkUserPrincipalName(input.userPrincipalName), usageLocation: checkUsageLocation(input.usageLocation) });
    const domainProblem = unverifiedDomainProblem(input.userPrincipalName.trim().split('@')[1], await verifiedDomains(graph, o), 'user principal name\'s domain');
    if (domainProblem) throw new ProvisioningInputError(domainProblem, 'userPrincipalName');
    if (!(await isUserPrincipalNameFree(graph, input.userPrincipalName.trim(), o))) {
        throw new ProvisioningInputError(`The user principal name ${input.userPrincipalName.trim()} is already taken. Choose another name, or use the existing account.`, 'userPrincipalName');
    }
}

export interface CreatedServiceAccount {
    user: MicrosoftGraph.User;
    /** Shown once to the admin, never logged or stored by the extension. */
    password: string;
}

/**
 * Creates the account the guides ask for: enabled, marked as a service account, password never expires and no change
 * forced at first sign-in (sent explicitly: Graph's default is to force it).
 */
export async function createServiceAccount(graph: GraphClient, input: NewServiceAccount, o: Signal = {}): Promise<CreatedServiceAccount> {
    await checkNewServiceAccount(graph, input, o);
    const password = generatePassword();
    const upn = input.userPrincipalName.trim();
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
}

/**
 * Brings an existing account's display name and usage location in line with what is asked (a recipe adopting an
 * account made earlier, or by hand); sends only what differs. Returns the fields changed.
 */
export async function updateServiceAccount(graph: GraphClient, user: Pick<MicrosoftGraph.User, 'id' | 'displayName' | 'usageLocation'>, wanted: Omit<NewServiceAccount, 'userPrincipalName'>, o: Signal = {}): Promise<string[]> {
    refuseBadFields({ displayName: checkDisplayName(wanted.displayName), usageLocation: checkUsageLocation(wanted.usageLocation) });
    const patch: Record<string, string> = {};
    if (user.displayName !== wanted.displayName.trim()) patch.displayName = wanted.displayName.trim();
    if ((user.usageLocation ?? '').toUpperCase() !== wanted.usageLocation.trim().toUpperCase()) patch.usageLocation = wanted.usageLocation.trim().toUpperCase();
    if (Object.keys(patch).length) await graph.patch(`/users/${encodeURIComponent(user.id ?? '')}`, patch, { scopes: writeScopes, ...o });
    return Object.keys(patch);
}

/** A new password for a service account, again with no forced change (the integration signs in, not a person). */
export async function resetServiceAccountPassword(graph: GraphClient, userId: string, o: Signal = {}): Promise<string> {
    const password = generatePassword();
    await graph.patch(`/users/${encodeURIComponent(userId)}`, { passwordProfile: { password, forceChangePasswordNextSignIn: false } }, { scopes: writeScopes, ...o });
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
