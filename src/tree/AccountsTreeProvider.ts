import * as vscode from 'vscode';
import type { Accounts, SignedInAccount } from '../auth/Accounts';
import { signInIntent } from '../auth/signInIntents';
import { contextValue } from './contextValues';

/** The "Accounts" view: every signed-in user or app, the active one marked. Empty (so the welcome shows) when none. */
export class AccountsTreeProvider implements vscode.TreeDataProvider<SignedInAccount>, vscode.Disposable {
    private readonly changed = new vscode.EventEmitter<void>();
    readonly onDidChangeTreeData = this.changed.event;
    private readonly subscription: { dispose(): void };

    constructor(private readonly accounts: Accounts) {
        this.subscription = accounts.onDidChange(() => this.changed.fire());
    }

    getTreeItem(account: SignedInAccount): vscode.TreeItem {
        const active = this.accounts.active()?.id === account.id;
        const item = new vscode.TreeItem(account.displayName, vscode.TreeItemCollapsibleState.None);
        item.id = account.id;
        item.description = `${account.kind === 'application' ? 'app-only' : account.username} · ${account.tenantId}${account.cloud === 'Global' ? '' : ` · ${account.cloud}`}`;
        item.iconPath = new vscode.ThemeIcon(account.kind === 'application' ? 'key' : active ? 'pass-filled' : 'account');
        item.contextValue = contextValue('account', { active, app: account.kind === 'application' });
        const tooltip = new vscode.MarkdownString(undefined, true);
        tooltip.appendMarkdown(`**${account.displayName}**${active ? ' (active)' : ''}\n\n`);
        tooltip.appendMarkdown(`- ${account.kind === 'application' ? `App-only, authenticates with a ${account.credentialKind ?? 'credential'}` : `Signed in as ${account.username}`}\n`);
        tooltip.appendMarkdown(`- Tenant \`${account.tenantId}\` in the ${account.cloud} cloud\n- App registration \`${account.clientId}\``);
        // What the sign-in asked for (signInIntents.ts): later prompts ask only for what this did not cover.
        if (account.kind === 'delegated') tooltip.appendMarkdown(`\n- Signed in to: ${signInIntent(account.intent).label}`);
        item.tooltip = tooltip;
        if (!active) {
            item.command = { command: 'm365Provisioner.accounts.switch', title: 'Make Active', arguments: [account] };
        }
        return item;
    }

    getChildren(element?: SignedInAccount): SignedInAccount[] {
        return element ? [] : this.accounts.list();
    }

    dispose(): void {
        this.subscription.dispose();
        this.changed.dispose();
    }
}
