import * as vscode from 'vscode';
import type { Accounts } from '../auth/Accounts';
import { CommandIds, ContextKeys } from '../constants';

/** The status-bar item naming the active tenant and account, and the signed-in context key the views' welcome uses. */
export function accountStatusBar(accounts: Accounts): vscode.Disposable {
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
            item.text = `$(organization) ${active.kind === 'application' ? `app ${active.clientId.slice(0, 8)}…` : active.username}`;
            item.tooltip = `M365: tenant ${active.tenantId} (${active.cloud}). Click to switch account.`;
            item.command = CommandIds.switchAccount;
        }
        item.show();
    };
    update();
    const subscription = accounts.onDidChange(update);
    return { dispose: () => { subscription.dispose(); item.dispose(); } };
}
