import { randomUUID } from 'node:crypto';
import type { AppRegistration, DirectoryUser, TenantState } from '../contracts';
import { signJwt } from './jwt';

export type ApiAudience = 'graph' | 'exchange';

export interface Signer {
    keyPem: string;
    publicKeyPem: string;
    kid: string;
}

export interface IssueContext {
    origin: string;
    state: TenantState;
    signer: Signer;
    nowSeconds: number;
    lifetimeSeconds: number;
}

/** Directory role template ids the user holds (Entra puts them in `wids`). */
export function roleTemplateIds(state: TenantState, principalId: string): string[] {
    return state.roleAssignments.filter(a => a.principalId === principalId).map(a => state.roleDefinitions.find(d => d.id === a.roleDefinitionId)?.templateId ?? a.roleDefinitionId);
}

/** Claims every access token carries: audience, issuer, lifetime, tenant and a unique token id. */
function commonClaims(ctx: IssueContext, resource: string): Record<string, unknown> {
    const tid = ctx.state.tenantId;
    return {
        aud: resource,
        iss: `https://sts.windows.net/${tid}/`,
        iat: ctx.nowSeconds,
        nbf: ctx.nowSeconds,
        exp: ctx.nowSeconds + ctx.lifetimeSeconds,
        ver: '1.0',
        tid,
        uti: randomUUID().replace(/-/g, '').slice(0, 22),
    };
}

/** A delegated access token: `scp` holds the granted permissions, as Entra v1 access tokens for Graph do. */
export function delegatedAccessToken(ctx: IssueContext, user: DirectoryUser, app: AppRegistration, resource: string, permissions: string[]): string {
    return signJwt(
        {
            ...commonClaims(ctx, resource),
            oid: user.id,
            sub: user.id,
            upn: user.userPrincipalName,
            unique_name: user.userPrincipalName,
            name: user.displayName,
            appid: app.appId,
            azp: app.appId,
            app_displayname: app.displayName,
            idtyp: 'user',
            scp: permissions.join(' '),
            wids: roleTemplateIds(ctx.state, user.id),
        },
        ctx.signer.keyPem,
        ctx.signer.kid,
    );
}

/**
 * An app-only access token: `roles` holds the application permissions granted on THIS resource (appRoleAssignments to
 * its service principal: tenant/applications.ts grantedAppRoles), and is left out when there are none, as Entra does
 * ("roles" is present only when the client was assigned app roles: MicrosoftDocs/entra-docs:
 * docs/identity-platform/access-token-claims-reference.md). `oid`/`sub` are the app's service principal.
 */
export function appAccessToken(ctx: IssueContext, app: AppRegistration, resource: string, roles: readonly string[]): string {
    return signJwt(
        {
            ...commonClaims(ctx, resource),
            oid: app.servicePrincipalId,
            sub: app.servicePrincipalId,
            appid: app.appId,
            azp: app.appId,
            app_displayname: app.displayName,
            idtyp: 'app',
            ...(roles.length ? { roles: [...roles] } : {}),
            wids: roleTemplateIds(ctx.state, app.servicePrincipalId),
        },
        ctx.signer.keyPem,
        ctx.signer.kid,
    );
}

/** The v2.0 id token msal reads the account from. */
export function idToken(ctx: IssueContext, user: DirectoryUser, clientId: string, nonce: string | undefined): string {
    const tid = ctx.state.tenantId;
    return signJwt(
        {
            aud: clientId,
            iss: `${ctx.origin}/${tid}/v2.0`,
            iat: ctx.nowSeconds,
            nbf: ctx.nowSeconds,
            exp: ctx.nowSeconds + 3600,
            ver: '2.0',
            tid,
            oid: user.id,
            sub: user.id,
            preferred_username: user.userPrincipalName,
            name: user.displayName,
            ...(nonce ? { nonce } : {}),
        },
        ctx.signer.keyPem,
        ctx.signer.kid,
    );
}

/** msal's `client_info`: base64url of {"uid": oid, "utid": tid}. */
export function clientInfo(user: DirectoryUser, tenantId: string): string {
    return Buffer.from(JSON.stringify({ uid: user.id, utid: tenantId })).toString('base64url');
}
