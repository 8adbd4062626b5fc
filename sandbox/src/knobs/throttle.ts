import type { Knobs } from './knobs';

/**
 * A token bucket per key (app id + API): `rate` tokens a second, at most `burst` saved up. A bucket whose rate or
 * burst knob changed starts full again, so a test or bench phase that sets the knobs does not inherit an earlier
 * phase's debt.
 */
export class Throttle {
    private readonly buckets = new Map<string, { tokens: number; updatedMs: number; rate: number; burst: number }>();

    /** Takes a token; returns 0 when allowed, else how many seconds to wait (Retry-After). */
    take(key: string, ratePerSecond: number, burst: number, nowMs: number): number {
        if (ratePerSecond <= 0) return 0;
        const known = this.buckets.get(key);
        const bucket = known && known.rate === ratePerSecond && known.burst === burst ? known : { tokens: burst, updatedMs: nowMs, rate: ratePerSecond, burst };
        bucket.tokens = Math.min(burst, bucket.tokens + ((nowMs - bucket.updatedMs) / 1000) * ratePerSecond);
        bucket.updatedMs = nowMs;
        this.buckets.set(key, bucket);
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return 0;
        }
        return Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerSecond));
    }

    reset(): void {
        this.buckets.clear();
    }
}

/**
 * What one command of a `$batch` costs beyond the first (the front door took one token for the HTTP request, which
 * stands for the batch's first command): a token from the same bucket, or nothing where the batch counts once.
 * Graph: "Requests in a batch are evaluated individually against the applicable throttling limits and if any request
 * exceeds the limits, it fails with a status of 429" (microsoftgraph/microsoft-graph-docs-contrib:
 * concepts/json-batching.md, "Batch size limitations"; concepts/throttling.md, "Throttling and batching").
 * Exchange: undocumented; the `exchangeBatchCost` knob chooses (per item by default, the conservative case).
 * Answers 0 when the command may run, else the seconds to wait (its Retry-After).
 */
export function chargeBatchCommand(
    throttle: Throttle,
    knobs: () => Pick<Knobs, 'throttleGraphPerSecond' | 'throttleExchangePerSecond' | 'throttleBurst' | 'exchangeBatchCost'>,
    nowMs: () => number,
): (api: 'graph' | 'exchange', appId: string) => number {
    return (api, appId) => {
        const k = knobs();
        if (api === 'exchange' && k.exchangeBatchCost === 'per-request') return 0;
        return throttle.take(`${api}|${appId}`, api === 'graph' ? k.throttleGraphPerSecond : k.throttleExchangePerSecond, k.throttleBurst, nowMs());
    };
}
