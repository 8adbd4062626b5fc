/** A token bucket per key (app id + API): `rate` tokens a second, at most `burst` saved up. */
export class Throttle {
    private readonly buckets = new Map<string, { tokens: number; updatedMs: number }>();

    /** Takes a token; returns 0 when allowed, else how many seconds to wait (Retry-After). */
    take(key: string, ratePerSecond: number, burst: number, nowMs: number): number {
        if (ratePerSecond <= 0) return 0;
        const bucket = this.buckets.get(key) ?? { tokens: burst, updatedMs: nowMs };
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
