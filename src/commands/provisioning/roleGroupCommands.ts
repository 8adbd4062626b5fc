import * as vscode from 'vscode';
import { confirmChange, withCancellableProgress } from '../../platform/actionUi';
import { listRoleGroupMembers } from '../../exchange/cmdlets';
import { audited } from '../../platform/audit';
import { InputSteps, type StepPosition } from '../../platform/multiStep';
import type { ActionContext } from '../../platform/runAction';
import { givenInput } from '../shared/givenInput';
import { inputShapes } from '../shared/inputShapes';
import { addRoleGroupMember, removeRoleGroupMember } from '../../provisioning/steps/roleGroups';
import { resolveUser } from '../../provisioning/steps/lookup';
import { activeSession, nodeArgument } from '../shared/nodeArgument';
import { pickMember, pickRoleGroup, pickUser } from '../shared/pickers';
import { ancestorEntity } from '../shared/targets';
import { refreshWholeDirectory } from '../shared/refreshDirectory';

/**
 * Adds a user to an Exchange role group (e.g. View-Only Organization Management for the reporting guide), waiting
 * with visible progress for Exchange to see a newly created account.
 */
export async function addToRoleGroupCommand(context: ActionContext<'sessions' | 'directoryView' | 'audit' | 'directoryTree'>, arg?: unknown, input?: unknown): Promise<string> {
    const given = givenInput(input, inputShapes.addToRoleGroup, 'Add to Exchange Role Group');
    const session = activeSession(context);
    const node = nodeArgument(context, arg);
    const userEntity = ancestorEntity(node, 'user');
    const knownMember = given.member ?? userEntity?.userPrincipalName;
    const knownRoleGroup = given.roleGroup ?? ancestorEntity(node, 'roleGroup')?.id;
    const steps = new InputSteps([!knownMember, !knownRoleGroup]);
    const member = knownMember ?? (await pickUser(session, 'Add to Exchange Role Group: whom?', steps.next())).userPrincipalName ?? '';
    // Entra must know the account (else waiting for Exchange to see it would never end): checked before anything else.
    await resolveUser(session.graph, member);
    const roleGroup = knownRoleGroup ?? (await pickRoleGroup(session, `Add ${member} to which Exchange role group?`, steps.next())).Name;
    const outcome = await withCancellableProgress(`Adding ${member} to ${roleGroup}…`, (signal, report) =>
        audited(context.audit, session, 'addRoleGroupMember', `${member} → ${roleGroup}`, () => addRoleGroupMember(session.exchange, roleGroup, member, { signal, onWait: report, accountExists: true }), r => ({ result: r === 'alreadyMember' ? 'unchanged' : 'succeeded' })),
    );
    refreshWholeDirectory(context);
    void vscode.window.showInformationMessage(outcome === 'added' ? `${member} is now a member of ${roleGroup}.` : `${member} was already a member of ${roleGroup}; nothing changed.`);
    return outcome;
}

export async function removeFromRoleGroupCommand(context: ActionContext<'sessions' | 'directoryView' | 'audit' | 'directoryTree'>, arg?: unknown): Promise<string> {
    const session = activeSession(context);
    const node = nodeArgument(context, arg);
    const knownRoleGroup = ancestorEntity(node, 'roleGroup')?.id;
    const knownMember = node?.entity?.kind === 'recipient' ? node.entity.userPrincipalName ?? node.entity.id : undefined;
    const steps = new InputSteps([!knownRoleGroup, !knownMember]);
    const roleGroup = knownRoleGroup ?? (await pickRoleGroup(session, 'Remove from which Exchange role group?', steps.next())).Name;
    const member = knownMember ?? (await pickMemberOf(session, roleGroup, steps.next()));
    await confirmChange(`Remove ${member} from the ${roleGroup} role group?`, 'The account loses the Exchange permissions this role group grants.', 'Remove');
    const outcome = await withCancellableProgress(`Removing ${member} from ${roleGroup}…`, signal =>
        audited(context.audit, session, 'removeRoleGroupMember', `${member} → ${roleGroup}`, () => removeRoleGroupMember(session.exchange, roleGroup, member, { signal }), r => ({ result: r === 'notMember' ? 'unchanged' : 'succeeded' })),
    );
    refreshWholeDirectory(context);
    return outcome;
}

async function pickMemberOf(session: ReturnType<typeof activeSession>, roleGroup: string, position: StepPosition | undefined): Promise<string> {
    return pickMember(await listRoleGroupMembers(session.exchange, roleGroup), `Remove whom from ${roleGroup}?`, `The ${roleGroup} role group`, position);
}
