import * as assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as msal from '@azure/msal-node';
import { startSandbox, type SandboxTenant } from '../../sandbox/src/server';
import { sandboxTenantId } from '../../sandbox/src/tenant/seed';
import { sandboxFixture, type SandboxFixture } from './fixture';

/** A sandbox serving Contoso, Fabrikam and Northwind Traders: each tenant sees only itself. */
describe('Sandbox with several tenants', function () {
    this.timeout(60_000);
    let f: SandboxFixture;
    let tenants: SandboxTenant[];
    const tokens = new Map<string, { graph: string; exchange: string }>();

    /** App-only sign-in as a tenant's own app through real msal-node: secret, or certificate for `byCertificate`. */
    async function appToken(tenant: SandboxTenant, resource: 'graph' | 'exchange', options: { authority?: string; byCertificate?: boolean } = {}): Promise<string> {
        const credential: Pick<msal.Configuration['auth'], 'clientSecret' | 'clientCertificate'> = options.byCertificate
            ? { clientCertificate: { thumbprintSha256: createHash('sha256').update(new X509Certificate(tenant.confidentialClient.certificatePem).raw).digest('hex'), privateKey: tenant.confidentialClient.privateKeyPem } }
            : { clientSecret: tenant.confidentialClient.secret };
        const app = new msal.ConfidentialClientApplication({ auth: { clientId: tenant.confidentialClient.clientId, authority: options.authority ?? tenant.authority, knownAuthorities: [f.host], ...credential }, system: { networkClient: f.network } });
        const result = await app.acquireTokenByClientCredential({ scopes: [`${resource === 'graph' ? f.sandbox.graphUrl : f.sandbox.exchangeUrl}/.default`] });
        if (!result) throw new Error('no token');
        return result.accessToken;
    }
    const token = (tenant: SandboxTenant) => tokens.get(tenant.tenantId) ?? { graph: '', exchange: '' };
    const graph = (tenant: SandboxTenant, pathAndQuery: string) => f.get(`${f.sandbox.graphUrl}/v1.0${pathAndQuery}`, token(tenant).graph);
    async function exchange(urlTenant: string, bearer: string, cmdlet: string, parameters: Record<string, unknown> = {}) {
        const answer = await f.transport.send({
            method: 'POST',
            url: `${f.sandbox.exchangeUrl}/adminapi/beta/${urlTenant}/InvokeCommand`,
            headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
            body: JSON.stringify({ CmdletInput: { CmdletName: cmdlet, Parameters: parameters } }),
        });
        const text = answer.body.toString('utf8');
        return { status: answer.status, headers: answer.headers, value: answer.status < 300 ? ((JSON.parse(text) as { value?: Record<string, unknown>[] }).value ?? []) : [], text };
    }

    before(async () => {
        f = await sandboxFixture({ tenants: 3 });
        tenants = f.sandbox.tenants;
        // Contoso and Northwind by secret, Fabrikam by certificate: every tenant's own credentials work.
        for (const tenant of tenants) {
            const byCertificate = tenant.name === 'Fabrikam';
            tokens.set(tenant.tenantId, { graph: await appToken(tenant, 'graph', { byCertificate }), exchange: await appToken(tenant, 'exchange', { byCertificate }) });
        }
    });
    after(() => f.stop());

    it('serves Contoso, Fabrikam and Northwind Traders, each with its own id, domain and app; tenant 1 is the one-tenant sandbox', () => {
        assert.deepEqual(tenants.map(t => [t.name, t.defaultDomain]), [['Contoso', 'contoso.com'], ['Fabrikam', 'fabrikam.com'], ['Northwind Traders', 'northwindtraders.com']]);
        assert.equal(new Set(tenants.map(t => t.tenantId)).size, 3);
        assert.equal(new Set(tenants.map(t => t.confidentialClient.clientId)).size, 3);
        assert.equal(new Set(tenants.map(t => t.confidentialClient.secret)).size, 3);
        assert.equal(tenants[0].tenantId, sandboxTenantId);
        assert.equal(f.sandbox.tenantId, tenants[0].tenantId);
        assert.equal(f.sandbox.authority, tenants[0].authority);
        assert.deepEqual(f.sandbox.confidentialClient, tenants[0].confidentialClient);
        assert.equal(f.sandbox.state('fabrikam.com').tenantId, tenants[1].tenantId);
        assert.throws(() => f.sandbox.state('tailspintoys.com'), /serves no tenant/);
    });

    it('each tenant reads its own organization, domains and users through Graph, and nothing of the others', async () => {
        for (const tenant of tenants) {
            const org = await graph(tenant, '/organization');
            assert.equal(org.status, 200);
            const [organization] = org.json.value as { id: string; displayName: string }[];
            assert.deepEqual([organization.id, organization.displayName], [tenant.tenantId, tenant.name]);
            const skus = (await graph(tenant, '/subscribedSkus')).json.value as { accountName: string }[];
            assert.ok(skus.length > 0 && skus.every(sku => sku.accountName === tenant.name));
            const domains = ((await graph(tenant, '/domains')).json.value as { id: string; isVerified: boolean }[]).filter(d => d.isVerified).map(d => d.id);
            assert.deepEqual(domains.sort(), [tenant.defaultDomain, tenant.defaultDomain.replace(/\.com$/, '.onmicrosoft.com')].sort());
            const users = (await graph(tenant, '/users?$top=999')).json.value as { userPrincipalName: string; displayName: string }[];
            assert.ok(users.length > 50);
            assert.ok(users.every(u => u.userPrincipalName.endsWith(`@${tenant.defaultDomain}`)), `${tenant.name} lists another tenant's user`);
        }
        // Different people, not the same staff under another domain.
        const people = async (tenant: SandboxTenant) => new Set(((await graph(tenant, '/users?$top=999')).json.value as { displayName: string }[]).map(u => u.displayName));
        const [contoso, fabrikam] = [await people(tenants[0]), await people(tenants[1])];
        const shared = [...fabrikam].filter(n => contoso.has(n) && !/Administrator|Helpdesk|Reception|Support|Accounts|Backup/.test(n));
        assert.ok(shared.length < 5, `Fabrikam shares ${shared.length} people with Contoso`);
    });

    it('each tenant reads its own Exchange mailboxes at its own URL, by tenant id or domain', async () => {
        for (const tenant of tenants) {
            for (const urlTenant of [tenant.tenantId, tenant.defaultDomain]) {
                const answer = await exchange(urlTenant, token(tenant).exchange, 'Get-Mailbox', { ResultSize: 'Unlimited' });
                assert.equal(answer.status, 200, answer.text);
                assert.equal(answer.value.length, f.sandbox.state(tenant.tenantId).mailboxes.size);
                assert.ok(answer.value.every(m => String(m.PrimarySmtpAddress).endsWith(`@${tenant.defaultDomain}`)));
            }
        }
    });

    it("a token of one tenant is refused at another's Exchange URL (401), and its credentials at another's authority", async () => {
        const [contoso, fabrikam, northwind] = tenants;
        const refused = await exchange(fabrikam.tenantId, token(contoso).exchange, 'Get-Mailbox');
        assert.equal(refused.status, 401);
        assert.match(refused.text, /another tenant/);
        assert.equal((await exchange(northwind.defaultDomain, token(fabrikam).exchange, 'Get-Mailbox')).status, 401);
        // Fabrikam's app is not registered in Contoso: AADSTS700016, as for any app the tenant does not know.
        await assert.rejects(appToken(fabrikam, 'graph', { authority: contoso.authority }), /AADSTS700016/);
        // The authority by domain name is the tenant too.
        const byDomain = await appToken(northwind, 'graph', { authority: `${f.sandbox.origin}/${northwind.defaultDomain}` });
        assert.equal(((await f.get(`${f.sandbox.graphUrl}/v1.0/organization`, byDomain)).json.value as { id: string }[])[0].id, northwind.tenantId);
    });

    it("a person signs in only to their own tenant: Contoso's sign-in page offers no Fabrikam account", async () => {
        const [contoso, fabrikam] = tenants;
        const pca = (authority: string) => new msal.PublicClientApplication({ auth: { clientId: f.sandbox.publicClientId, authority, knownAuthorities: [f.host] }, system: { networkClient: f.network } });
        const scopes = [`${f.sandbox.graphUrl}/User.Read`];
        const own = await pca(fabrikam.authority).acquireTokenByDeviceCode({ scopes, deviceCodeCallback: r => void f.approveDeviceCode(r.userCode, 'admin@fabrikam.com') });
        assert.equal(own?.account?.tenantId, fabrikam.tenantId);
        let approval: Promise<string> = Promise.resolve('no device code');
        const request = pca(contoso.authority).acquireTokenByDeviceCode({
            scopes,
            timeout: 2,
            deviceCodeCallback: r => { approval = f.approveDeviceCode(r.userCode, 'admin@fabrikam.com').then(page => `approved: ${page}`, (error: Error) => error.message); },
        });
        await assert.rejects(request);
        assert.match(await approval, /offers no account admin@fabrikam\.com/);
    });

    it('a write in one tenant is invisible in the others', async () => {
        const [contoso, fabrikam, northwind] = tenants;
        const created = await f.transport.send({
            method: 'POST',
            url: `${f.sandbox.graphUrl}/v1.0/groups`,
            headers: { authorization: `Bearer ${token(fabrikam).graph}`, 'content-type': 'application/json' },
            body: JSON.stringify({ displayName: 'Fleet Test Group', mailNickname: 'fleet-test', mailEnabled: false, securityEnabled: true }),
        });
        assert.equal(created.status, 201, created.body.toString('utf8'));
        const find = async (tenant: SandboxTenant) => ((await graph(tenant, "/groups?$filter=displayName eq 'Fleet Test Group'")).json.value as unknown[]).length;
        assert.deepEqual([await find(contoso), await find(fabrikam), await find(northwind)], [0, 1, 0]);
    });

    it('a failing tenant answers 503 with Retry-After on Graph and Exchange while the others answer', async () => {
        const [contoso, fabrikam, northwind] = tenants;
        f.sandbox.setKnobs({ failingTenants: [northwind.tenantId] });
        try {
            const down = await graph(northwind, '/organization');
            assert.equal(down.status, 503);
            assert.equal(down.headers['retry-after'], '1');
            assert.equal((await exchange(northwind.tenantId, token(northwind).exchange, 'Get-Mailbox')).status, 503);
            assert.equal((await graph(contoso, '/organization')).status, 200);
            assert.equal((await graph(fabrikam, '/organization')).status, 200);
            assert.equal((await exchange(fabrikam.tenantId, token(fabrikam).exchange, 'Get-Mailbox')).status, 200);
            // Sign-in still works there: the tenant's services are down, not its directory.
            assert.ok(await appToken(northwind, 'graph'));
        } finally {
            f.sandbox.setKnobs({ failingTenants: [] });
        }
        assert.equal((await graph(northwind, '/organization')).status, 200);
        assert.throws(() => f.sandbox.setKnobs({ failingTenants: 'x' as unknown as string[] }), /list of tenant ids or domains/);
    });
});

describe('Sandbox tenants: start and persistence', function () {
    this.timeout(60_000);
    const dir = mkdtempSync(path.join(tmpdir(), 'sandbox-tenants-'));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('starts 20 distinct tenants in well under a few seconds', async () => {
        const started = Date.now();
        const sandbox = await startSandbox({ tenants: 20 });
        const elapsed = Date.now() - started;
        try {
            assert.equal(sandbox.tenants.length, 20);
            assert.equal(new Set(sandbox.tenants.map(t => t.tenantId)).size, 20);
            assert.equal(new Set(sandbox.tenants.map(t => t.defaultDomain)).size, 20);
            assert.ok(elapsed < 3000, `20 tenants took ${elapsed} ms`);
        } finally {
            await sandbox.stop();
        }
        await assert.rejects(startSandbox({ tenants: 0 }), /whole number from 1/);
    });

    it('the default is one tenant, Contoso, as before', async () => {
        const sandbox = await startSandbox();
        try {
            assert.equal(sandbox.tenants.length, 1);
            assert.equal(sandbox.tenantId, sandboxTenantId);
            assert.equal(sandbox.state().organization.displayName, 'Contoso');
        } finally {
            await sandbox.stop();
        }
    });

    it('three tenants round-trip through one state file, and a one-tenant file loads as tenant 1', async () => {
        const stateFile = path.join(dir, 'three.json');
        const first = await startSandbox({ tenants: 3, stateFile });
        const northwind = first.tenants[2];
        [...first.state(northwind.tenantId).users.values()][5].jobTitle = 'Saved in Northwind';
        await first.stop();
        const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as { format: string; tenants: { tenantId: string }[] };
        assert.equal(saved.format, 'sandbox-tenants/1');
        assert.deepEqual(saved.tenants.map(t => t.tenantId), first.tenants.map(t => t.tenantId));
        // No `tenants` asked: the file says three.
        const again = await startSandbox({ stateFile });
        try {
            assert.equal(again.tenants.length, 3);
            assert.equal([...again.state(northwind.tenantId).users.values()][5].jobTitle, 'Saved in Northwind');
            assert.ok(![...again.state(again.tenants[1].tenantId).users.values()].some(u => u.jobTitle === 'Saved in Northwind'));
        } finally {
            await again.stop();
        }

        const oneFile = path.join(dir, 'one.json');
        const one = await startSandbox({ stateFile: oneFile });
        [...one.state().users.values()][5].jobTitle = 'Saved in Contoso';
        await one.stop();
        assert.equal((JSON.parse(readFileSync(oneFile, 'utf8')) as { format: string }).format, 'sandbox-tenant/1');
        const grown = await startSandbox({ stateFile: oneFile, tenants: 3 });
        try {
            assert.equal([...grown.state().users.values()][5].jobTitle, 'Saved in Contoso');
            assert.equal(grown.tenants[1].name, 'Fabrikam');
        } finally {
            await grown.stop();
        }
    });
});
