import * as path from 'node:path';
import * as vscode from 'vscode';
import { Accounts } from './auth/Accounts';
import { AuditLog } from './audit/auditLog';
import { registerCommands } from './commands/registerCommands';
import { DetailsScheme, OutputChannelName, ViewIds } from './constants';
import { accountStatusBar } from './platform/accountStatusBar';
import { nameTenantInConfirmations } from './platform/actionUi';
import type { CommandServices } from './platform/commandServices';
import { msalNetworkFor } from './platform/network';
import { DetailsDocuments } from './platform/detailsDocuments';
import { TenantSessions } from './platform/tenantSession';
import { TenantNames } from './platform/tenantNames';
import { AccountsTreeProvider } from './tree/AccountsTreeProvider';
import { DirectoryTreeProvider } from './tree/directory/DirectoryTreeProvider';
import type { TreeNode } from './tree/directory/TreeNode';
import { registerRecipeCodeLens } from './editor/recipeCodeLens';
import { RecipeDiagnostics } from './editor/recipeDiagnostics';
import { RecipePasswords } from './platform/recipeStore';
import { RecipePlanTreeProvider } from './tree/plan/RecipePlanTreeProvider';
import { openWalkthroughOnFirstStart, tickExploreOnFirstFolder } from './platform/walkthrough';

/**
 * The composition root: creates the services once and owns their disposables. Activation must stay cheap (no network
 * and no heavy imports), so services that talk to the tenant are created lazily by the commands that need them.
 */
export class Container implements vscode.Disposable {
    readonly log: vscode.LogOutputChannel;
    /** Signed-in accounts: the list lives in globalState, tokens and app credentials only in SecretStorage. */
    readonly accounts: Accounts;
    /** The active account's Graph and Exchange clients, built on first use. */
    readonly sessions: TenantSessions;
    /** Tenant id → name and default domain, kept across restarts so views name tenants without a request. */
    readonly tenantNames: TenantNames;
    readonly details = new DetailsDocuments();
    /** Every change made in a tenant, one JSON line each, in the extension's global storage. */
    readonly audit: AuditLog;
    /** Passwords of accounts a recipe created, in SecretStorage until revealed once. */
    readonly recipePasswords: RecipePasswords;
    /** The Recipe Plan view: the last plan, apply or verify. */
    readonly recipePlan = new RecipePlanTreeProvider();
    recipeDiagnostics!: RecipeDiagnostics;
    directoryTree!: DirectoryTreeProvider;
    directoryView!: vscode.TreeView<TreeNode>;
    private readonly disposables: vscode.Disposable[] = [];

    constructor(readonly context: vscode.ExtensionContext) {
        this.log = vscode.window.createOutputChannel(OutputChannelName, { log: true });
        this.accounts = new Accounts(context.globalState, context.secrets, msalNetworkFor, this.log);
        this.tenantNames = new TenantNames(context.globalState);
        this.sessions = new TenantSessions(this.accounts, this.log, this.tenantNames);
        this.audit = new AuditLog(path.join(context.globalStorageUri.fsPath, 'audit.jsonl'), (record, error) => {
            // The change itself is done (or failed) as reported; only its line is missing. The line goes to the log so
            // it can be added by hand, and the admin is told once per line.
            this.log.error(`[Audit] Could not write to ${this.audit.file}: ${error.message}. The line: ${JSON.stringify(record)}`);
            void vscode.window.showWarningMessage(`${record.result === 'failed' ? 'A change failed as reported' : 'The change was made'} (${record.action}: ${record.target}), but its audit line could not be written to ${this.audit.file} (${error.message}). Free disk space or make the folder writable; the line is in the log (Show Log) so you can add it by hand.`, 'Show Log').then(choice => {
                if (choice === 'Show Log') this.log.show();
            });
        });
        this.recipePasswords = new RecipePasswords(context.secrets, context.globalState);
        this.disposables.push(this.log);
    }

    start(): void {
        const accountsTree = new AccountsTreeProvider(this.accounts, this.tenantNames, this.sessions);
        this.directoryTree = new DirectoryTreeProvider(this.accounts, this.sessions);
        this.directoryView = vscode.window.createTreeView(ViewIds.directory, { treeDataProvider: this.directoryTree, showCollapseAll: true });
        this.recipeDiagnostics = new RecipeDiagnostics();
        // What commands may use, and nothing more: each command names the few members it needs.
        const services: CommandServices = {
            log: this.log,
            accounts: this.accounts,
            sessions: this.sessions,
            tenantNames: this.tenantNames,
            details: this.details,
            audit: this.audit,
            recipePasswords: this.recipePasswords,
            recipePlan: this.recipePlan,
            recipeDiagnostics: this.recipeDiagnostics,
            directoryTree: this.directoryTree,
            directoryView: this.directoryView,
            globalState: this.context.globalState,
            extensionUri: this.context.extensionUri,
        };
        this.disposables.push(
            accountsTree,
            vscode.window.createTreeView(ViewIds.accounts, { treeDataProvider: accountsTree }),
            this.directoryTree,
            this.directoryView,
            vscode.workspace.registerTextDocumentContentProvider(DetailsScheme, this.details),
            this.details,
            accountStatusBar(this.accounts, this.tenantNames),
            nameTenantInConfirmations(() => this.sessions.active()?.tenantName() ?? Promise.resolve(undefined)),
            this.recipePlan,
            this.recipePlan.createView(),
            this.recipeDiagnostics,
            registerRecipeCodeLens(),
            ...registerCommands(services),
        );
        // Once, the first time the extension starts (see walkthrough.ts for why VS Code alone does not).
        void openWalkthroughOnFirstStart(this.context.globalState);
        this.disposables.push(tickExploreOnFirstFolder(this.directoryView));
    }

    dispose(): void {
        for (const disposable of this.disposables.splice(0).reverse()) {
            disposable.dispose();
        }
    }
}
