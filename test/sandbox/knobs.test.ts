import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sandboxFixture, type SandboxFixture } from './fixture';

describe('Sandbox knobs act', function () {
    this.timeout(30_000);
    let f: SandboxFixture;
    let token: string;
    const users = () => `${f.sandbox.graphUrl}/v1.0/users?$top=1`;
    before(async () => {
        f = await sandboxFixture();
        token = await f.appToken();
    });
    afterEach(() => f.sandbox.setKnobs({ throttleGraphPerSecond: 0, faultRatio: 0, latencyMs: 0, throttleBurst: 10 }));
    after(() => f.stop());

    it('throttling: beyond the burst Graph answers 429 with Retry-After, and the bucket refills', async () => {
        f.sandbox.setKnobs({ throttleGraphPerSecond: 1, throttleBurst: 3 });
        const statuses: number[] = [];
        let retryAfter = '';
        for (let i = 0; i < 5; i++) {
            const answer = await f.get(users(), token);
            statuses.push(answer.status);
            if (answer.status === 429) {
                retryAfter = String(answer.headers['retry-after']);
                assert.equal((answer.json.error as { code: string }).code, 'TooManyRequests');
            }
        }
        assert.deepEqual(statuses.slice(0, 3), [200, 200, 200]);
        assert.equal(statuses[4], 429);
        assert.ok(Number(retryAfter) >= 1);
        assert.ok(f.sandbox.stats().graph.throttled >= 1);
        await new Promise(r => setTimeout(r, Number(retryAfter) * 1000 + 100));
        assert.equal((await f.get(users(), token)).status, 200);
    });

    it('Graph $batch: each request in it counts against the throttle; those beyond the bucket answer 429 with Retry-After', async () => {
        f.sandbox.setKnobs({ throttleGraphPerSecond: 1, throttleBurst: 4 });
        const requests = Array.from({ length: 6 }, (_, i) => ({ id: String(i + 1), method: 'GET', url: '/users?$top=1' }));
        const answer = await f.transport.send({ method: 'POST', url: `${f.sandbox.graphUrl}/v1.0/$batch`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ requests }) });
        assert.equal(answer.status, 200);
        const responses = (JSON.parse(answer.body.toString('utf8')) as { responses: { id: string; status: number; headers: Record<string, string>; body: { error?: { code: string } } }[] }).responses;
        assert.deepEqual(responses.map(r => [r.id, r.status]), [['1', 200], ['2', 200], ['3', 200], ['4', 200], ['5', 429], ['6', 429]]);
        for (const r of responses.slice(4)) {
            assert.equal(r.body.error?.code, 'TooManyRequests');
            assert.ok(Number(r.headers['Retry-After']) >= 1);
        }
        assert.equal((await f.get(users(), token)).status, 429, 'the batch spent the bucket');
    });

    it('exchangeBatchCost is per-item by default, set through the admin endpoint, and refuses other values', async () => {
        const put = (body: object) => f.transport.send({ method: 'PUT', url: `${f.sandbox.origin}/_sandbox/knobs`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        const get = await f.transport.send({ method: 'GET', url: `${f.sandbox.origin}/_sandbox/knobs`, headers: {} });
        assert.equal((JSON.parse(get.body.toString('utf8')) as { exchangeBatchCost: string }).exchangeBatchCost, 'per-item');
        const changed = await put({ exchangeBatchCost: 'per-request' });
        assert.equal(changed.status, 200);
        assert.equal(f.sandbox.knobs().exchangeBatchCost, 'per-request');
        const refused = await put({ exchangeBatchCost: 'free' });
        assert.equal(refused.status, 400);
        assert.match(refused.body.toString('utf8'), /exchangeBatchCost' must be one of: per-item, per-request/);
        f.sandbox.setKnobs({ exchangeBatchCost: 'per-item' });
        const started = await sandboxFixture({ knobs: { exchangeBatchCost: 'per-request' } });
        try {
            assert.equal(started.sandbox.knobs().exchangeBatchCost, 'per-request', 'set by option at start');
        } finally {
            await started.stop();
        }
    });

    it('fault ratio 1 answers every request with a 503 or a dropped connection', async () => {
        f.sandbox.setKnobs({ faultRatio: 1 });
        let unavailable = 0;
        let dropped = 0;
        // The transport sends once more when a kept-alive socket is dropped (it cannot tell that from a stale socket),
        // so a drop often ends as a 503: ask until both kinds were seen rather than a fixed 12 times (which failed
        // about once in 30 runs).
        let sent = 0;
        for (; sent < 60 && !(unavailable > 0 && dropped > 0); sent++) {
            try {
                const answer = await f.get(users(), token);
                assert.equal(answer.status, 503);
                assert.equal(answer.headers['retry-after'], '1');
                unavailable++;
            } catch (error) {
                assert.match((error as Error).message, /Cannot reach|socket hang up|ECONNRESET/);
                dropped++;
            }
        }
        assert.equal(unavailable + dropped, sent);
        assert.ok(unavailable > 0 && dropped > 0, `both kinds occur (${unavailable} 503s, ${dropped} drops)`);
    });

    it('latency is added to Graph answers', async () => {
        f.sandbox.setKnobs({ latencyMs: 300 });
        const started = process.hrtime.bigint();
        assert.equal((await f.get(users(), token)).status, 200);
        // Not a speed assertion: it checks the knob made the server wait at least as long as it was told.
        assert.ok(Number(process.hrtime.bigint() - started) / 1e6 >= 300);
    });

    it('token lifetime: a token outlives its lifetime only on a moved clock', async () => {
        f.sandbox.setKnobs({ tokenLifetimeSeconds: 60 });
        const short = await f.appToken();
        f.sandbox.setKnobs({ tokenLifetimeSeconds: 3600 });
        assert.equal((await f.get(users(), short)).status, 200);
        f.sandbox.advanceClock(61_000);
        try {
            assert.equal((await f.get(users(), short)).status, 401);
        } finally {
            f.sandbox.advanceClock(-61_000);
        }
    });

    it('knobs are read and changed through the admin endpoint, which refuses unknown names', async () => {
        const put = (body: object) => f.transport.send({ method: 'PUT', url: `${f.sandbox.origin}/_sandbox/knobs`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        const changed = await put({ replicationLagMs: 20_000 });
        assert.equal(changed.status, 200);
        assert.equal((JSON.parse(changed.body.toString('utf8')) as { replicationLagMs: number }).replicationLagMs, 20_000);
        assert.equal(f.sandbox.knobs().replicationLagMs, 20_000);
        const refused = await put({ lag: 1 });
        assert.equal(refused.status, 400);
        assert.match(refused.body.toString('utf8'), /Unknown knob 'lag'/);
        f.sandbox.setKnobs({ replicationLagMs: 0 });
    });

    it('state saved to a file survives a restart', async () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'm365p-state-')), 'tenant.json');
        const first = await sandboxFixture({ stateFile: file });
        const admin = [...first.sandbox.state().users.values()].find(u => u.userPrincipalName === 'admin@contoso.com');
        assert.ok(admin);
        admin.jobTitle = 'Chief rehearsal officer';
        await first.stop();
        const second = await sandboxFixture({ stateFile: file });
        try {
            const again = [...second.sandbox.state().users.values()].find(u => u.userPrincipalName === 'admin@contoso.com');
            assert.equal(again?.jobTitle, 'Chief rehearsal officer');
        } finally {
            await second.stop();
        }
    });

    it('--users generates the same organisation for the same seed', async () => {
        const { createDefaultTenant } = await import('../../sandbox/src/tenant/seed');
        const a = createDefaultTenant({ users: 500, seed: 'x' });
        const b = createDefaultTenant({ users: 500, seed: 'x' });
        const c = createDefaultTenant({ users: 500, seed: 'y' });
        const upns = (t: typeof a) => [...t.users.values()].map(u => `${u.id} ${u.userPrincipalName}`);
        // 500 generated, the administrator, the helpdesk reader, three shared mailboxes and the backup service account.
        assert.equal(a.users.size, 500 + 6);
        assert.deepEqual(upns(a), upns(b));
        assert.notDeepEqual(upns(a), upns(c));
    });
});
