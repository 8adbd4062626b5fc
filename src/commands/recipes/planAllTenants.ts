import * as vscode from 'vscode';
import type { SignedInAccount } from '../../auth/Accounts';
import { withCancellableProgress } from '../../platform/actionUi';
import type { ActionContext } from '../../platform/runAction';
import type { TenantPlanRow } from '../../provisioning/recipes/recipeFleet';
import { mapConcurrently } from '../../shared/concurrency';
import { recipeDocument } from './recipeDocument';

/** Tenants planned at once: enough to hide each tenant's round trips, few enough to stay under every throttle. */
const concurrency = 4;

/**
 * "Plan Recipe for All Signed-In Tenants": the recipe planned (read only, calendars included) in every tenant an
 * account is signed in to, shown as one tenant × outcome table, the same outcomes the command line's `--tenants` prints.
 * A tenant that cannot be read is a row saying why; the others go on. Returns the rows (for tests and automation).
 */
export async function planAllTenantsCommand(context: ActionContext<'accounts' | 'sessions' | 'log' | 'details'>, uri?: unknown): Promise<TenantPlanRow[]> {
    const doc = await recipeDocument(uri, 'plan');
    const accounts = context.accounts.list();
    if (!accounts.length) throw new Error('No account is signed in. Sign in to each tenant to plan for (Accounts view → Sign In), then run this again.');
    const [{ verifyRecipe }, { planOutcome, tenantPlanTableMarkdown }] = await Promise.all([import('../../provisioning/recipes/recipeVerify'), import('../../provisioning/recipes/recipeFleet')]);
    const rows = await withCancellableProgress(`Planning ${doc.recipe.name} for ${accounts.length} tenant${accounts.length === 1 ? '' : 's'}…`, async (signal, report) => {
        let finished = 0;
        const planOne = async (account: SignedInAccount): Promise<TenantPlanRow> => {
            let tenant = account.tenantId;
            const who = { account: account.username };
            try {
                const session = context.sessions.forAccount(account);
                // "Contoso (contoso.com)": the session's one read of /organization, kept for the other views too.
                tenant = await session.tenantName();
                const plan = await verifyRecipe({ graph: session.graph, exchange: session.exchange, logger: context.log }, doc.recipe, { signal });
                const { outcome, notDone, message } = planOutcome(plan);
                return { tenant, ...who, outcome, notDone, steps: plan.steps.length, message };
            } catch (error) {
                if (signal.aborted) return { tenant, ...who, outcome: 'cancelled', notDone: 0, steps: 0, message: 'Cancelled before this tenant was read.' };
                return { tenant, ...who, outcome: 'error', notDone: 0, steps: 0, message: error instanceof Error ? error.message : String(error) };
            }
        };
        const rows = await mapConcurrently(accounts, concurrency, async account => {
            const row = await planOne(account);
            report(`${++finished} of ${accounts.length} tenants`, 100 / accounts.length);
            return row;
        });
        // Every account was started (no signal given): a cancel shows in each row instead.
        return rows.filter((row): row is TenantPlanRow => row !== undefined);
    });
    const uriOfTable = context.details.put(`Plan of ${doc.recipe.name} for all tenants`, `fleet/${doc.uri.toString()}`, tenantPlanTableMarkdown(doc.recipe.name, rows));
    try {
        await vscode.commands.executeCommand('markdown.showPreview', uriOfTable);
    } catch {
        await vscode.window.showTextDocument(uriOfTable, { preview: true });
    }
    return rows;
}
