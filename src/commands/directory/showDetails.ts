import * as vscode from 'vscode';
import type { DetailsTarget } from '../../graph/objectDetails';
import type { ActionContext } from '../../platform/runAction';
import { ObjectDetailsPanel, objectDetailsViewType, readDetailsView } from '../../webviews/objectDetails/ObjectDetailsPanel';
import type { DetailsView } from '../../webviews/objectDetails/protocol';
import { activeSession, nodeArgument } from '../shared/nodeArgument';

/** What the command returns, for tests: the panel it opened and the page it shows. */
export interface ShownDetails {
    viewType: string;
    title: string;
    html: string;
    view: DetailsView;
}

const kinds = new Set<string>(['user', 'group', 'role', 'licence', 'mailbox', 'roleGroup', 'distributionGroup']);

/**
 * A read-only view of the object in its own tab ("User · Lidia Holloway"): its identity, state, licences, roles and
 * memberships, with Copy, Open in Admin Centre, Refresh and the tree's own actions for that row. The first read runs
 * with progress and can be cancelled; the same object shown again reuses its tab.
 */
export async function showDetails(context: ActionContext<'directoryView' | 'sessions' | 'log' | 'extensionUri'>, arg?: unknown): Promise<ShownDetails> {
    const node = nodeArgument(context, arg);
    const entity = node?.entity;
    if (!node || !entity) throw new Error('Select a user, group, role, licence, role group, mail-enabled group or mailbox in the Directory view to show its details.');
    if (!kinds.has(entity.kind)) throw new Error(`There is no details view for ${entity.displayName} yet; use "Open in Admin Centre".`);
    const target = { ...entity, kind: entity.kind } as DetailsTarget;
    const session = activeSession(context);
    const view = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading ${entity.displayName}…`, cancellable: true }, (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return readDetailsView(session, node, target, abort.signal);
    });
    const panel = ObjectDetailsPanel.show(context, session, node, target, view);
    return { viewType: objectDetailsViewType, title: panel.host.panel.title, html: panel.host.html, view };
}
