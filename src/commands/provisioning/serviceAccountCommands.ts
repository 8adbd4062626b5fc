import * as vscode from 'vscode';
import { confirmChange, withCancellableProgress } from '../../platform/actionUi';
import { audited } from '../../platform/audit';
import { askStep, InputSteps, pickStep, type StepPosition } from '../../platform/multiStep';
import { keepGeneratedPassword, revealGeneratedPassword } from '../../platform/generatedPasswords';
import type { ActionContext } from '../../platform/runAction';
import { givenInput } from '../shared/givenInput';
import { inputShapes } from '../shared/inputShapes';
import { checkDisplayName, checkUserPrincipalName, checkUsageLocation } from '../../provisioning/fields';
import { createServiceAccount, isUserPrincipalNameFree, resetServiceAccountPassword, signInBlockers, type NewServiceAccount } from '../../provisioning/steps/serviceAccounts';
import { verifiedDomains } from '../../graph/tenantCatalogue';
import { activeSession } from '../shared/nodeArgument';
import { pickDomain } from '../shared/pickers';
import { nameOf, targetUser } from '../shared/targets';
import { refreshWholeDirectory } from '../shared/refreshDirectory';

const countries: [string, string][] = [['US', 'United States'], ['GB', 'United Kingdom'], ['NL', 'Netherlands'], ['DE', 'Germany'], ['FR', 'France'], ['BE', 'Belgium'], ['ES', 'Spain'], ['IT', 'Italy'], ['IE', 'Ireland'], ['SE', 'Sweden'], ['CH', 'Switzerland'], ['CA', 'Canada'], ['AU', 'Australia'], ['JP', 'Japan'], ['IN', 'India']];

/** Two-letter usage location: common countries first, the tenant's own at the top, any other by typing it. */
export async function askUsageLocation(title: string, preferred?: string, position?: StepPosition): Promise<string> {
    const items = countries.map(([code, name]) => ({ label: code, description: name, value: code }));
    if (preferred) items.sort((a, b) => Number(b.value === preferred) - Number(a.value === preferred));
    const choice = await pickStep([...items, { label: 'Other…', description: 'type a two-letter country code', value: '' }], { title, placeHolder: 'Usage location: the country where the account is used (licences need it)', ...(position ? { position } : {}) });
    if (choice.value) return choice.value;
    // The typed code answers the same question: the same step.
    return (await askStep({ title, prompt: 'Two-letter country code (ISO 3166-1 alpha-2)', validateInput: v => checkUsageLocation(v), ...(position ? { position } : {}) })).toUpperCase();
}

/**
 * Creates a service account: asks for what was not given (domain among the verified ones, a name checked for
 * availability as it is typed, display name, usage location), creates it, warns about what would block its
 * sign-in without MFA, and reveals the generated password once (kept in SecretStorage from the moment it exists
 * until then, so nothing failing in between loses it). Returns the account, never the password.
 */
export async function createServiceAccountCommand(context: ActionContext<'sessions' | 'audit' | 'recipePasswords' | 'log' | 'directoryTree'>, _node?: unknown, input?: unknown): Promise<{ id: string; userPrincipalName: string }> {
    const given: Partial<NewServiceAccount> = givenInput(input, inputShapes.createServiceAccount, 'Create Service Account');
    const session = activeSession(context);
    const title = 'Create Service Account';
    let upn = given.userPrincipalName;
    // Read first, so the step count knows whether the domain is asked (one verified domain is taken as it is).
    const domains = upn ? [] : await verifiedDomains(session.graph);
    const steps = new InputSteps([domains.length > 1, !upn, !given.displayName, !given.usageLocation]);
    if (!upn) {
        const domain = await pickDomain(domains, `${title}: domain`, domains.length > 1 ? steps.next() : undefined);
        const seen = new Map<string, Promise<string | undefined>>();
        const local = await askStep({
            position: steps.next(),
            title: `${title}: name`,
            prompt: `The account's name before @${domain}; checked against the tenant as you type`,
            placeHolder: 'e.g. sa-mytt-exch',
            validateInput: value => {
                const candidate = `${value.trim()}@${domain}`;
                const problem = checkUserPrincipalName(candidate);
                if (problem || !value.trim()) return problem ?? 'Enter a name.';
                if (!seen.has(candidate)) seen.set(candidate, isUserPrincipalNameFree(session.graph, candidate).then(free => (free ? undefined : `The user principal name ${candidate} is already taken. Choose another name.`), () => undefined));
                return seen.get(candidate);
            },
        });
        upn = `${local}@${domain}`;
    }
    const displayName = given.displayName ?? (await askStep({ title: `${title}: display name`, value: `${upn.split('@')[0]} service account`, validateInput: v => checkDisplayName(v), position: steps.next() }));
    const usageLocation = given.usageLocation ?? (await askUsageLocation(`${title}: usage location`, undefined, steps.next()));
    const account = { displayName, userPrincipalName: upn, usageLocation };
    const { recipePasswords: passwords, log } = context;
    const tenantId = session.account.tenantId;
    const created = await withCancellableProgress(`Creating ${upn}…`, signal =>
        audited(context.audit, session, 'createServiceAccount', upn, async () => {
            const made = await createServiceAccount(session.graph, account, { signal });
            await keepGeneratedPassword(passwords, log, tenantId, upn, made.password);
            return made;
        }, r => ({ detail: `object id ${r.user.id ?? ''}` })),
    );
    refreshWholeDirectory(context);
    const warnings = await signInBlockers(session.graph).catch((error: unknown) => [`Could not check sign-in policies: ${error instanceof Error ? error.message : String(error)}`]);
    if (warnings.length) void vscode.window.showWarningMessage(`${upn} was created, but: ${warnings.join(' ')}`);
    await revealGeneratedPassword(passwords, tenantId, upn, created.password);
    return { id: created.user.id ?? '', userPrincipalName: upn };
}

/** A new generated password for a service account, revealed once. */
export async function resetPasswordCommand(context: ActionContext<'sessions' | 'directoryView' | 'audit' | 'recipePasswords' | 'log'>, arg?: unknown): Promise<void> {
    const { session, user } = await targetUser(context, arg, 'Reset Password: which account?');
    await confirmChange(`Reset the password of ${nameOf(user)}?`, 'Whatever signs in with the old password stops working until it is given the new one.', 'Reset Password');
    const { recipePasswords: passwords, log } = context;
    const tenantId = session.account.tenantId;
    const password = await withCancellableProgress(`Resetting the password of ${nameOf(user)}…`, signal =>
        audited(context.audit, session, 'resetPassword', nameOf(user), async () => {
            const generated = await resetServiceAccountPassword(session.graph, user.id ?? '', { signal });
            await keepGeneratedPassword(passwords, log, tenantId, nameOf(user), generated);
            return generated;
        }),
    );
    await revealGeneratedPassword(passwords, tenantId, nameOf(user), password);
}
