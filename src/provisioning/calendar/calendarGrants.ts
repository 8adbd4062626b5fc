import type { BatchAnswer, BatchCommand, BatchCommandResult } from '../../exchange/exchangeBatch';
import type { ExchangeAdminClient } from '../../exchange/ExchangeAdminClient';
import { ExchangeCommandError } from '../../exchange/ExchangeCommandError';
import type { FolderPermission, FolderStatistics, RecipientSummary } from '../../exchange/cmdlets';
import type { GraphClient } from '../../graph/GraphClient';
import { GraphRequestError } from '../../graph/GraphRequestError';
import { filterEquals, filterParam } from '../../graph/odata';
import type { Logger } from '../../shared/logger';
import { AdaptivePacer, type PacerOptions } from './calendarGrantPacer';
import { calendarGrantSummaryMarkdown } from './calendarGrantReport';
import { checkAccessRight, fields } from '../fields';
import { calendarAccessRights, type CalendarAccessRight } from '../recipes/recipeTemplateValues';

export { calendarAccessRights, calendarGrantSummaryMarkdown, type CalendarAccessRight };

export interface CalendarGrantRequest {
    mode: 'grant' | 'revoke';
    groupId: string;
    groupName: string;
    /** UPN or SMTP address of a user or mail-enabled group. */
    grantee: string;
    /** Ignored for revoke. */
    accessRight: CalendarAccessRight;
}

/** `differs`: only in a read-only run (verify): the mailbox is not as requested, and nothing was sent to change it. */
export type MailboxOutcomeKind = 'granted' | 'changed' | 'alreadyInPlace' | 'revoked' | 'notPresent' | 'differs' | 'skipped' | 'failed';
export const mailboxOutcomeKinds: readonly MailboxOutcomeKind[] = ['granted', 'changed', 'alreadyInPlace', 'revoked', 'notPresent', 'differs', 'skipped', 'failed'];

export interface MailboxOutcome {
    userId: string;
    userPrincipalName: string;
    displayName: string;
    outcome: MailboxOutcomeKind;
    /** The calendar folder as Exchange names it, e.g. `anna@contoso.com:\Kalender`. */
    folder?: string;
    /** The grantee's rights before a change or a removal. */
    previousRights?: string[];
    reason?: string;
    /** Exchange's request id of the command that settled this mailbox (what support asks for). */
    requestId?: string;
}

export interface CalendarGrantProgress {
    total: number;
    finished: number;
    counts: Record<MailboxOutcomeKind, number>;
}

export interface CalendarGrantJournal {
    /** Outcomes already final from an earlier, cancelled run of the same request. */
    load(): Promise<MailboxOutcome[]>;
    append(outcomes: MailboxOutcome[]): Promise<void>;
}

export interface CalendarGrantMember { userId: string; userPrincipalName: string; displayName: string }

export interface CalendarGrantSummary {
    request: CalendarGrantRequest;
    /** Every member's outcome, those carried over from the journal included. */
    outcomes: MailboxOutcome[];
    cancelled: boolean;
    /** Members whose final outcome came from the journal (not touched by this run). */
    resumedFrom: number;
    startedAt: string;
    finishedAt: string;
    /** Graph requests the engine made, and Exchange HTTP requests (each `$batch` and each retry counts once). */
    requests: { graph: number; exchange: number };
    /** Answers 429 (whole requests, and commands inside a batch). */
    throttled: number;
    /** Users found in the group, nested groups included (0 when the run stopped before listing them). */
    members?: number;
    /** The grantee as Exchange knows it. */
    grantee?: { identity: string; displayName: string; recipientTypeDetails: string };
    /** A cancelled run: the members it did not finish (the next run reads them again before changing anything). */
    notDone?: CalendarGrantMember[];
    /** A run cancelled while the group was still being listed: members Graph counted that were not listed yet. */
    unlisted?: number;
}

/** How many mailboxes ended in each outcome (only the outcomes that occur). */
export function countOutcomes(outcomes: readonly MailboxOutcome[]): Partial<Record<MailboxOutcomeKind, number>> {
    const counts: Partial<Record<MailboxOutcomeKind, number>> = {};
    for (const m of outcomes) counts[m.outcome] = (counts[m.outcome] ?? 0) + 1;
    return counts;
}

/** Bad input found BEFORE any change: the message says what is wrong and how to fix it. */
export class CalendarGrantInputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'CalendarGrantInputError';
    }
}

export interface CalendarGrantOptions {
    signal?: AbortSignal;
    onProgress?: (p: CalendarGrantProgress) => void;
    journal?: CalendarGrantJournal;
    /** `$batch` requests in flight at once (keep at or below the Exchange client's concurrency; 4 by default). */
    maxBatchesInFlight?: number;
    /** Tuning of the client-side rate (tests and benchmarks). */
    pacer?: PacerOptions;
    /** Read every mailbox but change none: where a write would be needed the outcome is `differs` (drift checks). */
    readOnly?: boolean;
}

// Group.Read.All (asked for at sign-in) also reads transitive members: a grant asks for no extra Graph consent.
const graphScopes = ['Group.Read.All'];
/** Tries per mailbox after answers that mean "later" (throttled, unavailable, no answer), on top of the client's own. */
const maxTransientTries = 8;
/** Tries per mailbox answered "throttled, not run" (each behind the pacer's gate, at a rate cut by each episode). */
const maxNotRunTries = 30;
/** Reads again after a write that found the state changed under it (someone else granted or removed meanwhile). */
const maxRereads = 3;
const batchSize = 10;

type Step = 'read' | 'findFolder' | 'add' | 'set' | 'remove';
interface Task {
    member: CalendarGrantMember;
    step: Step;
    /** Where this mailbox started: `add` when the run guessed that the grantee has no entry yet (see `firstLook`). */
    start: 'read' | 'add';
    /** Whether this mailbox's first answer has voted yet (see `vote`), and whether its folder name has (`voteFolder`). */
    voted: boolean;
    folderVoted: boolean;
    folder: string;
    folderResolved: boolean;
    transientTries: number;
    /** Answers 429 or 424 (not run), counted apart: a paced run sends throttled commands again itself. */
    notRunTries: number;
    rereads: number;
    /** A write whose answer never came: if a read then finds the wanted state, this is what happened. */
    uncertainWrite?: 'granted' | 'changed' | 'revoked';
    previousRights?: string[];
}

/** Recipient types that can hold folder permissions (mail-enabled security principals). */
const grantable = new Set(['UserMailbox', 'SharedMailbox', 'RoomMailbox', 'EquipmentMailbox', 'LinkedMailbox', 'MailUser', 'MailUniversalSecurityGroup']);

/**
 * The guide's last step, in bulk: `accessRight` for `grantee` on the calendar of every user in a group (nested groups
 * included), or the grantee's entry removed. Idempotent (write only where needed: a second run sends no write at all),
 * batched (`$batch`, 10 commands a request), paced to Exchange's throttling per command, resumable (a journal of final
 * outcomes) and cancellable (stops within one round of requests, never throws for a cancel).
 *
 * Commands per mailbox, since each one counts against Exchange's throttle (the floor of the run's time):
 * - a first grant needs one: Add-MailboxFolderPermission straight away. Where the grantee already has an entry, Add
 *   answers "already exists" (`isAlreadyExists`), and then a read tells whether the right is already the wanted one
 *   (`alreadyInPlace`, 2 commands) or must be Set (`changed`, 3).
 * - a re-run needs one: the read, which finds the right in place; no write is sent.
 * - a localised calendar (`Kalender`): the first command fails on `upn:\Calendar`, Get-MailboxFolderStatistics names
 *   the folder, and the command is sent again on it (3 for a first grant).
 * Which of the two to start with is not known before the first answers, so the run guesses from what the mailboxes
 * before it showed (`firstLook`): it reads first until reads find no entry, then adds first until Adds find entries.
 * Likewise for the folder: where most mailboxes so far had a localised calendar, it asks for the folder's name first
 * (2 cmdlets for a localised first grant or re-run instead of 3).
 * A first grant pays the read only on the first round of batches, a re-run never sends a write. A read-only run and a
 * revoke (which reports the rights it removes) always read first.
 */
export async function runCalendarGrant(
    deps: { graph: GraphClient; exchange: ExchangeAdminClient; logger: Logger },
    request: CalendarGrantRequest,
    options: CalendarGrantOptions = {},
): Promise<CalendarGrantSummary> {
    const { graph, exchange, logger } = deps;
    const signal = options.signal;
    const startedAt = new Date().toISOString();
    const pacer = new AdaptivePacer(options.pacer);
    let graphRequests = 0;
    let precheckRequests = 0;
    const outcomes: MailboxOutcome[] = [];
    const counts = Object.fromEntries(mailboxOutcomeKinds.map(k => [k, 0])) as Record<MailboxOutcomeKind, number>;
    const members: CalendarGrantMember[] = [];
    /** The group's user count as Graph gives it on the first page, and whether every page has been read. */
    let expectedMembers: number | undefined;
    let listed = false;
    let resumedFrom = 0;
    let granteeInfo: CalendarGrantSummary['grantee'];
    let nextMember = 0;
    /** What the last mailboxes' first answers showed: above 0, mostly no entry yet (add first); else, entries (read first). */
    let lean = 0;
    const firstLook = (): 'read' | 'add' => (request.mode === 'grant' && !options.readOnly && lean > 0 ? 'add' : 'read');
    /** Above 0: most of the last mailboxes' calendars had a localised name (look the folder up first). */
    let localLean = 0;
    const voteFolder = (task: Task, localised: boolean) => {
        if (task.folderVoted) return;
        task.folderVoted = true;
        localLean = Math.max(-5, Math.min(5, localLean + (localised ? 1 : -1)));
    };
    const vote = (task: Task, hadEntry: boolean) => {
        if (!task.folderResolved) voteFolder(task, false);
        if (task.voted) return;
        task.voted = true;
        lean = Math.max(-5, Math.min(5, lean + (hadEntry ? -1 : 1)));
    };
    const summary = (cancelled: boolean): CalendarGrantSummary => {
        const done = new Set(outcomes.map(o => o.userId));
        const notDone = cancelled ? members.filter(m => !done.has(m.userId)) : [];
        return {
            request,
            outcomes: [...outcomes],
            cancelled,
            resumedFrom,
            startedAt,
            finishedAt: new Date().toISOString(),
            requests: { graph: graphRequests, exchange: pacer.requests + precheckRequests },
            throttled: pacer.throttled,
            members: listed ? members.length : Math.max(expectedMembers ?? 0, members.length),
            ...(cancelled && !listed && expectedMembers !== undefined && expectedMembers > members.length ? { unlisted: expectedMembers - members.length } : {}),
            ...(granteeInfo ? { grantee: granteeInfo } : {}),
            ...(cancelled ? { notDone } : {}),
        };
    };
    const isCancel = (error: unknown) => signal?.aborted === true || (error instanceof Error && error.name === 'AbortError');

    // 1. Checks, before any change.
    let granteeId: string;
    try {
        checkRequest(request);
        graphRequests++;
        await checkGroup(graph, request, signal);
        const grantee = await checkGrantee(deps, request, signal, () => precheckRequests++, () => graphRequests++);
        granteeInfo = { identity: grantee.identity, displayName: grantee.displayName, recipientTypeDetails: grantee.recipientTypeDetails };
        granteeId = grantee.id;
    } catch (error) {
        if (isCancel(error)) return summary(true);
        throw error;
    }
    const verb = request.mode === 'grant' ? `grant ${request.accessRight} to ${granteeInfo.identity} on` : `remove ${granteeInfo.identity} from`;

    // 2. What an earlier, cancelled run already finished: carried over as its members are listed.
    const earlier = new Map<string, MailboxOutcome>();
    for (const outcome of options.journal ? await options.journal.load() : []) earlier.set(outcome.userId, outcome);
    const queue: CalendarGrantMember[] = [];
    const progress = () => options.onProgress?.({ total: Math.max(expectedMembers ?? 0, members.length), finished: outcomes.length, counts: { ...counts } });

    // The members are listed page by page WHILE the first mailboxes are worked on: a group of 100,000 is a hundred
    // Graph pages, and waiting for all of them would hold every Exchange command back for that long.
    let listingError: Error | undefined;
    let memberArrived: () => void = () => undefined;
    let arrival = new Promise<void>(resolve => (memberArrived = resolve));
    const onMembers = (page: CalendarGrantMember[], count: number | undefined) => {
        if (expectedMembers === undefined && count !== undefined) {
            expectedMembers = count;
            logger.info(`[Calendar] ${verb} the calendars of ${count} members of "${request.groupName}"`);
        }
        for (const member of page) {
            members.push(member);
            const before = earlier.get(member.userId);
            if (before && before.outcome !== 'failed') {
                outcomes.push(before);
                counts[before.outcome]++;
                resumedFrom++;
            } else {
                queue.push(member);
            }
        }
        progress();
        memberArrived();
        arrival = new Promise<void>(resolve => (memberArrived = resolve));
    };
    // Stopped when the run stops early (a failure, a cancel): its pages would be read for nothing.
    const stopListing = new AbortController();
    const listingSignal = signal ? AbortSignal.any([signal, stopListing.signal]) : stopListing.signal;
    const listing = listMembers(graph, request.groupId, listingSignal, () => graphRequests++, onMembers)
        .catch((error: unknown) => {
            if (!stopListing.signal.aborted) listingError = error instanceof Error ? error : new Error(String(error));
        })
        .finally(() => {
            if (!stopListing.signal.aborted) listed = true;
            if (expectedMembers === undefined) logger.info(`[Calendar] ${verb} the calendars of ${members.length} members of "${request.groupName}"`);
            if (resumedFrom) logger.info(`[Calendar] resuming: ${resumedFrom} mailboxes were finished by an earlier run`);
            memberArrived();
        });

    // 3. Per member, in $batch: read, find a localised calendar when needed, then write only what differs.
    const want = request.mode === 'grant' ? [request.accessRight] : [];
    const followUps: Task[] = [];
    let journalWrites: Promise<void> = Promise.resolve();
    let pendingJournal: MailboxOutcome[] = [];
    const finish = (task: Task, outcome: MailboxOutcomeKind, extra: Partial<MailboxOutcome> = {}) => {
        const record: MailboxOutcome = { ...task.member, outcome, ...(outcome === 'skipped' && !task.folderResolved ? {} : { folder: task.folder }), ...extra };
        outcomes.push(record);
        counts[outcome]++;
        pendingJournal.push(record);
        if (outcome === 'failed') logger.warn(`[Calendar] ${task.member.userPrincipalName}: ${extra.reason ?? 'failed'}`);
    };
    const again = (task: Task, step: Step) => {
        task.step = step;
        followUps.push(task);
    };
    const fail = (task: Task, reason: string, requestId?: string) => finish(task, 'failed', { reason, ...(requestId ? { requestId } : {}) });
    const reread = (task: Task, error: ExchangeCommandError) => {
        if (++task.rereads > maxRereads) return fail(task, `The permission kept changing while it was being set (${error.message})`, error.requestId);
        again(task, 'read');
    };
    const decide = (task: Task, rights: string[] | undefined, requestId: string | undefined) => {
        const id = requestId ? { requestId } : {};
        if (request.mode === 'revoke') {
            if (!rights) return finish(task, task.uncertainWrite === 'revoked' ? 'revoked' : 'notPresent', { ...id, ...(task.previousRights ? { previousRights: task.previousRights } : {}) });
            task.previousRights = rights;
            return options.readOnly ? finish(task, 'differs', { ...id, previousRights: rights }) : again(task, 'remove');
        }
        if (!rights) return options.readOnly ? finish(task, 'differs', { ...id, previousRights: [] }) : again(task, 'add');
        if (sameRights(rights, want)) {
            const kind = task.uncertainWrite ?? 'alreadyInPlace';
            return finish(task, kind, { ...id, ...(kind === 'changed' && task.previousRights ? { previousRights: task.previousRights } : {}) });
        }
        task.previousRights ??= rights;
        if (options.readOnly) return finish(task, 'differs', { ...id, previousRights: rights });
        again(task, 'set');
    };
    const handle = (task: Task, result: BatchCommandResult<unknown>) => {
        if (!result.ok) {
            const error = result.error;
            if (isTransient(error)) {
                // A 429 or 424 says the command was not run: the pacer's gate and cuts deal with those, and only
                // a throttle that never lets this mailbox through ends it.
                const notRun = error.status === 429 || error.status === 424;
                const tries = notRun ? ++task.notRunTries : ++task.transientTries;
                if (tries > (notRun ? maxNotRunTries : maxTransientTries)) return fail(task, `Exchange kept answering ${error.status || 'nothing'} (${error.message}); run the job again later`, error.requestId);
                // After a write whose answer never came, read first: it may have been applied. A 429 or 424 says the
                // command was not run, so it is simply sent again.
                if ((task.step === 'add' || task.step === 'set' || task.step === 'remove') && !notRun) {
                    task.uncertainWrite = task.step === 'add' ? 'granted' : task.step === 'set' ? 'changed' : 'revoked';
                    return again(task, 'read');
                }
                return again(task, task.step);
            }
            switch (task.step) {
                case 'read':
                    if (isNoEntry(error)) {
                        vote(task, false);
                        return decide(task, undefined, error.requestId);
                    }
                    if (isFolderMissing(error)) return task.folderResolved ? fail(task, `The calendar folder ${task.folder} was not found (${error.message})`, error.requestId) : (voteFolder(task, true), again(task, 'findFolder'));
                    if (isMailboxMissing(error, task.member)) return skipNoMailbox(task, error);
                    return fail(task, error.message, error.requestId);
                case 'findFolder':
                    if (isMailboxMissing(error, task.member)) return skipNoMailbox(task, error);
                    return fail(task, error.message, error.requestId);
                case 'add':
                    // The grantee has an entry already: read it, then Set only if its right differs.
                    if (error.isAlreadyExists) {
                        vote(task, true);
                        return reread(task, error);
                    }
                    // Added first on `upn:\Calendar`: the folder has another name, or there is no mailbox.
                    if (isFolderMissing(error)) return task.folderResolved ? fail(task, `The calendar folder ${task.folder} was not found (${error.message})`, error.requestId) : (voteFolder(task, true), again(task, 'findFolder'));
                    if (isMailboxMissing(error, task.member)) return skipNoMailbox(task, error);
                    return fail(task, error.message, error.requestId);
                default:
                    if (isNoEntry(error)) return reread(task, error);
                    return fail(task, error.message, error.requestId);
            }
        }
        const requestId = result.requestId;
        switch (task.step) {
            case 'read': {
                const rights = (result.value as FolderPermission[])[0]?.AccessRights;
                vote(task, rights !== undefined);
                return decide(task, rights, requestId);
            }
            case 'findFolder': {
                const folders = result.value as FolderStatistics[];
                const calendar = folders.find(f => f.FolderType === 'Calendar') ?? folders[0];
                if (!calendar) return fail(task, 'Exchange lists no calendar folder in this mailbox', requestId);
                task.folder = `${task.member.userPrincipalName}:\\${calendar.Name}`;
                task.folderResolved = true;
                voteFolder(task, calendar.Name !== 'Calendar');
                // Continue with what this mailbox started with: a read, or the Add itself.
                return again(task, task.start);
            }
            case 'add':
                vote(task, false);
                return finish(task, 'granted', requestId ? { requestId } : {});
            case 'set':
                return finish(task, 'changed', { ...(task.previousRights ? { previousRights: task.previousRights } : {}), ...(requestId ? { requestId } : {}) });
            case 'remove':
                return finish(task, 'revoked', { ...(task.previousRights ? { previousRights: task.previousRights } : {}), ...(requestId ? { requestId } : {}) });
        }
    };
    const skipNoMailbox = (task: Task, error: ExchangeCommandError) =>
        finish(task, 'skipped', { reason: error.isNotYetReplicated ? 'no mailbox yet (Exchange has not received it; run again later)' : 'no mailbox', ...(error.requestId ? { requestId: error.requestId } : {}) });
    const command = (task: Task): BatchCommand => {
        const upn = task.member.userPrincipalName;
        const base = { anchorMailbox: upn };
        switch (task.step) {
            case 'read':
                return { ...base, cmdlet: 'Get-MailboxFolderPermission', parameters: { Identity: task.folder, User: granteeInfo?.identity } };
            case 'findFolder':
                return { ...base, cmdlet: 'Get-MailboxFolderStatistics', parameters: { Identity: upn, FolderScope: 'Calendar' } };
            case 'add':
                return { ...base, cmdlet: 'Add-MailboxFolderPermission', parameters: { Identity: task.folder, User: granteeInfo?.identity, AccessRights: want } };
            case 'set':
                return { ...base, cmdlet: 'Set-MailboxFolderPermission', parameters: { Identity: task.folder, User: granteeInfo?.identity, AccessRights: want } };
            case 'remove':
                return { ...base, cmdlet: 'Remove-MailboxFolderPermission', parameters: { Identity: task.folder, User: granteeInfo?.identity, Confirm: false } };
        }
    };
    // Batches no larger than the throttle lets through at once: where each command counts, a batch larger than the
    // service's burst is throttled in part every time, and each time the whole job waits out a Retry-After. A batch
    // answered with some commands throttled shows what got through; after a run of clean answers, one more is tried.
    let batchLimit = batchSize;
    let cleanAnswers = 0;
    const fitBatches = (answer: BatchAnswer) => {
        if (answer.status !== 200) return;
        if (answer.throttledItems > 0 && answer.throttledItems < answer.items) {
            batchLimit = Math.max(1, Math.min(batchLimit, answer.items - answer.throttledItems));
            cleanAnswers = 0;
        } else if (answer.throttledItems === 0 && ++cleanAnswers >= 30 && batchLimit < batchSize) {
            batchLimit++;
            cleanAnswers = 0;
        }
    };
    /** Up to `batchLimit` tasks: members already under way first (so each mailbox finishes soon), then new ones. */
    const take = (): Task[] => {
        const tasks = followUps.splice(0, batchLimit);
        while (tasks.length < batchLimit && nextMember < queue.length) {
            const member = queue[nextMember++];
            const start = firstLook();
            const task: Task = { member, step: localLean > 0 ? 'findFolder' : start, start, voted: false, folderVoted: false, folder: `${member.userPrincipalName}:\\Calendar`, folderResolved: false, transientTries: 0, notRunTries: 0, rereads: 0 };
            if (member.userId === granteeId) finish(task, 'skipped', { reason: 'the grantee itself' });
            else if (!member.userPrincipalName) finish(task, 'skipped', { reason: 'no user principal name' });
            else tasks.push(task);
        }
        return tasks;
    };
    const flush = () => {
        if (pendingJournal.length && options.journal) {
            const entries = pendingJournal;
            const journal = options.journal;
            journalWrites = journalWrites.then(() => journal.append(entries)).catch((error: unknown) => logger.warn(`[Calendar] could not write the journal: ${error instanceof Error ? error.message : String(error)}`));
        }
        pendingJournal = [];
        progress();
    };
    const runBatch = async (tasks: Task[]) => {
        const results = await exchange.invokeBatch(tasks.map(command), {
            ...(signal ? { signal } : {}),
            pace: (s, commands) => pacer.acquire(s, commands),
            // Throttled commands come back here and go into the next full batches, behind the pacer's gate.
            retryItems: false,
            onAnswer: answer => {
                // A batch larger than the limit learnt since it was built (the client's resend of the commands
                // throttled in an earlier answer) was throttled for its size, not for the rate: no cut for it.
                pacer.observe(answer, { cutRate: answer.items <= batchLimit });
                fitBatches(answer);
            },
        });
        tasks.forEach((task, i) => handle(task, results[i]));
        flush();
    };

    const inFlight = new Set<Promise<void>>();
    const window = Math.max(1, options.maxBatchesInFlight ?? 4);
    let failure: Error | undefined;
    while (!signal?.aborted && failure === undefined && listingError === undefined) {
        const available = followUps.length + (queue.length - nextMember);
        if (available === 0 && inFlight.size === 0 && listed) break;
        // Full batches while more work is coming; a partial one only when nothing in flight or still to be listed can
        // add to it.
        if (inFlight.size >= window || available === 0 || (available < batchLimit && (inFlight.size > 0 || !listed))) {
            await Promise.race(listed ? [...inFlight] : [...inFlight, arrival]);
            continue;
        }
        const tasks = take();
        if (!tasks.length) {
            flush();
            continue;
        }
        const running: Promise<void> = runBatch(tasks)
            .catch((error: unknown) => {
                if (!isCancel(error)) failure ??= error instanceof Error ? error : new Error(String(error));
            })
            .finally(() => inFlight.delete(running));
        inFlight.add(running);
    }
    await Promise.allSettled(inFlight);
    if (!listed) stopListing.abort();
    await listing;
    flush();
    await journalWrites;
    if (listingError !== undefined && !isCancel(listingError) && !signal?.aborted) throw listingError;
    if (failure !== undefined && !signal?.aborted) throw failure;
    const result = summary(signal?.aborted === true);
    logger.info(`[Calendar] ${result.cancelled ? 'cancelled' : 'done'}: ${mailboxOutcomeKinds.filter(k => counts[k]).map(k => `${counts[k]} ${k}`).join(', ') || 'nothing to do'}; ${result.requests.exchange} Exchange requests, ${result.throttled} throttled`);
    return result;
}

function checkRequest(request: CalendarGrantRequest): void {
    if (request.mode !== 'grant' && request.mode !== 'revoke') throw new CalendarGrantInputError(`Unknown mode "${String(request.mode)}": use "grant" to give access or "revoke" to remove it.`);
    if (!request.groupId?.trim()) throw new CalendarGrantInputError('No group was chosen: pick the group whose members\' calendars to change.');
    if (!request.grantee?.trim()) throw new CalendarGrantInputError('No grantee was given: enter the UPN or SMTP address of the user or mail-enabled security group that should get access.');
    // The same field checks as every other entry point (fields/index.ts).
    const problem = fields.grantee.check(request.grantee) ?? (request.mode === 'grant' ? checkAccessRight(String(request.accessRight)) : undefined);
    if (problem) throw new CalendarGrantInputError(problem);
}

async function checkGroup(graph: GraphClient, request: CalendarGrantRequest, signal: AbortSignal | undefined): Promise<void> {
    try {
        await graph.get(`/groups/${encodeURIComponent(request.groupId.trim())}?$select=id,displayName`, { scopes: graphScopes, ...(signal ? { signal } : {}) });
    } catch (error) {
        if (error instanceof GraphRequestError && (error.status === 404 || error.status === 400)) {
            throw new CalendarGrantInputError(`The group "${request.groupName}" (id ${request.groupId}) does not exist in this tenant${error.requestId ? ` (request id ${error.requestId})` : ''}. It may have been deleted: refresh the Directory view and pick the group again.`);
        }
        throw error;
    }
}

/** The grantee must be an Exchange recipient that can hold folder permissions; says what it is when it cannot. */
async function checkGrantee(
    deps: { graph: GraphClient; exchange: ExchangeAdminClient },
    request: CalendarGrantRequest,
    signal: AbortSignal | undefined,
    countExchange: () => void,
    countGraph: () => void,
): Promise<{ identity: string; displayName: string; recipientTypeDetails: string; id: string }> {
    const grantee = request.grantee.trim();
    const o = signal ? { signal } : {};
    let recipient: (RecipientSummary & { RecipientType?: string }) | undefined;
    try {
        countExchange();
        recipient = (await deps.exchange.invoke<RecipientSummary & { RecipientType?: string }>('Get-Recipient', { Identity: grantee }, o)).value[0];
    } catch (error) {
        if (!(error instanceof ExchangeCommandError)) throw error;
        if (error.isNotYetReplicated) throw new CalendarGrantInputError(`Exchange does not know "${grantee}" yet: a new account or group reaches Exchange Online minutes (up to 30) after it is created. Try again later.`);
        if (error.isAmbiguous) throw new CalendarGrantInputError(`"${grantee}" matches several Exchange recipients. Give the grantee's primary SMTP address instead.`);
        if (!error.isNotFound) throw error;
    }
    if (!recipient) {
        // Exchange lists only mail recipients; say what the name is instead, if anything.
        try {
            countExchange();
            const user = (await deps.exchange.invoke<RecipientSummary>('Get-User', { Identity: grantee }, o)).value[0];
            if (user) throw noMailbox(grantee, user.DisplayName);
        } catch (error) {
            if (!(error instanceof ExchangeCommandError) || !error.isNotFound) throw error;
        }
        countGraph();
        const groups = await deps.graph.get<{ value: { displayName: string; mailEnabled: boolean }[] }>(`/groups?${filterParam(filterEquals('displayName', grantee))}&$select=displayName,mailEnabled,securityEnabled`, { scopes: graphScopes, ...o });
        if (groups.value.some(g => !g.mailEnabled)) throw notMailEnabled(grantee, groups.value[0].displayName);
        throw new CalendarGrantInputError(`Exchange has no recipient "${grantee}". Check the spelling, and give the UPN or primary SMTP address of a user with a mailbox or of a mail-enabled security group.`);
    }
    const type = recipient.RecipientTypeDetails;
    const named = `"${grantee}" (${recipient.DisplayName})`;
    if (grantable.has(type)) return { identity: recipient.PrimarySmtpAddress || grantee, displayName: recipient.DisplayName, recipientTypeDetails: type, id: recipient.ExternalDirectoryObjectId };
    if (type === 'User' || type === 'DisabledUser' || recipient.RecipientType === 'User') throw noMailbox(grantee, recipient.DisplayName);
    if (recipient.RecipientType === 'Group' || /^(Universal|NonUniversal|Global)\w*Group$/.test(type)) throw notMailEnabled(grantee, recipient.DisplayName);
    if (type === 'MailUniversalDistributionGroup' || type === 'MailNonUniversalGroup' || type === 'DynamicDistributionGroup') {
        throw new CalendarGrantInputError(`${named} is a distribution group, not a security group: folder permissions need a security principal. Use a mail-enabled security group (New-DistributionGroup -Type Security), or convert this one.`);
    }
    if (type === 'GroupMailbox') throw new CalendarGrantInputError(`${named} is a Microsoft 365 group, which cannot hold calendar folder permissions. Use a mail-enabled security group instead.`);
    throw new CalendarGrantInputError(`${named} is a ${type}, which cannot hold folder permissions. Use a user with a mailbox or a mail-enabled security group.`);
}

const noMailbox = (grantee: string, displayName: string) =>
    new CalendarGrantInputError(`"${grantee}" (${displayName}) is a user without a mailbox, so Exchange cannot grant it folder permissions. Give the user an Exchange Online licence and wait for the mailbox, or grant to a mail-enabled security group that contains the user.`);
const notMailEnabled = (grantee: string, displayName: string) =>
    new CalendarGrantInputError(`"${grantee}" (${displayName}) is a security group that is not mail-enabled, so Exchange cannot grant it folder permissions. Use a mail-enabled security group (New-DistributionGroup -Type Security) and put the members in it.`);

/**
 * Users in the group and in every group nested in it, each once, handed on a page at a time (with the total Graph
 * counted, on the first page). The `microsoft.graph.user` cast is an advanced query: Graph refuses it without
 * ConsistencyLevel: eventual and $count=true (group-list-transitivemembers.md).
 */
async function listMembers(graph: GraphClient, groupId: string, signal: AbortSignal | undefined, count: () => void, onPage: (members: CalendarGrantMember[], total: number | undefined) => void): Promise<void> {
    type Page = { value: { id: string; displayName?: string | null; userPrincipalName?: string | null; mail?: string | null }[]; '@odata.nextLink'?: string; '@odata.count'?: number };
    const seen = new Set<string>();
    const call = { scopes: graphScopes, headers: { ConsistencyLevel: 'eventual' }, ...(signal ? { signal } : {}) };
    let next: string | undefined = `/groups/${encodeURIComponent(groupId.trim())}/transitiveMembers/microsoft.graph.user?$select=id,displayName,userPrincipalName,mail&$top=999&$count=true`;
    while (next) {
        count();
        const page: Page = await graph.get<Page>(next, call);
        const fresh = page.value.filter(user => !seen.has(user.id) && seen.add(user.id));
        onPage(fresh.map(user => ({ userId: user.id, userPrincipalName: user.userPrincipalName ?? user.mail ?? '', displayName: user.displayName ?? user.userPrincipalName ?? user.id })), page['@odata.count']);
        next = page['@odata.nextLink'];
    }
}

function sameRights(have: string[], want: string[]): boolean {
    const a = new Set(have.map(r => r.toLowerCase()));
    const b = new Set(want.map(r => r.toLowerCase()));
    return a.size === b.size && [...a].every(r => b.has(r));
}

/** Answers that mean "later": throttled, briefly unavailable, or no answer at all. */
function isTransient(error: ExchangeCommandError): boolean {
    return error.status === 0 || error.status === 429 || error.status === 503 || error.status === 504 || error.status === 424;
}

/** The grantee has no entry on this folder (Get-/Set-/Remove-MailboxFolderPermission -User). */
function isNoEntry(error: ExchangeCommandError): boolean {
    return /UserNotFoundInPermissionEntry/i.test(error.exceptionType) || /There is no existing permission entry/i.test(error.message);
}

/** The folder is not there (e.g. `:\Calendar` on a mailbox whose calendar is `Kalender`); the mailbox is. */
function isFolderMissing(error: ExchangeCommandError): boolean {
    if (!error.isNotFound || isNoEntry(error)) return false;
    return /StoreTasks\.ManagementObjectNotFoundException|FolderNotFound/i.test(error.exceptionType) || /:\\/.test(error.message);
}

/** The mailbox is not there: Exchange's "object not found" naming the member, not the folder nor the grantee. */
function isMailboxMissing(error: ExchangeCommandError, member: CalendarGrantMember): boolean {
    if (!error.isNotFound || isNoEntry(error) || isFolderMissing(error)) return false;
    // "…because object 'anna@contoso.com' couldn't be found on '…'", or (not yet replicated) "Couldn't find object "…""
    const named = (/object '([^']+)'/.exec(error.message)?.[1] ?? /object "([^"]+)"/.exec(error.message)?.[1] ?? '').toLowerCase();
    return !named || named === member.userPrincipalName.toLowerCase() || named === member.userId.toLowerCase();
}
