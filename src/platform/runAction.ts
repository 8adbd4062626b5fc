import * as vscode from 'vscode';
import type { CommandId } from '../constants';
import { isUserCancelled } from '../shared/errors';
import type { CommandServices } from './commandServices';

/**
 * What a command handler gets: the services it names in K, and its id. Nothing else is in its type, so a command
 * cannot reach a service it did not declare (e.g. `ActionContext<'audit' | 'sessions'>`).
 */
export type ActionContext<K extends keyof CommandServices> = Pick<CommandServices, K> & { readonly commandId: CommandId };

/** The table's type: every handler accepts the full context (a handler that names fewer services accepts it too). */
export type CommandHandler = (context: ActionContext<keyof CommandServices>, ...args: unknown[]) => unknown;

/**
 * Every command runs through here: it is logged and timed, cancellation ends it silently, and any other failure is
 * shown once with a "Show Log" button instead of surfacing as an unhandled rejection.
 */
export async function runAction(context: ActionContext<keyof CommandServices>, handler: CommandHandler, args: unknown[]): Promise<unknown> {
    const { log, commandId } = context;
    const started = Date.now();
    log.debug(`[Command] ${commandId} started`);
    try {
        const result: unknown = await handler(context, ...args);
        log.debug(`[Command] ${commandId} finished in ${Date.now() - started} ms`);
        return result;
    } catch (error) {
        if (isUserCancelled(error)) {
            log.info(`[Command] ${commandId} cancelled after ${Date.now() - started} ms`);
            return undefined;
        }
        const message = error instanceof Error ? error.message : String(error);
        log.error(`[Command] ${commandId} failed: ${message}`);
        void vscode.window.showErrorMessage(message, 'Show Log').then(choice => {
            if (choice === 'Show Log') {
                log.show(true);
            }
        });
        return undefined;
    }
}

export function registerCommand(services: CommandServices, commandId: CommandId, handler: CommandHandler): vscode.Disposable {
    // One context per command, built once: the services are fixed for the extension's life.
    const context: ActionContext<keyof CommandServices> = Object.freeze({ ...services, commandId });
    return vscode.commands.registerCommand(commandId, (...args: unknown[]) => runAction(context, handler, args));
}
