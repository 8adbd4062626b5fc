import * as vscode from 'vscode';
import { registerCommands } from './commands/registerCommands';
import { ContextKeys, OutputChannelName, ViewIds } from './constants';
import { SignedOutTreeProvider } from './tree/SignedOutTreeProvider';

/**
 * The composition root: creates the services once and owns their disposables. Activation must stay cheap (no network
 * and no heavy imports), so services that talk to the tenant are created lazily by the commands that need them.
 */
export class Container implements vscode.Disposable {
    readonly log: vscode.LogOutputChannel;
    private readonly disposables: vscode.Disposable[] = [];

    constructor(readonly context: vscode.ExtensionContext) {
        this.log = vscode.window.createOutputChannel(OutputChannelName, { log: true });
        this.disposables.push(this.log);
    }

    start(): void {
        const signedOut = new SignedOutTreeProvider();
        this.disposables.push(
            vscode.window.createTreeView(ViewIds.accounts, { treeDataProvider: signedOut }),
            vscode.window.createTreeView(ViewIds.directory, { treeDataProvider: signedOut }),
            ...registerCommands(this),
        );
        void vscode.commands.executeCommand('setContext', ContextKeys.signedIn, false);
    }

    dispose(): void {
        for (const disposable of this.disposables.splice(0).reverse()) {
            disposable.dispose();
        }
    }
}
