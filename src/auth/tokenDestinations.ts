import type { CloudEndpoints } from './clouds';
import type { ApiResource } from './TokenProvider';

/**
 * A request that would have carried the admin's token somewhere other than the signed-in cloud's own endpoint for that
 * API: refused before it is sent (no token is even acquired for it). It comes from an answer that pointed elsewhere,
 * most often an `@odata.nextLink` to another origin.
 */
export class TokenDestinationError extends Error {
    override readonly name = 'TokenDestinationError';

    constructor(readonly resource: ApiResource, readonly refusedOrigin: string, readonly expected: string) {
        const api = resource === 'graph' ? 'Microsoft Graph' : 'Exchange Online';
        super(
            `${api} answered with a link to ${refusedOrigin}, which is not this cloud's ${api} endpoint (${expected}); ` +
                `the link was not followed and no token was sent there. If the tenant really is in another cloud, sign in again choosing that cloud ` +
                `(setting m365Provisioner.cloud, or m365Provisioner.customCloud.* for a custom one); otherwise report the answer to your administrator, as it may have been tampered with.`,
        );
    }
}

/**
 * Where a token for `resource` may go: the cloud's endpoint for that API (src/auth/clouds.ts), i.e. the same scheme,
 * host and port, and a path under the endpoint's own path. The path matters for a custom cloud such as the sandbox,
 * whose Graph (`/graph`) and Exchange (`/exchange`) share one origin: a Graph token must not reach the Exchange path.
 * URL parsing (WHATWG) lower-cases the host, drops a default port and resolves `..` and `%2e` segments before the
 * comparison, so `https://GRAPH.microsoft.com:443/v1.0` passes and `https://graph.microsoft.com@evil.test/`,
 * `https://graph.microsoft.com.evil.test/`, `http://graph.microsoft.com/` and `https://graph.microsoft.com:8443/` do not.
 * A link with user information is refused outright: Microsoft never sends one, and it is the classic look-alike trick.
 */
export function checkTokenDestination(cloud: CloudEndpoints, resource: ApiResource, url: string): void {
    const endpoint = new URL(resource === 'graph' ? cloud.graphEndpoint : cloud.exchangeEndpoint);
    const expected = endpoint.href.replace(/\/+$/, '');
    let target: URL;
    try {
        target = new URL(url);
    } catch {
        throw new TokenDestinationError(resource, `"${shorten(url)}" (not a URL)`, expected);
    }
    const base = endpoint.pathname.replace(/\/+$/, '');
    const sameOrigin = target.protocol === endpoint.protocol && target.host === endpoint.host && target.username === '' && target.password === '';
    const underBase = base === '' || target.pathname === base || target.pathname.startsWith(`${base}/`);
    if (!sameOrigin || !underBase) throw new TokenDestinationError(resource, describeDestination(target), expected);
}

/** Scheme, user information (if any), host and port of a refused destination: what the admin needs to see, never its query. */
function describeDestination(target: URL): string {
    const userinfo = target.username || target.password ? `${target.username}${target.password ? ':…' : ''}@` : '';
    return `${target.protocol}//${userinfo}${target.host}${target.pathname === '/' ? '' : shorten(target.pathname)}`;
}

function shorten(text: string): string {
    return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
