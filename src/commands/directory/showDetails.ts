import * as vscode from 'vscode';
import { groupDetails, licenceDetails, mailboxDetails, roleDetails, userDetails } from '../../graph/objectDetails';
import type { ActionContext } from '../../platform/runAction';
import { activeSession, entityArgument } from '../shared/nodeArgument';

/**
 * A readable page about the object: its properties, memberships and licences with the plans that are on. It opens in
 * the Markdown preview beside the editor; the reads run with progress and can be cancelled.
 */
export async function showDetails(context: ActionContext<'directoryView' | 'sessions' | 'details'>, arg?: unknown): Promise<vscode.Uri> {
    const entity = entityArgument(context, arg, 'show its details');
    const session = activeSession(context);
    const sources = { directory: session.directory, exchange: session.exchangePages };
    const markdown = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading ${entity.displayName}…`, cancellable: true }, (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        const signal = abort.signal;
        switch (entity.kind) {
            case 'user':
                return userDetails(sources, entity.id, signal);
            case 'group':
                return groupDetails(sources, entity.id, signal);
            case 'role':
                return roleDetails(sources, entity.id, signal);
            case 'licence':
                return licenceDetails(sources, entity.id, signal);
            case 'mailbox':
                return mailboxDetails(sources, entity.userPrincipalName ?? entity.id, entity.displayName, signal);
            default:
                throw new Error(`There is no details page for ${entity.displayName} yet; use "Open in Admin Centre".`);
        }
    });
    const uri = context.details.put(entity.displayName, `${entity.kind}/${entity.id}`, markdown);
    try {
        await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
        // Without the built-in Markdown extension the page still opens, as text.
        await vscode.window.showTextDocument(uri, { preview: true });
    }
    return uri;
}
