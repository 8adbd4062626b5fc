import * as vscode from 'vscode';
import { confirmChange, withCancellableProgress } from '../../platform/actionUi';
import { listDistributionGroupMembers } from '../../exchange/cmdlets';
import { audited } from '../../platform/audit';
import { askStep, InputSteps, pickStep } from '../../platform/multiStep';
import type { ActionContext } from '../../platform/runAction';
import { givenInput } from '../shared/givenInput';
import { inputShapes } from '../shared/inputShapes';
import { checkAlias, checkGroupName } from '../../provisioning/fields';
import { addMailGroupMember, createMailEnabledSecurityGroup, removeMailGroupMember, type NewMailEnabledSecurityGroup } from '../../provisioning/steps/mailGroups';
import { verifiedDomains } from '../../graph/tenantCatalogue';
import { resolveUser } from '../../provisioning/steps/lookup';
import { activeSession, nodeArgument } from '../shared/nodeArgument';
import { pickDomain, pickMailGroup, pickMember, pickUser } from '../shared/pickers';
import { ancestorEntity } from '../shared/targets';
import { refreshWholeDirectory } from '../shared/refreshDirectory';

/** The guide's mail-enabled universal security group: closed join and depart; hidden and restricted on request. */
export async function createMailGroupCommand(context: ActionContext<'sessions' | 'audit' | 'directoryTree'>, _node?: unknown, input?: unknown): Promise<string> {
    const given: Partial<NewMailEnabledSecurityGroup> = givenInput(input, inputShapes.createMailGroup, 'Create Mail-Enabled Security Group');
    const session = activeSession(context);
    const title = 'Create Mail-Enabled Security Group';
    let address = given.primarySmtpAddress;
    // Read first, so the step count knows whether the domain is asked (one verified domain is taken as it is).
    const domains = address ? [] : await verifiedDomains(session.graph);
    const steps = new InputSteps([!given.name, domains.length > 1, !address, given.hiddenFromAddressLists === undefined, !given.acceptMessagesOnlyFrom]);
    const name = given.name ?? (await askStep({ title: `${title}: name`, placeHolder: 'e.g. Service Accounts MyTimetable Exchange', validateInput: v => checkGroupName(v), position: steps.next() }));
    if (!address) {
        const domain = await pickDomain(domains, `${title}: domain`, domains.length > 1 ? steps.next() : undefined);
        const alias = await askStep({ title: `${title}: address`, prompt: `The part before @${domain}`, value: name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''), validateInput: v => checkAlias(v, 'group address\'s alias'), position: steps.next() });
        address = `${alias}@${domain}`;
    }
    const hidden = given.hiddenFromAddressLists ?? (await pickStep([{ label: 'Hide it from the address lists', value: true }, { label: 'Show it in the address lists', value: false }], { title: `${title}: visibility`, placeHolder: 'Service-account groups are usually hidden', position: steps.next() })).value;
    const acceptFrom = given.acceptMessagesOnlyFrom ?? (await pickStep([{ label: 'Accept mail only from me', description: session.account.username, value: [session.account.username] }, { label: 'Accept mail from anyone', value: [] as string[] }], { title: `${title}: who may mail it`, position: steps.next() })).value;
    const group = { name, primarySmtpAddress: address, hiddenFromAddressLists: hidden, acceptMessagesOnlyFrom: acceptFrom.filter(s => s.includes('@')) };
    const result = await withCancellableProgress(`Creating ${address}…`, signal =>
        audited(context.audit, session, 'createMailEnabledSecurityGroup', address, () => createMailEnabledSecurityGroup(session.exchange, group, { signal }), r => ({ result: r.outcome === 'alreadyExists' ? 'unchanged' : 'succeeded', detail: r.outcome })),
    );
    refreshWholeDirectory(context);
    void vscode.window.showInformationMessage(result.outcome === 'created' ? `${address} was created (closed to joining and leaving${hidden ? ', hidden' : ''}).` : result.outcome === 'updated' ? `${address} already existed; its settings were brought in line.` : `${address} already existed with these settings; nothing changed.`);
    return result.outcome;
}

export async function addMailGroupMemberCommand(context: ActionContext<'sessions' | 'directoryView' | 'audit' | 'directoryTree'>, arg?: unknown, input?: unknown): Promise<string> {
    const given = givenInput(input, inputShapes.addMailGroupMember, 'Add to Mail-Enabled Group');
    const session = activeSession(context);
    const node = nodeArgument(context, arg);
    const knownGroup = given.group ?? ancestorEntity(node, 'distributionGroup')?.userPrincipalName;
    const knownMember = given.member ?? ancestorEntity(node, 'user')?.userPrincipalName;
    const steps = new InputSteps([!knownGroup, !knownMember]);
    const group = knownGroup ?? (await pickMailGroup(session, 'Add a member to which mail-enabled group?', steps.next())).PrimarySmtpAddress;
    const member = knownMember ?? (await pickUser(session, `Add whom to ${group}?`, steps.next())).userPrincipalName ?? '';
    // Entra must know the account (else waiting for Exchange to see it would never end): checked before anything else.
    await resolveUser(session.graph, member);
    const outcome = await withCancellableProgress(`Adding ${member} to ${group}…`, (signal, report) =>
        audited(context.audit, session, 'addMailGroupMember', `${member} → ${group}`, () => addMailGroupMember(session.exchange, group, member, { signal, onWait: report, accountExists: true }), r => ({ result: r === 'alreadyMember' ? 'unchanged' : 'succeeded' })),
    );
    refreshWholeDirectory(context);
    return outcome;
}

export async function removeMailGroupMemberCommand(context: ActionContext<'sessions' | 'directoryView' | 'audit' | 'directoryTree'>, arg?: unknown): Promise<string> {
    const session = activeSession(context);
    const node = nodeArgument(context, arg);
    const knownGroup = ancestorEntity(node, 'distributionGroup')?.userPrincipalName;
    let member = node?.entity?.kind === 'recipient' ? node.entity.userPrincipalName ?? node.entity.id : undefined;
    const steps = new InputSteps([!knownGroup, !member]);
    const group = knownGroup ?? (await pickMailGroup(session, 'Remove a member from which mail-enabled group?', steps.next())).PrimarySmtpAddress;
    member ??= await pickMember(await listDistributionGroupMembers(session.exchange, group), `Remove whom from ${group}?`, group, steps.next());
    const who = member;
    await confirmChange(`Remove ${who} from ${group}?`, 'Permissions granted to the group (such as calendar access) no longer apply to this member.', 'Remove');
    const outcome = await withCancellableProgress(`Removing ${who} from ${group}…`, signal =>
        audited(context.audit, session, 'removeMailGroupMember', `${who} → ${group}`, () => removeMailGroupMember(session.exchange, group, who, { signal }), r => ({ result: r === 'notMember' ? 'unchanged' : 'succeeded' })),
    );
    refreshWholeDirectory(context);
    return outcome;
}
