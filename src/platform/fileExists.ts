import * as vscode from 'vscode';

/** Whether something is at this URI (any file system VS Code knows: local, remote, virtual). */
export async function fileExists(uri: vscode.Uri): Promise<boolean> {
    try {
        await vscode.workspace.fs.stat(uri);
        return true;
    } catch {
        return false;
    }
}
