import { ExchangeCommandError, exchangeErrorFrom } from './ExchangeCommandError';

/** One cmdlet for `ExchangeAdminClient.invokeBatch`. */
export interface BatchCommand {
    cmdlet: string;
    parameters: Record<string, unknown>;
    /** Routes the command to this mailbox's server (`X-AnchorMailbox: UPN:…`), as `invoke` does. */
    anchorMailbox?: string;
}

/** What one command of a batch came to, in the order the commands were given. */
export type BatchCommandResult<T> =
    | { ok: true; value: T[]; warnings: string[]; requestId?: string }
    | { ok: false; error: ExchangeCommandError };

/** What a caller that paces itself learns from each `$batch` HTTP answer (retries included). */
export interface BatchAnswer {
    /** HTTP status of the whole request; 0 when no answer came (dropped connection, timeout). */
    status: number;
    /** When the request was sent (ms since the epoch), to tell answers to old requests from answers to new ones. */
    sentAt: number;
    /** Items in the request. */
    items: number;
    /** Items answered 429 inside a 200 batch answer. */
    throttledItems: number;
    /** The longest Retry-After asked for, by the whole answer or by an item, in ms. */
    retryAfterMs?: number;
    requestId: string;
}

export interface BatchCallOptions {
    signal?: AbortSignal;
    /**
     * Awaited before every HTTP request of the batch (first sends and retries alike), with the number of commands the
     * request carries: a bulk caller's rate limiter (which charges per command, as the throttle may) and shared
     * throttle gate. Without it the client's own concurrency cap and Retry-After handling still apply.
     */
    pace?: (signal?: AbortSignal, commands?: number) => Promise<void>;
    /** Sees every HTTP answer (and every request that got none), so the caller can adapt its rate and count. */
    onAnswer?: (answer: BatchAnswer) => void;
    /**
     * `false`: items answered 424/429/503/504 come back as failed results (status kept) instead of being sent again
     * after their Retry-After. For a paced bulk caller, which sends them again in its next full batches once its
     * shared gate has waited out the Retry-After: a batch that sleeps to resend three commands holds one of the few
     * requests in flight for a second, and after a throttling episode most of them did, for seconds.
     */
    retryItems?: boolean;
}

/** Items answered with these are sent again after their Retry-After; 424 means "not run" (an earlier item failed). */
export const retryableItemStatus = new Set([424, 429, 503, 504]);

export interface BatchItemResponse {
    id: string;
    status: number;
    headers?: Record<string, string>;
    body?: unknown;
}

export function headerOf(headers: Record<string, string> | undefined, name: string): string | undefined {
    if (!headers) return undefined;
    const key = Object.keys(headers).find(k => k.toLowerCase() === name);
    return key === undefined ? undefined : headers[key];
}

/** Retry-After of an item (seconds or an HTTP date), in ms. */
export function itemRetryAfterMs(response: BatchItemResponse): number | undefined {
    const value = headerOf(response.headers, 'retry-after');
    if (!value) return undefined;
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The request id Exchange gave an item: its own header, the one in its error body, or the batch's. */
export function itemRequestId(response: BatchItemResponse, batchRequestId: string): string {
    const inBody = (response.body as { error?: { innererror?: Record<string, unknown> } } | undefined)?.error?.innererror?.['request-id'];
    return headerOf(response.headers, 'request-id') ?? (typeof inBody === 'string' ? inBody : undefined) ?? batchRequestId;
}

/** An item's answer as a command result (its next page link, if any, separately). */
export function itemResult<T>(cmdlet: string, response: BatchItemResponse, batchRequestId: string): { result: BatchCommandResult<T>; nextLink?: string } {
    const requestId = itemRequestId(response, batchRequestId);
    if (response.status < 200 || response.status >= 300) return { result: { ok: false, error: exchangeErrorFrom(cmdlet, response.status, response.body, requestId) } };
    const body = (response.body ?? {}) as { value?: T[]; '@adminapi.warnings'?: string[]; '@odata.nextLink'?: string };
    return {
        result: { ok: true, value: body.value ?? [], warnings: body['@adminapi.warnings'] ?? [], requestId },
        ...(body['@odata.nextLink'] ? { nextLink: body['@odata.nextLink'] } : {}),
    };
}

/** Every command of a request that failed as a whole gets the same error. */
export function wholeRequestError(cmdlet: string, status: number, body: unknown, requestId: string): ExchangeCommandError {
    return exchangeErrorFrom(cmdlet, status, body, requestId || undefined);
}

/** A request that got no answer at all (dropped connection, timeout): whether a write in it ran is unknown. */
export function noAnswerError(cmdlet: string, error: Error): ExchangeCommandError {
    return new ExchangeCommandError(cmdlet, 0, `No answer from Exchange (${error.message}); whether the command ran is unknown.`, error.name || 'NetworkError', undefined);
}
