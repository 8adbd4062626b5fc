import type { Principal, TenantState } from './contracts';
import { decodeJwt, verifySignature } from './identity/jwt';

export class TokenRejected extends Error {}

/** Checks a bearer token as Graph and Exchange do (signature, lifetime, audience, tenant) and says who is calling. */
export function principalFromToken(header: string | undefined, api: 'graph' | 'exchange', origin: string, state: TenantState, publicKeyPem: string, nowMs: number): Principal {
    const token = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1];
    if (!token) throw new TokenRejected('Access token is empty.');
    const jwt = decodeJwt(token);
    if (!jwt) throw new TokenRejected('IDX14100: JWT is not well formed, there are no dots (.).');
    if (!verifySignature(jwt, publicKeyPem)) throw new TokenRejected('Access token validation failure. Invalid signature.');
    const c = jwt.claims;
    const now = nowMs / 1000;
    if (typeof c.exp !== 'number' || c.exp < now || (typeof c.nbf === 'number' && c.nbf > now + 300)) throw new TokenRejected('Access token has expired or is not yet valid.');
    const audiences = api === 'graph' ? ['https://graph.microsoft.com', `${origin}/graph`, '00000003-0000-0000-c000-000000000000'] : ['https://outlook.office365.com', `${origin}/exchange`, '00000002-0000-0ff1-ce00-000000000000'];
    if (typeof c.aud !== 'string' || !audiences.includes(c.aud.replace(/\/$/, ''))) throw new TokenRejected('Access token validation failure. Invalid audience.');
    if (c.tid !== state.tenantId) throw new TokenRejected('Access token validation failure. The token was issued for another tenant.');
    const delegated = c.idtyp !== 'app';
    return {
        tenantId: state.tenantId,
        appId: typeof c.appid === 'string' ? c.appid : '',
        kind: delegated ? 'delegated' : 'application',
        ...(typeof c.oid === 'string' ? { objectId: c.oid } : {}),
        ...(delegated ? { userId: String(c.oid), userPrincipalName: typeof c.upn === 'string' ? c.upn : '' } : {}),
        scopes: typeof c.scp === 'string' ? c.scp.split(' ').filter(Boolean) : [],
        roles: Array.isArray(c.roles) ? (c.roles as string[]) : [],
        audience: api,
    };
}
