import * as vscode from 'vscode';
import { CommandIds, RecipeFileGlob } from '../constants';

/**
 * VS Code asks for lenses when a model is attached to an editor, but draws only those in the editor's visible range
 * at that moment. A recipe the wizard writes is shown while its panel closes and the Recipe Plan view takes focus, so
 * the editor can have no visible range yet: the lenses are then never drawn until the admin scrolls. Asking again once
 * the editor has settled (a recipe becomes the active editor, or the Recipe Plan view shows its result) draws them.
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
