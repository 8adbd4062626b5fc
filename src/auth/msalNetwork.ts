import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

/** One HTTP exchange, as the project's HTTPS transport performs it (extra CA, proxy, timeouts). */
export interface HttpExchange {
    method: 'GET' | 'POST';
    url: string;
    headers: Record<string, string>;
    body?: string;
    timeoutMs?: number;
}
export type HttpSend = (request: HttpExchange) => Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>;

/**
 * msal's network calls go through our transport instead of Node's fetch: fetch reads NODE_EXTRA_CA_CERTS only at
 * process start and ignores HTTPS_PROXY, so a custom cloud's CA file and corporate proxies would not work otherwise.
 */
export function msalNetworkModule(send: HttpSend): INetworkModule {
    const exchange = async <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions, timeoutMs?: number): Promise<NetworkResponse<T>> => {
        const response = await send({
            method,
            url,
            headers: { ...(options?.headers ?? {}) },
            ...(options?.body !== undefined ? { body: options.body } : {}),
            ...(timeoutMs ? { timeoutMs } : {}),
        });
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        const text = response.body.toString('utf8');
        let body: unknown = {};
        if (text) {
            try {
                body = JSON.parse(text);
            } catch {
                // msal expects an object; a non-JSON answer (a proxy's HTML page) becomes an error it can report.
                body = { error: 'invalid_response', error_description: `The sign-in service answered ${response.status} with non-JSON content.` };
            }
        }
        return { status: response.status, headers, body: body as T };
    };
    return {
        sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) => exchange<T>('GET', url, options, timeout),
        sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => exchange<T>('POST', url, options),
    };
}
