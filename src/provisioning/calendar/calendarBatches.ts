// How a grant's cmdlets travel: in the admin API's `$batch`, behind the job's pacer, in batches no larger than the
// throttle lets through at once.

import type { BatchAnswer, BatchCommand, BatchCommandResult } from '../../exchange/exchangeBatch';
import type { ExchangeAdminClient } from '../../exchange/ExchangeAdminClient';
import type { AdaptivePacer } from './calendarGrantPacer';

/** Commands in one `$batch` at most (the admin API's limit). */
export const batchSize = 10;
/** Clean answers in a row before one more command a batch is tried. */
const cleanAnswersToGrow = 30;

/**
 * Batches no larger than the throttle lets through at once: where each command counts, a batch larger than the
 * service's burst is throttled in part every time, and each time the whole job waits out a Retry-After. A batch
 * answered with some commands throttled shows what got through; after a run of clean answers, one more is tried.
 */
export class BatchSizer {
    limit = batchSize;
    private cleanAnswers = 0;

    observe(answer: BatchAnswer): void {
        if (answer.status !== 200) return;
        if (answer.throttledItems > 0 && answer.throttledItems < answer.items) {
            this.limit = Math.max(1, Math.min(this.limit, answer.items - answer.throttledItems));
            this.cleanAnswers = 0;
        } else if (answer.throttledItems === 0 && ++this.cleanAnswers >= cleanAnswersToGrow && this.limit < batchSize) {
            this.limit++;
            this.cleanAnswers = 0;
        }
    }
}

/**
 * One batch of the job's commands, an answer per command. Throttled commands are handed back (not retried by the
 * client), so the run puts them into its next full batches, behind the pacer's gate.
 */
export function sendCalendarBatch(exchange: ExchangeAdminClient, commands: BatchCommand[], pacer: AdaptivePacer, sizer: BatchSizer, signal: AbortSignal | undefined): Promise<BatchCommandResult<unknown>[]> {
    return exchange.invokeBatch(commands, {
        ...(signal ? { signal } : {}),
        pace: (s, count) => pacer.acquire(s, count),
        retryItems: false,
        onAnswer: answer => {
            // A batch larger than the limit learnt since it was built (the client's resend of the commands
            // throttled in an earlier answer) was throttled for its size, not for the rate: no cut for it.
            pacer.observe(answer, { cutRate: answer.items <= sizer.limit });
            sizer.observe(answer);
        },
    });
}
