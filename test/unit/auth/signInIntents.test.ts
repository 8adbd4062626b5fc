import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Accounts, type SignedInAccount, type SignInInteraction, type SignInStep, type SignInTarget } from '../../../src/auth/Accounts';
import { exchangeOnlinePowerShellClientId } from '../../../src/auth/clients';
import { consentPrompt } from '../../../src/auth/consentPrompt';
import { msalNetworkModule } from '../../../src/auth/msalNetwork';
import { inMemorySecrets, type StateStore } from '../../../src/auth/SecretStore';
import { SignInError } from '../../../src/auth/signInErrors';
import { permissionDescriptions, signInIntent, signInIntents } from '../../../src/auth/signInIntents';
import { listRoleGroups } from '../../../src/exchange/cmdlets';
import { ExchangeAdminClient } from '../../../src/exchange/ExchangeAdminClient';
import { GraphClient } from '../../../src/graph/GraphClient';
import { sandboxFixture, type SandboxFixture } from '../../sandbox/fixture';
import { scopeLiteralsIn } from '../scopesInSource';
import { recordingLogger, sandboxCloud } from '../graph/clientFixture';

const repo = path.join(__dirname, '../../../..');

/**
 * Every permission the code asks Microsoft for: each `scopes: [...]` / `…Scopes = [...]` literal in src
 * (`scopeLiteralsIn`), and every step kind's writeScopes and removeScopes (read from the loaded step objects, so a list built from constants counts too).
 */
function scopesTheCodeAsksFor(): Set<string> {
    const asked = scopeLiteralsIn([path.join(repo, 'src')]);
    const steps = path.join(__dirname, '../../../src/provisioning/steps');
    for (const file of fs.readdirSync(steps).filter(f => f.endsWith('.js'))) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const module = require(path.join(steps, file)) as Record<string, unknown>;
        for (const value of Object.values(module)) {
            const step = value as { writeScopes?: unknown; removeScopes?: unknown };
            for (const list of [step?.writeScopes, step?.removeScopes]) if (Array.isArray(list)) for (const s of list as string[]) asked.add(s);
        }
    }
    return asked;
}

describe('Sign-in intents: one consent for what the admin will do', () => {
    const provision = signInIntent('provision');

    it('"Provision" asks for every Graph and Exchange permission the code asks for, so Apply never needs a second consent', () => {
        const asked = scopesTheCodeAsksFor();
        assert.ok(asked.has('User.ReadWrite.All') && asked.has('RoleManagement.ReadWrite.Directory') && asked.has('Exchange.Manage'), `the source was read: ${[...asked].join(', ')}`);
        // App-only permissions (…AsApp) are the command line's app's, never asked for in a delegated sign-in.
        const delegated = [...asked].filter(s => !s.endsWith('AsApp'));
        const missing = delegated.filter(s => ![...provision.graph, ...provision.exchange].includes(s));
        assert.deepEqual(missing, [], 'permissions the code asks for that "Provision" does not');
    });

    it('each intent is wider than the one before, and each permission is described in plain words', () => {
        for (let i = 1; i < signInIntents.length; i++) {
            const [narrow, wide] = [signInIntents[i - 1], signInIntents[i]];
            for (const s of [...narrow.graph, ...narrow.exchange]) assert.ok([...wide.graph, ...wide.exchange].includes(s), `${wide.label} lacks ${s} of ${narrow.label}`);
        }
        assert.deepEqual(signInIntent('browseExchange').exchange, ['Exchange.Manage']);
        assert.deepEqual(signInIntent('browse').exchange, []);
        for (const s of [...provision.graph, ...provision.exchange]) assert.match(permissionDescriptions[s] ?? '', /^[a-z].{10,}/, `${s} has words`);
        assert.equal(signInIntent(undefined).id, 'browse', 'an account from before intents asked for the reads');
    });

    it('the consent prompt names only what the intent did not cover, in words, and offers the wider intent', () => {
        const prompt = consentPrompt({ username: 'admin@contoso.com', intent: 'browse' }, 'graph', ['User.Read.All', 'User.ReadWrite.All']);
        assert.match(prompt.message, /needs Microsoft Graph permission that your sign-in \("Browse the directory"\) did not ask for/);
        assert.match(prompt.detail, /• User\.ReadWrite\.All: create and change users, their passwords/);
        assert.doesNotMatch(prompt.detail, /User\.Read\.All/, 'a permission the intent covers is not listed');
        assert.equal(prompt.widerIntent?.id, 'provision');
        assert.equal(prompt.widenButton, 'Sign In for "Provision"');
        // Nothing wider covers a permission no intent has: no offer.
        assert.equal(consentPrompt({ username: 'a', intent: 'provision' }, 'graph', ['Mail.Send']).widerIntent, undefined);
    });
});

class MemoryState implements StateStore {
    readonly values = new Map<string, unknown>();
    get<T>(key: string) { return this.values.get(key) as T | undefined; }
    update(key: string, value: unknown) { this.values.set(key, value); return Promise.resolve(); }
}

/** What a suite against the sandbox shares: the tenant, an Accounts over it, and what the interaction had to do. */
interface IntentSuite {
    f: SandboxFixture;
    state: MemoryState;
    accounts: Accounts;
    target: SignInTarget;
    /** Every time the interaction had to show or ask something. */
    calls: string[];
    steps: SignInStep[];
    interaction: SignInInteraction;
}

/**
 * A sandbox tenant per suite: consent lasts in a tenant, so "Browse" is tried in one where nobody has consented to a
 * write yet.
 */
function againstSandbox(title: string, tests: (t: IntentSuite) => void): void {
    describe(title, function () {
        this.timeout(60_000);
        const t = { calls: [] as string[], steps: [] as SignInStep[] } as IntentSuite;
        before(async () => (t.f = await sandboxFixture()));
        after(() => t.f.stop());
        beforeEach(() => {
            const f = t.f;
            t.state = new MemoryState();
            t.accounts = new Accounts(t.state, inMemorySecrets(), () => msalNetworkModule(r => f.transport.send(r)), recordingLogger());
            t.target = { cloud: 'Custom', customCloud: { authority: f.sandbox.origin, graphEndpoint: f.sandbox.graphUrl, exchangeEndpoint: f.sandbox.exchangeUrl }, clientId: f.sandbox.publicClientId, tenant: f.sandbox.tenantId };
            t.calls.length = 0;
            t.steps.length = 0;
            t.interaction = {
                openBrowser: url => { t.calls.push(`browser ${new URL(url).searchParams.get('client_id') ?? ''}`); return f.browser('admin@contoso.com')(url); },
                showDeviceCode: prompt => { t.calls.push('deviceCode'); void f.approveDeviceCode(prompt.userCode, 'admin@contoso.com'); },
                confirmSignInAgain: (_account, why, resource, scopes) => { t.calls.push(`ask ${why} ${resource} ${scopes.join(' ')}`); return Promise.resolve(true); },
                signInStep: step => t.steps.push(step),
                preferDeviceCode: () => true,
            };
        });
        tests(t);
    });
}

/** The Graph and Exchange clients of an account, over the suite's interaction. */
function clients(t: IntentSuite, account: SignedInAccount) {
    const tokens = t.accounts.tokenProvider(account, t.interaction);
    return {
        graph: new GraphClient({ cloud: sandboxCloud(t.f), tokens, transport: t.f.transport, logger: recordingLogger() }),
        exchange: new ExchangeAdminClient({ cloud: sandboxCloud(t.f), tenantId: t.f.sandbox.tenantId, tokens, transport: t.f.transport, logger: recordingLogger() }),
    };
}

/** A read, an Exchange call and Graph writes, as the first minutes of provisioning make them. */
async function browseExchangeAndWrite(t: IntentSuite, account: SignedInAccount): Promise<void> {
    const { graph, exchange } = clients(t, account);
    const users = await graph.get<{ value: { id: string; userPrincipalName: string }[] }>('/users?$select=id,userPrincipalName&$top=5', { scopes: ['User.Read.All'] });
    const adele = users.value.find(u => u.userPrincipalName.startsWith('adelev@')) ?? users.value[0];
    assert.ok((await listRoleGroups(exchange)).some(g => g.DisplayName === 'Organization Management'));
    await graph.patch(`/users/${adele.id}`, { jobTitle: 'Calendar integration' }, { scopes: ['User.ReadWrite.All'] });
    await graph.get('/roleManagement/directory/roleAssignments?$top=1', { scopes: ['RoleManagement.ReadWrite.Directory'] });
}

againstSandbox('Sign-in intents against the sandbox tenant (real msal-node): "Provision"', t => {
    it('"Provision" with the default client: one sign-in (Graph, then Exchange as step 2 of 2); reads, Exchange and a write ask nothing more', async () => {
        const account = await t.accounts.signInDelegated(t.target, 'deviceCode', t.interaction, { intent: 'provision' });
        assert.deepEqual(t.calls, ['deviceCode', 'deviceCode'], 'Graph\'s device code, then the Exchange Online PowerShell app\'s, inside the sign-in');
        assert.deepEqual(t.steps.map(s => `${s.step}/${s.of}`), ['1/2', '2/2']);
        assert.match(t.steps[1].why, /Exchange Online PowerShell app/);
        assert.equal(account.intent, 'provision');
        assert.equal((t.state.get<SignedInAccount[]>('m365Provisioner.accounts') ?? [])[0]?.intent, 'provision', 'remembered with the account');
        t.calls.length = 0;
        await browseExchangeAndWrite(t, account);
        assert.deepEqual(t.calls, [], 'no prompt and no sign-in after "Provision"');
    });

    it('"Provision" with the browser: the Exchange app\'s sign-in follows at once, with the login hint', async () => {
        const account = await t.accounts.signInDelegated(t.target, 'browser', t.interaction, { intent: 'provision' });
        assert.deepEqual(t.calls, [`browser ${t.f.sandbox.publicClientId}`, `browser ${exchangeOnlinePowerShellClientId}`]);
        t.calls.length = 0;
        await browseExchangeAndWrite(t, account);
        assert.deepEqual(t.calls, []);
    });

    it('"Provision" with the admin\'s own registration: one device code; Exchange comes silently from the same consent', async () => {
        t.target.clientId = t.f.sandbox.ownRegistrationClientId;
        const account = await t.accounts.signInDelegated(t.target, 'deviceCode', t.interaction, { intent: 'provision' });
        assert.deepEqual(t.calls, ['deviceCode']);
        await browseExchangeAndWrite(t, account);
        assert.deepEqual(t.calls, ['deviceCode']);
    });

    it('Cancel on the device code prompt stops the sign-in; nothing is remembered', async () => {
        t.interaction.showDeviceCode = () => { t.calls.push('deviceCode'); return Promise.resolve(false); };
        await assert.rejects(t.accounts.signInDelegated(t.target, 'deviceCode', t.interaction, { intent: 'provision' }), (e: SignInError) => e instanceof SignInError && e.problem === 'cancelled');
        assert.deepEqual(t.accounts.list(), []);
    });
});

againstSandbox('Sign-in intents against the sandbox tenant (real msal-node): "Browse the directory"', t => {
    // Consent lasts in the tenant: this test consents to roles and policies only, so the next one still has a first write.
    it('"Browse the directory" without widening: the next write of another permission asks again', async () => {
        const account = await t.accounts.signInDelegated(t.target, 'deviceCode', t.interaction, { intent: 'browse' });
        t.calls.length = 0;
        const { graph } = clients(t, account);
        await graph.get('/roleManagement/directory/roleAssignments?$top=1', { scopes: ['RoleManagement.ReadWrite.Directory'] });
        await graph.get('/roleManagement/directory/roleAssignments?$top=1', { scopes: ['RoleManagement.ReadWrite.Directory'] });
        await graph.get('/policies/identitySecurityDefaultsEnforcementPolicy', { scopes: ['Policy.Read.All'] });
        assert.deepEqual(t.calls, ['ask consentRequired graph RoleManagement.ReadWrite.Directory', 'deviceCode', 'ask consentRequired graph Policy.Read.All', 'deviceCode'], 'once per permission');
        assert.equal(account.intent, 'browse');
    });

    it('"Browse the directory": a write asks once, for the missing permission only; widening then covers the next write', async () => {
        const account = await t.accounts.signInDelegated(t.target, 'deviceCode', t.interaction, { intent: 'browse' });
        assert.deepEqual(t.calls, ['deviceCode'], 'one sign-in, Graph only');
        assert.deepEqual(t.steps, [], 'no steps for a one-part sign-in');
        t.calls.length = 0;
        const shown: string[] = [];
        t.interaction.confirmSignInAgain = (a, why, resource, scopes) => {
            t.calls.push(`ask ${why} ${resource} ${scopes.join(' ')}`);
            const prompt = consentPrompt(a, resource, scopes);
            shown.push(`${prompt.message}\n${prompt.detail}`);
            return Promise.resolve('widen');
        };
        const { graph } = clients(t, account);
        const users = await graph.get<{ value: { id: string }[] }>('/users?$select=id&$top=1', { scopes: ['User.Read.All'] });
        assert.deepEqual(t.calls, [], 'reads are covered');
        await graph.patch(`/users/${users.value[0].id}`, { jobTitle: 'First write' }, { scopes: ['User.ReadWrite.All'] });
        assert.deepEqual(t.calls, ['ask consentRequired graph User.ReadWrite.All', 'deviceCode']);
        assert.match(shown[0], /User\.ReadWrite\.All: create and change users/);
        assert.equal(account.intent, 'provision', 'widened');
        assert.equal((t.state.get<SignedInAccount[]>('m365Provisioner.accounts') ?? [])[0]?.intent, 'provision', 'and remembered');
        await graph.patch(`/users/${users.value[0].id}`, { jobTitle: 'Second write' }, { scopes: ['User.ReadWrite.All'] });
        // Permissions nobody in this tenant consented to yet (the test before consented to roles and policies only).
        await graph.get('/applications?$top=1', { scopes: ['Application.ReadWrite.All'] });
        await graph.get('/servicePrincipals?$top=1', { scopes: ['AppRoleAssignment.ReadWrite.All'] });
        assert.equal(t.calls.length, 2, 'the widened sign-in covered the next writes');
    });

});
