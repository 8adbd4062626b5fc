import type { ActionContext } from '../../platform/runAction';
import { nodeArgument } from './nodeArgument';

/** Reads a folder (or, from the view's title bar, the whole tenant) again. */
export function refreshDirectory(context: ActionContext<'directoryTree' | 'directoryView'>, arg?: unknown): void {
    if (arg === undefined) refreshWholeDirectory(context);
    else context.directoryTree.refresh(nodeArgument(context, arg));
}

/** After a change: the whole tree is read again, so it shows what was just done. Needs no row, so no view. */
export function refreshWholeDirectory(context: ActionContext<'directoryTree'>): void {
    context.directoryTree.refresh();
}
