import * as vscode from 'vscode';
import { CommandIds } from '../../constants';
import type { TenantSession } from '../../platform/tenantSession';
import { contextValue } from '../contextValues';

/** What every node of the Directory view can reach: the tenant's clients, and a way to redraw part of the tree. */
export interface DirectoryContext {
    readonly session: TenantSession;
    /** Redraws `node`'s children (or the whole view); the provider fires onDidChangeTreeData. */
    changed(node?: TreeNode): void;
    /** Runs a load with the view's own progress indicator (no notification). */
    withViewProgress<T>(work: () => Promise<T>): Promise<T>;
}

/** The object a node stands for, for the commands that act on any of them (copy, details, admin centre). */
export interface DirectoryEntity {
    kind: 'user' | 'group' | 'role' | 'licence' | 'roleGroup' | 'distributionGroup' | 'mailbox' | 'tenant' | 'recipient' | 'userLicence' | 'application';
    id: string;
    displayName: string;
    /** Users and mailboxes: what "Copy UPN" copies. */
    userPrincipalName?: string;
    /** App registrations: the application (client) id, which "Copy App Id" copies and the admin centre opens by. */
    appId?: string;
}

/**
 * A row of the Directory view. Ids are paths from the root (`tenant/users/<oid>`), so the same user under two folders
 * is two rows, and expansion state survives a refresh.
 */
export abstract class TreeNode {
    constructor(readonly parent: TreeNode | undefined, readonly id: string) {}

    abstract getTreeItem(): vscode.TreeItem;

    getChildren(): Promise<TreeNode[]> {
        return Promise.resolve([]);
    }

    /** The object this row stands for, if any. */
    get entity(): DirectoryEntity | undefined {
        return undefined;
    }

    /** Forgets what was loaded, so the next expansion asks the tenant again. */
    reset(): void {
        // Leaf rows hold nothing.
    }
}

/**
 * A row whose children are known without a request (the tenant's folders, a user's folders): built once, and a
 * reset passes down to them, so each folder reads again on its next expansion.
 */
export abstract class FixedChildrenNode extends TreeNode {
    private children: TreeNode[] | undefined;

    protected abstract buildChildren(): TreeNode[];

    override getChildren(): Promise<TreeNode[]> {
        return Promise.resolve((this.children ??= this.buildChildren()));
    }

    override reset(): void {
        for (const child of this.children ?? []) child.reset();
    }
}

/** A row that only says something: "No users match", or a load that failed, with Retry. */
export class MessageNode extends TreeNode {
    constructor(
        parent: TreeNode,
        private readonly text: string,
        private readonly kind: 'info' | 'error',
        private readonly detail?: string,
    ) {
        super(parent, `${parent.id}/#${kind}`);
    }

    getTreeItem(): vscode.TreeItem {
        const item = new vscode.TreeItem(this.text, vscode.TreeItemCollapsibleState.None);
        item.id = this.id;
        item.iconPath = new vscode.ThemeIcon(this.kind === 'error' ? 'error' : 'info', this.kind === 'error' ? new vscode.ThemeColor('errorForeground') : undefined);
        item.contextValue = contextValue(this.kind === 'error' ? 'loadError' : 'message');
        if (this.kind === 'error') {
            item.description = 'Retry';
            item.tooltip = new vscode.MarkdownString(`**Could not load.** ${this.text}${this.detail ? `\n\n${this.detail}` : ''}\n\nClick to try again; the log has the request id.`);
            item.command = { command: CommandIds.directoryRetry, title: 'Retry', arguments: [this.parent] };
        }
        return item;
    }
}

/** The last row of a folder with more pages: clicking it loads the next page (one request). */
export class LoadMoreNode extends TreeNode {
    constructor(parent: TreeNode, private readonly shown: number) {
        super(parent, `${parent.id}/#more`);
    }

    getTreeItem(): vscode.TreeItem {
        const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
        item.id = `${this.id}/${this.shown}`;
        item.description = `${this.shown} shown`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.contextValue = contextValue('loadMore');
        item.command = { command: CommandIds.directoryLoadMore, title: 'Load More', arguments: [this.parent] };
        return item;
    }
}

/** A markdown tooltip from a title and `label: value` lines, with user text escaped. */
export function tooltip(title: string, lines: [string, string | number | null | undefined][]): vscode.MarkdownString {
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${escapeMarkdown(title)}**\n\n`);
    for (const [label, value] of lines) {
        if (value !== undefined && value !== null && value !== '') md.appendMarkdown(`- ${label}: ${escapeMarkdown(String(value))}\n`);
    }
    return md;
}

export function escapeMarkdown(text: string): string {
    return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
