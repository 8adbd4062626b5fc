import type { SandboxContext, SandboxRequest, SandboxResponse } from '../contracts';
import { badRequest } from './errors';

interface BatchItem { id: string; method: string; url: string; headers?: Record<string, string>; body?: unknown; dependsOn?: string[] }

/**
 * POST /$batch: at most 20 requests, each answered in `responses` with its own status; `dependsOn` runs a request
 * after the ones it names and answers 424 when one of them failed.
 */
export async function runBatch(ctx: SandboxContext, request: SandboxRequest, route: (r: SandboxRequest) => Promise<SandboxResponse>): Promise<Record<string, unknown>> {
    void ctx;
    const items = (request.body as { requests?: BatchItem[] } | undefined)?.requests;
    if (!Array.isArray(items) || items.length === 0) throw badRequest('Invalid batch payload format.', 'BadRequest');
    if (items.length > 20) throw badRequest('The number of batch requests exceeds the limit of 20.', 'BadRequest');
    const ids = new Set<string>();
    for (const item of items) {
        if (!item.id || ids.has(item.id)) throw badRequest(`Batch request ids must be unique and present ('${item.id ?? ''}').`, 'BadRequest');
        ids.add(item.id);
    }
    const results = new Map<string, SandboxResponse>();
    for (const item of items) {
        const failed = (item.dependsOn ?? []).find(d => (results.get(d)?.status ?? 424) >= 400);
        if (failed !== undefined) {
            results.set(item.id, { status: 424, body: { error: { code: 'FailedDependency', message: `Request ${item.id} depends on ${failed}, which failed.` } } });
            continue;
        }
        const url = new URL(`${request.url.origin}/graph/v1.0${item.url.startsWith('/') ? '' : '/'}${item.url}`);
        const headers = Object.fromEntries(Object.entries(item.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
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
