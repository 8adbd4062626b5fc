import * as vscode from 'vscode';
import type { Accounts } from '../auth/Accounts';
import { CommandIds, ContextKeys } from '../constants';
import type { TenantNames } from './tenantNames';

/** The status-bar item naming the active tenant and account, and the signed-in context key the views' welcome uses. */
export function accountStatusBar(accounts: Accounts, names: TenantNames): vscode.Disposable {
    const item = vscode.window.createStatusBarItem('m365Provisioner.activeAccount', vscode.StatusBarAlignment.Left, 50);
    item.name = 'M365 Active Account';
    const update = () => {
        const active = accounts.active();
        void vscode.commands.executeCommand('setContext', ContextKeys.signedIn, active !== undefined);
        if (!active) {
            item.text = '$(organization) M365: Sign In';
            item.tooltip = 'Sign in to a Microsoft 365 tenant';
            item.command = CommandIds.signIn;
        } else {
            // The tenant by name first: with several tenants signed in, which one a change goes to is what matters.
            const tenant = names.get(active.tenantId);
            item.text = `$(organization) ${tenant ? `${tenant.displayName} · ` : ''}${active.kind === 'application' ? `app ${active.clientId.slice(0, 8)}…` : active.username}`;
            item.tooltip = `M365: ${tenant ? `${names.label(active.tenantId)}, tenant id ${active.tenantId}` : `tenant ${active.tenantId}`} (${active.cloud}). Click to switch account.`;
            item.command = CommandIds.switchAccount;
        }
        item.show();
    };
    update();
    const subscriptions = [accounts.onDidChange(update), names.onDidChange(update)];
    return { dispose: () => { for (const s of subscriptions) s.dispose(); item.dispose(); } };
}
