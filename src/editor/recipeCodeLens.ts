import * as vscode from 'vscode';
import { CommandIds, RecipeFileGlob } from '../constants';

/**
 * A recipe the wizard writes is shown while the wizard's panel closes and the Recipe Plan view takes focus. Seen in the
 * UI tests: its lenses were then not drawn at all until the editor was scrolled (most likely VS Code asked while the
 * editor had no visible range yet, and draws only what is in view). Asking again once the editor has settled (a
 * recipe becomes the active editor, or the Recipe Plan view shows its result) draws them at once.
 */
const lensesStale = new vscode.EventEmitter<void>();

/** Asks VS Code to draw the recipe lenses again: called once the Recipe Plan view shows a recipe's result. */
export function redrawRecipeLenses(): void {
    lensesStale.fire();
}

/** Plan · Apply · Verify · Export above the first line of every recipe file. */
export function registerRecipeCodeLens(): vscode.Disposable {
    const lenses: [string, string, string][] = [
        ['$(checklist) Plan', CommandIds.planRecipe, 'Compare the tenant with this recipe; reads only'],
        ['$(play) Apply', CommandIds.applyRecipe, 'Create or change what the plan lists, in order, with progress and cancel'],
        ['$(pass) Verify', CommandIds.verifyRecipe, 'Report drift between the tenant and this recipe; reads only'],
        ['$(terminal-powershell) Export', CommandIds.exportRecipe, 'Write a PowerShell script that does the same'],
    ];
    const isRecipe = (editor: vscode.TextEditor | undefined) => !!editor && vscode.languages.match({ pattern: RecipeFileGlob }, editor.document) > 0;
    const recipeShown = vscode.window.onDidChangeActiveTextEditor(editor => {
        if (isRecipe(editor)) lensesStale.fire();
    });
    const provider = vscode.languages.registerCodeLensProvider({ pattern: RecipeFileGlob }, {
        onDidChangeCodeLenses: lensesStale.event,
        provideCodeLenses: document => {
            const top = new vscode.Range(0, 0, 0, 0);
            return lenses.map(([title, command, tooltip]) => new vscode.CodeLens(top, { title, command, tooltip, arguments: [document.uri] }));
        },
    });
    return vscode.Disposable.from(provider, recipeShown);
}
