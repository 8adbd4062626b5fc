// Per mailbox: read what the grantee has, find a localised calendar when needed, then write only what differs. Each
// answer moves the mailbox to its next cmdlet or to its final outcome; nothing here sends, waits or counts requests.

import type { BatchCommand, BatchCommandResult } from '../../exchange/exchangeBatch';
import type { ExchangeCommandError } from '../../exchange/ExchangeCommandError';
import type { FolderPermission, FolderStatistics } from '../../exchange/cmdlets';
import { isFolderMissing, isMailboxMissing, isNoEntry, isTransient, sameRights, wasNotRun } from './calendarExchangeAnswers';
import { FirstLook } from './calendarFirstLook';
import type { CalendarGrantMember, CalendarGrantRequest, MailboxOutcome, MailboxOutcomeKind } from './calendarGrantTypes';
import { mailboxCommand, newMailboxTask, type MailboxStep, type MailboxTask } from './calendarMailboxTask';

/** Tries per mailbox after answers that mean "later" (throttled, unavailable, no answer), on top of the client's own. */
const maxTransientTries = 8;
/** Tries per mailbox answered "throttled, not run" (each behind the pacer's gate, at a rate cut by each episode). */
const maxNotRunTries = 30;
/** Reads again after a write that found the state changed under it (someone else granted or removed meanwhile). */
const maxRereads = 3;

/**
 * The mailboxes of one run: `begin` starts one, `command` is its next cmdlet, `handle` reads the answer. A mailbox
 * that needs another cmdlet waits in `followUps`; a final outcome goes to `onFinal`, once per mailbox.
 *
 * Commands per mailbox:
 * - a first grant needs one: Add-MailboxFolderPermission straight away. Where the grantee already has an entry, Add
 *   answers "already exists", and then a read tells whether the right is already the wanted one (`alreadyInPlace`,
 *   2 commands) or must be Set (`changed`, 3).
 * - a re-run needs one: the read, which finds the right in place; no write is sent.
 * - a localised calendar (`Kalender`): the first command fails on `upn:\Calendar`, Get-MailboxFolderStatistics names
 *   the folder, and the command is sent again on it (3 for a first grant).
 * Which to start with is guessed by `FirstLook`.
 */
export class MailboxWork {
    /** Mailboxes under way whose next cmdlet is due (sent before new ones, so each mailbox finishes soon). */
    readonly followUps: MailboxTask[] = [];
    private readonly firstLook: FirstLook;
    private readonly want: string[];

    constructor(
        private readonly request: CalendarGrantRequest,
        private readonly readOnly: boolean,
        private readonly grantee: { identity: string; id: string },
        private readonly onFinal: (outcome: MailboxOutcome) => void,
    ) {
        this.firstLook = new FirstLook(request.mode === 'grant' && !readOnly);
        this.want = request.mode === 'grant' ? [request.accessRight] : [];
    }

    /** A new mailbox's task, or undefined when it is settled without asking Exchange (the grantee's own, no UPN). */
    begin(member: CalendarGrantMember): MailboxTask | undefined {
        const task = newMailboxTask(member, this.firstLook.start(), this.firstLook.folderFirst());
        if (member.userId === this.grantee.id) return this.finish(task, 'skipped', { reason: 'the grantee itself' });
        if (!member.userPrincipalName) return this.finish(task, 'skipped', { reason: 'no user principal name' });
        return task;
    }

    command(task: MailboxTask): BatchCommand {
        return mailboxCommand(task, this.grantee.identity, this.want);
    }

    handle(task: MailboxTask, result: BatchCommandResult<unknown>): void {
        if (!result.ok) return this.handleError(task, result.error);
        const requestId = result.requestId;
        switch (task.step) {
            case 'read': {
                const rights = (result.value as FolderPermission[])[0]?.AccessRights;
                this.firstLook.vote(task, rights !== undefined);
                return this.decide(task, rights, requestId);
            }
            case 'findFolder': {
                const folders = result.value as FolderStatistics[];
                const calendar = folders.find(f => f.FolderType === 'Calendar') ?? folders[0];
                if (!calendar) return this.fail(task, 'Exchange lists no calendar folder in this mailbox', requestId);
                task.folder = `${task.member.userPrincipalName}:\\${calendar.Name}`;
                task.folderResolved = true;
                this.firstLook.voteFolder(task, calendar.Name !== 'Calendar');
                // Continue with what this mailbox started with: a read, or the Add itself.
                return this.again(task, task.start);
            }
            case 'add':
                this.firstLook.vote(task, false);
                return this.finish(task, 'granted', requestId ? { requestId } : {});
            case 'set':
                return this.finish(task, 'changed', { ...(task.previousRights ? { previousRights: task.previousRights } : {}), ...(requestId ? { requestId } : {}) });
            case 'remove':
                return this.finish(task, 'revoked', { ...(task.previousRights ? { previousRights: task.previousRights } : {}), ...(requestId ? { requestId } : {}) });
        }
    }

    private handleError(task: MailboxTask, error: ExchangeCommandError): void {
        if (isTransient(error)) {
            // A 429 or 424 says the command was not run: the pacer's gate and cuts deal with those, and only a
            // throttle that never lets this mailbox through ends it.
            const notRun = wasNotRun(error);
            const tries = notRun ? ++task.notRunTries : ++task.transientTries;
            if (tries > (notRun ? maxNotRunTries : maxTransientTries)) return this.fail(task, `Exchange kept answering ${error.status || 'nothing'} (${error.message}); run the job again later`, error.requestId);
            // After a write whose answer never came, read first: it may have been applied. A 429 or 424 says the
            // command was not run, so it is simply sent again.
            if ((task.step === 'add' || task.step === 'set' || task.step === 'remove') && !notRun) {
                task.uncertainWrite = task.step === 'add' ? 'granted' : task.step === 'set' ? 'changed' : 'revoked';
                return this.again(task, 'read');
            }
            return this.again(task, task.step);
        }
        switch (task.step) {
            case 'read':
                if (isNoEntry(error)) {
                    this.firstLook.vote(task, false);
                    return this.decide(task, undefined, error.requestId);
                }
                if (isFolderMissing(error)) return this.folderMissing(task, error);
                if (isMailboxMissing(error, task.member)) return this.skipNoMailbox(task, error);
                return this.fail(task, error.message, error.requestId);
            case 'findFolder':
                if (isMailboxMissing(error, task.member)) return this.skipNoMailbox(task, error);
                return this.fail(task, error.message, error.requestId);
            case 'add':
                // The grantee has an entry already: read it, then Set only if its right differs.
                if (error.isAlreadyExists) {
                    this.firstLook.vote(task, true);
                    return this.reread(task, error);
                }
                // Added first on `upn:\Calendar`: the folder has another name, or there is no mailbox.
                if (isFolderMissing(error)) return this.folderMissing(task, error);
                if (isMailboxMissing(error, task.member)) return this.skipNoMailbox(task, error);
                return this.fail(task, error.message, error.requestId);
            default:
                if (isNoEntry(error)) return this.reread(task, error);
                return this.fail(task, error.message, error.requestId);
        }
    }

    /** What the mailbox's read found (`rights` undefined: no entry for the grantee) against what is wanted. */
    private decide(task: MailboxTask, rights: string[] | undefined, requestId: string | undefined): void {
        const id = requestId ? { requestId } : {};
        if (this.request.mode === 'revoke') {
            if (!rights) return this.finish(task, task.uncertainWrite === 'revoked' ? 'revoked' : 'notPresent', { ...id, ...(task.previousRights ? { previousRights: task.previousRights } : {}) });
            task.previousRights = rights;
            return this.readOnly ? this.finish(task, 'differs', { ...id, previousRights: rights }) : this.again(task, 'remove');
        }
        if (!rights) return this.readOnly ? this.finish(task, 'differs', { ...id, previousRights: [] }) : this.again(task, 'add');
        if (sameRights(rights, this.want)) {
            const kind = task.uncertainWrite ?? 'alreadyInPlace';
            return this.finish(task, kind, { ...id, ...(kind === 'changed' && task.previousRights ? { previousRights: task.previousRights } : {}) });
        }
        task.previousRights ??= rights;
        if (this.readOnly) return this.finish(task, 'differs', { ...id, previousRights: rights });
        this.again(task, 'set');
    }

    /** `upn:\Calendar` is not there: ask the mailbox its calendar's name, once. */
    private folderMissing(task: MailboxTask, error: ExchangeCommandError): void {
        if (task.folderResolved) return this.fail(task, `The calendar folder ${task.folder} was not found (${error.message})`, error.requestId);
        this.firstLook.voteFolder(task, true);
        this.again(task, 'findFolder');
    }

    private reread(task: MailboxTask, error: ExchangeCommandError): void {
        if (++task.rereads > maxRereads) return this.fail(task, `The permission kept changing while it was being set (${error.message})`, error.requestId);
        this.again(task, 'read');
    }

    private skipNoMailbox(task: MailboxTask, error: ExchangeCommandError): void {
        this.finish(task, 'skipped', { reason: error.isNotYetReplicated ? 'no mailbox yet (Exchange has not received it; run again later)' : 'no mailbox', ...(error.requestId ? { requestId: error.requestId } : {}) });
    }

    private again(task: MailboxTask, step: MailboxStep): void {
        task.step = step;
        this.followUps.push(task);
    }

    private fail(task: MailboxTask, reason: string, requestId?: string): void {
        this.finish(task, 'failed', { reason, ...(requestId ? { requestId } : {}) });
    }

    private finish(task: MailboxTask, outcome: MailboxOutcomeKind, extra: Partial<MailboxOutcome> = {}): undefined {
        this.onFinal({ ...task.member, outcome, ...(outcome === 'skipped' && !task.folderResolved ? {} : { folder: task.folder }), ...extra });
        return undefined;
    }
}
