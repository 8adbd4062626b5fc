import type * as vscode from 'vscode';
import { CommandIds, type CommandId } from '../constants';
import type { Container } from '../container';
import { registerCommand, type CommandHandler } from '../platform/runAction';
import { openSettings } from './openSettings';
import { showLog } from './showLog';

/** The one table of commands: id → handler. Each handler lives in its own file. */
const commands: Record<CommandId, CommandHandler> = {
    [CommandIds.showLog]: showLog,
    [CommandIds.openSettings]: openSettings,
};

export function registerCommands(container: Container): vscode.Disposable[] {
    return Object.entries(commands).map(([id, handler]) => registerCommand(container, id as CommandId, handler));
}
