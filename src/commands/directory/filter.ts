import { askStep, InputSteps, pickStep, type StepPosition } from '../../platform/multiStep';
import type { ActionContext } from '../../platform/runAction';
import { FolderNode } from '../../tree/directory/FolderNode';
import { nodeArgument } from '../shared/nodeArgument';

/**
 * Narrows a folder to what matches the typed text, searched on the server (Graph `$search`, Exchange `-Anr`): one
 * request whatever the tenant's size. From the palette, asks which folder first.
 */
export async function filterFolder(context: ActionContext<'directoryView' | 'directoryTree'>, arg?: unknown): Promise<void> {
    const fromRow = arg instanceof FolderNode ? arg : nodeArgument(context, arg) instanceof FolderNode ? nodeArgument(context, arg) as FolderNode : undefined;
    const steps = new InputSteps([!fromRow, true]);
    const folder = fromRow ?? (await pickFolder(context, steps.next()));
    if (!folder.spec.filterable) throw new Error(`${folder.spec.label} cannot be searched on the server; expand it to see all.`);
    const text = await askStep({
        position: steps.next(),
        title: `Filter ${folder.spec.label}`,
        prompt: 'Names, user principal names or addresses starting with this text (searched in the tenant, not just the rows shown)',
        value: folder.filter ?? '',
        placeHolder: 'e.g. adele, or sales@',
        validateInput: value => (value.length > 256 ? 'At most 256 characters.' : undefined),
    });
    folder.setFilter(text);
    await context.directoryView.reveal(folder, { expand: true, focus: true });
}

export function clearFilter(context: ActionContext<'directoryView'>, arg?: unknown): void {
    const node = nodeArgument(context, arg);
    if (node instanceof FolderNode) node.setFilter(undefined);
}

/** The tenant's searchable folders, for the palette. */
async function pickFolder(context: ActionContext<'directoryTree'>, position: StepPosition | undefined): Promise<FolderNode> {
    const root = context.directoryTree.tenant();
    if (!root) throw new Error('Sign in to a tenant first (M365: Sign In…).');
    const top = await root.getChildren();
    const nested = await Promise.all(top.filter(n => !(n instanceof FolderNode)).map(n => n.getChildren()));
    const folders = [...top, ...nested.flat()].filter((n): n is FolderNode => n instanceof FolderNode && n.spec.filterable);
    return (await pickStep(folders.map(folder => ({ label: folder.spec.label, description: folder.filter ? `filter: "${folder.filter}"` : '', value: folder })), { title: 'Filter which folder?', ...(position ? { position } : {}) })).value;
}
