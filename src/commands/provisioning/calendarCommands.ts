import * as vscode from 'vscode';
import type { Memento } from 'vscode';
import { pickOne, withCancellableProgress } from '../../platform/actionUi';
import { audited } from '../../platform/audit';
import { confirmBulk, firstNames } from '../../platform/bulkConfirmation';
import { InputSteps, pickStep, type StepPosition } from '../../platform/multiStep';
import type { ActionContext } from '../../platform/runAction';
import { givenInput } from '../shared/givenInput';
import { inputShapes } from '../shared/inputShapes';
import { calendarGrantRequestKey, calendarGrantSummaryMarkdown, keptCalendarGrantJournal, previewCalendarGrant, runCalendarGrant, type CalendarAccessRight, type CalendarGrantRequest, type CalendarGrantSummary, type KeptCalendarGrantJournal, type MailboxOutcome } from '../../provisioning/calendar';
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
function rowGroup(context: ActionContext<'directoryView'>, arg: unknown): { id: string; name: string } | undefined {
    const entity = ancestorEntity(nodeArgument(context, arg), 'group');
    return entity ? { id: entity.id, name: entity.displayName } : undefined;
}

async function pickTargetGroup(context: ActionContext<'sessions'>, title: string, position: StepPosition | undefined): Promise<{ id: string; name: string }> {
    const group = await pickGroup(activeSession(context), title, position);
    return { id: group.id ?? '', name: group.displayName ?? '' };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Before any bulk write: what the run would touch, read through the engine's own checks and member listing (nothing
 * changes), and the admin's yes to that count, with the first names and a preview of every mailbox. A caller that
 * showed its own confirmation passes `{ confirmed: true }` (then nothing is read here: the run checks as it always
 * does). A group with no mailbox is refused with why, before any question.
 */
async function confirmMailboxes(context: ActionContext<'sessions' | 'log'>, request: CalendarGrantRequest, confirmed: boolean | undefined): Promise<void> {
    if (confirmed) return;
    const session = activeSession(context);
    const preview = await withCancellableProgress(`Reading the members of ${request.groupName}…`, signal => previewCalendarGrant({ graph: session.graph, exchange: session.exchange }, request, signal));
    const count = preview.mailboxes.length;
    const mailboxes = `${plural(count, 'mailbox', 'mailboxes')} in ${request.groupName}`;
    const skipped = preview.withoutMailbox ? ` ${plural(preview.withoutMailbox, 'member has', 'members have')} no mail address, so no mailbox, and ${preview.withoutMailbox === 1 ? 'is' : 'are'} skipped.` : '';
    context.log.info(`[Calendar] ${request.mode} for ${request.grantee} would read ${mailboxes}${preview.withoutMailbox ? ` (${preview.withoutMailbox} without a mailbox)` : ''}`);
    if (!count) throw new Error(`${request.groupName} has no member with a mailbox (nested groups included), so there is no calendar to ${request.mode === 'grant' ? 'share' : 'change'}.${skipped} Add the people whose calendars are meant to ${request.groupName}, or choose another group.`);
    const who = preview.grantee.displayName && preview.grantee.displayName !== request.grantee ? `${preview.grantee.displayName} (${request.grantee})` : request.grantee;
    const names = firstNames(preview.mailboxes.map(m => m.displayName));
    await confirmBulk(request.mode === 'grant'
        ? {
            question: `Give ${who} ${request.accessRight} on ${mailboxes}?`,
            detail: `${names}.${skipped}\n\nEach calendar is read first; only those where ${request.grantee} does not have ${request.accessRight} are changed. Every run is written to the audit log.`,
            button: 'Grant Access',
            previewButton: 'Show Mailboxes',
            rows: preview.mailboxes.map(m => ({ label: m.displayName, description: m.userPrincipalName })),
        }
        : {
            question: `Remove ${who}'s access on ${mailboxes}?`,
            detail: `${names}.${skipped}\n\nWhatever uses this access (a calendar integration, a delegate) loses it on each of these calendars. Each is read first; only those with an entry for ${request.grantee} are changed.`,
            button: 'Revoke Access',
            previewButton: 'Show Mailboxes',
            rows: preview.mailboxes.map(m => ({ label: m.displayName, description: m.userPrincipalName })),
        });
}

/**
 * Gives a user or mail-enabled group an access right (Editor by default) on the calendar of every member of a group,
 * nested members included: confirmed with the mailbox count first, idempotent, resumable after cancel, with a summary
 * document at the end. Input `{ grantee, accessRight, confirmed }`: what is given is not asked.
 */
export async function grantCalendarAccessCommand(context: CalendarCommandContext, arg?: unknown, input?: unknown): Promise<CalendarGrantSummary> {
    const given = givenInput(input, { ...inputShapes.grantCalendarAccess, confirmed: 'boolean' }, 'Grant Calendar Access');
    const session = activeSession(context);
    const fromRow = rowGroup(context, arg);
    const steps = new InputSteps([!fromRow, !given.grantee, !given.accessRight]);
    const group = fromRow ?? (await pickTargetGroup(context, 'Grant Calendar Access: on the calendars of which group\'s members?', steps.next()));
    const grantee = given.grantee ?? (await pickRecipient(session, `Who gets access to the calendars of ${group.name}'s members?`, steps.next())).PrimarySmtpAddress;
    const accessRight = (given.accessRight as CalendarAccessRight | undefined) ?? (await pickStep(rights.map(([right, what]) => ({ label: right, description: what, value: right })), { title: `What may ${grantee} do?`, placeHolder: 'Editor is what the calendar integration guides ask for', position: steps.next() })).value;
    const request: CalendarGrantRequest = { mode: 'grant', groupId: group.id, groupName: group.name, grantee, accessRight };
    await confirmMailboxes(context, request, given.confirmed);
    return runWithProgress(context, request);
}

export async function revokeCalendarAccessCommand(context: CalendarCommandContext, arg?: unknown, input?: unknown): Promise<CalendarGrantSummary> {
    const given = givenInput(input, { ...inputShapes.revokeCalendarAccess, confirmed: 'boolean' }, 'Revoke Calendar Access');
    const session = activeSession(context);
    const fromRow = rowGroup(context, arg);
    const steps = new InputSteps([!fromRow, !given.grantee]);
    const group = fromRow ?? (await pickTargetGroup(context, 'Revoke Calendar Access: on the calendars of which group\'s members?', steps.next()));
    const grantee = given.grantee ?? (await pickRecipient(session, `Whose access to the calendars of ${group.name}'s members is removed?`, steps.next())).PrimarySmtpAddress;
    const request: CalendarGrantRequest = { mode: 'revoke', groupId: group.id, groupName: group.name, grantee, accessRight: 'Editor' };
    await confirmMailboxes(context, request, given.confirmed);
    return runWithProgress(context, request);
}
