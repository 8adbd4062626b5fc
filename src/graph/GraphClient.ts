import { Client, GraphClientError, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import type { TokenProvider } from '../auth/TokenProvider';
import type { CloudEndpoints } from '../auth/clouds';
import { checkTokenDestination } from '../auth/tokenDestinations';
import { abortError, type HttpResponse, type HttpTransport } from '../net/HttpTransport';
import { policyFor, type PolicyOptions, type RequestPolicy } from '../net/RequestPolicy';
import { guidsIn, noteWrite } from '../net/writeTrail';
import type { Logger } from '../shared/logger';
import { graphErrorFrom, GraphRequestError } from './GraphRequestError';

export interface GraphClientOptions {
    cloud: CloudEndpoints;
    tokens: TokenProvider;
    transport: Pick<HttpTransport, 'send'>;
    logger: Logger;
    maxConcurrency?: number;
    maxAttempts?: number;
    baseDelayMs?: number;
    sleep?: PolicyOptions['sleep'];
    /** Sees every request sent (method, URL, headers, body): tests validate them against Microsoft's reference. */
    onSend?: (request: { method: string; url: string; headers: Record<string, string>; body?: string }) => void;
}

export interface CallOptions {
    /** The permissions this call needs (delegated sign-in asks for exactly these). */
    scopes: readonly string[];
    signal?: AbortSignal;
    headers?: Record<string, string>;
    /** Do not prompt for a missing permission (see TokenRequest.silentOnly). */
    silentOnly?: boolean;
}

export interface BatchItem {
    id: string;
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
    url: string;
    body?: unknown;
    headers?: Record<string, string>;
    dependsOn?: string[];
}
export interface BatchResult {
    id: string;
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
}

interface Page<T> { value: T[]; '@odata.nextLink'?: string }

const scopesHeader = 'x-m365p-scopes';
const silentHeader = 'x-m365p-silent';

/**
 * Microsoft Graph through @microsoft/microsoft-graph-client, with our own last middleware: a token for the scopes the
 * call needs, the concurrency cap and retry policy, the transport (CA file, proxy), and a debug line per request that
 * never holds a header or a body.
 */
export class GraphClient {
    private readonly client: Client;
    private readonly policy: RequestPolicy;

    constructor(private readonly options: GraphClientOptions) {
        this.policy = policyFor('Graph', options, { maxConcurrency: 4, baseDelayMs: 500 });
        this.client = Client.initWithMiddleware({ baseUrl: options.cloud.graphEndpoint, defaultVersion: 'v1.0', middleware: this.sendMiddleware() });
    }

    /** A directory object's URL, as `@odata.id` in a `$ref` body wants it (on this client's cloud). */
    directoryObjectUrl(id: string): string {
        return `${this.options.cloud.graphEndpoint.replace(/\/$/, '')}/v1.0/directoryObjects/${encodeURIComponent(id)}`;
    }

    get<T>(path: string, call: CallOptions): Promise<T> {
        return this.call<T>('GET', path, undefined, call);
    }
    post<T>(path: string, body: unknown, call: CallOptions): Promise<T> {
        return this.call<T>('POST', path, body, call);
    }
    patch<T>(path: string, body: unknown, call: CallOptions): Promise<T> {
        return this.call<T>('PATCH', path, body, call);
    }
    delete(path: string, call: CallOptions): Promise<void> {
        return this.call<void>('DELETE', path, undefined, call);
    }

    /** Every page of a collection, following @odata.nextLink as given. */
    async *pages<T>(path: string, call: CallOptions): AsyncGenerator<T[]> {
        for (let next: string | undefined = path; next; ) {
            const page: Page<T> = await this.get<Page<T>>(next, call);
            yield page.value;
            next = page['@odata.nextLink'];
        }
    }

    /**
     * Runs requests through `$batch`, 20 per round trip, answering in input order. Items answered 429/503/504 are sent
     * again after their Retry-After; others are returned as they are (the caller decides what a 404 means).
     */
    async batch(items: BatchItem[], call: CallOptions): Promise<BatchResult[]> {
        const results = new Map<string, BatchResult>();
        let pending = [...items];
        for (let round = 1; pending.length; round++) {
            const retry: BatchItem[] = [];
            let wait = 0;
            for (let i = 0; i < pending.length; i += 20) {
                const chunk = pending.slice(i, i + 20);
                const answer = await this.post<{ responses: BatchResult[] }>('/$batch', { requests: chunk }, call);
                for (const response of answer.responses) {
                    const item = chunk.find(c => c.id === response.id);
                    if (item && [429, 503, 504].includes(response.status) && round < (this.options.maxAttempts ?? 6)) {
                        retry.push(item);
                        wait = Math.max(wait, Number(response.headers?.['Retry-After'] ?? response.headers?.['retry-after'] ?? 1) * 1000);
                    } else {
                        results.set(response.id, response);
                    }
                }
            }
            if (retry.length) {
                this.options.logger.debug(`[Graph] $batch: ${retry.length} throttled requests again in ${wait} ms`);
                await (this.options.sleep ?? ((ms: number, signal?: AbortSignal) => import('../net/RequestPolicy').then(m => m.abortableSleep(ms, signal))))(wait, call.signal);
            }
            pending = retry;
        }
        return items.map(item => results.get(item.id) ?? { id: item.id, status: 0 });
    }

    private async call<T>(method: string, path: string, body: unknown, call: CallOptions): Promise<T> {
        // A path that is not ours (`/users…`) is a link from an answer (`@odata.nextLink`). It is checked here, before
        // the SDK, because the SDK rewrites some foreign forms (`http:`, upper-case schemes) into paths on Graph, which
        // would hide what the server asked for; the middleware checks the final URL again where the token is attached.
        if (!path.startsWith('/')) checkTokenDestination(this.options.cloud, 'graph', path);
        let request = this.client.api(path).header(scopesHeader, call.scopes.join(' '));
        if (call.silentOnly) request = request.header(silentHeader, '1');
        for (const [name, value] of Object.entries(call.headers ?? {})) request = request.header(name, value);
        if (call.signal) request = request.option('signal', call.signal);
        try {
            switch (method) {
                case 'GET':
                    return (await request.get()) as T;
                case 'POST':
                    return (await request.post(body)) as T;
                case 'PATCH':
                    return (await request.patch(body)) as T;
                default:
                    return (await request.delete()) as T;
            }
        } catch (error) {
            // The SDK rethrows a cancelled request under its own name; the caller asked to stop, so say exactly that.
            if (call.signal?.aborted) throw abortError();
            throw this.typed(error, method, path);
        }
    }

    /** The SDK's GraphError (or an abort / network failure) as ours. */
    private typed(error: unknown, method: string, path: string): Error {
        if (error instanceof GraphClientError && error.customError instanceof Error) return error.customError;
        if (error instanceof GraphRequestError || (error instanceof Error && (error.name === 'AbortError' || error.name === 'NetworkError' || error.name === 'SignInError'))) return error;
        const e = error as { statusCode?: number; code?: string; message?: string; requestId?: string; body?: unknown };
        if (typeof e.statusCode === 'number' && e.statusCode > 0) {
            let body: unknown = e.body;
            if (typeof body === 'string') {
                try {
                    body = JSON.parse(body);
                } catch {
                    body = undefined;
                }
            }
            const typed = graphErrorFrom(e.statusCode, body, e.requestId, method, path);
            return typed.code.startsWith('Http') && e.code ? new GraphRequestError(e.statusCode, e.code, e.message ?? typed.message, e.requestId, method, path) : typed;
        }
        return error instanceof Error ? error : new Error(String(error));
    }

    /**
     * Our middleware, with what it throws kept as it is: the SDK passes a GraphClientError through unchanged but turns
     * any other error into a GraphError that keeps only the message, so a SignInError (consent needed), a
     * NetworkError (no answer) or a TokenDestinationError would reach callers untyped. `typed` unwraps the carrier.
     */
    private sendMiddleware(): Middleware {
        const send = this.sendThroughPolicy();
        return {
            execute: async (context: Context): Promise<void> => {
                try {
                    await send.execute(context);
                } catch (error) {
                    if (!(error instanceof Error)) throw error;
                    const carrier = new GraphClientError(error.message);
                    carrier.customError = error;
                    throw carrier;
                }
            },
        };
    }

    private sendThroughPolicy(): Middleware {
        return {
            execute: async (context: Context): Promise<void> => {
                // The SDK types the request as DOM RequestInfo: a URL string, or a Request with a url.
                const raw = context.request as unknown as string | { url: string };
                const url = typeof raw === 'string' ? raw : raw.url;
                const headers: Record<string, string> = {};
                new Headers(context.options?.headers).forEach((value, name) => (headers[name] = value));
                const scopes = (headers[scopesHeader] ?? '').split(' ').filter(Boolean);
                delete headers[scopesHeader];
                const silentOnly = headers[silentHeader] === '1';
                delete headers[silentHeader];
                const method = (context.options?.method ?? 'GET').toUpperCase();
                const body = typeof context.options?.body === 'string' ? context.options.body : undefined;
                const signal = context.options?.signal ?? undefined;
                const resource = 'graph' as const;
                // The one place a Graph token is attached: it goes only to this cloud's Graph endpoint, whatever URL an
                // answer led us to (src/auth/tokenDestinations.ts). Checked before a token is even acquired.
                checkTokenDestination(this.options.cloud, resource, url);
                const started = Date.now();
                const response: HttpResponse = await this.policy.run(
                    async () => {
                        const token = await this.options.tokens.getAccessToken({ resource, scopes, ...(signal ? { signal } : {}), ...(silentOnly ? { silentOnly } : {}) });
                        this.options.onSend?.({ method, url, headers, ...(body ? { body } : {}) });
                        const answer = await this.options.transport.send({ method, url, headers: { ...headers, authorization: `Bearer ${token}` }, ...(body !== undefined ? { body } : {}), ...(signal ? { signal } : {}) });
                        const requestId = String(answer.headers['request-id'] ?? '');
                        this.options.logger.debug(`[Graph] ${method} ${pathOf(url)} → ${answer.status} (request-id ${requestId}) ${Date.now() - started} ms`);
                        return answer;
                    },
                    signal,
                    method === 'GET' || url.endsWith('/$batch'),
                );
                // Here, after the queue, in the calling change's own async context: its audit line gets this write.
                if (method !== 'GET') noteGraphWrite(method, url, body, response);
                const responseHeaders = new Headers();
                for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
                context.response = new Response(response.status === 204 ? null : new Uint8Array(response.body), { status: response.status, headers: responseHeaders });
            },
        };
    }
}

/** Request body fields whose value names a directory object (a role's principal, a member's `@odata.id`). */
const objectFields = ['principalId', 'roleDefinitionId', 'resourceId', 'appRoleId', '@odata.id'];

/**
 * A write for the audit line of the change that made it (Microsoft asks for the answer's `request-id` when a request is
 * reported, success or not: microsoft-graph-docs-contrib concepts/best-practices-concept.md, "Reliability and support"): the request (method and path, no query, body or header),
 * its request id, and the object ids it named (path, the body's object fields) or made (the answer's `id`). A
 * `$batch` of reads only is not a write; a batch's object ids come from its write items' URLs.
 */
function noteGraphWrite(method: string, url: string, body: string | undefined, response: HttpResponse): void {
    const requestId = headerValue(response.headers['request-id']);
    const parse = (text: string | undefined): unknown => {
        try {
            return text ? JSON.parse(text) : undefined;
        } catch {
            return undefined;
        }
    };
    const sent = parse(body) as Record<string, unknown> | undefined;
    let objectIds: string[];
    if (url.endsWith('/$batch')) {
        const writes = ((sent?.requests ?? []) as { method?: string; url?: string }[]).filter(r => (r.method ?? 'GET').toUpperCase() !== 'GET');
        if (!writes.length) return;
        objectIds = writes.flatMap(r => guidsIn(r.url ?? ''));
    } else {
        const made = response.status >= 200 && response.status < 300 && response.body.length ? (parse(response.body.toString('utf8')) as { id?: unknown } | undefined)?.id : undefined;
        objectIds = [
            ...guidsIn(new URL(url).pathname),
            ...objectFields.flatMap(f => (typeof sent?.[f] === 'string' ? guidsIn(sent[f]) : [])),
            ...(typeof made === 'string' ? guidsIn(made) : []),
        ];
    }
    noteWrite({ api: 'graph', request: `${method} ${new URL(url).pathname.replace(/^\/v1\.0/, '')}`, status: response.status, ...(requestId ? { requestId } : {}), objectIds });
}

function headerValue(value: string | string[] | undefined): string | undefined {
    const one = Array.isArray(value) ? value[0] : value;
    return one || undefined;
}

/** The path and query of a URL for the log: enough to find the request, with nothing secret in it. */
function pathOf(url: string): string {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
}
