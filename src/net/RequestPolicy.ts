import type { Logger } from '../shared/logger';
import { abortError, type HttpResponse } from './HttpTransport';

export interface PolicyOptions {
    /** Requests in flight at once (Graph: 4; Exchange: 2, as its admin API throttles per tenant). */
    maxConcurrency: number;
    /** Tries per request, the first included. */
    maxAttempts: number;
    /** First back-off step without Retry-After; doubles each time, with full jitter. */
    baseDelayMs: number;
    /** Waits, abort-aware; tests and benchmarks pass one that records how long was asked. */
    sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
    logger: Logger;
    tag: string;
}

/** The tunable part of a client's options, and that client's defaults. */
export interface PolicySettings {
    maxConcurrency?: number;
    maxAttempts?: number;
    baseDelayMs?: number;
    sleep?: PolicyOptions['sleep'];
    logger: Logger;
}

export function policyFor(tag: string, settings: PolicySettings, defaults: { maxConcurrency: number; baseDelayMs: number }): RequestPolicy {
    return new RequestPolicy({
        maxConcurrency: settings.maxConcurrency ?? defaults.maxConcurrency,
        maxAttempts: settings.maxAttempts ?? 6,
        baseDelayMs: settings.baseDelayMs ?? defaults.baseDelayMs,
        ...(settings.sleep ? { sleep: settings.sleep } : {}),
        logger: settings.logger,
        tag,
    });
}

/** Status codes that mean "later", not "no": throttling and transient unavailability. */
const transient = new Set([429, 503, 504]);
/** A connection that closed without an answer: the request may or may not have been applied. */
export const droppedConnection = /ECONNRESET|socket hang up|EPIPE|ECONNABORTED/;

/**
 * The rules every call to Microsoft follows: at most N in flight, and a throttled or briefly unavailable answer is
 * retried after what Retry-After asks (or an exponential back-off with full jitter), a bounded number of times.
 * Throttling is normal operation for bulk work, never a reason to fail it.
 */
export class RequestPolicy {
    private active = 0;
    private readonly queue: (() => void)[] = [];
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

    constructor(private readonly options: PolicyOptions) {
        this.sleep = options.sleep ?? abortableSleep;
    }

    /**
     * Runs `attempt` until it succeeds, fails for good, or attempts run out. `idempotent` requests are also retried
     * after a dropped connection (a POST might have been applied, so it is not).
     */
    async run(attempt: (attemptNumber: number) => Promise<HttpResponse>, signal: AbortSignal | undefined, idempotent: boolean): Promise<HttpResponse> {
        await this.acquire(signal);
        try {
            for (let n = 1; ; n++) {
                if (signal?.aborted) throw abortError();
                let response: HttpResponse | undefined;
                try {
                    response = await attempt(n);
                } catch (error) {
                    const dropped = error instanceof Error && error.name !== 'AbortError' && droppedConnection.test(error.message);
                    if (!dropped || !idempotent || n >= this.options.maxAttempts) throw error;
                }
                if (response && (!transient.has(response.status) || n >= this.options.maxAttempts)) return response;
                const wait = response ? retryAfterMs(response) ?? this.backoff(n) : this.backoff(n);
                this.options.logger.debug(`[${this.options.tag}] ${response ? `${response.status}` : 'dropped connection'}: retry ${n} of ${this.options.maxAttempts - 1} in ${wait} ms`);
                await this.sleep(wait, signal);
            }
        } finally {
            this.release();
        }
    }

    private backoff(attempt: number): number {
        return Math.round(Math.random() * this.options.baseDelayMs * 2 ** (attempt - 1));
    }

    private acquire(signal?: AbortSignal): Promise<void> {
        if (this.active < this.options.maxConcurrency) {
            this.active++;
            return Promise.resolve();
        }
        // No abort listener per waiter (a bulk job queues hundreds on one signal): a cancelled waiter gives its turn
        // straight back when it comes, so nothing new starts after an abort.
        return new Promise((resolve, reject) => {
            this.queue.push(() => {
                if (signal?.aborted) {
                    reject(abortError());
                    this.queue.shift()?.();
                    return;
                }
                this.active++;
                resolve();
            });
        });
    }

    private release(): void {
        this.active--;
        this.queue.shift()?.();
    }
}

/** Retry-After in seconds or as an HTTP date, in milliseconds. */
export function retryAfterMs(response: HttpResponse): number | undefined {
    const header = response.headers['retry-after'];
    const value = Array.isArray(header) ? header[0] : header;
    if (!value) return undefined;
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(abortError());
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        const onAbort = () => {
            clearTimeout(timer);
            reject(abortError());
        };
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}
