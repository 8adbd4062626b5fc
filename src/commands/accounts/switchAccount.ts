import type { ActionContext } from '../../platform/runAction';
import { accountFromArgOrPick } from './pickAccount';

/** Makes another signed-in account the active one: the Directory view and every action then use it. */
export async function switchAccount(context: ActionContext<'accounts' | 'tenantNames'>, node?: unknown): Promise<void> {
    const accounts = context.accounts;
    const account = await accountFromArgOrPick(accounts, context.tenantNames, node, 'Switch to which account?');
    await accounts.setActive(account.id);
}
