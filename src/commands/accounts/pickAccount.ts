import * as vscode from 'vscode';
import type { Accounts, SignedInAccount } from '../../auth/Accounts';
import type { TenantNames } from '../../platform/tenantNames';
import { UserCancelledError } from '../../shared/errors';

/**
 * The account a command acts on: the tree node it was invoked on, else one the user picks, each with its tenant by
 * name ("Contoso (contoso.com)"; the id while the name is unknown).
 */
export async function accountFromArgOrPick(accounts: Accounts, names: TenantNames, arg: unknown, title: string): Promise<SignedInAccount> {
    const given = arg as Partial<SignedInAccount> | undefined;
    const known = accounts.list();
    if (given?.id) {
        const account = known.find(a => a.id === given.id);
        if (account) return account;
    }
    if (known.length === 0) throw new Error('No account is signed in. Run "M365: Sign In…" first.');
    const active = accounts.active();
    const choice = await vscode.window.showQuickPick(
        known.map(a => ({ label: a.displayName, description: `${a.username} · ${names.label(a.tenantId)}`, detail: a.id === active?.id ? 'active' : undefined, account: a })),
        { title, ignoreFocusOut: true },
    );
    if (!choice) throw new UserCancelledError();
    return choice.account;
}
