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
    return vscode.languages.registerCodeLensProvider({ pattern: RecipeFileGlob }, {
        provideCodeLenses: document => {
            const top = new vscode.Range(0, 0, 0, 0);
            return lenses.map(([title, command, tooltip]) => new vscode.CodeLens(top, { title, command, tooltip, arguments: [document.uri] }));
        },
    });
}
