import type { Logger } from '../shared/logger';
import { revealPasswordOnce } from './actionUi';
import type { RecipePasswords } from './recipeStore';

/**
 * A password Entra has just accepted exists nowhere but in memory. It goes to SecretStorage at once, before anything
 * that could still fail runs (the audit line, the sign-in policy read, the reveal dialog), so that whatever happens
 * next it waits for "Reveal Service Account Password" instead of being lost with an account nobody can sign in to.
 * Never throws: if SecretStorage itself fails, the password is still revealed at the end of the command.
 */
export async function keepGeneratedPassword(passwords: RecipePasswords, log: Logger, tenantId: string, userPrincipalName: string, password: string): Promise<void> {
    try {
        await passwords.store(tenantId, userPrincipalName, password);
    } catch (error) {
        log.warn(`[Passwords] Could not keep the new password of ${userPrincipalName} in secret storage (${error instanceof Error ? error.message : String(error)}); it is shown once now instead.`);
    }
}

/** Shows a kept password once and removes it from SecretStorage as it is shown, as "Reveal Service Account Password" does. */
export async function revealGeneratedPassword(passwords: RecipePasswords, tenantId: string, userPrincipalName: string, password: string): Promise<void> {
    const kept = await passwords.take(tenantId, userPrincipalName).catch(() => undefined);
    await revealPasswordOnce(userPrincipalName, kept ?? password);
}
