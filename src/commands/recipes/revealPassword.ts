import { pickOne, revealPasswordOnce } from '../../platform/actionUi';
import type { ActionContext } from '../../platform/runAction';
import { activeSession } from '../shared/nodeArgument';
import { givenInput } from '../shared/givenInput';

/**
 * Shows the password of an account a recipe created, once: it leaves SecretStorage as it is shown, so afterwards only
 * the admin (and the integration they give it to) has it. Returns which account was revealed, never the password.
 */
export async function revealRecipePasswordCommand(context: ActionContext<'sessions' | 'recipePasswords'>, input?: unknown): Promise<{ userPrincipalName: string }> {
    const given = givenInput(input, { userPrincipalName: 'string' }, 'Reveal Service Account Password');
    const tenantId = activeSession(context).account.tenantId;
    const passwords = context.recipePasswords;
    const waiting = passwords.waiting(tenantId);
    let upn = given.userPrincipalName;
    if (!upn) {
        if (!waiting.length) throw new Error('No password is waiting to be revealed in this tenant: each is shown once, after the recipe that created the account. Use "Reset Password" on the account for a new one.');
        upn = waiting.length === 1 ? waiting[0].userPrincipalName : (await pickOne(waiting.map(w => ({ label: w.userPrincipalName, description: `created ${w.storedAt}`, value: w.userPrincipalName })), { title: 'Reveal the password of which account?' })).value;
    }
    const password = await passwords.take(tenantId, upn);
    if (password === undefined) throw new Error(`No password of ${upn} is waiting to be revealed: it was shown already, or the account was not created by a recipe here. Use "Reset Password" on the account for a new one.`);
    await revealPasswordOnce(upn, password);
    return { userPrincipalName: upn };
}
