import type { ActionContext } from '../../platform/runAction';

/** STUB (being written): opens the setup wizard webview. */
export async function setUpServiceAccountCommand(_context: ActionContext, _node?: unknown, _input?: unknown): Promise<unknown> {
    return Promise.reject(new Error('The setup wizard is not built yet.'));
}
