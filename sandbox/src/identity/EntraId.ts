import { createHash, createPublicKey, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { AppRegistration, DirectoryUser, TenantState } from '../contracts';
import { decodeJwt, verifySignature } from './jwt';
import { firstPartyClient, firstPartyRefusal } from './firstPartyClients';
import { consentPage, deviceCodeEntryPage, formPostPage, messagePage, pickAccountPage } from './pages';
import { allowsPublicClientFlows, matchRedirectUri, missingClientCredentialText, redirectMismatchText, unknownApplicationText, type RedirectPlatform } from './registrations';
import { parseScopes, permissionsFor, ScopeError, type ParsedScopes } from './scopes';
import { adoptLegacyGrants, ensureServicePrincipal, grantDelegatedToAll, grantedAppRoles, grantedScopes, resourceServicePrincipal, servicePrincipalOf } from '../tenant/applications';
import { exchangeOnlineAppId, microsoftGraphAppId, microsoftServicesTenantId } from './permissionCatalogue';
import { appAccessToken, clientInfo, delegatedAccessToken, idToken, type IssueContext, type Signer } from './tokens';

export interface IdentityRequest {
    method: string;
    url: URL;
    /** Query parameters for GET, form fields for POST. */
    params: URLSearchParams;
}

export interface IdentityResponse {
    status: number;
    headers?: Record<string, string>;
    body: string | object;
}

export interface IdentityOptions {
    origin: string;
    state: () => TenantState;
    signer: Signer;
    nowMs: () => number;
    tokenLifetimeSeconds: () => number;
    /** How often msal should poll for a device code (Entra says 5 s; tests want 1). */
    deviceCodeIntervalSeconds?: number;
}

interface PendingAuthorization {
    clientId: string;
    redirectUri: string;
    scope: string;
    state?: string;
    nonce?: string;
    codeChallenge?: string;
    codeChallengeMethod?: string;
    responseMode: string;
}

interface IssuedCode { auth: PendingAuthorization; userId: string; expiresMs: number; platform: RedirectPlatform }
interface RefreshGrant { userId: string; clientId: string; rotated: boolean; revoked: boolean }
interface DeviceGrant { clientId: string; scope: string; userCode: string; expiresMs: number; status: 'pending' | 'approved' | 'declined' | 'refused'; userId?: string; refusal?: string }

/**
 * Entra ID v2.0 for one tenant, as msal-node uses it: discovery, the authorization-code flow with PKCE and form_post,
 * refresh tokens with rotation and revocation, the device code flow, and client credentials with a secret or a
 * certificate assertion. Errors carry Entra's AADSTS codes and texts.
 */
export class EntraId {
    private readonly codes = new Map<string, IssuedCode>();
    private readonly refreshTokens = new Map<string, RefreshGrant>();
    private readonly deviceCodes = new Map<string, DeviceGrant>();
    /** Every token, code and refresh token handed out (the newest 500): tests check none of them reaches a log. */
    private readonly issued: string[] = [];

    constructor(private readonly options: IdentityOptions) {}

    private get state(): TenantState {
        return this.options.state();
    }

    /** Handles `/{tenant}/...` and `/devicelogin`; undefined when the path is not an identity path. */
    handle(request: IdentityRequest): IdentityResponse | undefined {
        const path = request.url.pathname;
        if (path === '/devicelogin') return this.deviceLogin(request);
        const match = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys|oauth2\/v2\.0\/(authorize|token|devicecode|logout))$/.exec(path);
        if (!match) return undefined;
        const tenant = decodeURIComponent(match[1]);
        if (!this.knownTenant(tenant)) {
            return this.error(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
        }
        switch (match[3] ?? match[2]) {
            case 'v2.0/.well-known/openid-configuration':
                return { status: 200, body: this.openIdConfiguration(tenant) };
            case 'discovery/v2.0/keys':
                return { status: 200, body: { keys: [this.jwk()] } };
            case 'authorize':
                return this.authorize(request);
            case 'token':
                return this.token(request);
            case 'devicecode':
                return this.deviceCode(request);
            default:
                return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: messagePage('Signed out', 'You have signed out of the sandbox tenant.') };
        }
    }

    issuedSecrets(): readonly string[] {
        return this.issued;
    }

    private remember(...secrets: string[]): void {
        this.issued.push(...secrets);
        if (this.issued.length > 500) this.issued.splice(0, this.issued.length - 500);
    }

    /** Invalidates every refresh token of a user (like revokeSignInSessions). */
    revokeSessions(userId: string): number {
        let count = 0;
        for (const grant of this.refreshTokens.values()) {
            if (grant.userId === userId && !grant.revoked) {
                grant.revoked = true;
                count++;
            }
        }
        return count;
    }

    /** Whether a user code on /devicelogin is one of this tenant's (the page is shared by every tenant, as Microsoft's is). */
    hasPendingUserCode(userCode: string): boolean {
        const code = userCode.trim().toUpperCase();
        return [...this.deviceCodes.values()].some(g => g.userCode === code && g.status === 'pending');
    }

    private knownTenant(tenant: string): boolean {
        const t = tenant.toLowerCase();
        return t === this.state.tenantId || t === 'organizations' || t === 'common' || this.state.domains.some(d => d.isVerified && d.id === t);
    }

    private openIdConfiguration(tenant: string): object {
        const tid = tenant === 'organizations' || tenant === 'common' ? '{tenantid}' : this.state.tenantId;
        const base = `${this.options.origin}/${tenant}`;
        return {
            token_endpoint: `${base}/oauth2/v2.0/token`,
            token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
            jwks_uri: `${this.options.origin}/${tenant}/discovery/v2.0/keys`,
            response_modes_supported: ['query', 'fragment', 'form_post'],
            subject_types_supported: ['pairwise'],
            id_token_signing_alg_values_supported: ['RS256'],
            response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
            scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
            issuer: `${this.options.origin}/${tid}/v2.0`,
            request_uri_parameter_supported: false,
            userinfo_endpoint: `${this.options.origin}/graph/oidc/userinfo`,
            authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
            device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
            http_logout_supported: true,
            frontchannel_logout_supported: true,
            end_session_endpoint: `${base}/oauth2/v2.0/logout`,
            claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'oid'],
            tenant_region_scope: 'NA',
            cloud_instance_name: '127.0.0.1',
            cloud_graph_host_name: '127.0.0.1',
            msgraph_host: '127.0.0.1',
        };
    }

    private jwk(): object {
        // The public key as a JWK (n, e) for whoever validates tokens by the book.
        const pem = this.options.signer.publicKeyPem;
        const key = createPublicKey(pem).export({ format: 'jwk' }) as { n: string; e: string };
        return { kty: 'RSA', use: 'sig', kid: this.options.signer.kid, x5t: this.options.signer.kid, n: key.n, e: key.e, issuer: `${this.options.origin}/${this.state.tenantId}/v2.0` };
    }

    // ---- authorization code + PKCE -------------------------------------------------------------------------------

    private authorize(request: IdentityRequest): IdentityResponse {
        const p = request.params;
        const html = (status: number, body: string): IdentityResponse => ({ status, headers: { 'content-type': 'text/html; charset=utf-8' }, body });
        // The first request carries the parameters in the query; the sign-in and consent pages post them back as `pending`.
        const pending = request.method === 'POST' && p.get('pending') ? (JSON.parse(Buffer.from(p.get('pending') ?? '', 'base64url').toString('utf8')) as PendingAuthorization) : undefined;
        const app = this.app(pending?.clientId ?? p.get('client_id') ?? '');
        if (!app) {
            return html(400, messagePage('Sign in failed', `AADSTS700016: ${unknownApplicationText(p.get('client_id') ?? '', this.tenantName())}`, true));
        }
        const auth: PendingAuthorization = pending ?? {
            clientId: app.appId,
            redirectUri: p.get('redirect_uri') ?? '',
            scope: p.get('scope') ?? '',
            responseMode: p.get('response_mode') ?? 'query',
            ...(p.get('state') ? { state: p.get('state') ?? '' } : {}),
            ...(p.get('nonce') ? { nonce: p.get('nonce') ?? '' } : {}),
            ...(p.get('code_challenge') ? { codeChallenge: p.get('code_challenge') ?? '', codeChallengeMethod: p.get('code_challenge_method') ?? 'plain' } : {}),
        };
        const platform = matchRedirectUri(app, auth.redirectUri);
        if (!platform) {
            return html(400, messagePage('Sign in failed', `AADSTS50011: ${redirectMismatchText(auth.redirectUri, app.appId)}`, true));
        }
        if (!pending && p.get('response_type') !== 'code') {
            return this.redirectError(auth, 'unsupported_response_type', 'AADSTS700054: response_type is not enabled for the application.');
        }
        if (app.isPublicClient && auth.codeChallengeMethod !== 'S256') {
            return this.redirectError(auth, 'invalid_request', 'AADSTS9002325: Proof Key for Code Exchange is required for cross-origin authorization code redemption.');
        }
        let scopes: ParsedScopes;
        try {
            scopes = parseScopes(auth.scope, this.options.origin);
        } catch (error) {
            return this.redirectError(auth, 'invalid_scope', (error as Error).message);
        }
        const refusal = this.firstPartyRefusal(app, scopes);
        if (refusal) return this.redirectError(auth, 'invalid_request', `AADSTS65002: ${refusal}`);
        const fields = { pending: Buffer.from(JSON.stringify(auth)).toString('base64url') };
        const action = request.url.pathname;
        const user = this.user(p.get('account') ?? '') ?? this.user(p.get('login_hint') ?? '');
        if (!user || (request.method === 'GET' && p.get('prompt') === 'select_account')) {
            return html(200, pickAccountPage(action, fields, this.signInAccounts(), app.displayName));
        }
        if (!user.accountEnabled) {
            return html(400, messagePage('Sign in failed', 'AADSTS50057: The user account is disabled.', true));
        }
        const missing = this.missingConsent(app, scopes, user.id);
        if (missing.length || p.get('prompt') === 'consent') {
            const decision = p.get('consent');
            if (decision === 'cancel') return this.redirectError(auth, 'access_denied', 'AADSTS65004: User declined to consent to access the app.');
            if (decision !== 'accept') {
                return html(200, consentPage(action, { ...fields, account: user.id }, user, app.displayName, missing.length ? missing : scopes.permissions, this.isAdmin(user)));
            }
            if (!this.isAdmin(user)) return this.redirectError(auth, 'access_denied', 'AADSTS90094: The grant requires admin permission.');
            this.consent(app, scopes.audience, missing);
        }
        const code = randomBytes(32).toString('base64url');
        this.codes.set(code, { auth, userId: user.id, expiresMs: this.options.nowMs() + 10 * 60_000, platform });
        const answer: Record<string, string> = { code, client_info: clientInfo(user, this.state.tenantId), ...(auth.state ? { state: auth.state } : {}), session_state: randomUUID() };
        return this.respondToRedirect(auth, answer);
    }

    private respondToRedirect(auth: PendingAuthorization, answer: Record<string, string>): IdentityResponse {
        if (auth.responseMode === 'form_post') {
            return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: formPostPage(auth.redirectUri, answer) };
        }
        const target = new URL(auth.redirectUri);
        for (const [k, v] of Object.entries(answer)) target.searchParams.set(k, v);
        return { status: 302, headers: { location: target.href }, body: '' };
    }

    private redirectError(auth: PendingAuthorization, error: string, description: string): IdentityResponse {
        return this.respondToRedirect(auth, { error, error_description: description, ...(auth.state ? { state: auth.state } : {}) });
    }

    // ---- token endpoint ------------------------------------------------------------------------------------------

    private token(request: IdentityRequest): IdentityResponse {
        if (request.method !== 'POST') return this.error(405, 'invalid_request', 900561, 'The endpoint only accepts POST requests.');
        const p = request.params;
        const grant = p.get('grant_type');
        const app = this.app(p.get('client_id') ?? '');
        if (!app) {
            return this.error(400, 'unauthorized_client', 700016, unknownApplicationText(p.get('client_id') ?? '', this.tenantName()));
        }
        try {
            switch (grant) {
                case 'authorization_code':
                    return this.redeemCode(app, p);
                case 'refresh_token':
                    return this.redeemRefreshToken(app, p);
                case 'device_code':
                case 'urn:ietf:params:oauth:grant-type:device_code':
                    return this.redeemDeviceCode(app, p);
                case 'client_credentials':
                    return this.clientCredentials(app, p);
                default:
                    return this.error(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant ?? ''}'.`);
            }
        } catch (error) {
            if (error instanceof ScopeError) return this.error(400, 'invalid_scope', Number(/AADSTS(\d+)/.exec(error.message)?.[1] ?? 70011), error.message.replace(/^AADSTS\d+: /, ''));
            throw error;
        }
    }

    private redeemCode(app: AppRegistration, p: URLSearchParams): IdentityResponse {
        const issued = this.codes.get(p.get('code') ?? '');
        this.codes.delete(p.get('code') ?? '');
        if (!issued || issued.expiresMs < this.options.nowMs() || issued.auth.clientId !== app.appId) {
            return this.error(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.');
        }
        if ((p.get('redirect_uri') ?? '') !== issued.auth.redirectUri) {
            return this.error(400, 'invalid_grant', 500112, 'The reply address does not match the reply address provided when requesting Authorization code.');
        }
        // A code sent to a Web redirect URI belongs to a confidential client: redeeming it needs the app's credential.
        if (issued.platform === 'web' && p.get('client_secret') === null && p.get('client_assertion') === null) {
            return this.error(401, 'invalid_client', 7000218, missingClientCredentialText);
        }
        if (issued.auth.codeChallenge) {
            const verifier = p.get('code_verifier') ?? '';
            const expected = issued.auth.codeChallengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
            if (!verifier || expected !== issued.auth.codeChallenge) {
                return this.error(400, 'invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.');
            }
        }
        const user = this.user(issued.userId);
        if (!user) return this.error(400, 'invalid_grant', 50034, 'The user account does not exist in the directory.');
        return this.userTokens(app, user, p.get('scope') ?? issued.auth.scope, issued.auth.nonce);
    }

    private redeemRefreshToken(app: AppRegistration, p: URLSearchParams): IdentityResponse {
        const presented = p.get('refresh_token') ?? '';
        const grant = this.refreshTokens.get(presented);
        if (!grant || grant.clientId !== app.appId) {
            return this.error(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.', 'bad_token');
        }
        if (grant.revoked) {
            return this.error(400, 'invalid_grant', 50173, 'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.', 'bad_token');
        }
        if (grant.rotated) {
            return this.error(400, 'invalid_grant', 70008, 'The refresh token has expired or is invalid due to sign-in frequency checks by conditional access. The token was issued on a previous use and has been rotated.', 'bad_token');
        }
        const user = this.user(grant.userId);
        if (!user || !user.accountEnabled) return this.error(400, 'invalid_grant', 50057, 'The user account is disabled.');
        // Checked before the refresh token is spent, so a refused request leaves it usable.
        const refused = this.refusedScopes(app, parseScopes(p.get('scope') ?? '', this.options.origin), user.id);
        if (refused) return refused;
        grant.rotated = true;
        return this.userTokens(app, user, p.get('scope') ?? '', undefined);
    }

    private userTokens(app: AppRegistration, user: DirectoryUser, scope: string, nonce: string | undefined): IdentityResponse {
        const scopes = parseScopes(scope, this.options.origin);
        const refused = this.refusedScopes(app, scopes, user.id);
        if (refused) return refused;
        const granted = scopes.permissions.includes('.default') ? this.defaultPermissions(app, scopes, user.id) : scopes.permissions;
        const ctx = this.issueContext();
        const refreshToken = `1.sandbox.${randomBytes(48).toString('base64url')}`;
        this.refreshTokens.set(refreshToken, { userId: user.id, clientId: app.appId, rotated: false, revoked: false });
        const accessToken = delegatedAccessToken(ctx, user, app, scopes.resource, granted);
        this.remember(accessToken, refreshToken);
        return {
            status: 200,
            body: {
                token_type: 'Bearer',
                scope: [...granted.map(s => `${scopes.resource}/${s}`), ...scopes.oidc].join(' '),
                expires_in: ctx.lifetimeSeconds,
                ext_expires_in: ctx.lifetimeSeconds,
                access_token: accessToken,
                refresh_token: refreshToken,
                id_token: idToken(ctx, user, app.appId, nonce),
                client_info: clientInfo(user, this.state.tenantId),
            },
        };
    }

    // ---- device code ---------------------------------------------------------------------------------------------

    private deviceCode(request: IdentityRequest): IdentityResponse {
        const p = request.params;
        const app = this.app(p.get('client_id') ?? '');
        if (!app) return this.error(400, 'unauthorized_client', 700016, unknownApplicationText(p.get('client_id') ?? '', this.tenantName()));
        parseScopes(p.get('scope') ?? '', this.options.origin);
        const deviceCode = randomBytes(32).toString('base64url');
        const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
        const userCode = Array.from(randomBytes(9), b => letters[b % letters.length]).join('');
        this.deviceCodes.set(deviceCode, { clientId: app.appId, scope: p.get('scope') ?? '', userCode, expiresMs: this.options.nowMs() + 900_000, status: 'pending' });
        const uri = `${this.options.origin}/devicelogin`;
        return {
            status: 200,
            body: {
                user_code: userCode,
                device_code: deviceCode,
                verification_uri: uri,
                expires_in: 900,
                interval: this.options.deviceCodeIntervalSeconds ?? 5,
                message: `To sign in, use a web browser to open the page ${uri} and enter the code ${userCode} to authenticate.`,
            },
        };
    }

    private redeemDeviceCode(app: AppRegistration, p: URLSearchParams): IdentityResponse {
        const grant = this.deviceCodes.get(p.get('device_code') ?? '');
        if (!grant || grant.clientId !== app.appId) return this.error(400, 'invalid_grant', 70000, 'The provided value for the input parameter \'device_code\' is not valid.');
        // The device code flow is a public client flow: a registration with "Allow public client flows" off is a
        // confidential client and must authenticate (MicrosoftDocs/SupportArticles-docs: confidential-client-application-authentication-error-aadsts7000218.md).
        if (!allowsPublicClientFlows(app) && p.get('client_secret') === null && p.get('client_assertion') === null) {
            return this.error(401, 'invalid_client', 7000218, missingClientCredentialText);
        }
        if (grant.status === 'refused') {
            this.deviceCodes.delete(p.get('device_code') ?? '');
            return this.error(400, 'invalid_request', 65002, grant.refusal ?? '');
        }
        if (grant.expiresMs < this.options.nowMs()) return this.error(400, 'expired_token', 70020, 'The provided value for the input parameter \'device_code\' is expired.');
        if (grant.status === 'declined') return this.error(400, 'authorization_declined', 70019, 'The user declined to authorize the request.');
        if (grant.status === 'pending' || !grant.userId) {
            return this.error(400, 'authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.');
        }
        this.deviceCodes.delete(p.get('device_code') ?? '');
        const user = this.user(grant.userId);
        if (!user) return this.error(400, 'invalid_grant', 50034, 'The user account does not exist in the directory.');
        return this.userTokens(app, user, grant.scope, undefined);
    }

    /** The page a user opens to enter a device code, pick an account and consent. */
    private deviceLogin(request: IdentityRequest): IdentityResponse {
        const html = (body: string): IdentityResponse => ({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body });
        const p = request.params;
        if (request.method !== 'POST') return html(deviceCodeEntryPage('/devicelogin'));
        const code = (p.get('otc') ?? '').trim().toUpperCase();
        const entry = [...this.deviceCodes.values()].find(g => g.userCode === code && g.status === 'pending');
        if (!entry || entry.expiresMs < this.options.nowMs()) return html(deviceCodeEntryPage('/devicelogin', 'That code didn\'t work. Check the code and try again.'));
        const app = this.app(entry.clientId);
        const user = this.user(p.get('account') ?? '');
        if (!app) return html(messagePage('Sign in failed', 'The app is no longer registered.', true));
        if (!user) return html(pickAccountPage('/devicelogin', { otc: code }, this.signInAccounts(), app.displayName));
        if (!user.accountEnabled) return html(messagePage('Sign in failed', 'AADSTS50057: The user account is disabled.', true));
        const refusal = this.firstPartyRefusal(app, parseScopes(entry.scope, this.options.origin));
        if (refusal) {
            entry.status = 'refused';
            entry.refusal = refusal;
            return html(messagePage('Sign in failed', `AADSTS65002: ${refusal}`, true));
        }
        const parsed = parseScopes(entry.scope, this.options.origin);
        const missing = this.missingConsent(app, parsed, user.id);
        if (missing.length) {
            const decision = p.get('consent');
            if (decision === 'cancel') {
                entry.status = 'declined';
                return html(messagePage('Sign-in cancelled', 'You declined; the app will report it.'));
            }
            if (decision !== 'accept' || !this.isAdmin(user)) return html(consentPage('/devicelogin', { otc: code, account: user.id }, user, app.displayName, missing, this.isAdmin(user)));
            this.consent(app, parsed.audience, missing);
        }
        entry.status = 'approved';
        entry.userId = user.id;
        return html(messagePage('You\'re signed in', `You have signed in to ${app.displayName} as ${user.userPrincipalName}. You can close this window.`));
    }

    // ---- client credentials ----------------------------------------------------------------------------------------

    private clientCredentials(app: AppRegistration, p: URLSearchParams): IdentityResponse {
        const scopes = parseScopes(p.get('scope') ?? '', this.options.origin);
        if (scopes.permissions.length !== 1 || scopes.permissions[0] !== '.default') {
            return this.error(400, 'invalid_scope', 1002012, `The provided value for scope ${p.get('scope') ?? ''} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
        }
        const secret = p.get('client_secret');
        const assertion = p.get('client_assertion');
        if (secret !== null) {
            const hash = createHash('sha256').update(secret).digest('hex');
            const known = app.secrets.find(s => timingSafeEqual(Buffer.from(s.sha256), Buffer.from(hash)));
            if (!known) return this.error(401, 'invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app \'' + app.appId + '\'.');
            if (Date.parse(known.expiresDateTime) < this.options.nowMs()) return this.error(401, 'invalid_client', 7000222, `The provided client secret keys for app '${app.appId}' are expired.`);
        } else if (assertion !== null) {
            const problem = this.checkAssertion(app, assertion, p.get('client_assertion_type'));
            if (problem) return this.error(401, 'invalid_client', 700027, problem);
        } else {
            return this.error(401, 'invalid_client', 7000218, 'The request body must contain the following parameter: \'client_assertion\' or \'client_secret\'.');
        }
        // An app with no service principal in the tenant cannot get a token: AADSTS7000229 with this text (as Entra sent
        // it in Azure/azure-sdk-for-net issue #46762; `az ad app create` makes no service principal: SidU/openclaw-teams-setup#3).
        if (!servicePrincipalOf(this.state, app.appId)) {
            return this.error(400, 'invalid_client', 7000229, `The client application ${app.appId} is missing service principal in the tenant ${this.state.tenantId}.`);
        }
        const ctx = this.issueContext();
        const accessToken = appAccessToken(ctx, app, scopes.resource, grantedAppRoles(this.state, app, resourceAppIdOf(scopes.audience)));
        this.remember(accessToken);
        return { status: 200, body: { token_type: 'Bearer', expires_in: ctx.lifetimeSeconds, ext_expires_in: ctx.lifetimeSeconds, access_token: accessToken } };
    }

    private checkAssertion(app: AppRegistration, assertion: string, type: string | null): string | undefined {
        if (type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return 'Client assertion type is not supported.';
        const jwt = decodeJwt(assertion);
        if (!jwt) return 'Client assertion failed signature validation. The assertion is not a JWT.';
        const rawThumb = jwt.header['x5t#S256'] ?? jwt.header.x5t;
        const thumb = typeof rawThumb === 'string' ? rawThumb : '';
        const cert = app.certificates.find(c => c.thumbprint === thumb || c.thumbprint256 === thumb);
        if (!cert) return `Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '${thumb}']`;
        if (!verifySignature(jwt, cert.publicKeyPem)) return 'Client assertion contains an invalid signature.';
        const now = this.options.nowMs() / 1000;
        if (typeof jwt.claims.exp !== 'number' || jwt.claims.exp < now) return 'Client assertion is expired.';
        if (jwt.claims.iss !== app.appId || jwt.claims.sub !== app.appId) return 'Client assertion audience or issuer claim does not match the client id.';
        if (typeof jwt.claims.aud !== 'string' || !jwt.claims.aud.endsWith('/oauth2/v2.0/token')) return `The audience claim in the client assertion must be the token endpoint; it is '${String(jwt.claims.aud)}'.`;
        return undefined;
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private issueContext(): IssueContext {
        return { origin: this.options.origin, state: this.state, signer: this.options.signer, nowSeconds: Math.floor(this.options.nowMs() / 1000), lifetimeSeconds: this.options.tokenLifetimeSeconds() };
    }

    /**
     * The tenant's app registration, or Microsoft's own client: its service principal appears in the tenant at its first
     * sign-in, as Entra creates it, with no consent of its own.
     */
    private app(clientId: string): AppRegistration | undefined {
        // Registrations a test or an old state file added with the fields of before issue 17 become records first.
        adoptLegacyGrants(this.state);
        const registered = this.state.apps.find(a => a.appId === clientId);
        if (registered) return registered;
        const firstParty = firstPartyClient(clientId);
        if (!firstParty) return undefined;
        const servicePrincipal: AppRegistration = {
            appId: firstParty.appId,
            displayName: firstParty.displayName,
            isPublicClient: true,
            secrets: [],
            certificates: [],
            servicePrincipalId: randomUUID(),
        };
        this.state.apps.push(servicePrincipal);
        ensureServicePrincipal(this.state, servicePrincipal, new Date(this.options.nowMs()).toISOString(), microsoftServicesTenantId);
        return servicePrincipal;
    }

    /**
     * An admin's consent on the sign-in page: the app's tenant-wide (AllPrincipals) oauth2PermissionGrant on the
     * resource's service principal gets the permissions, and the app's service principal is made if it had none, as
     * Entra does on consent (MicrosoftDocs/entra-docs: docs/identity/enterprise-apps/grant-admin-consent.md).
     */
    private consent(app: AppRegistration, audience: 'graph' | 'exchange', permissions: readonly string[]): void {
        const client = ensureServicePrincipal(this.state, app, new Date(this.options.nowMs()).toISOString());
        grantDelegatedToAll(this.state, client, resourceServicePrincipal(this.state, resourceAppIdOf(audience)), permissions);
    }

    private tenantName(): string {
        return this.state.organization.displayName;
    }

    /**
     * The token endpoint's refusal of permissions this app may not have for this user: a Microsoft client outside its
     * pre-authorisation (AADSTS65002), or permissions nobody consented to (AADSTS65001); undefined when it may.
     */
    private refusedScopes(app: AppRegistration, scopes: ParsedScopes, userId: string): IdentityResponse | undefined {
        const refusal = this.firstPartyRefusal(app, scopes);
        if (refusal) return this.error(400, 'invalid_request', 65002, refusal);
        if (this.missingConsent(app, scopes, userId).length) {
            return this.error(400, 'invalid_grant', 65001, `The user or administrator has not consented to use the application with ID '${app.appId}' named '${app.displayName}'. Send an interactive authorization request for this user and resource.`, 'consent_required');
        }
        return undefined;
    }

    /** AADSTS65002's text when a Microsoft client asks for a resource it is not pre-authorised for; undefined otherwise. */
    private firstPartyRefusal(app: AppRegistration, scopes: ParsedScopes): string | undefined {
        const firstParty = firstPartyClient(app.appId);
        return firstParty ? firstPartyRefusal(firstParty, scopes.audience, scopes.permissions) : undefined;
    }

    /** What `.default` grants: a pre-authorised client's list, otherwise the consented permissions of that resource. */
    private defaultPermissions(app: AppRegistration, scopes: ParsedScopes, userId: string): string[] {
        const preAuthorised = firstPartyClient(app.appId)?.resources[scopes.audience];
        return Array.isArray(preAuthorised) ? [...(preAuthorised as readonly string[])] : permissionsFor(scopes.audience, grantedScopes(this.state, app, resourceAppIdOf(scopes.audience), userId));
    }

    private user(idOrUpn: string): DirectoryUser | undefined {
        if (!idOrUpn) return undefined;
        const byId = this.state.users.get(idOrUpn);
        if (byId) return byId;
        const upn = idOrUpn.toLowerCase();
        for (const user of this.state.users.values()) if (user.userPrincipalName.toLowerCase() === upn) return user;
        return undefined;
    }

    private signInAccounts(): DirectoryUser[] {
        return [...this.state.users.values()].filter(u => u.canSignIn);
    }

    private isAdmin(user: DirectoryUser): boolean {
        return this.state.roleAssignments.some(a => a.principalId === user.id && a.roleDefinitionId === '62e90394-69f5-4237-9190-012177145e10');
    }

    /**
     * Permissions asked for that nobody consented to. A pre-authorised Microsoft client needs no consent; any other app
     * gets only what the user or an admin consented to (AADSTS65001 at the token endpoint).
     */
    private missingConsent(app: AppRegistration, scopes: ParsedScopes, userId: string): string[] {
        if (Array.isArray(firstPartyClient(app.appId)?.resources[scopes.audience])) return [];
        const granted = grantedScopes(this.state, app, resourceAppIdOf(scopes.audience), userId);
        return scopes.permissions.filter(s => s !== '.default' && !granted.includes(s));
    }

    private error(status: number, error: string, code: number, description: string, suberror?: string): IdentityResponse {
        const traceId = randomUUID();
        const correlationId = randomUUID();
        const timestamp = new Date(this.options.nowMs()).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
        return {
            status,
            body: {
                error,
                error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
                error_codes: [code],
                timestamp,
                trace_id: traceId,
                correlation_id: correlationId,
                ...(suberror ? { suberror } : {}),
                error_uri: `${this.options.origin}/error?code=${code}`,
            },
        };
    }
}

/** The resource API's appId for a token audience. */
function resourceAppIdOf(audience: 'graph' | 'exchange'): string {
    return audience === 'graph' ? microsoftGraphAppId : exchangeOnlineAppId;
}
