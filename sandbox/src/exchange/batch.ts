import type { SandboxContext, SandboxRequest, SandboxResponse } from '../contracts';
import { graphErrorResponse } from '../graph/errors';
import { errorAnswer, ExchangeError } from './errors';

interface BatchItem { id?: unknown; method?: unknown; url?: unknown; body?: unknown; headers?: Record<string, unknown> }

/** The most requests one Exchange admin API `$batch` takes (what ExchangeOnlineManagement and CIPP send at most). */
export const maxExchangeBatchItems = 10;

/** Each item costs this much on top of the request's latency knob, so a batch is cheaper than N calls but not free. */
export const batchItemCostMs = 2;

const batchError = (message: string) => new ExchangeError(400, 'Microsoft.OData.ODataException', message);

/**
 * `POST /adminapi/beta/{tenantId}/$batch`: up to 10 InvokeCommand requests in one HTTP request, answered
 * `{ responses: [{ id, status, headers, body }] }` in request order, each body exactly what InvokeCommand would answer
 * (value, paging link, warnings, or the Exchange error shape). Each item is authorised on its own (Exchange RBAC per
 * cmdlet). With `Prefer: odata.continue-on-error` every item runs; without it, processing stops at the first item that
 * failed and the items after it are answered 424 Failed Dependency, as OData batch processing does.
 *
 * Throttling: no Microsoft document says how Exchange charges a `$batch`, so the `exchangeBatchCost` knob chooses
 * (knobs/knobs.ts). `per-item` (the default, the conservative case, as Graph documents for its own `$batch`): the front
 * door's token for the HTTP request pays for the first command and every further command takes its own token from
 * the same per-app bucket. A batch that arrives at an empty bucket is answered 429 as a whole (by the front door); one
 * whose commands outrun the bucket is answered 200 with those commands answered 429 each, with their own Retry-After,
 * and every command after the first throttled one is throttled too, so a client must handle both forms (the stricter
 * of the plausible behaviours: a client that reads only the outer status loses commands). Without
 * `Prefer: odata.continue-on-error`, the commands after a throttled one are answered 424, as after any failure.
 * `per-request`: the batch counts once, as an InvokeCommand would. Faults hit the whole request. The latency knob is
 * applied once per request by the front door; each item adds `batchItemCostMs` here.
 */
export async function runExchangeBatch(ctx: SandboxContext, request: SandboxRequest, invokeOne: (item: SandboxRequest) => SandboxResponse): Promise<SandboxResponse> {
    const items = (request.body as { requests?: unknown } | undefined)?.requests;
    if (!Array.isArray(items) || items.length === 0) throw batchError('The $batch request body must be a JSON object with a non-empty "requests" array.');
    if (items.length > maxExchangeBatchItems) {
        throw batchError(`The $batch request holds ${items.length} requests; the Exchange admin API accepts at most ${maxExchangeBatchItems} requests in one batch. Split it into several batches.`);
    }
    const ids = new Set<string>();
    for (const raw of items as BatchItem[]) {
        if (typeof raw !== 'object' || raw === null || typeof raw.id !== 'string' || !raw.id || typeof raw.url !== 'string' || typeof raw.method !== 'string') {
            throw batchError('Each request in a $batch needs a string "id", "method" and "url".');
        }
        if (ids.has(raw.id)) throw batchError(`The $batch request ids must be unique; '${raw.id}' appears more than once.`);
        ids.add(raw.id);
    }
    await new Promise(resolve => setTimeout(resolve, batchItemCostMs * items.length));

    const continueOnError = /(^|[,;\s])odata\.continue-on-error\b/i.test(request.headers.prefer ?? '');
    const responses: Record<string, unknown>[] = [];
    let failed: string | undefined;
    let throttledFor = 0;
    for (const item of items as (BatchItem & { id: string; method: string; url: string })[]) {
        if (failed !== undefined) {
            responses.push({ id: item.id, status: 424, headers: { 'content-type': 'application/json' }, body: { error: { code: 'FailedDependency', message: `The request was not run: request '${failed}' failed earlier in this batch, and the batch was sent without 'Prefer: odata.continue-on-error'.` } } });
            continue;
        }
        // The first command rode on the front door's token; each further one pays its own (per-item cost).
        if (responses.length > 0 && !throttledFor) throttledFor = ctx.chargeBatchCommand?.('exchange', request.principal.appId) ?? 0;
        const answer = throttledFor ? throttledCommand(ctx, throttledFor) : runItem(ctx, request, item, invokeOne);
        responses.push({ id: item.id, status: answer.status, headers: { 'content-type': 'application/json', ...(answer.headers ?? {}) }, body: answer.body });
        if (answer.status >= 400 && !continueOnError) failed = item.id;
    }
    return {
        status: 200,
        headers: { 'content-type': 'application/json;odata.metadata=minimal;odata.streaming=true;charset=utf-8', 'request-id': request.requestId, ...(continueOnError ? { 'preference-applied': 'odata.continue-on-error' } : {}) },
        body: { responses },
    };
}

/**
 * A command the throttle turned away, answered as the front door answers a throttled Exchange request (429, the same
 * error body, Retry-After in seconds); it was not run.
 */
function throttledCommand(ctx: SandboxContext, retryAfterSeconds: number): SandboxResponse {
    const requestId = ctx.newId();
    const answer = graphErrorResponse({ requestId, headers: {} }, 429, 'ServerBusy', 'The server is busy. Please retry after some time.', ctx.now());
    return { ...answer, headers: { ...answer.headers, 'Retry-After': String(retryAfterSeconds) } };
}

/** One item as its own InvokeCommand request: its URL (relative, or absolute as CIPP sends it), headers and body. */
function runItem(ctx: SandboxContext, request: SandboxRequest, item: { id: string; method: string; url: string; body?: unknown; headers?: Record<string, unknown> }, invokeOne: (item: SandboxRequest) => SandboxResponse): SandboxResponse {
    const requestId = ctx.newId();
    let url: URL;
    try {
        url = /^https?:/i.test(item.url) ? new URL(item.url) : new URL(`${request.url.origin}/exchange${item.url.startsWith('/') ? '' : '/'}${item.url}`);
    } catch {
        const error = new ExchangeError(400, 'Microsoft.OData.ODataException', `The request url '${item.url}' is not valid.`);
        return errorAnswer(ctx, error, requestId);
    }
    const headers: Record<string, string | undefined> = { ...request.headers };
    for (const [name, value] of Object.entries(item.headers ?? {})) if (typeof value === 'string') headers[name.toLowerCase()] = value;
    const sub: SandboxRequest = {
        ...request,
        method: item.method.toUpperCase(),
        url,
        path: url.pathname.replace(/^\/exchange(?=\/)/, ''),
        headers,
        body: item.body,
        rawBody: Buffer.from(item.body === undefined ? '' : JSON.stringify(item.body)),
        requestId,
    };
    return invokeOne(sub);
}
