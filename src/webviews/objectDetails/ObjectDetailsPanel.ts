import * as vscode from 'vscode';
import { CommandIds, ExtensionId } from '../../constants';
import { objectDetails, type DetailsTarget } from '../../graph/objectDetails';
import type { ActionContext } from '../../platform/runAction';
import type { TenantSession } from '../../platform/tenantSession';
import type { TreeNode } from '../../tree/directory/TreeNode';
import { RequestRefusedError } from '../rpc';
import { WebviewHost, type RequestHandlers } from '../WebviewHost';
import { detailsStyles } from './detailsStyles';
import { copyableValues, detailsValidators, type DetailsEvents, type DetailsRequests, type DetailsView } from './protocol';
import { treeActionsFor, type MenuManifest } from './treeActions';

export const objectDetailsViewType = 'm365Provisioner.objectDetails';

/** What the panel uses: the active session (to refuse acting in another tenant), the log, the bundle's folder. */
export type DetailsPanelContext = ActionContext<'sessions' | 'log' | 'extensionUri'>;

const kindWords: Record<DetailsTarget['kind'], string> = { user: 'User', group: 'Group', role: 'Role', licence: 'Licence', mailbox: 'Mailbox', roleGroup: 'Role group', distributionGroup: 'Mail-enabled group' };

/** The tab's title: the kind first, as the admin scans tabs for "User · Lidia Holloway". */
export function detailsPanelTitle(target: DetailsTarget): string {
    return `${kindWords[target.kind]} · ${target.displayName}`;
}

/** The row's context value, as the tree gave it to VS Code's menus. */
const contextValueOf = (node: TreeNode): string => node.getTreeItem().contextValue ?? '';

/** Reads the object, its tenant's name and the tree's actions for its row: the whole page. */
export async function readDetailsView(session: TenantSession, node: TreeNode, target: DetailsTarget, signal?: AbortSignal): Promise<DetailsView> {
    const [details, tenant] = await Promise.all([objectDetails({ directory: session.directory, exchange: session.exchangePages }, target, signal), session.tenantName()]);
    const manifest = (vscode.extensions.getExtension(ExtensionId)?.packageJSON ?? {}) as MenuManifest;
    return { details, tenant, actions: treeActionsFor(manifest, contextValueOf(node)), readAt: new Date().toISOString() };
}

/**
 * A read-only page about one object, with its actions: one panel per object (Show Details again brings it forward
 * with what the tenant says now). Actions run the tree's own commands with the row the view was opened from, so a
 * command behaves exactly as from the tree; they are refused when the active account is no longer this object's.
 */
export class ObjectDetailsPanel {
    private static readonly open = new Map<string, ObjectDetailsPanel>();
    readonly host: WebviewHost<DetailsRequests, DetailsEvents>;

    private constructor(
        private readonly context: DetailsPanelContext,
        private readonly session: TenantSession,
        private readonly node: TreeNode,
        private readonly target: DetailsTarget,
        private view: DetailsView,
        key: string,
    ) {
        this.host = new WebviewHost<DetailsRequests, DetailsEvents>({
            viewType: objectDetailsViewType,
            title: detailsPanelTitle(target),
            bundle: 'objectDetails',
            extensionUri: context.extensionUri,
            validators: detailsValidators,
            handlers: this.handlers(),
            log: context.log,
            styles: detailsStyles,
        });
        this.host.onDidDispose(() => {
            if (ObjectDetailsPanel.open.get(key) === this) ObjectDetailsPanel.open.delete(key);
        });
    }

    /** Opens the object's panel, or brings its open panel forward with the page just read. */
    static show(context: DetailsPanelContext, session: TenantSession, node: TreeNode, target: DetailsTarget, view: DetailsView): ObjectDetailsPanel {
        // Per sign-in (account and app) and object: the same user seen through two accounts is two pages.
        const key = `${session.account.id}|${session.account.clientId}|${target.kind}/${target.id}`;
        const existing = ObjectDetailsPanel.open.get(key);
        if (existing) {
            existing.view = view;
            existing.host.post('view', view);
            existing.host.panel.reveal();
            return existing;
        }
        const panel = new ObjectDetailsPanel(context, session, node, target, view, key);
        ObjectDetailsPanel.open.set(key, panel);
        return panel;
    }

    private handlers(): RequestHandlers<DetailsRequests> {
        return {
            view: () => Promise.resolve(this.view),
            refresh: async (_, signal) => {
                this.view = await readDetailsView(this.session, this.node, this.target, signal);
                return this.view;
            },
            copy: async ({ value }) => {
                const offered = copyableValues(this.view).find(c => c.value === value);
                if (!offered) throw new RequestRefusedError('The view offers no such value to copy.');
                await vscode.env.clipboard.writeText(offered.value);
                vscode.window.setStatusBarMessage(`Copied the ${offered.label.toLowerCase()} of ${this.view.details.name}`, 3000);
                return null;
            },
            openInAdminCentre: async () => {
                this.refuseInAnotherTenant('open it in the admin centre');
                await vscode.commands.executeCommand(CommandIds.openInAdminCentre, this.node);
                return null;
            },
            run: async ({ command }) => {
                if (!this.view.actions.some(a => a.command === command)) throw new RequestRefusedError('The tree offers no such action for this object.');
                this.refuseInAnotherTenant('act on it');
                // The argument the tree's context menu passes; the command's own wrapper reports its failures.
                await vscode.commands.executeCommand(command, this.node);
                return null;
            },
        };
    }

    /** The tree's commands act in the active account's tenant: after a switch, this page's object is not there. */
    private refuseInAnotherTenant(what: string): void {
        const active = this.context.sessions.active()?.account;
        const mine = this.session.account;
        if (active?.id === mine.id && active.clientId === mine.clientId) return;
        throw new Error(`${this.view.details.name} is in ${this.view.tenant}, signed in as ${mine.username}. Switch back to that account to ${what}.`);
    }
}
