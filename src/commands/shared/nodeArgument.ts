import type { ActionContext } from '../../platform/runAction';
import type { TenantSession } from '../../platform/tenantSession';
import type { DirectoryEntity, TreeNode } from '../../tree/directory/TreeNode';
import { TreeNode as TreeNodeClass } from '../../tree/directory/TreeNode';

/** The tree row a menu command was run on (VS Code passes it first), or the selection when run from a keybinding. */
export function nodeArgument(context: ActionContext<'directoryView'>, arg: unknown): TreeNode | undefined {
    if (arg instanceof TreeNodeClass) return arg;
    return context.directoryView.selection[0];
}

/** The object a command acts on; says what to do when there is none, rather than failing silently. */
export function entityArgument(context: ActionContext<'directoryView'>, arg: unknown, what: string): DirectoryEntity {
    const entity = nodeArgument(context, arg)?.entity;
    if (!entity) throw new Error(`Select a user, group, role, licence or mailbox in the Directory view to ${what}.`);
    return entity;
}

export function activeSession(context: ActionContext<'sessions'>): TenantSession {
    const session = context.sessions.active();
    if (!session) throw new Error('Sign in to a tenant first (M365: Sign In…).');
    return session;
}
