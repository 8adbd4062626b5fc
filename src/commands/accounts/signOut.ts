import * as vscode from 'vscode';
import { UserCancelledError } from '../../shared/errors';
import type { ActionContext } from '../../platform/runAction';
import { accountFromArgOrPick } from './pickAccount';

/** Signs an account out and clears its cached tokens (and an app's stored secret or key) from secret storage. */
export async function signOut(context: ActionContext<'accounts'>, node?: unknown): Promise<void> {
    const accounts = context.accounts;
    const account = await accountFromArgOrPick(accounts, node, 'Sign out which account?');
    const choice = await vscode.window.showWarningMessage(
        `Sign out ${account.username} from tenant ${account.tenantId}?`,
        { modal: true, detail: account.kind === 'application' ? 'The stored client secret or key is deleted too.' : 'Its cached tokens are deleted.' },
        'Sign Out',
    );
    if (choice !== 'Sign Out') throw new UserCancelledError();
    await accounts.signOut(account.id);
}
