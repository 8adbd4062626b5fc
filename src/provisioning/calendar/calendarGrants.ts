// The calendar engine's run: checks, then the group's members listed while their mailboxes are worked on in paced
// `$batch` rounds, with a journal so a cancelled run resumes. The parts live beside it, one purpose a file:
// calendarGrantChecks (before any change), calendarGroupMembers (the mailboxes), calendarMailboxWork (per mailbox:
// read, decide, write), calendarBatches and calendarGrantPacer (how commands travel), calendarGrantJournal,
// calendarGrantReport (the summary document).

import type { ExchangeAdminClient } from '../../exchange/ExchangeAdminClient';
import type { GraphClient } from '../../graph/GraphClient';
import type { Logger } from '../../shared/logger';
import { BatchSizer, sendCalendarBatch } from './calendarBatches';
import { checkGrantee, checkGroup, checkRequest, type CheckedGrantee } from './calendarGrantChecks';
import { JournalWriter, type CalendarGrantJournal } from './calendarGrantJournal';
import { AdaptivePacer, type PacerOptions } from './calendarGrantPacer';
import { CalendarGrantTally } from './calendarGrantTally';
import type { CalendarGrantMember, CalendarGrantProgress, CalendarGrantRequest, CalendarGrantSummary } from './calendarGrantTypes';
import { BackgroundMemberListing } from './calendarGroupMembers';
import { MailboxWork } from './calendarMailboxWork';
import type { MailboxTask } from './calendarMailboxTask';

// The engine's API as it was when it was one file: its importers keep their import lines.
export { calendarAccessRights, type CalendarAccessRight } from './calendarAccessRights';
export { calendarGrantSummaryMarkdown } from './calendarGrantReport';
export type { CalendarGrantJournal } from './calendarGrantJournal';
export * from './calendarGrantTypes';

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

/**
 * The guide's last step, in bulk: `accessRight` for `grantee` on the calendar of every user in a group (nested groups
 * included), or the grantee's entry removed. Idempotent (write only where needed: a second run sends no write at all),
 * batched (`$batch`, 10 commands a request), paced to Exchange's throttling per command, resumable (a journal of final
 * outcomes) and cancellable (stops within one round of requests, never throws for a cancel).
 *
 * A first grant pays a read only on the first round of batches, a re-run never sends a write (`MailboxWork` says
 * which cmdlets a mailbox needs). A read-only run and a revoke (which reports the rights it removes) always read first.
 */
export async function runCalendarGrant(
    deps: { graph: GraphClient; exchange: ExchangeAdminClient; logger: Logger },
    request: CalendarGrantRequest,
    options: CalendarGrantOptions = {},
): Promise<CalendarGrantSummary> {
    const { graph, exchange, logger } = deps;
    const signal = options.signal;
    const isCancel = (error: unknown) => signal?.aborted === true || (error instanceof Error && error.name === 'AbortError');
    const run: RunRecord = { request, startedAt: new Date().toISOString(), pacer: new AdaptivePacer(options.pacer), tally: new CalendarGrantTally(), graphRequests: 0, precheckRequests: 0 };
    const { pacer, tally } = run;

    // 1. Checks, before any change.
    let grantee: CheckedGrantee;
    try {
        checkRequest(request);
        run.graphRequests++;
        await checkGroup(graph, request, signal);
        grantee = await checkGrantee(deps, request, signal, () => run.precheckRequests++, () => run.graphRequests++);
        run.grantee = { identity: grantee.identity, displayName: grantee.displayName, recipientTypeDetails: grantee.recipientTypeDetails };
    } catch (error) {
        if (isCancel(error)) return summarise(run, true, false);
        throw error;
    }
    const verb = request.mode === 'grant' ? `grant ${request.accessRight} to ${grantee.identity} on` : `remove ${grantee.identity} from`;

    // 2. What an earlier, cancelled run already finished: carried over as its members are listed, which happens
    // WHILE the first mailboxes are worked on.
    if (options.journal) tally.carryOver(await options.journal.load());
    const queue: CalendarGrantMember[] = [];
    let nextMember = 0;
    const progress = () => options.onProgress?.(tally.progress());
    const listing = new BackgroundMemberListing(graph, request.groupId, request.outsideGroup === true && request.mode === 'revoke', signal, () => run.graphRequests++, (page, count) => {
        if (tally.expectedMembers === undefined && count !== undefined) {
            tally.expectedMembers = count;
            logger.info(`[Calendar] ${verb} the calendars of ${count} members of "${request.groupName}"`);
        }
        queue.push(...tally.listed(page));
        progress();
    }, () => {
        if (tally.expectedMembers === undefined) logger.info(`[Calendar] ${verb} the calendars of ${tally.members.length} members of "${request.groupName}"`);
        if (tally.resumedFrom) logger.info(`[Calendar] resuming: ${tally.resumedFrom} mailboxes were finished by an earlier run`);
    });

    // 3. Per member, in $batch: read, find a localised calendar when needed, then write only what differs.
    const journal = new JournalWriter(options.journal, logger);
    const work = new MailboxWork(request, options.readOnly === true, grantee, outcome => {
        tally.add(outcome);
        journal.record(outcome);
        if (outcome.outcome === 'failed') logger.warn(`[Calendar] ${outcome.userPrincipalName}: ${outcome.reason ?? 'failed'}`);
    });
    const sizer = new BatchSizer();
    /** Up to a batch of tasks: members already under way first (so each mailbox finishes soon), then new ones. */
    const take = (): MailboxTask[] => {
        const tasks = work.followUps.splice(0, sizer.limit);
        while (tasks.length < sizer.limit && nextMember < queue.length) {
            const task = work.begin(queue[nextMember++]);
            if (task) tasks.push(task);
        }
        return tasks;
    };
    const flush = () => {
        journal.flush();
        progress();
    };
    const runBatch = async (tasks: MailboxTask[]) => {
        const results = await sendCalendarBatch(exchange, tasks.map(task => work.command(task)), pacer, sizer, signal);
        tasks.forEach((task, i) => work.handle(task, results[i]));
        flush();
    };

    const inFlight = new Set<Promise<void>>();
    const window = Math.max(1, options.maxBatchesInFlight ?? 4);
    let failure: Error | undefined;
    while (!signal?.aborted && failure === undefined && listing.error === undefined) {
        const available = work.followUps.length + (queue.length - nextMember);
        if (available === 0 && inFlight.size === 0 && listing.listed) break;
        // Full batches while more work is coming; a partial one only when nothing in flight or still to be listed can
        // add to it.
        if (inFlight.size >= window || available === 0 || (available < sizer.limit && (inFlight.size > 0 || !listing.listed))) {
            await Promise.race(listing.listed ? [...inFlight] : [...inFlight, listing.arrival]);
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
    if (!listing.listed) listing.stop();
    await listing.done;
    flush();
    await journal.settled();
    if (listing.error !== undefined && !isCancel(listing.error) && !signal?.aborted) throw listing.error;
    if (failure !== undefined && !signal?.aborted) throw failure;
    const result = summarise(run, signal?.aborted === true, listing.listed);
    logger.info(`[Calendar] ${result.cancelled ? 'cancelled' : 'done'}: ${tally.describe()}; ${result.requests.exchange} Exchange requests, ${result.throttled} throttled`);
    return result;
}

/** What a run keeps for its summary besides the mailboxes' outcomes. */
interface RunRecord {
    request: CalendarGrantRequest;
    startedAt: string;
    pacer: AdaptivePacer;
    tally: CalendarGrantTally;
    graphRequests: number;
    /** Exchange requests of the checks (the pacer counts the batches). */
    precheckRequests: number;
    grantee?: CalendarGrantSummary['grantee'];
}

/** `listed`: every page of the group was read (a run stopped early knows only Graph's count). */
function summarise(run: RunRecord, cancelled: boolean, listed: boolean): CalendarGrantSummary {
    const { tally } = run;
    const expected = tally.expectedMembers;
    return {
        request: run.request,
        outcomes: [...tally.outcomes],
        cancelled,
        resumedFrom: tally.resumedFrom,
        startedAt: run.startedAt,
        finishedAt: new Date().toISOString(),
        requests: { graph: run.graphRequests, exchange: run.pacer.requests + run.precheckRequests },
        throttled: run.pacer.throttled,
        members: listed ? tally.members.length : Math.max(expected ?? 0, tally.members.length),
        ...(cancelled && !listed && expected !== undefined && expected > tally.members.length ? { unlisted: expected - tally.members.length } : {}),
        ...(run.grantee ? { grantee: run.grantee } : {}),
        ...(cancelled ? { notDone: tally.notDone() } : {}),
    };
}
