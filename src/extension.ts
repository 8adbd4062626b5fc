import type * as vscode from 'vscode';
import { Container } from './container';

/** Whatever the tests need to reach inside the running extension, and nothing else. */
export interface ExtensionApi {
    readonly container: Container;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
    const started = Date.now();
    const container = new Container(context);
    context.subscriptions.push(container);
    container.start();
    container.log.info(`Activated in ${Date.now() - started} ms (extension ${(context.extension.packageJSON as { version: string }).version})`);
    return { container };
}

export function deactivate(): void {
    // Everything is disposed through context.subscriptions.
}
