import * as vscode from 'vscode';
import type { Accounts, SignedInAccount } from '../../auth/Accounts';
import { ViewIds } from '../../constants';
import type { TenantSessions } from '../../platform/tenantSession';
import { TenantNode } from './TenantNode';
import type { DirectoryContext, TreeNode } from './TreeNode';

/**
 * The "Directory" view: the active account's tenant as an admin thinks of it. Empty while nobody is signed in, so the
 * view's welcome content shows. Rebuilt when the active account changes.
 */
export class DirectoryTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
    private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
    readonly onDidChangeTreeData = this.emitter.event;
    private root: TenantNode | undefined;
    /** Whose tree the root shows: the account and the client it signed in with (switching to our own app is a new root). */
    private rootKey: string | undefined;
    private readonly subscription: { dispose(): void };

    constructor(private readonly accounts: Accounts, private readonly sessions: TenantSessions) {
        this.subscription = accounts.onDidChange(() => {
            if (rootKeyOf(accounts.active()) !== this.rootKey) this.refresh();
        });
    }

    getTreeItem(node: TreeNode): vscode.TreeItem {
        return node.getTreeItem();
    }

    getChildren(node?: TreeNode): Promise<TreeNode[]> {
        if (node) return node.getChildren();
        const root = this.tenant();
        return Promise.resolve(root ? [root] : []);
    }

    getParent(node: TreeNode): TreeNode | undefined {
        return node.parent;
    }

    /** The root for the active account, or undefined when signed out. */
    tenant(): TenantNode | undefined {
        const session = this.sessions.active();
        if (!session) {
            this.root = undefined;
            this.rootKey = undefined;
            return undefined;
        }
        if (!this.root || this.rootKey !== rootKeyOf(session.account)) {
            const context: DirectoryContext = {
                session,
                changed: changedNode => this.emitter.fire(changedNode),
                withViewProgress: work => Promise.resolve(vscode.window.withProgress({ location: { viewId: ViewIds.directory } }, work)),
            };
            this.root = new TenantNode(context);
            this.rootKey = rootKeyOf(session.account);
        }
        return this.root;
    }

    /** Reads `node` (or the whole tenant) again on next expansion, and redraws it now. */
    refresh(node?: TreeNode): void {
        if (node) node.reset();
        else if (this.rootKey !== rootKeyOf(this.accounts.active())) this.root = undefined;
        else this.root?.reset();
        this.emitter.fire(node);
    }

    dispose(): void {
        this.subscription.dispose();
        this.emitter.dispose();
    }
}

function rootKeyOf(account: SignedInAccount | undefined): string | undefined {
    return account ? `${account.id}|${account.clientId}` : undefined;
}
