import * as vscode from 'vscode';
import { Accounts } from './auth/Accounts';
import { registerCommands } from './commands/registerCommands';
import { OutputChannelName, ViewIds } from './constants';
import { accountStatusBar } from './platform/accountStatusBar';
import { msalNetworkFor } from './platform/network';
import { AccountsTreeProvider } from './tree/AccountsTreeProvider';
import { SignedOutTreeProvider } from './tree/SignedOutTreeProvider';

/**
 * The composition root: creates the services once and owns their disposables. Activation must stay cheap (no network
 * and no heavy imports), so services that talk to the tenant are created lazily by the commands that need them.
 */
export class Container implements vscode.Disposable {
    readonly log: vscode.LogOutputChannel;
    /** Signed-in accounts: the list lives in globalState, tokens and app credentials only in SecretStorage. */
    readonly accounts: Accounts;
    private readonly disposables: vscode.Disposable[] = [];

    constructor(readonly context: vscode.ExtensionContext) {
        this.log = vscode.window.createOutputChannel(OutputChannelName, { log: true });
        this.accounts = new Accounts(context.globalState, context.secrets, msalNetworkFor, this.log);
        this.disposables.push(this.log);
    }

    start(): void {
        const accountsTree = new AccountsTreeProvider(this.accounts);
        this.disposables.push(
            accountsTree,
            vscode.window.createTreeView(ViewIds.accounts, { treeDataProvider: accountsTree }),
            vscode.window.createTreeView(ViewIds.directory, { treeDataProvider: new SignedOutTreeProvider() }),
            accountStatusBar(this.accounts),
            ...registerCommands(this),
        );
    }

    dispose(): void {
        for (const disposable of this.disposables.splice(0).reverse()) {
            disposable.dispose();
        }
    }
}
