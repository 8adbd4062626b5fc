import * as assert from 'node:assert/strict';
import * as msal from '@azure/msal-node';
import { sandboxFixture, type SandboxFixture } from './fixture';

describe('Sandbox identity: msal-node acquires tokens by every flow', function () {
    this.timeout(30_000);
    let f: SandboxFixture;
    before(async () => (f = await sandboxFixture()));
    after(() => f.stop());

    const publicApp = () => new msal.PublicClientApplication({ auth: { clientId: f.sandbox.publicClientId, authority: f.sandbox.authority, knownAuthorities: [f.host] }, system: { networkClient: f.network } });
    const confidentialApp = (credential: Pick<msal.Configuration['auth'], 'clientSecret' | 'clientCertificate'>) =>
        new msal.ConfidentialClientApplication({ auth: { clientId: f.sandbox.confidentialClient.clientId, authority: f.sandbox.authority, knownAuthorities: [f.host], ...credential }, system: { networkClient: f.network } });
    const graphScope = (s: string) => `${f.sandbox.graphUrl}/${s}`;

    it('serves the openid-configuration msal discovers, with the tenant\'s endpoints', async () => {
        const { status, json } = await f.get(`${f.sandbox.authority}/v2.0/.well-known/openid-configuration`);
        assert.equal(status, 200);
        assert.equal(json.token_endpoint, `${f.sandbox.authority}/oauth2/v2.0/token`);
        assert.equal(json.issuer, `${f.sandbox.authority}/v2.0`);
        assert.ok((json.response_modes_supported as string[]).includes('form_post'));
    });

    it('authorization code + PKCE: the browser flow through the sign-in page and form_post to the loopback', async () => {
        const result = await publicApp().acquireTokenInteractive({ scopes: [graphScope('User.Read.All')], openBrowser: f.browser('admin@contoso.com') });
        assert.equal(result.account?.username, 'admin@contoso.com');
        assert.equal(result.tenantId, f.sandbox.tenantId);
        const me = await f.get(`${f.sandbox.graphUrl}/v1.0/me`, result.accessToken);
        assert.equal(me.status, 200);
        assert.equal(me.json.userPrincipalName, 'admin@contoso.com');
    });

    it('asks for consent for a permission not yet granted, and a Global Administrator\'s acceptance grants it', async () => {
        const result = await publicApp().acquireTokenInteractive({ scopes: [graphScope('User.ReadWrite.All')], openBrowser: f.browser('admin@contoso.com') });
        assert.ok(result.scopes.some(s => s.endsWith('User.ReadWrite.All')));
        // The consent is an AllPrincipals oauth2PermissionGrant of the app's service principal on Microsoft Graph's.
        const state = f.sandbox.state();
        const client = state.servicePrincipals?.find(sp => sp.appId === f.sandbox.publicClientId);
        const graph = state.servicePrincipals?.find(sp => sp.appId === '00000003-0000-0000-c000-000000000000');
        const grant = state.oauth2PermissionGrants?.find(g => g.clientId === client?.id && g.resourceId === graph?.id && g.consentType === 'AllPrincipals');
        assert.ok(grant?.scope.split(' ').includes('User.ReadWrite.All'), grant?.scope);
    });

    it('declining consent reaches the app as access_denied', async () => {
        await assert.rejects(
            publicApp().acquireTokenInteractive({ scopes: [graphScope('Group.ReadWrite.All')], openBrowser: f.browser('admin@contoso.com', { declineConsent: true }) }),
            (e: msal.AuthError) => /access_denied/.test(`${e.errorCode} ${e.errorMessage}`),
        );
    });

    it('device code: msal polls until the code is approved on /devicelogin', async () => {
        let shown = '';
        const result = await publicApp().acquireTokenByDeviceCode({
            scopes: [graphScope('User.Read.All')],
            deviceCodeCallback: r => {
                shown = r.message;
                void f.approveDeviceCode(r.userCode, 'helpdesk@contoso.com');
            },
        });
        assert.match(shown, /devicelogin/);
        assert.equal(result?.account?.username, 'helpdesk@contoso.com');
    });

    it('refresh tokens rotate: a refreshed sign-in works, and replaying the old refresh token is refused as bad_token', async () => {
        const app = publicApp();
        const first = await app.acquireTokenByDeviceCode({ scopes: [graphScope('User.Read.All')], deviceCodeCallback: r => void f.approveDeviceCode(r.userCode, 'admin@contoso.com') });
        assert.ok(first?.account);
        const cache = JSON.parse(app.getTokenCache().serialize()) as { RefreshToken: Record<string, { secret: string }> };
        const oldRefresh = Object.values(cache.RefreshToken)[0].secret;
        const refreshed = await app.acquireTokenSilent({ account: first.account, scopes: [graphScope('User.Read.All')], forceRefresh: true });
        assert.notEqual(refreshed.accessToken, first.accessToken);
        const replay = await f.form(`${f.sandbox.authority}/oauth2/v2.0/token`, { grant_type: 'refresh_token', client_id: f.sandbox.publicClientId, refresh_token: oldRefresh, scope: graphScope('User.Read.All') });
        const body = JSON.parse(replay.body.toString('utf8')) as { error: string; suberror: string };
        assert.equal(replay.status, 400);
        assert.equal(body.error, 'invalid_grant');
        assert.equal(body.suberror, 'bad_token');
    });

    it('a revoked session makes silent acquisition fail with InteractionRequired', async () => {
        const app = publicApp();
        const first = await app.acquireTokenByDeviceCode({ scopes: [graphScope('User.Read.All')], deviceCodeCallback: r => void f.approveDeviceCode(r.userCode, 'admin@contoso.com') });
        assert.ok(first?.account);
        assert.ok(f.sandbox.revokeSessions('admin@contoso.com') > 0);
        await assert.rejects(app.acquireTokenSilent({ account: first.account, scopes: [graphScope('User.Read.All')], forceRefresh: true }), (e: Error) => e instanceof msal.InteractionRequiredAuthError);
    });

    it('client credentials with the app\'s secret give an app-only token carrying roles', async () => {
        const result = await confidentialApp({ clientSecret: f.sandbox.confidentialClient.secret }).acquireTokenByClientCredential({ scopes: [`${f.sandbox.graphUrl}/.default`] });
        const claims = JSON.parse(Buffer.from(result?.accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { roles: string[]; scp?: string; tid: string };
        assert.ok(claims.roles.includes('User.ReadWrite.All'));
        assert.equal(claims.scp, undefined);
        assert.equal(claims.tid, f.sandbox.tenantId);
    });

    it('a wrong client secret is refused with AADSTS7000215', async () => {
        await assert.rejects(
            confidentialApp({ clientSecret: 'not-the-secret' }).acquireTokenByClientCredential({ scopes: [`${f.sandbox.graphUrl}/.default`] }),
            (e: msal.AuthError) => /7000215/.test(`${e.errorMessage}`),
        );
    });

    it('client credentials with a certificate assertion', async () => {
        const { X509Certificate, createHash } = await import('node:crypto');
        const cert = new X509Certificate(f.sandbox.confidentialClient.certificatePem);
        const result = await confidentialApp({
            clientCertificate: { thumbprintSha256: createHash('sha256').update(cert.raw).digest('hex'), privateKey: f.sandbox.confidentialClient.privateKeyPem },
        }).acquireTokenByClientCredential({ scopes: [`${f.sandbox.exchangeUrl}/.default`] });
        const claims = JSON.parse(Buffer.from(result?.accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { aud: string; roles: string[] };
        assert.equal(claims.aud, f.sandbox.exchangeUrl);
        assert.ok(claims.roles.includes('Exchange.ManageAsApp'));
    });

    it('an unknown tenant is refused with AADSTS90002', async () => {
        const res = await f.form(`${f.sandbox.origin}/nowhere.example/oauth2/v2.0/token`, { grant_type: 'client_credentials', client_id: 'x' });
        assert.equal(res.status, 400);
        assert.match(res.body.toString('utf8'), /AADSTS90002/);
    });
});
