import * as vscode from 'vscode';
import type { Memento } from 'vscode';
import { confirmChange, pickOne, withCancellableProgress } from '../../platform/actionUi';
import { audited } from '../../platform/audit';
import type { ActionContext } from '../../platform/runAction';
import { givenInput } from '../shared/givenInput';
import { inputShapes } from '../shared/inputShapes';
import { calendarGrantRequestKey, calendarGrantSummaryMarkdown, keptCalendarGrantJournal, runCalendarGrant, type CalendarAccessRight, type CalendarGrantRequest, type CalendarGrantSummary, type KeptCalendarGrantJournal, type MailboxOutcome } from '../../provisioning/calendar';
import { activeSession, nodeArgument } from '../shared/nodeArgument';
import { pickGroup, pickRecipient } from '../shared/pickers';
import { ancestorEntity } from '../shared/targets';
import { refreshWholeDirectory } from '../shared/refreshDirectory';

const rights: [CalendarAccessRight, string][] = [
    ['Editor', 'read, create, change and delete items (what calendar integrations need)'],
    ['Reviewer', 'read items'],
    ['Author', 'read and create items, change and delete own'],
    ['PublishingEditor', 'Editor, and create subfolders'],
    ['AvailabilityOnly', 'free/busy only'],
    ['LimitedDetails', 'free/busy with subject and location'],
    ['Owner', 'everything, including permissions'],
];

/** What Grant and Revoke Calendar Access use: the row or a pick, the journal to resume from, the audit, the summary. */
type CalendarCommandContext = ActionContext<'sessions' | 'directoryView' | 'globalState' | 'audit' | 'log' | 'details' | 'directoryTree'>;

/**
 * Where a cancelled or interrupted run's finished mailboxes are kept, per tenant and request, so the next run of the
 * same request resumes instead of starting over. Cleared when a run finishes.
 */
function journalFor(state: Memento, tenantId: string, request: CalendarGrantRequest): KeptCalendarGrantJournal {
    return keptCalendarGrantJournal(state, `m365Provisioner.calendarJournal.${tenantId}.${calendarGrantRequestKey(request)}`);
}

async function runWithProgress(context: ActionContext<'sessions' | 'globalState' | 'audit' | 'log' | 'details' | 'directoryTree'>, request: CalendarGrantRequest): Promise<CalendarGrantSummary> {
    const session = activeSession(context);
    const journal = journalFor(context.globalState, session.account.tenantId, request);
    const earlier = await journal.load();
    if (earlier.length) {
        const choice = await pickOne([{ label: 'Resume', description: `skip the ${earlier.length} mailboxes already done`, value: 'resume' }, { label: 'Start over', description: 'read every mailbox again', value: 'restart' }], { title: `An earlier run of this ${request.mode} stopped part-way` });
        if (choice.value === 'restart') await journal.clear();
    }
    const verb = request.mode === 'grant' ? `Granting ${request.accessRight} to ${request.grantee}` : `Revoking ${request.grantee}'s access`;
    const summary = await withCancellableProgress(`${verb} on the calendars of ${request.groupName}'s members`, (signal, report) =>
        audited(
            context.audit,
            session,
            request.mode === 'grant' ? 'grantCalendarAccess' : 'revokeCalendarAccess',
            `${request.groupName} members' calendars → ${request.grantee}${request.mode === 'grant' ? ` (${request.accessRight})` : ''}`,
            () => runCalendarGrant({ graph: session.graph, exchange: session.exchange, logger: context.log }, request, {
                signal,
                journal,
                onProgress: p => report(`${p.finished} of ${p.total} mailboxes: ${p.counts.granted + p.counts.changed + p.counts.revoked} changed, ${p.counts.alreadyInPlace + p.counts.notPresent} already so, ${p.counts.skipped} skipped, ${p.counts.failed} failed`),
            }),
            s => {
                const count = (kind: MailboxOutcome['outcome']) => s.outcomes.filter(o => o.outcome === kind).length;
                const failed = count('failed');
                return { result: s.cancelled ? 'cancelled' : failed ? 'partial' : 'succeeded', detail: `${s.outcomes.length} mailboxes: ${count('granted')} granted, ${count('changed')} changed, ${count('revoked')} revoked, ${count('alreadyInPlace') + count('notPresent')} already so, ${count('skipped')} skipped, ${failed} failed` };
            },
        ),
    );
    if (!summary.cancelled) await journal.clear();
    const uri = context.details.put(`Calendar ${request.mode} ${request.groupName}`, `calendar/${journal.key}/${summary.finishedAt}`, calendarGrantSummaryMarkdown(summary));
    await vscode.commands.executeCommand('markdown.showPreview', uri).then(undefined, () => vscode.window.showTextDocument(uri));
    refreshWholeDirectory(context);
    return summary;
}

/** The group whose members' calendars are meant: the group row it was run on, else one the admin picks. */
async function targetGroup(context: ActionContext<'sessions' | 'directoryView'>, arg: unknown, title: string): Promise<{ id: string; name: string }> {
    const entity = ancestorEntity(nodeArgument(context, arg), 'group');
    if (entity) return { id: entity.id, name: entity.displayName };
    const group = await pickGroup(activeSession(context), title);
    return { id: group.id ?? '', name: group.displayName ?? '' };
}

/**
 * Gives a user or mail-enabled group an access right (Editor by default) on the calendar of every member of a group,
 * nested members included: idempotent, resumable after cancel, with a summary document at the end.
 */
export async function grantCalendarAccessCommand(context: CalendarCommandContext, arg?: unknown, input?: unknown): Promise<CalendarGrantSummary> {
    const given = givenInput(input, inputShapes.grantCalendarAccess, 'Grant Calendar Access');
    const session = activeSession(context);
    const group = await targetGroup(context, arg, 'Grant Calendar Access: on the calendars of which group\'s members?');
    const grantee = given.grantee ?? (await pickRecipient(session, `Who gets access to the calendars of ${group.name}'s members?`)).PrimarySmtpAddress;
    const accessRight = (given.accessRight as CalendarAccessRight | undefined) ?? (await pickOne(rights.map(([right, what]) => ({ label: right, description: what, value: right })), { title: `What may ${grantee} do?`, placeHolder: 'Editor is what the calendar integration guides ask for' })).value;
    return runWithProgress(context, { mode: 'grant', groupId: group.id, groupName: group.name, grantee, accessRight });
}

export async function revokeCalendarAccessCommand(context: CalendarCommandContext, arg?: unknown, input?: unknown): Promise<CalendarGrantSummary> {
    const given = givenInput(input, inputShapes.revokeCalendarAccess, 'Revoke Calendar Access');
    const session = activeSession(context);
    const group = await targetGroup(context, arg, 'Revoke Calendar Access: on the calendars of which group\'s members?');
    const grantee = given.grantee ?? (await pickRecipient(session, `Whose access to the calendars of ${group.name}'s members is removed?`)).PrimarySmtpAddress;
    await confirmChange(`Remove ${grantee}'s access to the calendar of every member of ${group.name}?`, 'Whatever uses this access (a calendar integration, a delegate) loses it on every member\'s calendar.', 'Revoke Access');
    return runWithProgress(context, { mode: 'revoke', groupId: group.id, groupName: group.name, grantee, accessRight: 'Editor' });
}
