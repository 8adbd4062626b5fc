import type { ActionContext } from '../../platform/runAction';
import { nodeArgument } from './nodeArgument';

/** Reads a folder (or, from the view's title bar, the whole tenant) again. */
export function refreshDirectory(context: ActionContext, arg?: unknown): void {
    const node = arg === undefined ? undefined : nodeArgument(context, arg);
    context.container.directoryTree.refresh(node);
}
