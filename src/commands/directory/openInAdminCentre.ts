import * as vscode from 'vscode';
import type { ActionContext } from '../../platform/runAction';
import { adminCentreUrl } from '../../shared/adminCentre';
import { activeSession, entityArgument } from '../shared/nodeArgument';

/** Opens the object in its cloud's admin centre (Entra, Microsoft 365 or Exchange), for what the extension does not do. */
export async function openInAdminCentre(context: ActionContext<'directoryView' | 'sessions' | 'log'>, arg?: unknown): Promise<void> {
    const entity = entityArgument(context, arg, 'open it in the admin centre');
    // A member row or a user's licence opens what it stands for: the user, the licence.
    const kind = entity.kind === 'recipient' ? 'user' : entity.kind === 'userLicence' ? 'licence' : entity.kind;
    const url = adminCentreUrl(activeSession(context).cloud, { kind, id: kind === 'application' ? entity.appId ?? entity.id : entity.id });
    context.log.info(`[Tree] opening ${url}`);
    if (!(await vscode.env.openExternal(vscode.Uri.parse(url, true)))) throw new Error(`VS Code could not open ${url}.`);
}
