import * as vscode from 'vscode';
import { SettingsSection } from '../../constants';
import type { ExportTarget } from '../../provisioning/export/recipeExport';
import { UserCancelledError } from '../../shared/errors';
import { scriptPath } from './openScript';
import { fileExists } from '../../platform/fileExists';

/** Where an exported script goes: saved beside its recipe, or an unsaved editor. `ask`: asked once, then kept. */
export type ExportDestination = 'besideRecipe' | 'untitled';
export const destinationSetting = 'export.destination';

const saveBeside = 'Save Next to the Recipe';
const openUntitled = 'Open as Untitled';

/**
 * The destination: the caller's, else the setting's; `ask` (the default) asks once with a modal and keeps the answer in
 * the user setting, which is where it is changed later (the question says so). A recipe that is not a file on disk
 * (an unsaved recipe) has no folder to save beside: untitled.
 */
export async function exportDestination(recipeUri: vscode.Uri, given: ExportDestination | undefined): Promise<ExportDestination> {
    if (given) return given;
    if (recipeUri.scheme !== 'file') return 'untitled';
    const config = vscode.workspace.getConfiguration(SettingsSection);
    const setting = config.get<string>(destinationSetting, 'ask');
    if (setting === 'besideRecipe' || setting === 'untitled') return setting;
    const name = scriptPath(recipeUri, { variant: 'cloud', cloud: 'Global' }).split('/').pop() ?? '';
    const choice = await vscode.window.showInformationMessage(
        'Where should exported scripts go?',
        { modal: true, detail: `"${saveBeside}" writes the script into the recipe's folder (e.g. ${name}) and opens it; "${openUntitled}" opens it unsaved, for you to save where you like.\n\nYour answer is kept in the setting M365 Provisioner › Export: Destination (${SettingsSection}.${destinationSetting}), where you can change it. "Export Recipe to Untitled Editor" always opens an unsaved editor.` },
        saveBeside,
        openUntitled,
    );
    if (choice === undefined) throw new UserCancelledError();
    const answer: ExportDestination = choice === saveBeside ? 'besideRecipe' : 'untitled';
    await config.update(destinationSetting, answer, vscode.ConfigurationTarget.Global);
    return answer;
}

/**
 * Writes the script beside its recipe and opens it. A file already there (or open with unsaved changes) is replaced
 * only after the admin says so (`replace: true` from a caller that asked). Says where it went, with a way to reveal it.
 */
export async function saveBesideRecipe(recipeUri: vscode.Uri, target: ExportTarget, content: string, replace: boolean | undefined): Promise<vscode.TextDocument> {
    const uri = recipeUri.with({ path: scriptPath(recipeUri, target) });
    const name = uri.path.split('/').pop() ?? uri.path;
    const recipeName = recipeUri.path.split('/').pop() ?? '';
    const open = vscode.workspace.textDocuments.find(d => d.uri.toString() === uri.toString());
    if ((await fileExists(uri)) && !replace) {
        const button = 'Replace';
        const choice = await vscode.window.showWarningMessage(`${name} already exists next to ${recipeName}. Replace it?`, { modal: true, detail: `Its content is replaced by this export${open?.isDirty ? ', and the unsaved changes in its editor are lost' : ''}. Choose "Export Recipe to Untitled Editor" to keep it and get the new script unsaved.` }, button);
        if (choice !== button) throw new UserCancelledError();
    }
    await vscode.workspace.fs.writeFile(uri, Buffer.from(content, 'utf8'));
    // An editor already showing the file would keep its unsaved text: put it back to what is on disk.
    if (open?.isDirty) {
        await vscode.window.showTextDocument(open);
        await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: false });
    const folder = vscode.workspace.asRelativePath(uri.with({ path: uri.path.slice(0, uri.path.lastIndexOf('/')) }));
    void vscode.window.showInformationMessage(`Saved ${name} next to ${recipeName} (${folder}).`, 'Reveal in Explorer').then(choice => {
        if (choice) void vscode.commands.executeCommand('revealInExplorer', uri);
    });
    return document;
}
