import type * as vscode from 'vscode';
import type { Accounts } from '../auth/Accounts';
import type { AuditLog } from '../audit/auditLog';
import type { RecipeDiagnostics } from '../editor/recipeDiagnostics';
import type { DirectoryTreeProvider } from '../tree/directory/DirectoryTreeProvider';
import type { TreeNode } from '../tree/directory/TreeNode';
import type { RecipePlanTreeProvider } from '../tree/plan/RecipePlanTreeProvider';
import type { DetailsDocuments } from './detailsDocuments';
import type { RecipePasswords } from './recipeStore';
import type { TenantNames } from './tenantNames';
import type { TenantSessions } from './tenantSession';

/**
 * Everything a command may use, one narrow member each. A command names the few it uses in its type
 * (`ActionContext<'audit' | 'sessions'>`) and sees only those: what a command can touch is read from its signature,
 * and a test gives it just that. The composition root builds this once; commands never see the container itself.
 */
export interface CommandServices {
    /** The "M365 Provisioner" output channel. */
    readonly log: vscode.LogOutputChannel;
    /** Signed-in accounts and their token providers. */
    readonly accounts: Accounts;
    /** The active account's (or any account's) Graph and Exchange clients. */
    readonly sessions: TenantSessions;
    /** Tenant id → name and default domain (known without a request once a session has read it). */
    readonly tenantNames: TenantNames;
    /** Read-only Markdown documents: details, summaries, tables. */
    readonly details: DetailsDocuments;
    /** Every change made in a tenant, one line each. */
    readonly audit: AuditLog;
    /** Passwords of accounts a command or recipe created, until revealed once. */
    readonly recipePasswords: RecipePasswords;
    /** The Recipe Plan view. */
    readonly recipePlan: RecipePlanTreeProvider;
    /** Recipe problems in the Problems panel. */
    readonly recipeDiagnostics: RecipeDiagnostics;
    /** The Directory view's rows… */
    readonly directoryTree: DirectoryTreeProvider;
    /** …and the view itself (its selection, reveal). */
    readonly directoryView: vscode.TreeView<TreeNode>;
    /** Where resumable runs keep their journals (the extension's globalState), not the whole ExtensionContext. */
    readonly globalState: vscode.Memento;
    /** Where the extension's files are (for webview bundles). */
    readonly extensionUri: vscode.Uri;
}
