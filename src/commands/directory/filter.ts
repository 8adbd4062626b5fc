import * as vscode from 'vscode';
import type { ActionContext } from '../../platform/runAction';
import { UserCancelledError } from '../../shared/errors';
import { FolderNode } from '../../tree/directory/FolderNode';
import { nodeArgument } from '../shared/nodeArgument';

/**
 * Narrows a folder to what matches the typed text, searched on the server (Graph `$search`, Exchange `-Anr`): one
 * request whatever the tenant's size. From the palette, asks which folder first.
 */
export async function filterFolder(context: ActionContext<'directoryView' | 'directoryTree'>, arg?: unknown): Promise<void> {
    const folder = arg instanceof FolderNode ? arg : (nodeArgument(context, arg) instanceof FolderNode ? nodeArgument(context, arg) as FolderNode : await pickFolder(context));
    if (!folder.spec.filterable) throw new Error(`${folder.spec.label} cannot be searched on the server; expand it to see all.`);
    const text = await vscode.window.showInputBox({
        title: `Filter ${folder.spec.label}`,
        prompt: 'Names, user principal names or addresses starting with this text (searched in the tenant, not just the rows shown)',
        value: folder.filter ?? '',
        placeHolder: 'e.g. adele, or sales@',
        validateInput: value => (value.length > 256 ? 'At most 256 characters.' : undefined),
    });
    if (text === undefined) throw new UserCancelledError();
    folder.setFilter(text);
    await context.directoryView.reveal(folder, { expand: true, focus: true });
}

export function clearFilter(context: ActionContext<'directoryView'>, arg?: unknown): void {
    const node = nodeArgument(context, arg);
    if (node instanceof FolderNode) node.setFilter(undefined);
}

/** The tenant's searchable folders, for the palette. */
async function pickFolder(context: ActionContext<'directoryTree'>): Promise<FolderNode> {
    const root = context.directoryTree.tenant();
    if (!root) throw new Error('Sign in to a tenant first (M365: Sign In…).');
    const top = await root.getChildren();
    const nested = await Promise.all(top.filter(n => !(n instanceof FolderNode)).map(n => n.getChildren()));
    const folders = [...top, ...nested.flat()].filter((n): n is FolderNode => n instanceof FolderNode && n.spec.filterable);
    const choice = await vscode.window.showQuickPick(folders.map(folder => ({ label: folder.spec.label, description: folder.filter ? `filter: "${folder.filter}"` : '', folder })), { title: 'Filter which folder?' });
    if (!choice) throw new UserCancelledError();
    return choice.folder;
}
