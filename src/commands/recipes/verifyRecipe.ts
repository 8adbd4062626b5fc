import * as vscode from 'vscode';
import { CommandIds } from '../../constants';
import { withCancellableProgress } from '../../platform/actionUi';
import type { ActionContext } from '../../platform/runAction';
import type { RecipeVerification } from '../../provisioning/recipes/recipeVerify';
import { driftMarkdown, driftSentence } from '../../provisioning/recipes/verifyDrift';
import { activeSession } from '../shared/nodeArgument';
import { recipeDocument } from './recipeDocument';
import { showInPlanView } from './recipeView';

/**
 * "Verify": drift between the tenant and the recipe, reading only (every calendar of a grant's group included), shown
 * in the Recipe Plan view. Drift is named (which mailboxes, which roles, which members) in a notification with
 * "Apply" (the Apply command on this recipe, with its own review) and "Show Differences" (every difference on a
 * read-only page). Returns the verification (for tests and automation); each drifted step carries `drift`.
 */
export async function verifyRecipeCommand(context: ActionContext<'sessions' | 'log' | 'recipePlan' | 'details'>, uri?: unknown): Promise<RecipeVerification> {
    const doc = await recipeDocument(uri, 'verify');
    const session = activeSession(context);
    const { verifyRecipe } = await import('../../provisioning/recipes/recipeVerify');
    const result = await withCancellableProgress(`Verifying ${doc.recipe.name}…`, (signal, report) =>
        verifyRecipe({ graph: session.graph, exchange: session.exchange, logger: context.log }, doc.recipe, { signal, onProgress: report }),
    );
    await showInPlanView(context, doc, { verified: result });
    const drift = result.steps.filter(s => !s.inSync);
    if (result.inSync) {
        void vscode.window.showInformationMessage(`${doc.recipe.name} is in sync: the tenant is as the recipe says.`);
        return result;
    }
    const message = `${doc.recipe.name}: ${result.cancelled ? 'the check was cancelled; ' : ''}${drift.length} step${drift.length === 1 ? '' : 's'} drifted: ${driftSentence(result.steps)}.`;
    void vscode.window.showWarningMessage(message, 'Apply', 'Show Differences').then(async choice => {
        if (choice === 'Apply') await vscode.commands.executeCommand(CommandIds.applyRecipe, doc.uri);
        if (choice === 'Show Differences') await showDifferences(context, doc.uri, result);
    });
    return result;
}

/** Every difference on a read-only page (in memory, never on disk: it names people), opened in the Markdown preview. */
async function showDifferences(context: ActionContext<'details'>, recipe: vscode.Uri, result: RecipeVerification): Promise<void> {
    const page = context.details.put(`Differences ${result.recipe}`, `drift/${recipe.toString()}/${result.checkedAt}`, driftMarkdown(result.recipe, result.checkedAt, result.steps, result.cancelled));
    await vscode.commands.executeCommand('markdown.showPreview', page).then(undefined, () => vscode.window.showTextDocument(page));
}
