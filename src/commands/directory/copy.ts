import * as vscode from 'vscode';
import type { ActionContext } from '../../platform/runAction';
import { entityArgument } from '../shared/nodeArgument';

export async function copyId(context: ActionContext<'directoryView'>, arg?: unknown): Promise<void> {
    const entity = entityArgument(context, arg, 'copy its id');
    await vscode.env.clipboard.writeText(entity.id);
    vscode.window.setStatusBarMessage(`Copied the id of ${entity.displayName}`, 3000);
}

export async function copyUpn(context: ActionContext<'directoryView'>, arg?: unknown): Promise<void> {
    const entity = entityArgument(context, arg, 'copy its user principal name');
    if (!entity.userPrincipalName) throw new Error(`${entity.displayName} has no user principal name.`);
    await vscode.env.clipboard.writeText(entity.userPrincipalName);
    vscode.window.setStatusBarMessage(`Copied ${entity.userPrincipalName}`, 3000);
}
