import * as vscode from 'vscode';
import { RecipeFileGlob } from '../../constants';
import type { Recipe, RecipeProblem } from '../../provisioning/recipes/recipe';
import { pickOne } from '../../platform/actionUi';

/** A recipe file as the commands see it: where it is, its text (unsaved edits included) and the checked recipe. */
export interface RecipeDocument {
    uri: vscode.Uri;
    text: string;
    recipe: Recipe;
}

/** The recipe module pulls in the JSON-schema validator: loaded on the first recipe command, not at activation. */
export const loadRecipeModule = () => import('../../provisioning/recipes/recipe');

const isRecipeUri = (uri: vscode.Uri) => uri.path.toLowerCase().endsWith('.m365recipe.json');

/**
 * The recipe a command acts on: the file it was run on (CodeLens, explorer, editor title), else the active editor's
 * recipe, else one the admin picks from the workspace. A recipe with problems is refused, each problem named with
 * its field, before anything reads the tenant.
 */
export async function recipeDocument(arg: unknown, action: string): Promise<RecipeDocument> {
    const uri = await recipeUri(arg, action);
    const document = await vscode.workspace.openTextDocument(uri);
    const text = document.getText();
    const { parseRecipe } = await loadRecipeModule();
    const { recipe, problems } = parseRecipe(text);
    if (!recipe) throw new Error(refusal(uri, problems, action));
    return { uri, text, recipe };
}

/** One message for a refused recipe: how many problems, the first ones with their field, and where to see them all. */
export function refusal(uri: vscode.Uri, problems: RecipeProblem[], action: string): string {
    const name = uri.path.split('/').pop() ?? uri.path;
    const shown = problems.slice(0, 3).map(p => `${p.path || '(the file)'}: ${p.message}`).join(' ');
    const more = problems.length > 3 ? ` …and ${problems.length - 3} more.` : '';
    return `Cannot ${action} ${name}: it has ${problems.length} problem${problems.length === 1 ? '' : 's'}. ${shown}${more} Fix ${problems.length === 1 ? 'it' : 'them'} (see the Problems panel) and try again.`;
}

async function recipeUri(arg: unknown, action: string): Promise<vscode.Uri> {
    if (arg instanceof vscode.Uri) return arg;
    if (typeof arg === 'string' && arg) return arg.includes('://') ? vscode.Uri.parse(arg) : vscode.Uri.file(arg);
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active && isRecipeUri(active)) return active;
    const found = await vscode.workspace.findFiles(RecipeFileGlob, '**/node_modules/**', 200);
    if (!found.length) throw new Error(`There is no recipe (*.m365recipe.json) in the workspace to ${action}. Run "M365: Set Up Service Account…" to write one.`);
    if (found.length === 1) return found[0];
    const choice = await pickOne(found.map(uri => ({ label: vscode.workspace.asRelativePath(uri), value: uri })), { title: `Which recipe do you want to ${action}?` });
    return choice.value;
}
