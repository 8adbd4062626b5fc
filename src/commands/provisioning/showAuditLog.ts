import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ActionContext } from '../../platform/runAction';

/** Opens the audit log (one JSON line per change) read-only in an editor. */
export async function showAuditLog(context: ActionContext<'audit'>): Promise<void> {
    const file = context.audit.file;
    if (!fs.existsSync(file)) {
        void vscode.window.showInformationMessage('No change has been made in a tenant yet, so the audit log is empty.');
        return;
    }
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(document, { preview: true });
}
