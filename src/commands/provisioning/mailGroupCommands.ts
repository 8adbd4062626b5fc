import * as vscode from 'vscode';
import { askText, confirmChange, pickOne, withCancellableProgress } from '../../platform/actionUi';
import { listDistributionGroupMembers } from '../../exchange/cmdlets';
import { audited } from '../../platform/audit';
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
    const name = given.name ?? (await askText({ title: `${title}: name`, placeHolder: 'e.g. Service Accounts MyTimetable Exchange', validateInput: v => checkGroupName(v) }));
    let address = given.primarySmtpAddress;
    if (!address) {
        const domain = await pickDomain(await verifiedDomains(session.graph), `${title}: domain`);
        const alias = await askText({ title: `${title}: address`, prompt: `The part before @${domain}`, value: name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''), validateInput: v => checkAlias(v, 'group address\'s alias') });
        address = `${alias}@${domain}`;
    }
    const hidden = given.hiddenFromAddressLists ?? (await pickOne([{ label: 'Hide it from the address lists', value: true }, { label: 'Show it in the address lists', value: false }], { title: `${title}: visibility`, placeHolder: 'Service-account groups are usually hidden' })).value;
    const acceptFrom = given.acceptMessagesOnlyFrom ?? (await pickOne([{ label: 'Accept mail only from me', description: session.account.username, value: [session.account.username] }, { label: 'Accept mail from anyone', value: [] as string[] }], { title: `${title}: who may mail it` })).value;
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
    const group = given.group ?? ancestorEntity(node, 'distributionGroup')?.userPrincipalName ?? (await pickMailGroup(session, 'Add a member to which mail-enabled group?')).PrimarySmtpAddress;
    const member = given.member ?? ancestorEntity(node, 'user')?.userPrincipalName ?? (await pickUser(session, `Add whom to ${group}?`)).userPrincipalName ?? '';
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
    const group = ancestorEntity(node, 'distributionGroup')?.userPrincipalName ?? (await pickMailGroup(session, 'Remove a member from which mail-enabled group?')).PrimarySmtpAddress;
    let member = node?.entity?.kind === 'recipient' ? node.entity.userPrincipalName ?? node.entity.id : undefined;
    if (!member) {
        const members = await listDistributionGroupMembers(session.exchange, group);
        if (!members.length) throw new Error(`${group} has no members.`);
        member = await pickMember(members, `Remove whom from ${group}?`);
    }
    const who = member;
    await confirmChange(`Remove ${who} from ${group}?`, 'Permissions granted to the group (such as calendar access) no longer apply to this member.', 'Remove');
    const outcome = await withCancellableProgress(`Removing ${who} from ${group}…`, signal =>
        audited(context.audit, session, 'removeMailGroupMember', `${who} → ${group}`, () => removeMailGroupMember(session.exchange, group, who, { signal }), r => ({ result: r === 'notMember' ? 'unchanged' : 'succeeded' })),
    );
    refreshWholeDirectory(context);
    return outcome;
}
