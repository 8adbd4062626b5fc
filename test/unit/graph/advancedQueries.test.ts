import * as assert from 'node:assert/strict';
import { ExchangeAdminClient } from '../../../src/exchange/ExchangeAdminClient';
import { directoryPages } from '../../../src/graph/directoryPages';
import { GraphClient } from '../../../src/graph/GraphClient';
import type { HttpRequest } from '../../../src/net/HttpTransport';
import { runCalendarGrant } from '../../../src/provisioning/calendar/calendarGrants';
import { countTransitiveUsers } from '../../../src/provisioning/steps/lookup';
import { transitiveMembers } from '../../../sandbox/src/graph/api';
import { sandboxFixture, type SandboxFixture } from '../../sandbox/fixture';
import { advancedQueryViolations } from '../../sandbox/graphConformance';
import { appTokens, recordingLogger, sandboxCloud } from './clientFixture';

/**
 * The client sends Graph's advanced query parameters (ConsistencyLevel: eventual and $count=true) wherever
 * concepts/aad-advanced-queries.md requires them: each call site below is a query the page lists (an OData cast on a
 * member list, $search, a filter on employeeType), checked on the wire, and the sandbox (which refuses them without
 * the parameters, as Graph does) answers it.
 */
describe('Graph advanced queries: the client sends ConsistencyLevel: eventual and $count=true where Graph requires them', function () {
    this.timeout(60_000);
    let f: SandboxFixture;
    let graph: GraphClient;
    let exchange: ExchangeAdminClient;
    const logger = recordingLogger();
    /** Every Graph request as it went on the wire, headers included. */
    let sent: HttpRequest[] = [];
    const staff = () => [...f.sandbox.state().groups.values()].find(g => g.displayName === 'Staff')?.id ?? '';
    const staffUsers = () => transitiveMembers(f.sandbox.state(), staff()).filter(id => f.sandbox.state().users.has(id));

    before(async () => {
        f = await sandboxFixture();
        const cloud = sandboxCloud(f);
        const tokens = appTokens(f, logger);
        const transport = { send: (r: HttpRequest) => { if (r.url.startsWith(f.sandbox.graphUrl)) sent.push(r); return f.transport.send(r); } };
        graph = new GraphClient({ cloud, tokens, transport, logger, baseDelayMs: 20 });
        exchange = new ExchangeAdminClient({ cloud, tenantId: f.sandbox.tenantId, tokens, transport: f.transport, logger, baseDelayMs: 20 });
    });
    after(() => f.stop());
    beforeEach(() => { sent = []; });

    /** The requests to `pathPart`, each with its headers: all of them advanced, and none the validator objects to. */
    function assertAdvanced(pathPart: string) {
        const matching = sent.filter(r => decodeURIComponent(r.url).includes(pathPart));
        assert.ok(matching.length > 0, `a request to ${pathPart} was sent (sent: ${sent.map(r => r.url).join(', ')})`);
        for (const r of matching) {
            const headers = Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k, String(v)]));
            const consistency = Object.entries(headers).find(([k]) => k.toLowerCase() === 'consistencylevel')?.[1];
            assert.equal(consistency, 'eventual', `${r.url} carries ConsistencyLevel: eventual`);
            assert.equal(new URL(r.url).searchParams.get('$count'), 'true', `${r.url} carries $count=true`);
            assert.deepEqual(advancedQueryViolations(r.method, r.url.slice(f.sandbox.graphUrl.length), headers), [], r.url);
        }
    }

    it('lookup.countTransitiveUsers (the plan\'s and the wizard\'s mailbox count): the microsoft.graph.user cast on transitiveMembers', async () => {
        const counted = await countTransitiveUsers(graph, staff());
        assert.equal(counted.users, staffUsers().length);
        assertAdvanced('/transitiveMembers/microsoft.graph.user');
    });

    it('calendarGrants listMembers (the guide\'s last step): the microsoft.graph.user cast on transitiveMembers', async () => {
        const summary = await runCalendarGrant({ graph, exchange, logger }, { mode: 'revoke', groupId: staff(), groupName: 'Staff', grantee: 'adelev@contoso.com', accessRight: 'Reviewer' }, { readOnly: true });
        assert.equal(summary.members, staffUsers().length, JSON.stringify(summary).slice(0, 400));
        assertAdvanced('/transitiveMembers/microsoft.graph.user');
    });

    it('the Directory view\'s searches and service-account folder', async () => {
        const pages = directoryPages(graph);
        await pages.users({ search: 'adele' });
        await pages.groups({ search: 'staff' });
        await pages.groupMembers(staff(), { search: 'a' });
        await pages.serviceAccounts();
        for (const part of ['/users?', '/groups?', `/groups/${staff()}/members?`]) assertAdvanced(part);
    });
});
