import * as assert from 'node:assert/strict';
import { directoryReads } from '../../../src/graph/directory';
import { GraphClient } from '../../../src/graph/GraphClient';
import { sandboxFixture, type SandboxFixture } from '../../sandbox/fixture';
import { advancedQueryViolations, validateGraphRequest } from '../../sandbox/graphConformance';
import { appTokens, recordingLogger, sandboxCloud } from './clientFixture';

describe('Typed directory reads (Microsoft Graph types) against the sandbox', function () {
    this.timeout(30_000);
    let f: SandboxFixture;
    let reads: ReturnType<typeof directoryReads>;
    const sent: { method: string; url: string; headers: Record<string, string> }[] = [];
    const asked: string[][] = [];

    before(async () => {
        f = await sandboxFixture();
        const logger = recordingLogger();
        const tokens = appTokens(f, logger);
        const graph = new GraphClient({ cloud: sandboxCloud(f), tokens: { getAccessToken: r => { asked.push([...r.scopes]); return tokens.getAccessToken(r); } }, transport: f.transport, logger, onSend: r => sent.push(r) });
        reads = directoryReads(graph);
    });
    after(() => f.stop());

    it('reads users, one page and one by UPN, with the selected properties', async () => {
        const page = await reads.listUsers(10);
        assert.equal(page.value.length, 10);
        assert.ok(page['@odata.nextLink']);
        const admin = await reads.getUser('admin@contoso.com');
        assert.equal(admin.usageLocation, 'US');
        assert.ok(Array.isArray(admin.assignedLicenses));
    });

    it('searches with what an admin typed, and finds by exact display name', async () => {
        assert.ok((await reads.searchUsers('adele')).value.some(u => u.userPrincipalName === 'adelev@contoso.com'));
        assert.deepEqual((await reads.searchUsers('x" OR "displayName:a')).value, []);
        assert.equal((await reads.findUsersByDisplayName("Contoso Administrator")).value.length, 1);
        assert.deepEqual((await reads.findUsersByDisplayName("O'Brien")).value, []);
    });

    it('walks the Staff group\'s nested members down to users', async () => {
        const staff = (await reads.findGroupsByDisplayName('Staff')).value[0];
        assert.ok(staff.id);
        const direct: string[] = [];
        for await (const page of reads.groupMembers(staff.id, false, true)) direct.push(...page.map(m => m.id ?? ''));
        const all: string[] = [];
        for await (const page of reads.groupMembers(staff.id, true, true)) all.push(...page.map(m => m.id ?? ''));
        assert.equal(direct.length, 0, `Staff holds only groups (direct users: ${direct.join(',')})`);
        assert.ok(all.length > 40, `${all.length} users through nesting`);
    });

    it('reads domains, SKUs with their plans, the organisation, roles and a user\'s role assignments', async () => {
        assert.ok((await reads.domains()).value.some(d => d.id === 'fabrikam.com' && d.isVerified === false));
        const skus = (await reads.subscribedSkus()).value;
        assert.ok(skus.find(s => s.skuPartNumber === 'ENTERPRISEPACK')?.servicePlans?.some(p => p.servicePlanName === 'EXCHANGE_S_ENTERPRISE'));
        assert.equal((await reads.organization()).value[0].displayName, 'Contoso');
        assert.ok((await reads.roleDefinitions()).value.some(r => r.templateId === 'f023fd81-a637-4b56-95fd-791ac0226033'));
        const admin = await reads.getUser('admin@contoso.com');
        assert.equal((await reads.roleAssignmentsOf(admin.id ?? '')).value[0].roleDefinitionId, '62e90394-69f5-4237-9190-012177145e10');
    });

    it('asks for read permissions only, and sends requests that conform to the reference', async () => {
        assert.ok(asked.flat().every(s => /\.Read(\.|$)|^User\.Read$/.test(s) || s === 'GroupMember.Read.All'), asked.flat().join(' '));
        for (const request of sent) {
            // Graph's own $skiptoken and the documented /microsoft.graph.user cast are missing from the reference subset.
            const relative = request.url.slice(f.sandbox.graphUrl.length).replace(/&%24skiptoken=[^&]*/, '').replace('/microsoft.graph.user', '');
            assert.deepEqual((await validateGraphRequest(request.method, relative, undefined, request.headers)).errors, [], relative);
            // The cast is stripped for the reference above; the advanced-query rules are checked on the path as sent.
            assert.deepEqual(advancedQueryViolations(request.method, request.url.slice(f.sandbox.graphUrl.length), request.headers), [], request.url);
        }
    });
});
