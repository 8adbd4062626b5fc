import * as assert from 'node:assert/strict';
import { Accounts, type SignInInteraction, type SignInTarget } from '../../../src/auth/Accounts';
import type { SecretStore, StateStore } from '../../../src/auth/SecretStore';
import { exchangeOnlinePowerShellClientId } from '../../../src/auth/clients';
import { SignInError } from '../../../src/auth/signInErrors';
import { msalNetworkModule } from '../../../src/auth/msalNetwork';
import type { Logger } from '../../../src/shared/logger';
import { sandboxFixture, type SandboxFixture } from '../../sandbox/fixture';

class MemorySecrets implements SecretStore {
    readonly values = new Map<string, string>();
    get(key: string) { return Promise.resolve(this.values.get(key)); }
    store(key: string, value: string) { this.values.set(key, value); return Promise.resolve(); }
    delete(key: string) { this.values.delete(key); return Promise.resolve(); }
}
class MemoryState implements StateStore {
    readonly values = new Map<string, unknown>();
    get<T>(key: string) { return this.values.get(key) as T | undefined; }
    update(key: string, value: unknown) { this.values.set(key, value); return Promise.resolve(); }
}
/** Records every log line, to prove no token or secret reaches the log. */
function recordingLogger(lines: string[]): Logger {
    const record = (m: string | Error, ...a: unknown[]) => lines.push([m instanceof Error ? m.message : m, ...a.map(x => JSON.stringify(x))].join(' '));
    return { trace: record, debug: record, info: record, warn: record, error: record };
}

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;

describe('Accounts: sign-in, tokens and sign-out against the sandbox tenant', function () {
    this.timeout(30_000);
    let f: SandboxFixture;
    let secrets: MemorySecrets;
    let state: MemoryState;
    let lines: string[];
    let accounts: Accounts;
    let target: SignInTarget;
    const consentAsked: string[][] = [];
    let interaction: SignInInteraction;

    before(async () => (f = await sandboxFixture()));
    after(() => f.stop());
    beforeEach(() => {
        secrets = new MemorySecrets();
        state = new MemoryState();
        lines = [];
        accounts = new Accounts(state, secrets, () => msalNetworkModule(r => f.transport.send(r)), recordingLogger(lines));
        target = { cloud: 'Custom', customCloud: { authority: f.sandbox.origin, graphEndpoint: f.sandbox.graphUrl, exchangeEndpoint: f.sandbox.exchangeUrl }, clientId: f.sandbox.publicClientId, tenant: f.sandbox.tenantId };
        consentAsked.length = 0;
        interaction = {
            openBrowser: f.browser('admin@contoso.com'),
            showDeviceCode: prompt => void f.approveDeviceCode(prompt.userCode, 'admin@contoso.com'),
            confirmSignInAgain: (_account, _why, _resource, scopes) => { consentAsked.push([...scopes]); return Promise.resolve(true); },
            preferDeviceCode: () => false,
        };
    });

    it('signs in with the browser, remembers the account as active and keeps tokens only in secret storage', async () => {
        const account = await accounts.signInDelegated(target, 'browser', interaction, { intent: 'browse' });
        assert.equal(account.username, 'admin@contoso.com');
        assert.equal(account.tenantId, f.sandbox.tenantId);
        assert.equal(accounts.active()?.id, account.id);
        const cache = [...secrets.values.values()].join('');
        assert.match(cache, /AccessToken/);
        assert.doesNotMatch(JSON.stringify([...state.values.values()]), /eyJ/, 'no token in globalState');
    });

    it('signs in with a device code and then gets tokens silently', async () => {
        const account = await accounts.signInDelegated(target, 'deviceCode', interaction, { intent: 'browse' });
        const token = await accounts.tokenProvider(account, interaction).getAccessToken({ resource: 'graph', scopes: ['User.Read.All'] });
        const me = await f.get(`${f.sandbox.graphUrl}/v1.0/me`, token);
        assert.equal(me.json.userPrincipalName, 'admin@contoso.com');
        assert.deepEqual(consentAsked, []);
    });

    it('asks before requesting a permission not yet granted (incremental consent), then uses it', async () => {
        const account = await accounts.signInDelegated(target, 'deviceCode', interaction, { intent: 'browse' });
        let wrapped = 0;
        // The UI shows the sign-in again as one progress that ends with it (so a device code does not linger).
        interaction.whileSigningIn = work => { wrapped++; return work(); };
        const token = await accounts.tokenProvider(account, interaction).getAccessToken({ resource: 'graph', scopes: ['Group.ReadWrite.All'] });
        assert.deepEqual(consentAsked, [['Group.ReadWrite.All']]);
        assert.equal(wrapped, 1);
        const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { scp: string };
        assert.match(claims.scp, /Group\.ReadWrite\.All/);
    });

    it('with the default client, Exchange tokens come from the Exchange Online PowerShell client after one prompt that says why', async () => {
        const account = await accounts.signInDelegated(target, 'browser', interaction, { intent: 'browse' });
        const asked: string[] = [];
        const opened: URL[] = [];
        const browser = f.browser('admin@contoso.com');
        interaction.openBrowser = url => { opened.push(new URL(url)); return browser(url); };
        interaction.confirmSignInAgain = (_a, problem, resource) => { asked.push(`${problem} ${resource}`); return Promise.resolve(true); };
        const provider = accounts.tokenProvider(account, interaction);
        // Microsoft Graph Command Line Tools may not get Exchange tokens (the sandbox answers AADSTS65002, as Entra does).
        const token = await provider.getAccessToken({ resource: 'exchange', scopes: ['Exchange.Manage'] });
        assert.equal(claimsOf(token).appid, exchangeOnlinePowerShellClientId);
        assert.equal(claimsOf(token).aud, f.sandbox.exchangeUrl);
        assert.deepEqual(asked, ['secondClientSignIn exchange'], 'one prompt, saying a second app signs in');
        assert.equal(opened[0]?.searchParams.get('client_id'), exchangeOnlinePowerShellClientId);
        assert.equal(opened[0]?.searchParams.get('login_hint'), 'admin@contoso.com', 'the same account, so the browser need not ask');
        assert.match(opened[0]?.searchParams.get('scope') ?? '', /\/exchange\/\.default/, 'what Connect-ExchangeOnline asks for');
        // Then silent, for both clients, from the cache (msal matches the `.default` request to the cached token);
        // each client's tokens only in its own SecretStorage entry.
        const signInRequests = f.sandbox.stats().identity.requests;
        assert.equal(await provider.getAccessToken({ resource: 'exchange', scopes: ['Exchange.Manage'] }), token);
        assert.equal(f.sandbox.stats().identity.requests, signInRequests, 'no request to the sign-in service');
        assert.equal(claimsOf(await provider.getAccessToken({ resource: 'graph', scopes: ['User.Read.All'] })).appid, f.sandbox.publicClientId);
        assert.equal(asked.length, 1);
        const exchangeCache = `m365Provisioner.msal.delegated.Custom.${exchangeOnlinePowerShellClientId}`;
        assert.match(secrets.values.get(exchangeCache) ?? '', /eyJ/);
        assert.doesNotMatch(JSON.stringify([...state.values.values()]), /eyJ/, 'no token in globalState');
        // Signing out forgets the account in both clients' caches.
        await accounts.signOut(account.id);
        assert.doesNotMatch(secrets.values.get(exchangeCache) ?? '', /eyJ/);
        assert.doesNotMatch(secrets.values.get(`m365Provisioner.msal.delegated.Custom.${f.sandbox.publicClientId}`) ?? '', /eyJ/);
    });

    it('with a device code, the Exchange client\'s sign-in is one more device code after the same prompt', async () => {
        interaction.preferDeviceCode = () => true;
        const account = await accounts.signInDelegated(target, 'deviceCode', interaction, { intent: 'browse' });
        const asked: string[] = [];
        interaction.confirmSignInAgain = (_a, problem) => { asked.push(problem); return Promise.resolve(true); };
        const token = await accounts.tokenProvider(account, interaction).getAccessToken({ resource: 'exchange', scopes: ['Exchange.Manage'] });
        assert.equal(claimsOf(token).appid, exchangeOnlinePowerShellClientId);
        assert.deepEqual(asked, ['secondClientSignIn']);
    });

    it('with the admin\'s own registration, Graph and Exchange tokens both come from it, with no second sign-in', async () => {
        target.clientId = f.sandbox.ownRegistrationClientId;
        const account = await accounts.signInDelegated(target, 'browser', interaction, { intent: 'browse' });
        const provider = accounts.tokenProvider(account, interaction);
        const exchangeToken = await provider.getAccessToken({ resource: 'exchange', scopes: ['Exchange.Manage'] });
        assert.equal(claimsOf(exchangeToken).appid, f.sandbox.ownRegistrationClientId);
        assert.equal(claimsOf(exchangeToken).scp, 'Exchange.Manage');
        assert.equal(claimsOf(await provider.getAccessToken({ resource: 'graph', scopes: ['User.Read.All'] })).appid, f.sandbox.ownRegistrationClientId);
        assert.deepEqual(consentAsked, [], 'admin consent was given for both APIs: no prompt');
        assert.ok(![...secrets.values.keys()].some(k => k.includes(exchangeOnlinePowerShellClientId)), 'Microsoft\'s Exchange client is not used');
    });

    it('requests in flight together that lack the same permission share one prompt', async () => {
        const account = await accounts.signInDelegated(target, 'deviceCode', interaction, { intent: 'browse' });
        consentAsked.length = 0;
        const provider = accounts.tokenProvider(account, interaction);
        const tokens = await Promise.all([1, 2, 3].map(() => provider.getAccessToken({ resource: 'graph', scopes: ['GroupMember.ReadWrite.All'] })));
        assert.deepEqual(consentAsked, [['GroupMember.ReadWrite.All']]);
        assert.equal(new Set(tokens).size, 1);
    });

    it('refusing the consent prompt ends the action without a token', async () => {
        const account = await accounts.signInDelegated(target, 'deviceCode', interaction, { intent: 'browse' });
        interaction.confirmSignInAgain = () => Promise.resolve(false);
        await assert.rejects(accounts.tokenProvider(account, interaction).getAccessToken({ resource: 'graph', scopes: ['Directory.ReadWrite.All'] }), (e: SignInError) => e.problem === 'cancelled');
    });

    it('a silent-only request for a permission not granted fails with consentRequired and never prompts', async () => {
        const account = await accounts.signInDelegated(target, 'deviceCode', interaction, { intent: 'browse' });
        consentAsked.length = 0;
        await assert.rejects(accounts.tokenProvider(account, interaction).getAccessToken({ resource: 'graph', scopes: ['Policy.Read.All'], silentOnly: true }), (e: SignInError) => e.problem === 'consentRequired');
        assert.deepEqual(consentAsked, [], 'no prompt');
    });

    it('a revoked session leads to sign-in again, not a silent failure', async () => {
        // Short-lived tokens: msal refreshes them on the next silent call (it renews within five minutes of expiry).
        f.sandbox.setKnobs({ tokenLifetimeSeconds: 60 });
        const account = await accounts.signInDelegated(target, 'deviceCode', interaction, { intent: 'browse' });
        f.sandbox.revokeSessions('admin@contoso.com');
        try {
            let why = '';
            interaction.confirmSignInAgain = (_a, problem) => { why = problem; return Promise.resolve(false); };
            await assert.rejects(accounts.tokenProvider(account, interaction).getAccessToken({ resource: 'graph', scopes: ['User.Read.All'] }), (e: SignInError) => e.problem === 'cancelled' && /expired or was revoked/.test(e.message));
            assert.equal(why, 'sessionRevoked', 'the user was asked to sign in again because the session was revoked');
        } finally {
            f.sandbox.setKnobs({ tokenLifetimeSeconds: 3600 });
        }
    });

    it('signs out: forgets the account and clears its cached tokens', async () => {
        const account = await accounts.signInDelegated(target, 'deviceCode', interaction, { intent: 'browse' });
        await accounts.signOut(account.id);
        assert.deepEqual(accounts.list(), []);
        assert.equal(accounts.active(), undefined);
        assert.doesNotMatch([...secrets.values.values()].join(''), /AccessToken":\{"[^}]/);
    });

    it('signs in as an app with its secret (stored only in secret storage) and with its certificate', async () => {
        const appTarget = { ...target, clientId: f.sandbox.confidentialClient.clientId };
        const withSecret = await accounts.signInApp(appTarget, { kind: 'secret', secret: f.sandbox.confidentialClient.secret });
        assert.equal(withSecret.kind, 'application');
        assert.equal(withSecret.tenantId, f.sandbox.tenantId);
        assert.ok([...secrets.values.values()].some(v => v.includes(f.sandbox.confidentialClient.secret)));
        assert.doesNotMatch(JSON.stringify([...state.values.values()]), new RegExp(f.sandbox.confidentialClient.secret.replace(/[~.]/g, '\\$&')));
        const token = await accounts.tokenProvider(withSecret, interaction).getAccessToken({ resource: 'exchange', scopes: [] });
        assert.equal((JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { aud: string }).aud, f.sandbox.exchangeUrl);
        const withCertificate = await accounts.signInApp(appTarget, { kind: 'certificate', certificatePem: f.sandbox.confidentialClient.certificatePem, privateKeyPem: f.sandbox.confidentialClient.privateKeyPem });
        assert.equal(withCertificate.credentialKind, 'certificate');
    });

    it('a wrong app secret is refused with an actionable message, and nothing is saved', async () => {
        await assert.rejects(
            accounts.signInApp({ ...target, clientId: f.sandbox.confidentialClient.clientId }, { kind: 'secret', secret: 'definitely-wrong' }),
            (e: SignInError) => e.problem === 'badClientCredential' && /secret or certificate was refused/.test(e.message),
        );
        assert.deepEqual(accounts.list(), []);
        assert.equal(secrets.values.size, 0);
    });

    it('a tenant that does not exist is named in the message', async () => {
        await assert.rejects(accounts.signInDelegated({ ...target, tenant: 'nowhere.example' }, 'deviceCode', interaction, { intent: 'browse' }), (e: SignInError) => e.problem === 'wrongTenant');
    });

    it('never writes a token or secret to the log', async () => {
        const account = await accounts.signInDelegated(target, 'deviceCode', interaction, { intent: 'browse' });
        const token = await accounts.tokenProvider(account, interaction).getAccessToken({ resource: 'graph', scopes: ['User.Read.All'] });
        await accounts.signInApp({ ...target, clientId: f.sandbox.confidentialClient.clientId }, { kind: 'secret', secret: f.sandbox.confidentialClient.secret });
        const log = lines.join('\n');
        assert.ok(lines.length > 0, 'something was logged');
        assert.ok(!log.includes(token), 'no access token');
        assert.ok(!log.includes(f.sandbox.confidentialClient.secret), 'no client secret');
        assert.doesNotMatch(log, /eyJ[\w-]{10,}\./, 'nothing that looks like a JWT');
        assert.doesNotMatch(log, /Bearer /);
    });
});
