import { ExchangeCommandError } from '../../exchange/ExchangeCommandError';
import { GraphRequestError } from '../../graph/GraphRequestError';
import { NetworkError } from '../../net/networkErrors';
import { abortableSleep, droppedConnection } from '../../net/RequestPolicy';
import type { WriteContext, Written } from '../steps/contract';
import { TenantReads } from '../steps/tenantReads';
import { planned, type PlannedStep, type PlannedWork } from './recipePlan';

/**
 * One step of a reviewed plan: written (or removed) from what the plan read. A step whose request got no answer, or
 * only "unavailable" after the clients' own retries, is run again from a fresh read of that one step: every step is
 * idempotent, so a write that did land is found and not repeated, and the step says it was made by the lost try.
 */
export async function runPlannedStep(step: PlannedStep, ctx: WriteContext, o: { sleep?: (ms: number, signal?: AbortSignal) => Promise<void>; onRetry(message: string): void }): Promise<Written> {
    const work = step[planned];
    if (!work || work.have === undefined) throw new Error(`The plan's step ${step.id} has nothing to apply: plan the recipe again.`);
    const removing = step.status === 'remove';
    for (let tries = 1; ; tries++) {
        try {
            if (tries === 1) return await (removing ? work.step.remove(ctx, work.want, work.have) : work.step.write(ctx, work.want, work.have));
            const done = await afterLostAnswer(work, ctx, removing);
            // Not done when planned, found done on a retry: the try whose answer was lost had made the change.
            if (done.outcome !== 'alreadyInPlace') return done;
            return { ...done, outcome: step.status === 'create' ? 'created' : removing ? 'removed' : 'changed', detail: `${done.detail} (made by an earlier try whose answer was lost)`.trim() };
        } catch (error) {
            if (tries >= maxStepTries || !isTransientFailure(error) || ctx.signal?.aborted) throw error;
            const pause = 1000 * 2 ** (tries - 1);
            o.onRetry(`no answer from Microsoft (${error instanceof Error ? error.message : String(error)}); trying again in ${pause / 1000} s`);
            await (o.sleep ?? abortableSleep)(pause, ctx.signal);
        }
    }
}

/** A later try of a step whose earlier try got no answer: that one step read again, and written only if it still differs. */
async function afterLostAnswer(work: PlannedWork, ctx: WriteContext, removing: boolean): Promise<Written> {
    const reads = new TenantReads(ctx.graph, ctx.exchange, ctx.signal ? { signal: ctx.signal } : {}, { accounts: ctx.newAccounts, groups: new Set() });
    const have = await work.step.read(reads, work.want);
    const again = { ...ctx, afterLostAnswer: true };
    if (!removing) return work.step.write(again, work.want, have);
    // Gone on the fresh read: the try whose answer was lost removed it.
    return work.step.compare(work.want, have).status === 'remove' ? work.step.remove(again, work.want, have) : { outcome: 'alreadyInPlace', detail: 'Already gone.' };
}

/** Tries per step when Microsoft gives no answer or keeps answering "unavailable". */
const maxStepTries = 5;

function isTransientFailure(error: unknown): boolean {
    if (error instanceof NetworkError) return true;
    if (error instanceof GraphRequestError) return [429, 500, 502, 503, 504].includes(error.status);
    if (error instanceof ExchangeCommandError) return [0, 429, 500, 502, 503, 504].includes(error.status);
    return error instanceof Error && droppedConnection.test(error.message);
}
