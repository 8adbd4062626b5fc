import * as vscode from 'vscode';
import { withCancellableProgress } from '../../platform/actionUi';
import type { ActionContext } from '../../platform/runAction';
import type { RecipeVerification } from '../../provisioning/recipes/recipeVerify';
import { activeSession } from '../shared/nodeArgument';
import { recipeDocument } from './recipeDocument';
import { showInPlanView } from './recipeView';

/**
 * "Verify": drift between the tenant and the recipe, reading only (every calendar of a grant's group included), shown
 * in the Recipe Plan view. Returns the verification (for tests and automation).
 */
export async function verifyRecipeCommand(context: ActionContext<'sessions' | 'log' | 'recipePlan'>, uri?: unknown): Promise<RecipeVerification> {
    const doc = await recipeDocument(uri, 'verify');
    const session = activeSession(context);
    const { verifyRecipe } = await import('../../provisioning/recipes/recipeVerify');
    const result = await withCancellableProgress(`Verifying ${doc.recipe.name}…`, (signal, report) =>
        verifyRecipe({ graph: session.graph, exchange: session.exchange, logger: context.log }, doc.recipe, { signal, onProgress: report }),
    );
    await showInPlanView(context, doc, { verified: result });
    const drift = result.steps.filter(s => !s.inSync);
    if (result.inSync) void vscode.window.showInformationMessage(`${doc.recipe.name} is in sync: the tenant is as the recipe says.`);
    else void vscode.window.showWarningMessage(`${doc.recipe.name}: ${result.cancelled ? 'the check was cancelled; ' : ''}${drift.length} step${drift.length === 1 ? '' : 's'} drifted: ${drift.slice(0, 3).map(s => s.target).join(', ')}${drift.length > 3 ? '…' : ''}. Apply the recipe to bring the tenant back in line.`);
    return result;
}
