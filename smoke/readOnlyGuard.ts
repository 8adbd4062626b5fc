import type { HttpRequest, HttpResponse, HttpTransport } from '../src/net/HttpTransport';

/** What the guard refused: the smoke run stops before the request leaves the machine. */
export class WriteRefused extends Error {
    constructor(what: string) {
        super(`smoke:tenant only reads, and refused to send ${what}.`);
        this.name = 'WriteRefused';
    }
}

/**
 * The promise "reads only" kept by code, not by care: every Graph or Exchange request of the run passes here, and
 * anything but a Graph GET or Exchange Get- cmdlets (alone or all the items of a `$batch`) is refused before it is
 * sent. Sign-in (msal's own requests to the authority) does not go through here.
 */
export function readOnlyGuard(inner: Pick<HttpTransport, 'send'>, endpoints: { graphEndpoint: string; exchangeEndpoint: string }): Pick<HttpTransport, 'send'> {
    return {
        send(request: HttpRequest): Promise<HttpResponse> {
            const refusal = whyNotRead(request, endpoints);
            return refusal ? Promise.reject(new WriteRefused(refusal)) : inner.send(request);
        },
    };
}

function whyNotRead(request: HttpRequest, endpoints: { graphEndpoint: string; exchangeEndpoint: string }): string | undefined {
    const method = request.method.toUpperCase();
    if (request.url.startsWith(endpoints.graphEndpoint)) return method === 'GET' ? undefined : `Graph ${method} ${new URL(request.url).pathname}`;
    if (!request.url.startsWith(endpoints.exchangeEndpoint)) return `a request to ${new URL(request.url).host}, which is neither Graph nor Exchange`;
    if (method !== 'POST') return `Exchange ${method}`;
    let body: { CmdletInput?: { CmdletName?: unknown }; requests?: { body?: { CmdletInput?: { CmdletName?: unknown } } }[] };
    try {
        body = JSON.parse(String(request.body ?? '')) as typeof body;
    } catch {
        return 'an Exchange request whose body is not JSON';
    }
    const cmdlets = body.requests ? body.requests.map(item => item.body?.CmdletInput?.CmdletName) : [body.CmdletInput?.CmdletName];
    const writes = cmdlets.filter(name => typeof name !== 'string' || !/^Get-/i.test(name));
    return writes.length ? `Exchange ${writes.map(String).join(', ')}` : undefined;
}
