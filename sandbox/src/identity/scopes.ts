import type { ApiAudience } from './tokens';

const oidcScopes = new Set(['openid', 'profile', 'offline_access', 'email']);
/** Delegated permissions that belong to Exchange Online rather than Microsoft Graph. */
export const exchangePermissions = new Set(['Exchange.Manage', 'Exchange.ManageAsApp', 'full_access_as_app', 'EWS.AccessAsUser.All']);

export interface ParsedScopes {
    /** The one API the request is for (Entra refuses scopes for several resources in one request). */
    audience: ApiAudience;
    /** The resource identifier as the client wrote it; it becomes the token's `aud`. */
    resource: string;
    /** Permissions without resource prefix; `.default` stays as is. */
    permissions: string[];
    oidc: string[];
}

export class ScopeError extends Error {}

/**
 * Splits a scope parameter into OIDC scopes and the permissions of ONE resource, accepting Microsoft's resource URIs and
 * the sandbox's own API URLs (what a custom cloud uses).
 */
export function parseScopes(scope: string, origin: string): ParsedScopes {
    const aliases: [ApiAudience, string][] = [
        ['graph', 'https://graph.microsoft.com'],
        ['graph', `${origin}/graph`],
        ['graph', '00000003-0000-0000-c000-000000000000'],
        ['exchange', 'https://outlook.office365.com'],
        ['exchange', `${origin}/exchange`],
        ['exchange', '00000002-0000-0ff1-ce00-000000000000'],
    ];
    const oidc: string[] = [];
    const permissions: string[] = [];
    const resources = new Map<string, ApiAudience>();
    for (const item of scope.split(/\s+/).filter(Boolean)) {
        if (oidcScopes.has(item)) {
            oidc.push(item);
            continue;
        }
        const alias = aliases.find(([, prefix]) => item.toLowerCase().startsWith(`${prefix.toLowerCase()}/`));
        if (alias) {
            resources.set(alias[1], alias[0]);
            permissions.push(item.slice(alias[1].length + 1));
        } else if (item.includes('/')) {
            throw new ScopeError(`AADSTS500011: The resource principal named ${item.slice(0, item.lastIndexOf('/'))} was not found in the tenant.`);
        } else {
            const audience: ApiAudience = exchangePermissions.has(item) ? 'exchange' : 'graph';
            resources.set(audience === 'graph' ? 'https://graph.microsoft.com' : 'https://outlook.office365.com', audience);
            permissions.push(item);
        }
    }
    if (resources.size > 1) {
        throw new ScopeError('AADSTS28000: Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ' + scope + ' is not valid.');
    }
    const [resource, audience] = [...resources.entries()][0] ?? ['https://graph.microsoft.com', 'graph'];
    return { audience, resource, permissions: permissions.length ? permissions : ['User.Read'], oidc };
}

/** The consented permissions that apply to one API. */
export function permissionsFor(audience: ApiAudience, consented: readonly string[]): string[] {
    return consented.filter(p => (audience === 'exchange') === exchangePermissions.has(p));
}
