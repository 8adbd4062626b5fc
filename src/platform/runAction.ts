import * as vscode from 'vscode';
import type { CommandId } from '../constants';
import type { Container } from '../container';
import { isUserCancelled } from '../shared/errors';

/** What a command handler gets: the services, and the log. */
export interface ActionContext {
    readonly container: Container;
    readonly commandId: CommandId;
}

export type CommandHandler = (context: ActionContext, ...args: unknown[]) => unknown;

/**
 * Every command runs through here: it is logged and timed, cancellation ends it silently, and any other failure is
 * shown once with a "Show Log" button instead of surfacing as an unhandled rejection.
 */
export async function runAction(container: Container, commandId: CommandId, handler: CommandHandler, args: unknown[]): Promise<unknown> {
    const started = Date.now();
    container.log.debug(`[Command] ${commandId} started`);
    try {
        const result: unknown = await handler({ container, commandId }, ...args);
        container.log.debug(`[Command] ${commandId} finished in ${Date.now() - started} ms`);
        return result;
    } catch (error) {
        if (isUserCancelled(error)) {
            container.log.info(`[Command] ${commandId} cancelled after ${Date.now() - started} ms`);
            return undefined;
        }
        const message = error instanceof Error ? error.message : String(error);
        container.log.error(`[Command] ${commandId} failed: ${message}`);
        void vscode.window.showErrorMessage(message, 'Show Log').then(choice => {
            if (choice === 'Show Log') {
                container.log.show(true);
            }
        });
        return undefined;
    }
}

export function registerCommand(container: Container, commandId: CommandId, handler: CommandHandler): vscode.Disposable {
    return vscode.commands.registerCommand(commandId, (...args: unknown[]) => runAction(container, commandId, handler, args));
}
