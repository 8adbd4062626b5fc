import * as vscode from 'vscode';
import { UserCancelledError } from '../../shared/errors';
import type { ActionContext } from '../../platform/runAction';
import { accountFromArgOrPick } from './pickAccount';

/** Signs an account out and clears its cached tokens (and an app's stored secret or key) from secret storage. */
export async function signOut(context: ActionContext<'accounts' | 'tenantNames'>, node?: unknown): Promise<void> {
    const accounts = context.accounts;
    const account = await accountFromArgOrPick(accounts, context.tenantNames, node, 'Sign out which account?');
    const choice = await vscode.window.showWarningMessage(
        `Sign out ${account.username} from ${context.tenantNames.label(account.tenantId)}?`,
        { modal: true, detail: account.kind === 'application' ? `Tenant id ${account.tenantId}. The stored client secret or key is deleted too.` : `Tenant id ${account.tenantId}. Its cached tokens are deleted.` },
        'Sign Out',
    );
    if (choice !== 'Sign Out') throw new UserCancelledError();
    await accounts.signOut(account.id);
}
