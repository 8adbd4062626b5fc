import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { AppRegistration } from '../../sandbox/src/contracts';
import { sandboxFixture, type SandboxFixture } from './fixture';

/**
 * Which client may get tokens for which resource. Microsoft's own clients only for what they are pre-authorised for
 * (AADSTS65002); any other client id is a registration of the tenant and gets what its registration and consent give
 * (AADSTS7000218, AADSTS50011, AADSTS65001, AADSTS700016). Texts: MicrosoftDocs/entra-docs reference-error-codes.md.
 */
describe('Sandbox identity: client pre-authorisation and app registrations', function () {
    this.timeout(60_000);
    let f: SandboxFixture;
    const exchangeResourceId = '00000002-0000-0ff1-ce00-000000000000';
    const graphResourceId = '00000003-0000-0000-c000-000000000000';
    const tokenUrl = () => `${f.sandbox.authority}/oauth2/v2.0/token`;
    const graph = (permission: string) => `${f.sandbox.graphUrl}/${permission}`;
    const exchange = (permission: string) => `${f.sandbox.exchangeUrl}/${permission}`;
    const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;

    interface TokenAnswer { status: number; body: { access_token?: string; refresh_token?: string; error?: string; error_codes?: number[]; error_description?: string; suberror?: string } }
    const post = async (url: string, fields: Record<string, string>): Promise<TokenAnswer> => {
        const answer = await f.form(url, fields);
        return { status: answer.status, body: JSON.parse(answer.body.toString('utf8')) as TokenAnswer['body'] };
    };

    /** The device code flow by hand: ask for a code, approve it on /devicelogin as `upn`, redeem it once. */
    async function deviceCode(clientId: string, scope: string, upn = 'admin@contoso.com'): Promise<{ page: string; token: TokenAnswer }> {
        const code = (await post(`${f.sandbox.authority}/oauth2/v2.0/devicecode`, { client_id: clientId, scope: `${scope} openid profile offline_access` })).body as unknown as { user_code: string; device_code: string };
        const page = await f.approveDeviceCode(code.user_code, upn);
        const token = await post(tokenUrl(), { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: clientId, device_code: code.device_code });
        return { page, token };
    }

    /** GET /authorize as msal-node's loopback flow sends it, with a login hint so no account picker appears. */
    async function authorize(clientId: string, scope: string, redirectUri = 'http://localhost:53123') {
        const verifier = randomBytes(32).toString('base64url');
        const query = new URLSearchParams({
            client_id: clientId,
            response_type: 'code',
            redirect_uri: redirectUri,
            scope: `${scope} openid profile offline_access`,
            response_mode: 'query',
            code_challenge: createHash('sha256').update(verifier).digest('base64url'),
            code_challenge_method: 'S256',
            login_hint: 'admin@contoso.com',
        });
        const answer = await f.transport.send({ method: 'GET', url: `${f.sandbox.authority}/oauth2/v2.0/authorize?${query.toString()}` });
        const location = answer.headers.location;
        return { status: answer.status, page: answer.body.toString('utf8'), redirect: typeof location === 'string' ? new URL(location) : undefined, verifier };
    }

    const register = (app: Partial<AppRegistration> & { appId: string }): void => {
        f.sandbox.state().apps.push({ displayName: 'Test registration', isPublicClient: true, consentedScopes: [], appRoles: [], secrets: [], certificates: [], servicePrincipalId: app.appId, ...app });
    };

    before(async () => {
        f = await sandboxFixture();
    });
    after(() => f.stop());

    describe('Microsoft\'s own clients', () => {
        it('Microsoft Graph Command Line Tools gets Graph tokens but Exchange ones are refused with AADSTS65002 (device code)', async () => {
            const graphToken = await deviceCode(f.sandbox.publicClientId, graph('User.Read.All'));
            assert.equal(graphToken.token.status, 200);
            const exchangeToken = await deviceCode(f.sandbox.publicClientId, exchange('Exchange.Manage'));
            assert.equal(exchangeToken.page, 'Sign in failed');
            assert.equal(exchangeToken.token.status, 400);
            assert.deepEqual(exchangeToken.token.body.error_codes, [65002]);
            assert.match(exchangeToken.token.body.error_description ?? '', new RegExp(`^AADSTS65002: Consent between first party application '${f.sandbox.publicClientId}' and first party resource '${exchangeResourceId}' must be configured via preauthorization - applications owned and operated by Microsoft must get approval from the API owner before requesting tokens for that API\\.`));
        });

        it('its refresh token does not get an Exchange token either (what a silent token request does)', async () => {
            const { token } = await deviceCode(f.sandbox.publicClientId, graph('User.Read.All'));
            const refreshed = await post(tokenUrl(), { grant_type: 'refresh_token', client_id: f.sandbox.publicClientId, refresh_token: token.body.refresh_token ?? '', scope: `${exchange('.default')} openid offline_access` });
            assert.equal(refreshed.status, 400);
            assert.deepEqual(refreshed.body.error_codes, [65002]);
        });

        it('the browser flow for Exchange with Microsoft Graph Command Line Tools comes back to the app as AADSTS65002', async () => {
            const answer = await authorize(f.sandbox.publicClientId, exchange('Exchange.Manage'));
            assert.equal(answer.status, 302);
            assert.match(answer.redirect?.searchParams.get('error_description') ?? '', /^AADSTS65002: Consent between first party application/);
            assert.equal(answer.redirect?.searchParams.get('code'), null);
        });

        it('the Exchange Online PowerShell client gets Exchange tokens with no consent prompt, and they work on InvokeCommand', async () => {
            const { page, token } = await deviceCode(f.sandbox.exchangeClientId, exchange('.default'), 'helpdesk@contoso.com');
            assert.match(page, /signed in/, 'no consent page: Exchange Online pre-authorised the client');
            assert.equal(token.status, 200);
            const c = claims(token.body.access_token ?? '');
            assert.equal(c.appid, f.sandbox.exchangeClientId);
            assert.equal(c.aud, f.sandbox.exchangeUrl);
            assert.equal(c.scp, 'Exchange.Manage');
            const answer = await f.transport.send({
                method: 'POST',
                url: `${f.sandbox.exchangeUrl}/adminapi/beta/${f.sandbox.tenantId}/InvokeCommand`,
                headers: { authorization: `Bearer ${token.body.access_token ?? ''}`, 'content-type': 'application/json' },
                body: JSON.stringify({ CmdletInput: { CmdletName: 'Get-Mailbox', Parameters: { ResultSize: 1 } } }),
            });
            assert.equal(answer.status, 200);
        });

        it('the Exchange Online PowerShell client gets no Graph token (AADSTS65002 naming Microsoft Graph)', async () => {
            const { token } = await deviceCode(f.sandbox.exchangeClientId, graph('User.Read.All'));
            assert.deepEqual(token.body.error_codes, [65002]);
            assert.match(token.body.error_description ?? '', new RegExp(`first party resource '${graphResourceId}'`));
        });

        it('a redirect URI Microsoft did not register for its client is refused with AADSTS50011', async () => {
            const answer = await authorize(f.sandbox.publicClientId, graph('User.Read.All'), 'http://127.0.0.1:53123');
            assert.equal(answer.status, 400);
            assert.match(answer.page, /AADSTS50011: The redirect URI &#39;http:\/\/127\.0\.0\.1:53123&#39; specified in the request does not match the redirect URIs configured for the application/);
        });
    });

    describe('the tenant\'s own app registrations', () => {
        it('the seeded registration (public client flows on, http://localhost) gets Graph and Exchange tokens', async () => {
            const graphToken = await deviceCode(f.sandbox.ownRegistrationClientId, graph('User.Read.All'));
            assert.equal(graphToken.token.status, 200);
            const exchangeToken = await deviceCode(f.sandbox.ownRegistrationClientId, exchange('Exchange.Manage'));
            assert.equal(exchangeToken.token.status, 200);
            assert.equal(claims(exchangeToken.token.body.access_token ?? '').appid, f.sandbox.ownRegistrationClientId);
            const browser = await authorize(f.sandbox.ownRegistrationClientId, graph('User.Read.All'), 'http://localhost:61234');
            assert.ok(browser.redirect?.searchParams.get('code'), 'any port of the registered http://localhost');
        });

        it('device code with "Allow public client flows" off is refused with AADSTS7000218', async () => {
            const appId = '0a0a0a0a-0000-4000-8000-000000007218';
            register({ appId, isPublicClient: false, redirectUris: { publicClient: ['http://localhost'], web: [] }, consentedScopes: ['User.Read.All'] });
            const { token } = await deviceCode(appId, graph('User.Read.All'));
            assert.equal(token.status, 401);
            assert.equal(token.body.error, 'invalid_client');
            assert.match(token.body.error_description ?? '', /^AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'\./);
        });

        it('a code sent to a Web redirect URI needs the app\'s secret to redeem (AADSTS7000218); an unregistered one is AADSTS50011', async () => {
            const appId = '0a0a0a0a-0000-4000-8000-000000000b0b';
            register({ appId, isPublicClient: true, redirectUris: { publicClient: [], web: ['http://localhost'] }, consentedScopes: ['User.Read.All'] });
            const answer = await authorize(appId, graph('User.Read.All'), 'http://localhost:50505');
            const code = answer.redirect?.searchParams.get('code') ?? '';
            assert.ok(code);
            const redeemed = await post(tokenUrl(), { grant_type: 'authorization_code', client_id: appId, code, redirect_uri: 'http://localhost:50505', code_verifier: answer.verifier, scope: graph('User.Read.All') });
            assert.deepEqual(redeemed.body.error_codes, [7000218]);
            const nowhere = await authorize(appId, graph('User.Read.All'), 'http://localhost:50505/elsewhere');
            assert.match(nowhere.page, /AADSTS50011/);
        });

        it('a registration with no redirect URI cannot sign in in the browser (AADSTS50011)', async () => {
            const appId = '0a0a0a0a-0000-4000-8000-000000050011';
            register({ appId, isPublicClient: true, consentedScopes: ['User.Read.All'] });
            const answer = await authorize(appId, graph('User.Read.All'));
            assert.equal(answer.status, 400);
            assert.match(answer.page, /AADSTS50011/);
        });

        it('a registration nobody consented to gets nothing without consent, public client flows on or off (AADSTS65001 otherwise)', async () => {
            for (const [appId, isPublicClient] of [['0a0a0a0a-0000-4000-8000-000000065001', false], ['0a0a0a0a-0000-4000-8000-000000065011', true]] as const) {
                register({ appId, isPublicClient, redirectUris: { publicClient: ['http://localhost'], web: [] } });
                const answer = await authorize(appId, graph('User.Read.All'));
                assert.equal(answer.status, 200, `${appId}: the consent page, not a code`);
                assert.match(answer.page, /Permissions requested/);
            }
        });

        it('an unknown client id is AADSTS700016 with Microsoft\'s text', async () => {
            const answer = await post(`${f.sandbox.authority}/oauth2/v2.0/devicecode`, { client_id: '0a0a0a0a-0000-4000-8000-000000700016', scope: graph('User.Read.All') });
            assert.equal(answer.body.error, 'unauthorized_client');
            assert.match(answer.body.error_description ?? '', /^AADSTS700016: Application with identifier '0a0a0a0a-0000-4000-8000-000000700016' was not found in the directory 'Contoso'\. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant\. You may have sent your authentication request to the wrong tenant\./);
        });
    });
});
