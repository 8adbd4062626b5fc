import * as vscode from 'vscode';
import { withCancellableProgress } from '../../platform/actionUi';
import type { ActionContext } from '../../platform/runAction';
import type { PlanWarning } from '../../provisioning/recipes/planWarnings';
import type { RecipePlan } from '../../provisioning/recipes/recipePlan';
import { activeSession } from '../shared/nodeArgument';
import { loadRecipeModule, recipeDocument, type RecipeDocument } from './recipeDocument';
import { countLine, showInPlanView } from './recipeView';

/** What showing a plan uses: the tenant to read, the Problems panel and the Recipe Plan view. */
export type PlanShowing = 'sessions' | 'recipeDiagnostics' | 'recipePlan';

/** "2 warnings (see the Problems panel): <the first>": a plan's warnings in one line. */
export function warningsLine(warnings: readonly PlanWarning[]): string {
    if (!warnings.length) return '';
    return `${warnings.length === 1 ? '1 warning' : `${warnings.length} warnings`} (see the Problems panel): ${warnings[0].message}`;
}

/** Plans a recipe (reads only) and publishes its blocked steps as problems on the fields to fix. */
export async function planAndShow(context: ActionContext<PlanShowing>, doc: RecipeDocument, signal?: AbortSignal): Promise<RecipePlan> {
    const session = activeSession(context);
    const { planRecipe } = await import('../../provisioning/recipes/recipePlan');
    const plan = await planRecipe({ graph: session.graph, exchange: session.exchange }, doc.recipe, signal ? { signal } : {});
    const { offsetOf } = await loadRecipeModule();
    const document = await vscode.workspace.openTextDocument(doc.uri);
    context.recipeDiagnostics.setTenantProblems(
        document,
        plan.steps.filter(s => s.status === 'blocked').map(s => ({ path: s.path ?? s.id, message: s.detail, offset: offsetOf(doc.text, s.path ?? s.id) ?? 0 })),
        (plan.warnings ?? []).map(w => ({ path: w.path, message: w.message, offset: offsetOf(doc.text, w.path) ?? 0 })),
    );
    await showInPlanView(context, doc, { plan });
    return plan;
}

/**
 * "Plan": what applying the recipe would create, change or find already done, read from the tenant without changing
 * anything; shown in the Recipe Plan view. Returns the plan (for tests and automation).
 */
export async function planRecipeCommand(context: ActionContext<PlanShowing>, uri?: unknown): Promise<RecipePlan> {
    const doc = await recipeDocument(uri, 'plan');
    const plan = await withCancellableProgress(`Planning ${doc.recipe.name}…`, signal => planAndShow(context, doc, signal));
    const blocked = plan.steps.filter(s => s.status === 'blocked');
    const line = countLine(plan.steps.map(s => s.status));
    const warnings = plan.warnings ?? [];
    if (blocked.length) void vscode.window.showWarningMessage(`${doc.recipe.name}: ${line}. Fix the blocked steps (see the Problems panel) before applying.`);
    else if (warnings.length) void vscode.window.showWarningMessage(`${doc.recipe.name}: ${line}. ${warningsLine(warnings)}`);
    else void vscode.window.setStatusBarMessage(`${doc.recipe.name}: ${line}`, 8000);
    return plan;
}
