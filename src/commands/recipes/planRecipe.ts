import * as vscode from 'vscode';
import { withCancellableProgress } from '../../platform/actionUi';
import type { ActionContext } from '../../platform/runAction';
import type { RecipePlan } from '../../provisioning/recipes/recipePlan';
import { activeSession } from '../shared/nodeArgument';
import { loadRecipeModule, recipeDocument, type RecipeDocument } from './recipeDocument';
import { countLine, showInPlanView } from './recipeView';

/** What showing a plan uses: the tenant to read, the Problems panel and the Recipe Plan view. */
export type PlanShowing = 'sessions' | 'recipeDiagnostics' | 'recipePlan';

/** Plans a recipe (reads only) and publishes its blocked steps as problems on the fields to fix. */
export async function planAndShow(context: ActionContext<PlanShowing>, doc: RecipeDocument, signal?: AbortSignal): Promise<RecipePlan> {
    const session = activeSession(context);
    const { planRecipe } = await import('../../provisioning/recipes/recipePlan');
    const plan = await planRecipe({ graph: session.graph, exchange: session.exchange }, doc.recipe, signal ? { signal } : {});
    const { offsetOf } = await loadRecipeModule();
    const document = await vscode.workspace.openTextDocument(doc.uri);
    context.recipeDiagnostics.setTenantProblems(document, plan.steps.filter(s => s.status === 'blocked').map(s => ({ path: s.path ?? s.id, message: s.detail, offset: offsetOf(doc.text, s.path ?? s.id) ?? 0 })));
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
    if (blocked.length) void vscode.window.showWarningMessage(`${doc.recipe.name}: ${line}. Fix the blocked steps (see the Problems panel) before applying.`);
    else void vscode.window.setStatusBarMessage(`${doc.recipe.name}: ${line}`, 8000);
    return plan;
}
