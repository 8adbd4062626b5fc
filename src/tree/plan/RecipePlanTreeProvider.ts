import * as vscode from 'vscode';
import { ContextKeys } from '../../constants';

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

type Node = { header: PlanViewContent } | { row: PlanRow; uri: vscode.Uri };

/**
 * The Recipe Plan view: the last plan, apply or verify of a recipe, one row per step with its status, the header
 * naming the recipe and the counts. Clicking a row opens the recipe at the step's entry (for a blocked step, the field
 * to fix).
 */
export class RecipePlanTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
    private content: PlanViewContent | undefined;
    private readonly changed = new vscode.EventEmitter<Node | undefined>();
    readonly onDidChangeTreeData = this.changed.event;

    get current(): PlanViewContent | undefined {
        return this.content;
    }

    show(content: PlanViewContent): void {
        this.content = content;
        void vscode.commands.executeCommand('setContext', ContextKeys.hasRecipePlan, true);
        this.changed.fire(undefined);
    }

    getChildren(element?: Node): Node[] {
        if (!this.content) return [];
        if (!element) return [{ header: this.content }];
        if ('header' in element) return element.header.rows.map(row => ({ row, uri: element.header.uri }));
        return [];
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
        const item = new vscode.TreeItem(`${row.kind}: ${row.target}`, vscode.TreeItemCollapsibleState.None);
        item.id = `${row.id}|${uri.toString()}`;
        item.description = word;
        item.tooltip = new vscode.MarkdownString(`**${row.kind}**: ${row.target}\n\n*${word}*: ${row.detail}`);
        item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
        item.accessibilityInformation = { label: `${row.kind} ${row.target}, ${word}. ${row.detail}` };
        item.contextValue = `m365Provisioner:recipeStep+${row.status}`;
        item.command = { command: 'vscode.open', title: 'Show in Recipe', arguments: [uri, row.range ? { selection: row.range } : {}] };
        return item;
    }

    dispose(): void {
        this.changed.dispose();
    }
}
