import * as assert from 'node:assert/strict';
import { GraphClient } from '../../../src/graph/GraphClient';
import { GraphRequestError } from '../../../src/graph/GraphRequestError';
import { odataString, searchClause } from '../../../src/graph/odata';
import { abortableSleep } from '../../../src/net/RequestPolicy';
import { sandboxFixture, type SandboxFixture } from '../../sandbox/fixture';
import { validateGraphRequest } from '../../sandbox/graphConformance';
import { appTokens, recordingLogger, sandboxCloud } from './clientFixture';

describe('GraphClient against the sandbox tenant', function () {
    this.timeout(60_000);
    let f: SandboxFixture;
    const sent: { method: string; url: string; headers: Record<string, string>; body?: string }[] = [];
    const issued: string[] = [];
    const logger = recordingLogger();
    const waits: number[] = [];
    let client: GraphClient;
    const scopes = ['User.Read.All'];

    before(async () => {
        f = await sandboxFixture();
        client = new GraphClient({
            cloud: sandboxCloud(f),
            tokens: appTokens(f, logger, issued),
            transport: f.transport,
            logger,
            baseDelayMs: 50,
            // Records what the policy asked to wait, then really waits.
            sleep: (ms, signal) => { waits.push(ms); return abortableSleep(ms, signal); },
            onSend: request => sent.push(request),
        });
    });
    afterEach(() => f.sandbox.setKnobs({ throttleGraphPerSecond: 0, faultRatio: 0, latencyMs: 0, throttleBurst: 10 }));
    after(() => f.stop());

    it('pages through every user with @odata.nextLink', async () => {
        const seen: string[] = [];
        for await (const page of client.pages<{ id: string }>('/users?$top=13&$select=id,displayName,userPrincipalName', { scopes })) seen.push(...page.map(u => u.id));
        assert.equal(new Set(seen).size, f.sandbox.state().users.size);
    });

    it('searches with text a person typed, quotes and OData syntax included, without breaking the query', async () => {
        const typed = 'O\'Brien" or 1 eq 1';
        const search = await client.get<{ value: unknown[] }>(`/users?$search=${encodeURIComponent(searchClause('displayName', typed))}`, { scopes, headers: { ConsistencyLevel: 'eventual' } });
        assert.deepEqual(search.value, []);
        const filter = await client.get<{ value: unknown[] }>(`/users?$filter=${encodeURIComponent(`displayName eq ${odataString(typed)}`)}`, { scopes });
        assert.deepEqual(filter.value, []);
    });

    it('throws typed errors with status, code, message and request id', async () => {
        await assert.rejects(client.get('/users/nobody@contoso.com', { scopes }), (e: GraphRequestError) => e instanceof GraphRequestError && e.isNotFound && e.code === 'Request_ResourceNotFound' && typeof e.requestId === 'string' && e.requestId.length > 0);
        await assert.rejects(client.get(`/users?$filter=${encodeURIComponent("displayName eq 'x")}`, { scopes }), (e: GraphRequestError) => e.status === 400 && /Invalid filter clause/.test(e.message));
    });

    it('reports a missing permission as insufficient privileges (the cue for incremental consent)', async () => {
        const reader = await f.delegatedToken('helpdesk@contoso.com', ['User.Read.All']);
        const limited = new GraphClient({ cloud: sandboxCloud(f), tokens: { getAccessToken: () => Promise.resolve(reader) }, transport: f.transport, logger });
        await assert.rejects(limited.get('/subscribedSkus', { scopes: ['Organization.Read.All'] }), (e: GraphRequestError) => e.isInsufficientPrivileges);
    });

    it('completes a 500-item job under throttling with no error, waiting at least what Retry-After asked', async () => {
        f.sandbox.setKnobs({ throttleGraphPerSecond: 150, throttleBurst: 20 });
        const throttledBefore = f.sandbox.stats().graph.throttled;
        waits.length = 0;
        const ids = [...f.sandbox.state().users.keys()];
        const results = await Promise.all(Array.from({ length: 500 }, (_, i) => client.get<{ id: string }>(`/users/${ids[i % ids.length]}?$select=id,displayName`, { scopes })));
        assert.equal(results.length, 500);
        assert.ok(results.every((r, i) => r.id === ids[i % ids.length]));
        const throttled = f.sandbox.stats().graph.throttled - throttledBefore;
        assert.ok(throttled > 0, 'the sandbox did throttle');
        // Every 429 was followed by one wait of at least its Retry-After (the sandbox sends whole seconds, ≥ 1).
        assert.equal(waits.length, throttled);
        assert.ok(Math.min(...waits) >= 1000, `shortest wait ${Math.min(...waits)} ms`);
    });

    it('rides out random 503s and dropped connections', async () => {
        f.sandbox.setKnobs({ faultRatio: 0.25 });
        const results = await Promise.all(Array.from({ length: 60 }, () => client.get<{ value: unknown[] }>('/organization', { scopes })));
        assert.equal(results.length, 60);
        assert.ok(f.sandbox.stats().graph.faults > 0);
    });

    it('stops within one request of being cancelled', async () => {
        f.sandbox.setKnobs({ latencyMs: 150 });
        const controller = new AbortController();
        const job = Promise.all(Array.from({ length: 100 }, () => client.get('/organization', { scopes, signal: controller.signal })));
        await new Promise(r => setTimeout(r, 400));
        controller.abort();
        const atAbort = f.sandbox.stats().graph.requests;
        await assert.rejects(job, (e: Error) => e.name === 'AbortError');
        await new Promise(r => setTimeout(r, 300));
        // What was already in flight (at most the concurrency cap) may arrive; nothing new starts.
        assert.ok(f.sandbox.stats().graph.requests - atAbort <= 4 + 1, `${f.sandbox.stats().graph.requests - atAbort} requests after the abort`);
    });

    it('batches 45 requests in three round trips and answers in input order', async () => {
        const before = sent.length;
        const ids = [...f.sandbox.state().users.keys()].slice(0, 45);
        const results = await client.batch(ids.map((id, i) => ({ id: String(i), method: 'GET' as const, url: `/users/${id}?$select=displayName` })), { scopes });
        assert.deepEqual(results.map(r => r.id), ids.map((_, i) => String(i)));
        assert.ok(results.every(r => r.status === 200));
        assert.equal(sent.slice(before).filter(s => s.url.endsWith('/$batch')).length, 3);
    });

    it('sent only requests that conform to Microsoft\'s Graph reference', async () => {
        assert.ok(sent.length > 500);
        const distinct = [...new Map(sent.map(s => [`${s.method} ${s.url.replace(/\/users\/[0-9a-f-]{36}/, '/users/ID')}`, s])).values()];
        for (const request of distinct) {
            // A followed @odata.nextLink carries Graph's own $skiptoken, which the reference subset does not list.
            const relative = request.url.slice(f.sandbox.graphUrl.length).replace(/&%24skiptoken=[^&]*/, '');
            const check = await validateGraphRequest(request.method, relative, request.body ? JSON.parse(request.body) as unknown : undefined, request.headers);
            assert.deepEqual(check.errors, [], `${request.method} ${relative}`);
        }
    });

    it('logs method, path, status and request id, and never a token or the Authorization header', () => {
        const log = logger.lines.join('\n');
        assert.match(log, /\[Graph\] GET \/graph\/v1\.0\/users\?.* → 200 \(request-id [0-9a-f-]{36}\)/);
        assert.ok(issued.length > 0);
        for (const token of issued) assert.ok(!log.includes(token), 'no access token in the log');
        assert.doesNotMatch(log, /Bearer|authorization/i);
        assert.ok(!log.includes(f.sandbox.confidentialClient.secret), 'no client secret in the log');
    });
});
