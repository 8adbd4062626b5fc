import * as vscode from 'vscode';
import { licenceName } from '../../graph/adminNames';
import { servicePlanName } from '../../shared/licensing/licenceNames';
import { confirmChange, withCancellableProgress } from '../../platform/actionUi';
import { audited } from '../../platform/audit';
import { InputSteps, pickStep } from '../../platform/multiStep';
import type { ActionContext } from '../../platform/runAction';
import { givenInput } from '../shared/givenInput';
import { inputShapes } from '../shared/inputShapes';
import { assignLicence, findSku, removeLicence, type LicenceAssignment } from '../../provisioning/steps/licences';
import { subscribedSkus } from '../../graph/tenantCatalogue';
import { nodeArgument } from '../shared/nodeArgument';
import { askUsageLocation } from './serviceAccountCommands';
import { pickPlans, pickSku } from '../shared/pickers';
import { nameOf, runOnUser, targetUser } from '../shared/targets';
import { emptyLists } from '../shared/emptyPickers';
import { refreshWholeDirectory } from '../shared/refreshDirectory';

/**
 * Assigns a licence with only the chosen service plans (merged with the plans the user already has on), after
 * asking for and setting a missing usage location.
 */
export async function assignLicenceCommand(context: ActionContext<'sessions' | 'directoryView' | 'audit' | 'directoryTree'>, arg?: unknown, input?: unknown): Promise<string> {
    const given = givenInput(input, inputShapes.assignLicence, 'Assign Licence');
    const steps = new InputSteps([!runOnUser(context, arg), !given.sku, !given.plans]);
    const { session, user } = await targetUser(context, arg, 'Assign Licence: to whom?', steps);
    const details = await session.directory.user(user.id ?? '');
    if (!details.usageLocation) steps.add();
    const sku = given.sku ? findSku(await subscribedSkus(session.graph), given.sku) : await pickSku(session, `Assign a licence to ${nameOf(user)}`, steps.next());
    const held = details.assignedLicenses?.find(l => l.skuId === sku.skuId);
    const alreadyOn = held ? (sku.servicePlans ?? []).filter(p => !held.disabledPlans?.includes(p.servicePlanId ?? '')).map(p => p.servicePlanId ?? '') : [];
    const plans = given.plans ?? (await pickPlans(sku, alreadyOn, `${licenceName(sku.skuPartNumber)} for ${nameOf(user)}: which service plans?`, steps.next()));
    const assignment: LicenceAssignment = { userId: user.id ?? '', sku: sku.skuId ?? '', plans };
    if (!details.usageLocation) assignment.usageLocation = await askUsageLocation(`${nameOf(user)} has no usage location, which a licence needs`, undefined, steps.next());
    const result = await withCancellableProgress(`Assigning ${licenceName(sku.skuPartNumber)} to ${nameOf(user)}…`, signal =>
        audited(context.audit, session, 'assignLicence', `${nameOf(user)} → ${sku.skuPartNumber ?? ''}`, () => assignLicence(session.graph, assignment, { signal }), r => ({ result: r.outcome === 'alreadyInPlace' ? 'unchanged' : 'succeeded', detail: `plans on: ${plans === 'all' ? 'all' : plans.join(', ')}${r.usageLocationSet ? `; usage location set to ${r.usageLocationSet}` : ''}` })),
    );
    refreshWholeDirectory(context);
    void vscode.window.showInformationMessage(result.outcome === 'alreadyInPlace' ? `${nameOf(user)} already had ${licenceName(sku.skuPartNumber)} with those plans; nothing changed.` : `${nameOf(user)} has ${licenceName(sku.skuPartNumber)} with ${plans === 'all' ? 'all plans' : plans.map(servicePlanName).join(', ')} on.`);
    return result.outcome;
}

export async function removeLicenceCommand(context: ActionContext<'sessions' | 'directoryView' | 'audit' | 'directoryTree'>, arg?: unknown): Promise<string> {
    const node = nodeArgument(context, arg);
    let sku = node?.entity?.kind === 'userLicence' ? { id: node.entity.id, name: node.entity.displayName } : undefined;
    const steps = new InputSteps([!runOnUser(context, arg), !sku]);
    const { session, user } = await targetUser(context, arg, 'Remove Licence: from whom?', steps);
    if (!sku) {
        const held = await session.directory.licenceDetails(user.id ?? '');
        const choice = await pickStep(held.items.map(l => ({ label: licenceName(l.skuPartNumber), description: l.skuPartNumber ?? '', value: l })), { title: `Remove which licence from ${nameOf(user)}?`, empty: emptyLists.heldLicences(nameOf(user)), position: steps.next() });
        sku = { id: choice.value.skuId ?? '', name: choice.label };
    }
    await confirmChange(`Remove ${sku.name} from ${nameOf(user)}?`, 'The services it gives (a mailbox among them) stop for this account; Microsoft keeps a removed mailbox for 30 days.', 'Remove Licence');
    const licence = sku;
    const outcome = await withCancellableProgress(`Removing ${licence.name} from ${nameOf(user)}…`, signal =>
        audited(context.audit, session, 'removeLicence', `${nameOf(user)} → ${licence.name}`, () => removeLicence(session.graph, user.id ?? '', licence.id, { signal }), r => ({ result: r === 'notAssigned' ? 'unchanged' : 'succeeded' })),
    );
    refreshWholeDirectory(context);
    return outcome;
}
