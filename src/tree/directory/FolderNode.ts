import * as vscode from 'vscode';
import type { ListPage, PageRequest } from '../../graph/directoryPages';
import { contextValue } from '../contextValues';
import { describeLoadError } from './loadErrors';
import { FixedChildrenNode, LoadMoreNode, MessageNode, TreeNode, type DirectoryContext } from './TreeNode';

/** Thrown by a folder's load when the answer is a fact to show, not an error: "Adele Vance has no mailbox". */
export class FolderNotice extends Error {}

/** What makes one folder of the tree: how to read a page, and the row each item becomes. */
export interface FolderSpec<T> {
    label: string;
    icon: string;
    /** Plural noun for messages: "No users match". */
    noun: string;
    /** True when the folder's list can be searched on the server (the filter action shows). */
    filterable: boolean;
    load(request: PageRequest): Promise<ListPage<T>>;
    child(folder: FolderNode<T>, item: T): TreeNode;
    /** A flag in the row's context value naming the folder, so menus can offer folder-specific actions. */
    kind?: string;
    /** Text after the label when no filter is set, e.g. a count known up front. */
    description?: string;
    collapsed?: boolean;
}

/**
 * A folder that reads its list one page at a time (100 rows, one request), adds a "Load more" row while the tenant
 * has more, and keeps what it read until refreshed. A filter replaces the list with a server-side search. A failed
 * load becomes an error row with Retry, never a notification.
 */
export class FolderNode<T = unknown> extends TreeNode {
    private items: T[] | undefined;
    private children: TreeNode[] | undefined;
    private nextLink: string | undefined;
    private count: number | undefined;
    private failure: MessageNode | undefined;
    private abort = new AbortController();
    filter: string | undefined;
    /** Pages read since the last reset (the first included): what "Load more" costs is one more. */
    pagesLoaded = 0;

    constructor(
        parent: TreeNode,
        key: string,
        protected readonly context: DirectoryContext,
        readonly spec: FolderSpec<T>,
    ) {
        super(parent, `${parent.id}/${key}`);
    }

    getTreeItem(): vscode.TreeItem {
        const item = new vscode.TreeItem(this.spec.label, this.spec.collapsed === false ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = this.id;
        item.iconPath = new vscode.ThemeIcon(this.spec.icon);
        item.description = this.filterDescription() ?? this.spec.description;
        item.contextValue = contextValue('folder', this.filterFlags());
        item.tooltip = this.filter ? `${this.spec.label}, filtered on the server by "${this.filter}". Use the clear action to see all.` : this.spec.label;
        return item;
    }

    /** "filter: "adele" · 3 found" while a filter is set: the folder says why it shows fewer rows. */
    protected filterDescription(): string | undefined {
        if (!this.filter) return undefined;
        return `filter: "${this.filter}"${this.count !== undefined ? ` · ${this.count} found` : ''}`;
    }

    /** The context flags every filterable row carries, so the filter and clear actions show where they apply. */
    protected filterFlags(): Record<string, boolean> {
        return { filterable: this.spec.filterable, filtered: this.filter !== undefined, ...(this.spec.kind ? { [this.spec.kind]: true } : {}) };
    }

    override async getChildren(): Promise<TreeNode[]> {
        if (this.failure) return [this.failure];
        if (!this.items) {
            try {
                const countBefore = this.count;
                await this.readPage();
                // VS Code drew this row before its children loaded; redraw it once so "· N found" appears.
                if (this.filter && this.count !== countBefore) setTimeout(() => this.context.changed(this), 0);
            } catch (error) {
                if (this.abort.signal.aborted) return [];
                // A notice (such as "no mailbox") is an answer, not a failure: no Retry.
                this.failure = error instanceof FolderNotice ? new MessageNode(this, error.message, 'info') : new MessageNode(this, describeLoadError(error), 'error', this.spec.label);
                return [this.failure];
            }
        }
        return (this.children ??= this.buildChildren());
    }

    /** Reads the next page and redraws the folder; a failure shows as an error row. */
    async loadMore(): Promise<void> {
        if (!this.nextLink || !this.items) return;
        try {
            await this.readPage();
        } catch (error) {
            if (!this.abort.signal.aborted) this.failure = new MessageNode(this, describeLoadError(error), 'error', this.spec.label);
        }
        this.context.changed(this);
    }

    get hasMore(): boolean {
        return this.nextLink !== undefined;
    }

    get loadedItems(): readonly T[] {
        return this.items ?? [];
    }

    setFilter(text: string | undefined): void {
        this.filter = text?.trim() ? text.trim() : undefined;
        this.reset();
        this.context.changed(this);
    }

    override reset(): void {
        this.abort.abort();
        this.abort = new AbortController();
        this.items = undefined;
        this.children = undefined;
        this.nextLink = undefined;
        this.count = undefined;
        this.failure = undefined;
        this.pagesLoaded = 0;
    }

    private async readPage(): Promise<void> {
        const signal = this.abort.signal;
        const request: PageRequest = { signal, ...(this.items && this.nextLink ? { nextLink: this.nextLink } : {}), ...(this.filter ? { search: this.filter } : {}) };
        const page = await this.context.withViewProgress(() => this.spec.load(request));
        if (signal.aborted) return;
        this.items = [...(this.items ?? []), ...page.items];
        this.nextLink = page.nextLink;
        if (page.count !== undefined) this.count = page.count;
        this.pagesLoaded++;
        this.children = undefined;
    }

    private buildChildren(): TreeNode[] {
        const items = this.items ?? [];
        if (!items.length) return [new MessageNode(this, this.filter ? `No ${this.spec.noun} match "${this.filter}"` : `No ${this.spec.noun}`, 'info')];
        const rows = items.map(item => this.spec.child(this, item));
        if (this.nextLink) rows.push(new LoadMoreNode(this, items.length));
        return rows;
    }
}

/** A folder whose rows are known without a request (the tenant's Exchange folder, a licence's service plans). */
export class StaticFolderNode extends FixedChildrenNode {
    constructor(
        parent: TreeNode,
        key: string,
        private readonly label: string,
        private readonly icon: string,
        private readonly build: (folder: StaticFolderNode) => TreeNode[],
        private readonly description?: string,
    ) {
        super(parent, `${parent.id}/${key}`);
    }

    getTreeItem(): vscode.TreeItem {
        const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = this.id;
        item.iconPath = new vscode.ThemeIcon(this.icon);
        item.description = this.description;
        item.contextValue = contextValue('folder');
        return item;
    }

    protected buildChildren(): TreeNode[] {
        return this.build(this);
    }
}
