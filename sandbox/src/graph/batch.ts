import type { SandboxContext, SandboxRequest, SandboxResponse } from '../contracts';
import { badRequest, graphErrorResponse } from './errors';

interface BatchItem { id: string; method: string; url: string; headers?: Record<string, string>; body?: unknown; dependsOn?: string[] }

/**
 * POST /$batch: at most 20 requests, each answered in `responses` with its own status; `dependsOn` runs a request
 * after the ones it names and answers 424 when one of them failed.
 *
 * Throttling per request in the batch: "Requests in a batch are evaluated individually against the applicable
 * throttling limits and if any request exceeds the limits, it fails with a status of 429"
 * (microsoftgraph/microsoft-graph-docs-contrib: concepts/json-batching.md, "Batch size limitations"; concepts/throttling.md,
 * "Throttling and batching": the 429 item carries Retry-After). The front door's token for the HTTP request pays for
 * the first request; each further request takes its own token (knobs/throttle.ts). Once one is throttled, the rest
 * are too (the bucket does not refill within one batch), and those that depend on it answer 424.
 */
export async function runBatch(ctx: SandboxContext, request: SandboxRequest, route: (r: SandboxRequest) => Promise<SandboxResponse>): Promise<Record<string, unknown>> {
    const items = (request.body as { requests?: BatchItem[] } | undefined)?.requests;
    if (!Array.isArray(items) || items.length === 0) throw badRequest('Invalid batch payload format.', 'BadRequest');
    if (items.length > 20) throw badRequest('The number of batch requests exceeds the limit of 20.', 'BadRequest');
    const ids = new Set<string>();
    for (const item of items) {
        if (!item.id || ids.has(item.id)) throw badRequest(`Batch request ids must be unique and present ('${item.id ?? ''}').`, 'BadRequest');
        ids.add(item.id);
    }
    const results = new Map<string, SandboxResponse>();
    let throttledFor = 0;
    let charged = 0;
    for (const item of items) {
        const failed = (item.dependsOn ?? []).find(d => (results.get(d)?.status ?? 424) >= 400);
        if (failed !== undefined) {
            results.set(item.id, { status: 424, body: { error: { code: 'FailedDependency', message: `Request ${item.id} depends on ${failed}, which failed.` } } });
            continue;
        }
        // The first request rode on the front door's token; each further one pays its own.
        if (charged++ > 0 && !throttledFor) throttledFor = ctx.chargeBatchCommand?.('graph', request.principal.appId) ?? 0;
        if (throttledFor) {
            const answer = graphErrorResponse({ requestId: ctx.newId(), headers: item.headers ? lowerCased(item.headers) : {} }, 429, 'TooManyRequests', 'Too many requests.', ctx.now());
            results.set(item.id, { ...answer, headers: { ...answer.headers, 'Retry-After': String(throttledFor) } });
            continue;
        }
        const url = new URL(`${request.url.origin}/graph/v1.0${item.url.startsWith('/') ? '' : '/'}${item.url}`);
        const headers = lowerCased(item.headers ?? {});
        // A request in the batch has only the ConsistencyLevel its own JSON gives it: the $batch POST's own header does
        // not carry over (aad-advanced-queries.md: "specify the ConsistencyLevel header in the JSON body of the POST request").
        const outer = Object.fromEntries(Object.entries(request.headers).filter(([name]) => name !== 'consistencylevel'));
        const sub: SandboxRequest = { ...request, method: item.method.toUpperCase(), url, path: `/v1.0${url.pathname.slice('/graph/v1.0'.length)}`, headers: { ...outer, ...headers }, body: item.body, rawBody: Buffer.from(item.body ? JSON.stringify(item.body) : '') };
        results.set(item.id, await route(sub));
    }
    return {
        responses: items.map(item => {
            const r = results.get(item.id);
            return { id: item.id, status: r?.status ?? 500, headers: { 'content-type': 'application/json', ...(r?.headers ?? {}) }, ...(r?.body !== undefined ? { body: r.body } : {}) };
        }),
    };
}

const lowerCased = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
