import * as vscode from 'vscode';
import { fileExists } from '../../platform/fileExists';

/** Where the recipe goes, and whether someone may be asked (the wizard) or not (a command's input, a test). */
export interface RecipeFileTarget {
    /** A folder given by the caller; else the first workspace folder; else the admin chooses (interactive only). */
    folder?: string;
    /** Replace a file of the same name without asking (callers without a person to ask). */
    overwrite?: boolean;
    interactive: boolean;
}

export type WrittenRecipe = { uri: vscode.Uri } | { refused: string } | { cancelled: true };

/**
 * Writes `<folder>/<slug>.m365recipe.json`. An existing file is replaced only when the admin says so in a modal, or
 * the caller passed `overwrite`; with no folder open, the admin chooses where to save.
 */
export async function writeRecipeFile(text: string, slug: string, target: RecipeFileTarget): Promise<WrittenRecipe> {
    const fileName = `${slug}.m365recipe.json`;
    const folder = target.folder ? vscode.Uri.file(target.folder) : vscode.workspace.workspaceFolders?.[0]?.uri;
    let uri: vscode.Uri;
    if (folder) {
        uri = vscode.Uri.joinPath(folder, fileName);
        if ((await fileExists(uri)) && !target.overwrite) {
            if (!target.interactive) return { refused: `${fileName} already exists in ${folder.fsPath}; it was left as it is. Pass "overwrite": true to replace it.` };
            const replace = 'Replace';
            const choice = await vscode.window.showWarningMessage(`${fileName} already exists. Replace it?`, { modal: true, detail: 'The recipe there is overwritten with the one from the wizard.' }, replace);
            if (choice !== replace) return { cancelled: true };
        }
    } else {
        if (!target.interactive) return { refused: 'No folder is open to write the recipe in. Open a folder, or pass "folder".' };
        // The save dialog asks about replacing an existing file itself.
        const chosen = await vscode.window.showSaveDialog({ title: 'Save the recipe', saveLabel: 'Save Recipe', filters: { 'M365 recipe': ['m365recipe.json'] }, defaultUri: vscode.Uri.file(fileName) });
        if (!chosen) return { cancelled: true };
        uri = chosen.path.toLowerCase().endsWith('.m365recipe.json') ? chosen : chosen.with({ path: `${chosen.path.replace(/\.json$/i, '')}.m365recipe.json` });
    }
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    return { uri };
}
