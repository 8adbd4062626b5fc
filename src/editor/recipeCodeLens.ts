import * as vscode from 'vscode';
import { CommandIds, RecipeFileGlob } from '../constants';

/** Plan · Apply · Verify · Export above the first line of every recipe file. */
export function registerRecipeCodeLens(): vscode.Disposable {
    const lenses: [string, string, string][] = [
        ['$(checklist) Plan', CommandIds.planRecipe, 'Compare the tenant with this recipe; reads only'],
        ['$(play) Apply', CommandIds.applyRecipe, 'Create or change what the plan lists, in order, with progress and cancel'],
        ['$(pass) Verify', CommandIds.verifyRecipe, 'Report drift between the tenant and this recipe; reads only'],
        ['$(terminal-powershell) Export', CommandIds.exportRecipe, 'Write a PowerShell script that does the same'],
    ];
    // VS Code asks for lenses once when a model is attached to an editor; when that first request races the editor's
    // opening (a file written and shown at once, as the wizard does), the answer can be dropped and the lenses never
    // drawn until the text changes. Asking again whenever a recipe becomes the active editor draws them reliably.
    const changed = new vscode.EventEmitter<void>();
    const recipeShown = vscode.window.onDidChangeActiveTextEditor(editor => {
        if (editor && vscode.languages.match({ pattern: RecipeFileGlob }, editor.document) > 0) changed.fire();
    });
    const provider = vscode.languages.registerCodeLensProvider({ pattern: RecipeFileGlob }, {
        onDidChangeCodeLenses: changed.event,
        provideCodeLenses: document => {
            const top = new vscode.Range(0, 0, 0, 0);
            return lenses.map(([title, command, tooltip]) => new vscode.CodeLens(top, { title, command, tooltip, arguments: [document.uri] }));
        },
    });
    return vscode.Disposable.from(provider, recipeShown, changed);
}
