import * as assert from 'node:assert/strict';
import { GraphClient } from '../../../src/graph/GraphClient';
import { listRoleDefinitions, subscribedSkus, verifiedDomains } from '../../../src/graph/tenantCatalogue';
import { sandboxFixture, type SandboxFixture } from '../../sandbox/fixture';
import { validateGraphRequest } from '../../sandbox/graphConformance';
import { appTokens, recordingLogger, sandboxCloud } from './clientFixture';

/** The tenant's licences, roles and domains: read once each for the Directory view, the pickers, the wizard and the steps. */
describe('What a tenant offers to choose from (tenantCatalogue) against the sandbox', function () {
    this.timeout(60_000);
    let f: SandboxFixture;
    let graph: GraphClient;
    const sent: { method: string; url: string; headers: Record<string, string> }[] = [];
    const asked: string[][] = [];

    before(async () => {
        f = await sandboxFixture();
        const logger = recordingLogger();
        const tokens = appTokens(f, logger);
        graph = new GraphClient({ cloud: sandboxCloud(f), tokens: { getAccessToken: r => { asked.push([...r.scopes]); return tokens.getAccessToken(r); } }, transport: f.transport, logger, onSend: r => sent.push(r) });
    });
    after(() => f.stop());

    it('lists only verified domains, the default first', async () => {
        const domains = await verifiedDomains(graph);
        const state = f.sandbox.state().domains;
        assert.equal(domains[0], state.find(d => d.isDefault)?.id);
        assert.deepEqual([...domains].sort(), state.filter(d => d.isVerified).map(d => d.id).sort());
        assert.ok(!domains.includes('fabrikam.com'), 'an unverified domain is not offered');
    });

    it('reads the licences with their plans, and every role definition sorted by name', async () => {
        const skus = await subscribedSkus(graph);
        assert.ok(skus.find(s => s.skuPartNumber === 'ENTERPRISEPACK')?.servicePlans?.some(p => p.servicePlanName === 'EXCHANGE_S_ENTERPRISE'));
        const roles = await listRoleDefinitions(graph);
        assert.equal(roles.length, f.sandbox.state().roleDefinitions.length);
        assert.deepEqual(roles.map(r => r.displayName), roles.map(r => r.displayName).sort((a, b) => (a ?? '').localeCompare(b ?? '')));
        assert.ok(roles.some(r => r.templateId === 'f023fd81-a637-4b56-95fd-791ac0226033' && typeof r.isEnabled === 'boolean'));
    });

    it('asks for read permissions only, and sends requests the Graph reference describes', async () => {
        assert.deepEqual([...new Set(asked.flat())].sort(), ['Domain.Read.All', 'Organization.Read.All', 'RoleManagement.Read.Directory']);
        assert.ok(sent.length >= 3);
        for (const request of sent) {
            const relative = request.url.slice(f.sandbox.graphUrl.length).replace(/&?%24skiptoken=[^&]*/, '').replace(/\$skiptoken=[^&]*&?/, '');
            assert.deepEqual((await validateGraphRequest(request.method, relative, undefined, request.headers)).errors, [], relative);
        }
    });
});
