import type { BatchAnswer } from '../../exchange/exchangeBatch';
import { abortableSleep } from '../../net/RequestPolicy';

export interface PacerOptions {
    /** Commands a second to start with. */
    initialRate?: number;
    minRate?: number;
    maxRate?: number;
    /**
     * Growth once a 429 was seen, per second of sending at the rate: this share of the rate plus `increasePerSecond`
     * commands a second (proportional, so a fast service is found again as quickly as a slow one).
     */
    increaseShare?: number;
    increasePerSecond?: number;
    /** While climbing (before the first 429), at most this many doublings a second (one per round trip). */
    maxClimb?: number;
    /** What a 429 multiplies the rate by: in the first climb (which overshoots most), and after it. */
    firstDecrease?: number;
    decrease?: number;
    /** Waits when an answer asks for none (a 429 without Retry-After). */
    defaultRetryAfterMs?: number;
    now?: () => number;
    sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** How far back the pacer looks to tell what the service let through (the first cut) and whether the rate binds. */
const windowMs = 1000;

/**
 * A client-side rate for bulk work against a throttled API, in COMMANDS a second, shared by every request of one job.
 *
 * Commands, not HTTP requests: a `$batch` of 10 commands costs 10 (Graph documents that each request in a batch is
 * evaluated individually against the throttling limits; Exchange is assumed to do the same, see docs/FIDELITY.md), so
 * a batch takes 10 slots and the next one leaves 10 slots later. Where a batch in fact counts once, pacing by
 * commands is only slower by the batch size, never throttled more.
 *
 * Requests leave evenly spaced at the current rate (no saved-up bursts, which would only collect 429s). The rate
 * starts low and doubles about once per round trip (at most four times a second) until the first 429, which brings it
 * down to what the service let through in the last second; from then on it climbs back fast (10 % a second) to near
 * that, or the rate of a later 429, then slowly (a small share of itself a second), and each 429 cuts it
 * (multiplicative decrease), once per throttling episode: answers to
 * requests sent before the last cut do not cut again. It grows only while it is what holds the work back. A 429's
 * Retry-After closes a shared gate: no request of the job leaves before it has passed, whichever request was throttled.
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
    private firstSentAt: number | undefined;
    /** When a request last had to wait for its slot at the rate. */
    private heldBackAt = -Infinity;
    /** The rate the last 429 came at: below 90 % of it the rate climbs back fast, near it slowly. */
    private ceiling = Infinity;
    /** Commands the service accepted in the last `windowMs` (time, commands). */
    private readonly recentAccepted: [number, number][] = [];
    private readonly now: () => number;
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
    /** HTTP requests that got an answer or none (each retry counts). */
    requests = 0;
    /** Commands throttled: every command of a request answered 429, and each command answered 429 inside a batch. */
    throttled = 0;

    constructor(private readonly options: PacerOptions = {}) {
        this.rate = options.initialRate ?? 10;
        this.now = options.now ?? Date.now;
        this.sleep = options.sleep ?? abortableSleep;
    }

    get currentRate(): number {
        return this.rate;
    }

    /** Waits for the gate and for the slots of a request carrying `commands` commands at the current rate. */
    async acquire(signal?: AbortSignal, commands = 1): Promise<void> {
        for (;;) {
            const now = this.now();
            const at = Math.max(this.gateUntil, this.nextSlotAt);
            if (at <= now) {
                const interval = (1000 * commands) / this.rate;
                // Slots are kept on their ideal times when a wake-up comes late (a busy event loop), so lateness does
                // not add up to a lower rate than asked; an idle spell earns no more than one request of catching up.
                this.nextSlotAt = (now - this.nextSlotAt <= interval ? this.nextSlotAt : now) + interval;
                this.firstSentAt ??= now;
                return;
            }
            // A request that waits for its slot (not for the gate) is held back by the rate.
            if (this.nextSlotAt > now) this.heldBackAt = now;
            await this.sleep(at - now, signal);
        }
    }

    /**
     * Learns from one answer: a 429 closes the gate and cuts the rate (unless the caller knows the 429 says nothing
     * about the rate: `cutRate: false`); a good answer grows it.
     */
    observe(answer: BatchAnswer, how: { cutRate?: boolean } = {}): void {
        this.requests++;
        const now = this.now();
        const items = Math.max(1, answer.items);
        const throttled = answer.status === 429 ? items : answer.throttledItems;
        if (answer.status >= 200 && answer.status < 300) this.recentAccepted.push([now, items - throttled]);
        forget(this.recentAccepted, now);
        if (throttled > 0) {
            this.throttled += throttled;
            this.gateUntil = Math.max(this.gateUntil, now + (answer.retryAfterMs ?? this.options.defaultRetryAfterMs ?? 1000));
            this.nextSlotAt = Math.max(this.nextSlotAt, this.gateUntil);
            if (answer.sentAt > this.lastCutAt && how.cutRate !== false) {
                let next = this.rate * (this.climbing ? (this.options.firstDecrease ?? 0.6) : (this.options.decrease ?? 0.9));
                // The first climb overshoots most: a little under what the service let through in the last second
                // (when that is known; a cut to 60 % of an overshoot can land far below the service's rate).
                const letThrough = total(this.recentAccepted) * (1000 / windowMs);
                const sendingLongEnough = this.firstSentAt !== undefined && now - this.firstSentAt >= windowMs;
                const measured = this.climbing && sendingLongEnough && letThrough > 0;
                if (measured) next = 0.95 * Math.min(this.rate, letThrough);
                // What the service let through is a better ceiling than the overshoot that was throttled: climbing
                // back fast towards 90 % of the overshoot only ran into the throttle again, episode after episode.
                this.ceiling = measured ? Math.min(this.rate, letThrough) : this.rate;
                this.rate = Math.max(this.options.minRate ?? 0.5, next);
                this.climbing = false;
                this.lastCutAt = now;
            }
            return;
        }
        if (answer.status < 200 || answer.status >= 300) return;
        // Grow only while the rate is what limits the work (commands leave at about the rate): a rate the caller never
        // reaches (slow answers, few batches in flight) says nothing about the service, and a cut from it slows nothing.
        // (Whether a request had to wait for its slot lately, not how many left in the last second: while the rate
        // doubles every round trip, the last second's sends always lag behind it.)
        if (now - this.heldBackAt > windowMs) return;
        const max = this.options.maxRate ?? 10_000;
        // Per answer, so that a second of answers at the rate adds what the comment on PacerOptions says.
        // Climbing, the rate doubles about once per round trip (as TCP's slow start does), at most `maxClimb` times a
        // second: a second per doubling took ten seconds to find a rate of 1,000 a second.
        const roundTripMs = Math.max(1, now - answer.sentAt);
        const climb = Math.min(this.options.maxClimb ?? 4, Math.max(1, 1000 / roundTripMs));
        const perSecond = this.climbing ? this.rate * climb : this.rate < 0.9 * this.ceiling ? 0.1 * this.rate : this.rate * (this.options.increaseShare ?? 0.005) + (this.options.increasePerSecond ?? 0.1);
        this.rate = Math.min(max, this.rate + (perSecond * items) / this.rate);
    }
}

function forget(entries: [number, number][], now: number): void {
    while (entries.length && entries[0][0] <= now - windowMs) entries.shift();
}

function total(entries: [number, number][]): number {
    let sum = 0;
    for (const [, n] of entries) sum += n;
    return sum;
}
