import type { AppRegistration } from '../contracts';
import { firstPartyClient } from './firstPartyClients';

/** Which platform of the registration a redirect URI belongs to, which decides whether redeeming a code needs a secret. */
export type RedirectPlatform = 'publicClient' | 'web';

/**
 * The registered redirect URI a request's matches, and its platform; undefined when none does (AADSTS50011).
 * A first-party client's URIs are Microsoft's, not the tenant's. Matching is exact, except that the port of an http
 * `localhost` or `127.0.0.1` URI is ignored, and `localhost` and `127.0.0.1` are different hosts
 * (MicrosoftDocs/entra-docs:docs/identity-platform/reply-url.md, "Localhost exceptions").
 */
export function matchRedirectUri(app: AppRegistration, requested: string): RedirectPlatform | undefined {
    const firstParty = firstPartyClient(app.appId);
    const registered: [RedirectPlatform, readonly string[]][] = firstParty
        ? [['publicClient', firstParty.redirectUris]]
        : [['publicClient', app.redirectUris?.publicClient ?? []], ['web', app.redirectUris?.web ?? []]];
    const wanted = comparable(requested);
    for (const [platform, uris] of registered) {
        if (uris.some(uri => comparable(uri) === wanted)) return platform;
    }
    return undefined;
}

/** The URI as Entra compares it: loopback ports dropped, a bare origin given its `/` path. */
function comparable(uri: string): string {
    let url: URL;
    try {
        url = new URL(uri);
    } catch {
        return uri;
    }
    if (url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1')) url.port = '';
    return url.href;
}

/** Whether flows without a client secret (device code) are allowed: "Allow public client flows", or Microsoft's own public client. */
export function allowsPublicClientFlows(app: AppRegistration): boolean {
    return firstPartyClient(app.appId) !== undefined || app.isPublicClient;
}

/** Microsoft's AADSTS50011 text. */
export function redirectMismatchText(requested: string, appId: string): string {
    return `The redirect URI '${requested}' specified in the request does not match the redirect URIs configured for the application '${appId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`;
}

/** Microsoft's AADSTS7000218 text: a confidential client (public client flows off, or a Web redirect URI) sent no credential. */
export const missingClientCredentialText = 'The request body must contain the following parameter: \'client_assertion\' or \'client_secret\'.';

/** Microsoft's AADSTS700016 text (the tenant's display name where Entra puts it). */
export function unknownApplicationText(clientId: string, tenantName: string): string {
    return `Application with identifier '${clientId}' was not found in the directory '${tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`;
}
