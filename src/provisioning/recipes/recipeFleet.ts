import type { RecipeVerification } from './recipeVerify';

/**
 * One recipe's plan on one tenant, in the words the command line and the extension both use for it: `inSync` (nothing
 * to apply), `changesPending`, `blocked` (a field to fix), `cancelled`, or `error` (the tenant could not be read).
 */
export type TenantPlanOutcome = 'inSync' | 'changesPending' | 'blocked' | 'cancelled' | 'error';

export interface TenantPlanRow {
    /** The tenant as an admin knows it: its organisation's name and default domain, else its id. */
    tenant: string;
    /** Who it was read as: the signed-in person's UPN, or the app's client id. */
    account: string;
    outcome: TenantPlanOutcome;
    /** Steps not in place (to create, change, or blocked), of all the recipe's steps. */
    notDone: number;
    steps: number;
    message: string;
}

/** The outcome of a plan that also read every calendar a grant covers (`verifyRecipe`), and what it means. */
export function planOutcome(plan: RecipeVerification): { outcome: Exclude<TenantPlanOutcome, 'error'>; notDone: number; message: string } {
    const notDone = plan.steps.filter(s => s.status !== 'done').length;
    if (plan.steps.some(s => s.status === 'blocked')) return { outcome: 'blocked', notDone, message: 'Blocked: fix the fields named in the blocked steps; nothing can be applied until then.' };
    if (plan.cancelled) return { outcome: 'cancelled', notDone, message: 'Cancelled: the plan did not finish.' };
    return notDone ? { outcome: 'changesPending', notDone, message: `${notDone} step${notDone === 1 ? '' : 's'} to apply.` } : { outcome: 'inSync', notDone, message: 'In sync: nothing to apply.' };
}

/** The tenant × outcome table as Markdown (the extension's view of a plan over every signed-in tenant). */
export function tenantPlanTableMarkdown(recipe: string, rows: readonly TenantPlanRow[]): string {
    const cell = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
    const totals = new Map<string, number>();
    for (const row of rows) totals.set(row.outcome, (totals.get(row.outcome) ?? 0) + 1);
    return [
        `# Plan of ${cell(recipe)} for ${rows.length} signed-in tenant${rows.length === 1 ? '' : 's'}`,
        '',
        '| Tenant | Signed in as | Outcome | Steps not done | Detail |',
        '| --- | --- | --- | --- | --- |',
        ...rows.map(r => `| ${cell(r.tenant)} | ${cell(r.account)} | ${r.outcome} | ${r.outcome === 'error' ? '' : `${r.notDone} of ${r.steps}`} | ${cell(r.message)} |`),
        '',
        `Totals: ${[...totals].map(([k, n]) => `${n} ${k}`).join(', ')}. Nothing was changed in any tenant.`,
        '',
    ].join('\n');
}
