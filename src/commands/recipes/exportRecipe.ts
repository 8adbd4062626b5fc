import type { ActionContext } from '../../platform/runAction';

/** STUB (being written): exports a recipe as a PowerShell script. */
export async function exportRecipeCommand(_context: ActionContext, _uri?: unknown, _input?: unknown): Promise<unknown> {
    return Promise.reject(new Error('Export is not built yet.'));
}
