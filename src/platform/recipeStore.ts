import type * as vscode from 'vscode';
import { keptCalendarGrantJournal } from '../provisioning/calendar';
import type { RecipeApplyJournal, RecipeApplyRecord } from '../provisioning/recipes/recipeApply';

/**
 * Passwords the extension generated (a recipe's new accounts; Create Service Account and Reset Password from the moment
 * Entra accepts the password until it is shown), kept only in VS Code's SecretStorage until the admin reveals them
 * (once: revealing deletes them). Which accounts have one waiting is kept in globalState: names only, never the secret.
 */
export class RecipePasswords {
    private static readonly indexKey = 'm365Provisioner.recipePasswords';

    constructor(private readonly secrets: vscode.SecretStorage, private readonly state: vscode.Memento) {}

    async store(tenantId: string, userPrincipalName: string, password: string): Promise<void> {
        await this.secrets.store(this.key(tenantId, userPrincipalName), password);
        const others = this.index().filter(e => !(e.tenantId === tenantId && e.userPrincipalName.toLowerCase() === userPrincipalName.toLowerCase()));
        await this.state.update(RecipePasswords.indexKey, [...others, { tenantId, userPrincipalName, storedAt: new Date().toISOString() }]);
    }

    /** The accounts of a tenant whose password waits to be revealed. */
    waiting(tenantId: string): { userPrincipalName: string; storedAt: string }[] {
        return this.index().filter(e => e.tenantId === tenantId);
    }

    /** The password, removed from storage as it is handed over; undefined when there is none (or it was revealed). */
    async take(tenantId: string, userPrincipalName: string): Promise<string | undefined> {
        const key = this.key(tenantId, userPrincipalName);
        const password = await this.secrets.get(key);
        await this.secrets.delete(key);
        await this.state.update(RecipePasswords.indexKey, this.index().filter(e => !(e.tenantId === tenantId && e.userPrincipalName.toLowerCase() === userPrincipalName.toLowerCase())));
        return password;
    }

    private index(): { tenantId: string; userPrincipalName: string; storedAt: string }[] {
        return this.state.get(RecipePasswords.indexKey) ?? [];
    }

    private key(tenantId: string, userPrincipalName: string): string {
        return `m365Provisioner.recipePassword.${tenantId}.${userPrincipalName.toLowerCase()}`;
    }
}

/** Where a cancelled or interrupted apply of a recipe file in a tenant keeps what it finished (globalState). */
export function recipeApplyJournal(state: vscode.Memento, tenantId: string, recipeUri: vscode.Uri): RecipeApplyJournal & { key: string } {
    const key = `m365Provisioner.recipeJournal.${tenantId}.${recipeUri.toString()}`;
    const calendarKey = (stepId: string) => `${key}.calendar${stepId}`;
    // The calendar steps that journalled mailboxes: a step stopped by a failure or a closed window is not in the
    // record, and its journal must go with the rest when the apply starts over (else the next run of that step, for
    // a changed grantee or right, would take those mailboxes as done).
    const calendarStepsKey = `${key}.calendarSteps`;
    const calendarSteps = () => state.get<string[]>(calendarStepsKey) ?? [];
    return {
        key,
        load: () => Promise.resolve(state.get<RecipeApplyRecord>(key)),
        save: async record => { await state.update(key, record); },
        clear: async () => {
            const record = state.get<RecipeApplyRecord>(key);
            // Record steps too: journals written before the list was kept.
            for (const stepId of new Set([...calendarSteps(), ...Object.keys(record?.steps ?? {})])) await state.update(calendarKey(stepId), undefined);
            await state.update(calendarStepsKey, undefined);
            await state.update(key, undefined);
        },
        // The calendar engine's own journal, one per calendar-grant step of this apply.
        calendar: stepId => {
            const journal = keptCalendarGrantJournal(state, calendarKey(stepId));
            return {
                ...journal,
                append: async outcomes => {
                    if (!calendarSteps().includes(stepId)) await state.update(calendarStepsKey, [...calendarSteps(), stepId]);
                    await journal.append(outcomes);
                },
                clear: async () => {
                    await journal.clear();
                    const others = calendarSteps().filter(id => id !== stepId);
                    await state.update(calendarStepsKey, others.length ? others : undefined);
                },
            };
        },
    };
}
