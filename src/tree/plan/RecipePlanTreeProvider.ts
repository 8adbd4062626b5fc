import * as vscode from 'vscode';
import { ContextKeys, ViewIds } from '../../constants';

/** What a row says about a step: a plan's status, an apply's outcome, or a verify's finding. */
export type PlanRowStatus = 'create' | 'change' | 'remove' | 'done' | 'blocked' | 'created' | 'changed' | 'removed' | 'alreadyInPlace' | 'failed' | 'notRun' | 'inSync' | 'drift';

export interface PlanRow {
    /** The step's JSON pointer in the recipe. */
    id: string;
    /** The kind of step, in the admin's words ("Service account"). */
    kind: string;
    target: string;
    status: PlanRowStatus;
    detail: string;
    /**
     * What differs, one line each (which mailboxes, which roles), shown as the row's children when the step drifted,
     * is blocked or failed. Without it those rows show `detail`, split at its "; ".
     */
    differences?: string[];
    /** Where in the recipe file the step (or the field to fix) is; a click goes there. */
    range?: vscode.Range;
}

export interface PlanViewContent {
    /** "Plan", "Apply" or "Verify". */
    title: string;
    recipeName: string;
    uri: vscode.Uri;
    /** One line: counts per status, or the outcome. */
    summary: string;
    rows: PlanRow[];
}

/** Each status: its words (lower case, as the summary counts them), its icon and the theme colour of both. */
const statusText: Record<PlanRowStatus, [string, string, string?]> = {
    create: ['to create', 'add', 'charts.green'],
    change: ['to change', 'edit', 'charts.yellow'],
    remove: ['to remove', 'trash', 'charts.red'],
    done: ['already done', 'check', 'charts.green'],
    blocked: ['blocked', 'error', 'errorForeground'],
    created: ['created', 'pass-filled', 'charts.green'],
    changed: ['changed', 'pass-filled', 'charts.green'],
    removed: ['removed', 'pass-filled', 'charts.green'],
    alreadyInPlace: ['already in place', 'check'],
    failed: ['failed', 'error', 'errorForeground'],
    notRun: ['not run', 'circle-slash', 'disabledForeground'],
    inSync: ['in sync', 'check', 'charts.green'],
    drift: ['drift', 'warning', 'charts.yellow'],
};
export const statusLabel = (status: PlanRowStatus): string => statusText[status][0];

/** A row's status as its label's first word: "To create". */
export const statusHeading = (status: PlanRowStatus): string => statusLabel(status).replace(/^./, c => c.toUpperCase());

/** Rows whose reason the admin must read to act: expanded, the reason as child rows, not only in the hover. */
const explained = new Set<PlanRowStatus>(['blocked', 'failed', 'drift']);

/** The lines under a drifted, blocked or failed row: the step's own list, or its detail cut at "; ". */
export function differenceLines(row: PlanRow): string[] {
    if (row.differences?.length) return row.differences;
    return row.detail.split(/;\s+/).map(line => line.trim()).filter(Boolean);
}

type Node = { header: PlanViewContent } | { row: PlanRow; uri: vscode.Uri } | { line: string; row: PlanRow; uri: vscode.Uri; index: number };

/**
 * The Recipe Plan view: the last plan, apply or verify of a recipe, one row per step, the header naming the recipe and
 * the counts. The side bar is narrow (300 px by default), so each row leads with what an admin scans for, the status
 * ("To create", "Drift"), coloured with its icon, and puts the step ("Service account: sa-…@contoso.com") in the
 * description, which is what gets cut when the bar is narrow; the hover has everything. Drifted, blocked and failed
 * rows open to say why, one child row a line. The view's message (above the rows, wrapped, never cut) repeats the
 * counts. Clicking a row opens the recipe at the step's entry (for a blocked step, the field to fix).
 */
export class RecipePlanTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
    private content: PlanViewContent | undefined;
    private readonly changed = new vscode.EventEmitter<Node | undefined>();
    readonly onDidChangeTreeData = this.changed.event;
    private view: vscode.TreeView<Node> | undefined;

    get current(): PlanViewContent | undefined {
        return this.content;
    }

    /** The view itself, created here so the provider can set its message. */
    createView(): vscode.TreeView<Node> {
        this.view = vscode.window.createTreeView(ViewIds.recipePlan, { treeDataProvider: this });
        return this.view;
    }

    show(content: PlanViewContent): void {
        this.content = content;
        void vscode.commands.executeCommand('setContext', ContextKeys.hasRecipePlan, true);
        if (this.view) {
            this.view.message = `${content.title} of ${content.recipeName}: ${content.summary}`;
            this.view.description = content.title;
        }
        this.changed.fire(undefined);
    }

    getChildren(element?: Node): Node[] {
        if (!this.content) return [];
        if (!element) return [{ header: this.content }];
        if ('header' in element) return element.header.rows.map(row => ({ row, uri: element.header.uri }));
        if ('line' in element) return [];
        if (!explained.has(element.row.status)) return [];
        return differenceLines(element.row).map((line, index) => ({ line, row: element.row, uri: element.uri, index }));
    }

    getTreeItem(element: Node): vscode.TreeItem {
        if ('header' in element) {
            const { header } = element;
            const item = new vscode.TreeItem(`${header.title}: ${header.recipeName}`, vscode.TreeItemCollapsibleState.Expanded);
            item.id = `${header.title}|${header.uri.toString()}`;
            item.description = header.summary;
            item.tooltip = `${header.title} of ${vscode.workspace.asRelativePath(header.uri)}: ${header.summary}`;
            item.iconPath = new vscode.ThemeIcon('checklist');
            item.resourceUri = header.uri;
            item.contextValue = 'm365Provisioner:recipePlan';
            item.command = { command: 'vscode.open', title: 'Open Recipe', arguments: [header.uri] };
            return item;
        }
        const { row, uri } = element;
        const [word, icon, color] = statusText[row.status];
        const showInRecipe: vscode.Command = { command: 'vscode.open', title: 'Show in Recipe', arguments: [uri, row.range ? { selection: row.range } : {}] };
        if ('line' in element) {
            const item = new vscode.TreeItem(element.line, vscode.TreeItemCollapsibleState.None);
            item.id = `${row.id}|${row.status}|${uri.toString()}|${element.index}`;
            item.tooltip = element.line;
            item.iconPath = new vscode.ThemeIcon('dash', color ? new vscode.ThemeColor(color) : undefined);
            item.contextValue = 'm365Provisioner:recipeStepLine';
            item.command = showInRecipe;
            return item;
        }
        const expandable = explained.has(row.status) && differenceLines(row).length > 0;
        const item = new vscode.TreeItem(statusHeading(row.status), expandable ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
        // The status is part of the id: VS Code keeps a row's expanded or collapsed state by id, so a step that was
        // "Applied" (no child rows) and is now "Drift" must be a new row for its differences to show expanded.
        item.id = `${row.id}|${row.status}|${uri.toString()}`;
        item.description = `${row.kind}: ${row.target}`;
        item.tooltip = new vscode.MarkdownString(`**${row.kind}**: ${row.target}\n\n*${word}*: ${row.detail}`);
        item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
        item.accessibilityInformation = { label: `${word}: ${row.kind} ${row.target}. ${row.detail}` };
        item.contextValue = `m365Provisioner:recipeStep+${row.status}`;
        item.command = showInRecipe;
        return item;
    }

    dispose(): void {
        this.changed.dispose();
    }
}
