import * as vscode from 'vscode';
import type { ActionContext } from '../../platform/runAction';
import { adminCentreUrl } from '../../shared/adminCentre';
import { activeSession, entityArgument } from './nodeArgument';

/** Opens the object in its cloud's admin centre (Entra, Microsoft 365 or Exchange), for what the extension does not do. */
export async function openInAdminCentre(context: ActionContext, arg?: unknown): Promise<void> {
    const entity = entityArgument(context, arg, 'open it in the admin centre');
    const url = adminCentreUrl(activeSession(context).cloud, entity);
    context.container.log.info(`[Tree] opening ${url}`);
    if (!(await vscode.env.openExternal(vscode.Uri.parse(url, true)))) throw new Error(`VS Code could not open ${url}.`);
}
