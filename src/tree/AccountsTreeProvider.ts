import * as vscode from 'vscode';
import type { Accounts, SignedInAccount } from '../auth/Accounts';
import { signInIntent } from '../auth/signInIntents';
import type { TenantNames } from '../platform/tenantNames';
import type { TenantSessions } from '../platform/tenantSession';
import { contextValue } from './contextValues';

/**
 * The "Accounts" view: every signed-in user or app, the active one marked, each with its tenant by name and default
 * domain ("Contoso (contoso.com)"); the tenant id stays in the tooltip. Empty (so the welcome shows) when none.
 */
export class AccountsTreeProvider implements vscode.TreeDataProvider<SignedInAccount>, vscode.Disposable {
    private readonly changed = new vscode.EventEmitter<void>();
    readonly onDidChangeTreeData = this.changed.event;
    private readonly subscriptions: { dispose(): void }[];
    /** Tenants whose name is being read, so a redraw does not read it again. */
    private readonly reading = new Set<string>();

    constructor(private readonly accounts: Accounts, private readonly names: TenantNames, private readonly sessions: TenantSessions) {
        this.subscriptions = [accounts.onDidChange(() => this.changed.fire()), names.onDidChange(() => this.changed.fire())];
    }

    getTreeItem(account: SignedInAccount): vscode.TreeItem {
        const active = this.accounts.active()?.id === account.id;
        const tenant = this.names.label(account.tenantId);
        if (!this.names.get(account.tenantId)) this.readName(account);
        const item = new vscode.TreeItem(account.displayName, vscode.TreeItemCollapsibleState.None);
        item.id = account.id;
        // The tenant first: in a narrow side bar it is what must not be cut off (the user name is in the tooltip too).
        item.description = `${tenant} · ${account.kind === 'application' ? 'app-only' : account.username}${account.cloud === 'Global' ? '' : ` · ${account.cloud}`}`;
        item.iconPath = new vscode.ThemeIcon(account.kind === 'application' ? 'key' : active ? 'pass-filled' : 'account');
        item.contextValue = contextValue('account', { active, app: account.kind === 'application' });
        const tooltip = new vscode.MarkdownString(undefined, true);
        tooltip.appendMarkdown(`**${account.displayName}**${active ? ' (active)' : ''}\n\n`);
        tooltip.appendMarkdown(`- ${account.kind === 'application' ? `App-only, authenticates with a ${account.credentialKind ?? 'credential'}` : `Signed in as ${account.username}`}\n`);
        tooltip.appendMarkdown(`- Tenant ${tenant === account.tenantId ? '' : `${tenant}, id `}\`${account.tenantId}\` in the ${account.cloud} cloud\n- App registration \`${account.clientId}\``);
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

    /**
     * A tenant not yet named (just signed in, or signed in before names were kept): one silent read of its
     * organisation, which redraws the row when the name arrives; no prompt, and the id stays when it cannot be read.
     */
    private readName(account: SignedInAccount): void {
        if (this.reading.has(account.tenantId)) return;
        this.reading.add(account.tenantId);
        void this.sessions.forAccount(account).tenantName();
    }

    dispose(): void {
        for (const subscription of this.subscriptions) subscription.dispose();
        this.changed.dispose();
    }
}
