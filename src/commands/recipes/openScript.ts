import * as vscode from 'vscode';
import type { ExportTarget } from '../../provisioning/export/recipeExport';

/**
 * Opens an exported script in a new, unsaved editor named after its recipe and kind, beside the recipe file
 * (`calendar.m365recipe.json` → `calendar.cloud.ps1`, `calendar.on-premises-hybrid.ps1`), so Save proposes a name that
 * says what the script is instead of "Untitled-1". A name already open or on disk gets `-2`, `-3`…: an export never
 * replaces another script, saved or not.
 */
export async function openScript(recipeUri: vscode.Uri, target: ExportTarget, content: string): Promise<vscode.TextDocument> {
    let uri = recipeUri;
    for (let n = 1; ; n++) {
        uri = recipeUri.with({ scheme: 'untitled', path: scriptPath(recipeUri, target, n) });
        if (!(await isTaken(uri))) break;
    }
    const document = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(0, 0), content);
    await vscode.workspace.applyEdit(edit);
    return vscode.languages.setTextDocumentLanguage(document, 'powershell');
}

/** `calendar.m365recipe.json` → `calendar.cloud.ps1` in the same folder (`-2`, `-3`… for the nth untitled one). */
export function scriptPath(recipeUri: vscode.Uri, target: ExportTarget, n = 1): string {
    const base = recipeUri.path.replace(/\.m365recipe\.json$/i, '');
    const kind = target.variant === 'cloud'
        ? target.cloud === 'Global' || target.cloud === 'Custom' ? 'cloud' : `cloud-${target.cloud}`
        : `on-premises-${target.organisation}`;
    return `${base}.${kind}${n > 1 ? `-${n}` : ''}.ps1`;
}

async function isTaken(untitled: vscode.Uri): Promise<boolean> {
    const name = untitled.path;
    if (vscode.workspace.textDocuments.some(d => d.uri.path === name && (d.isUntitled || d.uri.scheme === 'file'))) return true;
    try {
        await vscode.workspace.fs.stat(untitled.with({ scheme: 'file' }));
        return true;
    } catch {
        return false;
    }
}
