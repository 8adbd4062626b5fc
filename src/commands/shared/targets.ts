import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import type { InputSteps } from '../../platform/inputSteps';
import type { ActionContext } from '../../platform/runAction';
import type { TenantSession } from '../../platform/tenantSession';
import type { DirectoryEntity, TreeNode } from '../../tree/directory/TreeNode';
import { activeSession, nodeArgument } from './nodeArgument';
import { pickUser } from './pickers';

/** The user a command acts on: the row it was run on (or one of its ancestors), else one the admin picks. */
export async function targetUser(context: ActionContext<'sessions' | 'directoryView'>, arg: unknown, title: string, steps?: InputSteps): Promise<{ session: TenantSession; user: Pick<MicrosoftGraph.User, 'id' | 'displayName' | 'userPrincipalName'> }> {
    const session = activeSession(context);
    const entity = ancestorEntity(nodeArgument(context, arg), 'user');
    if (entity) return { session, user: { id: entity.id, displayName: entity.displayName, userPrincipalName: entity.userPrincipalName ?? entity.id } };
    return { session, user: await pickUser(session, title, steps?.next()) };
}

/** Whether the command was run on a user's row (or below one): then `targetUser` asks nothing. */
export const runOnUser = (context: ActionContext<'directoryView'>, arg: unknown): boolean => ancestorEntity(nodeArgument(context, arg), 'user') !== undefined;

/** The nearest row at or above `node` standing for an object of `kind`. */
export function ancestorEntity(node: TreeNode | undefined, kind: DirectoryEntity['kind']): DirectoryEntity | undefined {
    for (let n = node; n; n = n.parent) if (n.entity?.kind === kind) return n.entity;
    return undefined;
}


export const nameOf = (user: Pick<MicrosoftGraph.User, 'displayName' | 'userPrincipalName'>) => user.userPrincipalName ?? user.displayName ?? '';
