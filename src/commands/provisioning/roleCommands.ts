import * as vscode from 'vscode';
import { isPrivilegedRole } from '../../graph/adminNames';
import { confirmChange, withCancellableProgress } from '../../platform/actionUi';
import { audited } from '../../platform/audit';
import { InputSteps, pickStep } from '../../platform/multiStep';
import type { ActionContext } from '../../platform/runAction';
import { givenInput } from '../shared/givenInput';
import { inputShapes } from '../shared/inputShapes';
import { assignDirectoryRole, removeDirectoryRole, resolveRole } from '../../provisioning/steps/directoryRoles';
import { nodeArgument } from '../shared/nodeArgument';
import { pickRole } from '../shared/pickers';
import { ancestorEntity, nameOf, runOnUser, targetUser } from '../shared/targets';
import { emptyLists } from '../shared/emptyPickers';
import { refreshWholeDirectory } from '../shared/refreshDirectory';

/** Gives a user a directory role for the whole tenant; a privileged role asks for a second look first. */
export async function assignRoleCommand(context: ActionContext<'sessions' | 'directoryView' | 'audit' | 'directoryTree'>, arg?: unknown, input?: unknown): Promise<string> {
    const given = givenInput(input, inputShapes.assignRole, 'Assign Directory Role');
    const steps = new InputSteps([!runOnUser(context, arg), !given.role]);
    const { session, user } = await targetUser(context, arg, 'Assign Directory Role: to whom?', steps);
    const role = given.role ? await resolveRole(session.graph, given.role) : await pickRole(session, `Assign a directory role to ${nameOf(user)}`, steps.next());
    if (isPrivilegedRole(role)) {
        await confirmChange(`${role.displayName ?? ''} is a privileged role. Assign it to ${nameOf(user)}?`, `${role.description ?? ''}\n\nPrivileged roles can change credentials, security settings or other admins' access. A service account rarely needs one.`, 'Assign Privileged Role');
    }
    const outcome = await withCancellableProgress(`Assigning ${role.displayName ?? ''} to ${nameOf(user)}…`, (signal, report) =>
        audited(context.audit, session, 'assignDirectoryRole', `${nameOf(user)} → ${role.displayName ?? ''}`, () => assignDirectoryRole(session.graph, user.id ?? '', role.id ?? '', { signal, onWait: report, accountExists: true }), r => ({ result: r === 'alreadyAssigned' ? 'unchanged' : 'succeeded' })),
    );
    refreshWholeDirectory(context);
    void vscode.window.showInformationMessage(outcome === 'assigned' ? `${nameOf(user)} now has the ${role.displayName ?? ''} role.` : `${nameOf(user)} already had the ${role.displayName ?? ''} role; nothing changed.`);
    return outcome;
}

/** Removes a role from a user: from the role's row under the user, or by picking both. */
export async function removeRoleCommand(context: ActionContext<'sessions' | 'directoryView' | 'audit' | 'directoryTree'>, arg?: unknown): Promise<string> {
    const node = nodeArgument(context, arg);
    const fromRow = ancestorEntity(node, 'role');
    let role = fromRow && node?.entity?.kind === 'role' ? { id: fromRow.id, displayName: fromRow.displayName } : undefined;
    const steps = new InputSteps([!runOnUser(context, arg), !role]);
    const { session, user } = await targetUser(context, arg, 'Remove Directory Role: from whom?', steps);
    if (!role) {
        const held = await session.directory.rolesOf(user.id ?? '');
        const choice = await pickStep(held.items.map(a => ({ label: a.roleDefinition?.displayName ?? a.roleDefinitionId ?? '', description: a.directoryScopeId === '/' ? 'whole tenant' : a.directoryScopeId ?? '', value: a })), { title: `Remove which role from ${nameOf(user)}?`, empty: emptyLists.heldRoles(nameOf(user)), position: steps.next() });
        role = { id: choice.value.roleDefinitionId ?? '', displayName: choice.label };
    }
    await confirmChange(`Remove the ${role.displayName} role from ${nameOf(user)}?`, 'Whatever the account does with this role stops working.', 'Remove Role');
    const outcome = await withCancellableProgress(`Removing ${role.displayName} from ${nameOf(user)}…`, signal =>
        audited(context.audit, session, 'removeDirectoryRole', `${nameOf(user)} → ${role.displayName}`, () => removeDirectoryRole(session.graph, user.id ?? '', role.id, { signal }), r => ({ result: r === 'notAssigned' ? 'unchanged' : 'succeeded' })),
    );
    refreshWholeDirectory(context);
    return outcome;
}
