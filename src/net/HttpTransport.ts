import * as http from 'node:http';
import * as https from 'node:https';
import { isIP } from 'node:net';
import * as tls from 'node:tls';
import { describeNetworkError } from './networkErrors';
import { proxyFor, type ProxySettings } from './proxy';

/** Methods that change nothing, or end in the same state however often they are sent (RFC 9110 §9.2.2). */
const repeatable = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export interface HttpRequest {
    method: string;
    url: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    signal?: AbortSignal;
    timeoutMs?: number;
}

export interface HttpResponse {
    status: number;
    /** Header names in lower case. */
    headers: Record<string, string | string[] | undefined>;
    body: Buffer;
}

export interface TransportOptions {
    /** Extra PEM certificate authorities, trusted in addition to Node's built-in roots (a custom cloud's CA file). */
    ca?: string | string[];
    proxy?: ProxySettings;
    /** Default per-request timeout. */
    timeoutMs?: number;
    userAgent?: string;
}

/**
 * The one HTTPS transport everything that talks to Microsoft (or the sandbox) goes through: msal's network module, the
 * Graph client and the Exchange client. It exists because Node's fetch takes neither an extra CA nor a proxy at run
 * time; here both come from settings. Aborting destroys the request and rejects with an AbortError.
 */
export class HttpTransport {
    private readonly ca: string[] | undefined;
    private context: tls.SecureContext | undefined;

    constructor(private readonly options: TransportOptions = {}) {
        const extra = options.ca === undefined ? [] : Array.isArray(options.ca) ? options.ca : [options.ca];
        this.ca = extra.length ? [...tls.rootCertificates, ...extra] : undefined;
    }

    /**
     * With an extra CA, the TLS context holding it and Node's ~140 roots is built once per transport: given only `ca`,
     * Node parses every certificate again for each new connection (milliseconds of CPU each, which many tenants or
     * many parallel requests multiply). `ca` is still passed so the agent pools connections by it.
     */
    private secureContext(): tls.SecureContext | undefined {
        if (!this.ca) return undefined;
        return (this.context ??= tls.createSecureContext({ ca: this.ca }));
    }

    async send(request: HttpRequest): Promise<HttpResponse> {
        try {
            return await this.sendOnce(request);
        } catch (error) {
            // A kept-alive socket the server closed in the meantime resets: Node's documented remedy is to send again
            // once. Only for a method that may be repeated: the same reset also comes when the server carried out the
            // request and then lost the connection, and a POST sent twice could create two accounts.
            if ((error as { reusedSocket?: boolean }).reusedSocket && repeatable.has(request.method.toUpperCase())) return this.sendOnce(request);
            throw error;
        }
    }

    private async sendOnce(request: HttpRequest): Promise<HttpResponse> {
        const url = new URL(request.url);
        if (request.signal?.aborted) throw abortError();
        const proxy = url.protocol === 'https:' ? proxyFor(url, this.options.proxy) : undefined;
        let tunnel: tls.TLSSocket | undefined;
        if (proxy) {
            try {
                tunnel = await openTunnel(proxy, url, this.ca);
            } catch (error) {
                throw describeNetworkError(error as Error, url, true);
            }
        }
        return new Promise<HttpResponse>((resolve, reject) => {
            const headers: Record<string, string> = { 'user-agent': this.options.userAgent ?? 'm365-provisioner', ...(request.headers ?? {}) };
            if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
            const timeoutMs = request.timeoutMs ?? this.options.timeoutMs ?? 60_000;
            let settled = false;
            // eslint-disable-next-line prefer-const -- assigned below, after the handlers that close over it
            let req: http.ClientRequest;
            const fail = (error: Error) => {
                if (settled) return;
                settled = true;
                if (error.name === 'AbortError') return reject(error);
                const described = describeNetworkError(error, url, proxy !== undefined);
                const reused = req.reusedSocket && (error as NodeJS.ErrnoException).code === 'ECONNRESET';
                reject(reused ? Object.assign(described, { reusedSocket: true }) : described);
            };
            const onResponse = (res: http.IncomingMessage) => {
                const chunks: Buffer[] = [];
                res.on('data', (chunk: Buffer) => chunks.push(chunk));
                res.on('error', fail);
                res.on('end', () => {
                    if (settled) return;
                    settled = true;
                    resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
                });
            };
            const options: https.RequestOptions = {
                method: request.method,
                headers,
                ...(this.ca ? { ca: this.ca, secureContext: this.secureContext() } : {}),
                ...(tunnel ? { agent: false, createConnection: () => tunnel } : {}),
            };
            req = (url.protocol === 'https:' ? https : http).request(url, options, onResponse);
            req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`No answer within ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })));
            req.on('error', fail);
            const onAbort = () => {
                fail(abortError());
                req.destroy();
            };
            request.signal?.addEventListener('abort', onAbort, { once: true });
            req.on('close', () => request.signal?.removeEventListener('abort', onAbort));
            req.end(request.body);
        });
    }
}

export function abortError(): Error {
    const error = new Error('The operation was cancelled.');
    error.name = 'AbortError';
    return error;
}

/** Reaches an https target through an HTTP proxy with CONNECT, then speaks TLS end to end with the target. */
function openTunnel(proxy: URL, target: URL, ca: string[] | undefined): Promise<tls.TLSSocket> {
    const authority = `${target.hostname}:${target.port || '443'}`;
    const headers: Record<string, string> = { host: authority };
    if (proxy.username) {
        headers['proxy-authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`;
    }
    return new Promise((resolve, reject) => {
        const connect = http.request({ host: proxy.hostname, port: proxy.port || 80, method: 'CONNECT', path: authority, headers });
        connect.once('connect', (res, socket) => {
            if (res.statusCode !== 200) {
                socket.destroy();
                reject(Object.assign(new Error(`the proxy ${proxy.host} refused the tunnel to ${authority} (${res.statusCode ?? 0})`), { code: 'EPROXY' }));
                return;
            }
            const secure = tls.connect({ socket, ...(isIP(target.hostname) ? {} : { servername: target.hostname }), ...(ca ? { ca } : {}) });
            secure.once('secureConnect', () => resolve(secure));
            secure.once('error', reject);
        });
        connect.once('error', reject);
        connect.end();
    });
}
