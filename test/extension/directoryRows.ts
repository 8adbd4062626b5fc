import * as assert from 'node:assert/strict';
import type { TreeNode } from '../../src/tree/directory/TreeNode';
import { extensionApi } from './sandbox';

/** A Directory row's label as the admin sees it. */
export const label = (node: TreeNode): string => {
    const l = node.getTreeItem().label;
    return typeof l === 'string' ? l : (l?.label ?? '');
};

/** The rows under a node of the Directory view (the root's when none). */
export async function rowsOf(node?: TreeNode): Promise<TreeNode[]> {
    return (await extensionApi()).container.directoryTree.getChildren(node);
}

/** The row called `name` under `parent`; fails the test naming the rows there when it is missing. */
export async function find(parent: TreeNode | undefined, name: string): Promise<TreeNode> {
    const rows = await rowsOf(parent);
    const found = rows.find(r => label(r) === name);
    assert.ok(found, `no ${name} in ${rows.map(label).join(', ')}`);
    return found;
}
