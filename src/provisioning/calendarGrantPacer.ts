import type { BatchAnswer } from '../exchange/exchangeBatch';
import { abortableSleep } from '../net/RequestPolicy';

export interface PacerOptions {
    /** Requests a second to start with. */
    initialRate?: number;
    minRate?: number;
    maxRate?: number;
    /** Growth once a 429 was seen: requests a second added per second of successful sending. */
    increasePerSecond?: number;
    /** What a 429 multiplies the rate by: in the first climb (which overshoots most), and after it. */
    firstDecrease?: number;
    decrease?: number;
    /** Waits when an answer asks for none (a 429 without Retry-After). */
    defaultRetryAfterMs?: number;
    now?: () => number;
    sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * A client-side rate for bulk work against a throttled API, shared by every request of one job.
 *
 * Requests leave evenly spaced at the current rate (no saved-up bursts, which would only collect 429s). The rate
 * starts low and grows fast (each good answer adds one request a second, so it roughly doubles every second) until the
 * first 429, which brings it down to what the service let through so far; from then on it grows slowly (additive
 * increase) and each 429 cuts it (multiplicative decrease), once per throttling episode: answers to requests sent
 * before the last cut do not cut again. It grows only while it is what holds the work back. A 429's Retry-After
 * closes a shared gate: no request of the job leaves before it has passed, whichever request was throttled.
 *
 * Why not simply honour Retry-After per request: each 429 costs the whole job its Retry-After (a second or more), so
 * the way to finish near the throttle's floor is to be throttled rarely, i.e. to sit just under the service's rate.
 */
export class AdaptivePacer {
    private rate: number;
    private climbing = true;
    private nextSlotAt = 0;
    private gateUntil = 0;
    private lastCutAt = 0;
    private accepted = 0;
    private firstSentAt: number | undefined;
    /** When requests of the last second left (to tell whether the rate is what holds the work back). */
    private readonly recentSends: number[] = [];
    private readonly now: () => number;
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
    /** HTTP requests that got an answer or none (each retry counts). */
    requests = 0;
    /** Requests answered 429, and items answered 429 inside a batch. */
    throttled = 0;

    constructor(private readonly options: PacerOptions = {}) {
        this.rate = options.initialRate ?? 10;
        this.now = options.now ?? Date.now;
        this.sleep = options.sleep ?? abortableSleep;
    }

    get currentRate(): number {
        return this.rate;
    }

    /** Waits for the gate and for this request's slot at the current rate. */
    async acquire(signal?: AbortSignal): Promise<void> {
        for (;;) {
            const now = this.now();
            const at = Math.max(this.gateUntil, this.nextSlotAt);
            if (at <= now) {
                const interval = 1000 / this.rate;
                // Slots are kept on their ideal times when a wake-up comes late (a busy event loop), so lateness does
                // not add up to a lower rate than asked; an idle spell earns no more than one slot of catching up.
                this.nextSlotAt = (now - this.nextSlotAt <= interval ? this.nextSlotAt : now) + interval;
                this.recentSends.push(now);
                return;
            }
            await this.sleep(at - now, signal);
        }
    }

    /** Learns from one answer: a 429 closes the gate and cuts the rate; a good answer grows it. */
    observe(answer: BatchAnswer): void {
        this.requests++;
        const now = this.now();
        const throttled = answer.status === 429 ? 1 : answer.throttledItems;
        if (throttled > 0) {
            this.throttled += throttled;
            this.gateUntil = Math.max(this.gateUntil, now + (answer.retryAfterMs ?? this.options.defaultRetryAfterMs ?? 1000));
            this.nextSlotAt = Math.max(this.nextSlotAt, this.gateUntil);
            if (answer.sentAt > this.lastCutAt) {
                let next = this.rate * (this.climbing ? (this.options.firstDecrease ?? 0.6) : (this.options.decrease ?? 0.88));
                // The first climb overshoots most: no faster than what the service let through so far (burst included).
                if (this.climbing && this.firstSentAt !== undefined && now - this.firstSentAt >= 500) next = Math.min(next, (this.accepted * 1000) / (now - this.firstSentAt));
                this.rate = Math.max(this.options.minRate ?? 0.5, next);
                this.climbing = false;
                this.lastCutAt = now;
            }
            return;
        }
        if (answer.status < 200 || answer.status >= 300) return;
        this.accepted++;
        this.firstSentAt ??= answer.sentAt;
        // Grow only while the rate is what limits the work (requests leave at about the rate): a rate the caller never
        // reaches (slow answers, few batches in flight) says nothing about the service, and a cut from it slows nothing.
        while (this.recentSends.length && this.recentSends[0] <= now - 1000) this.recentSends.shift();
        if (this.recentSends.length < 0.8 * this.rate) return;
        const max = this.options.maxRate ?? 200;
        this.rate = Math.min(max, this.climbing ? this.rate + 1 : this.rate + (this.options.increasePerSecond ?? 0.25) / this.rate);
    }
}
