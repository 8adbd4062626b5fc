import type { ActionContext } from '../../platform/runAction';
import { FolderNode } from '../../tree/directory/FolderNode';

/** The "Load more…" row: one more page of its folder. */
export async function loadMore(_context: ActionContext<never>, folder?: unknown): Promise<void> {
    if (folder instanceof FolderNode) await folder.loadMore();
}

/** The Retry of an error row: forget the failure and read the folder again. */
export function retryLoad(context: ActionContext<'directoryTree'>, folder?: unknown): void {
    if (folder instanceof FolderNode) context.directoryTree.refresh(folder);
}
