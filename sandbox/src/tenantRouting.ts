import type { TenantState } from './contracts';
import { decodeJwt } from './identity/jwt';

/**
 * Which tenant a request is for, as Microsoft's services tell:
 * - Entra ID: the authority's first path segment, a tenant id or one of the tenant's verified domain names
 *   ("https://login.microsoftonline.com/contoso.onmicrosoft.com" signs in to the Contoso tenant; MicrosoftDocs/entra-docs:
 *   docs/identity-platform/config-authority.md, "Signing a user into a specific tenant"). `common` and
 *   `organizations` go to tenant 1 here (see `identityTenant`).
 * - Graph: the access token's `tid` claim ("the immutable tenant ID of the organization that the user is signing in
 *   to"; MicrosoftDocs/entra-docs: docs/identity-platform/access-token-claims-reference.md), as a Graph URL names no
 *   tenant. The token is then checked in full against that tenant (accessTokens.ts); this only picks where to check.
 * - Exchange: the URL, `/adminapi/beta/{tenantId}/InvokeCommand`; the token must then be that tenant's. What real
 *   Exchange answers a token of another tenant is not documented: the sandbox answers 401 (docs/FIDELITY.md).
 * - /devicelogin: one page for every tenant (`verification_uri` is https://microsoft.com/devicelogin whatever the
 *   tenant; MicrosoftDocs/entra-docs: docs/identity-platform/v2-oauth2-device-code.md); the code says whose it is.
 */
export interface Tenanted {
    state(): TenantState;
}

/** The tenant whose id or verified domain is `name` (case-insensitive), if the sandbox serves it. */
export function tenantNamed<T extends Tenanted>(tenants: readonly T[], name: string): T | undefined {
    const wanted = name.toLowerCase();
    return tenants.find(t => {
        const s = t.state();
        return s.tenantId === wanted || s.domains.some(d => d.isVerified && d.id.toLowerCase() === wanted);
    });
}

/**
 * The tenant an identity path (`/{tenant}/oauth2/v2.0/token`, …) is for. `common`, `organizations` and names no tenant
 * has go to tenant 1, whose Entra ID answers them as before (a name it does not know is AADSTS90002 there).
 */
export function identityTenant<T extends Tenanted>(tenants: readonly T[], pathname: string): T {
    const segment = /^\/([^/]+)\//.exec(pathname)?.[1];
    return (segment && tenantNamed(tenants, safeDecode(segment))) || tenants[0];
}

/** The tenant a Graph request is for: its bearer token's `tid` (unverified here; accessTokens.ts verifies). */
export function graphTenant<T extends Tenanted>(tenants: readonly T[], authorization: string | undefined): T {
    const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1];
    const tid = token ? decodeJwt(token)?.claims.tid : undefined;
    return (typeof tid === 'string' && tenants.find(t => t.state().tenantId === tid)) || tenants[0];
}

/** The tenant an Exchange admin API path (`/adminapi/beta/{tenant}/…`) names; tenant 1 when it names none we serve. */
export function exchangeTenant<T extends Tenanted>(tenants: readonly T[], path: string): T {
    const segment = /^\/adminapi\/beta\/([^/]+)\//i.exec(path)?.[1];
    return (segment && tenantNamed(tenants, safeDecode(segment))) || tenants[0];
}

function safeDecode(segment: string): string {
    try {
        return decodeURIComponent(segment);
    } catch {
        return segment;
    }
}
