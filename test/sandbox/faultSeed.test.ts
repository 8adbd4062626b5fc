import * as assert from 'node:assert/strict';
import * as https from 'node:https';
import { seedVariable } from '../../sandbox/src/knobs/seed';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../sandbox/src/server';

type Outcome = 'answered' | 'unavailable' | 'dropped';

/**
 * One request on a connection of its own (no retry, no kept-alive socket to confuse a drop with): what the front door
 * did with it. No token: a request the sandbox does not fault is answered 401, one it faults is a 503 or a drop.
 */
function send(sandbox: RunningSandbox, path: string): Promise<Outcome> {
    return new Promise(resolve => {
        const request = https.request(`${sandbox.origin}${path}`, { ca: sandbox.caPem, agent: false }, response => {
            response.resume();
            response.on('end', () => resolve(response.statusCode === 503 ? 'unavailable' : 'answered'));
        });
        request.on('error', () => resolve('dropped'));
        request.end();
    });
}

/** The outcomes of `count` requests sent one after another. */
async function outcomes(sandbox: RunningSandbox, count: number, path = '/graph/v1.0/users'): Promise<Outcome[]> {
    const seen: Outcome[] = [];
    for (let i = 0; i < count; i++) seen.push(await send(sandbox, path));
    return seen;
}

const exchangePath = (sandbox: RunningSandbox, tenant: number) => `/exchange/adminapi/beta/${sandbox.tenants[tenant - 1].tenantId}/InvokeCommand`;

describe('Sandbox faults are drawn from one seed, so a run can be replayed', function () {
    this.timeout(60_000);
    const started: RunningSandbox[] = [];
    const start = async (options: SandboxOptions) => {
        const sandbox = await startSandbox(options);
        started.push(sandbox);
        return sandbox;
    };
    let envBefore: string | undefined;
    before(() => { envBefore = process.env[seedVariable]; });
    afterEach(async () => {
        await Promise.all(started.splice(0).map(s => s.stop()));
        if (envBefore === undefined) delete process.env[seedVariable];
        else process.env[seedVariable] = envBefore;
    });

    it('the same seed gives the same faulted and answered requests in two sandboxes; another seed another sequence', async () => {
        const knobs = { faultRatio: 0.5, faultSeed: 20261129 };
        const first = await outcomes(await start({ knobs }), 24);
        const again = await outcomes(await start({ knobs }), 24);
        const other = await outcomes(await start({ knobs: { ...knobs, faultSeed: 7 } }), 24);
        assert.deepEqual(new Set(first), new Set(['answered', 'unavailable', 'dropped']), first.join(','));
        assert.deepEqual(again, first);
        assert.notDeepEqual(other, first);
    });

    it('setting the seed at run time (PUT /_sandbox/knobs) starts the draws again; so does reset', async () => {
        const sandbox = await start({ knobs: { faultRatio: 0.5, faultSeed: 11 } });
        const first = await outcomes(sandbox, 16);
        sandbox.setKnobs({ faultSeed: 11 });
        assert.deepEqual(await outcomes(sandbox, 16), first, 'the same seed set again');
        sandbox.reset();
        assert.deepEqual(await outcomes(sandbox, 16), first, 'after reset');
        const put = await new Promise<number>((resolve, reject) => {
            const request = https.request(`${sandbox.origin}/_sandbox/knobs`, { method: 'PUT', ca: sandbox.caPem, agent: false, headers: { 'content-type': 'application/json' } }, r => { r.resume(); resolve(r.statusCode ?? 0); });
            request.on('error', reject);
            request.end(JSON.stringify({ faultSeed: 11 }));
        });
        assert.equal(put, 200);
        assert.deepEqual(await outcomes(sandbox, 16), first, 'through the admin endpoint');
    });

    it('several tenants draw from the one seed, each its own stream: tenant 1 faults as it does alone, tenant 2 otherwise', async () => {
        const knobs = { faultRatio: 0.5, faultSeed: 99 };
        const alone = await start({ knobs });
        const aloneFirst = await outcomes(alone, 20, exchangePath(alone, 1));
        const fleet = await start({ knobs, tenants: 2 });
        const tenant1: Outcome[] = [];
        const tenant2: Outcome[] = [];
        // Interleaved: tenant 2's traffic does not move tenant 1's faults.
        for (let i = 0; i < 20; i++) {
            tenant1.push(await send(fleet, exchangePath(fleet, 1)));
            tenant2.push(await send(fleet, exchangePath(fleet, 2)));
        }
        assert.deepEqual(tenant1, aloneFirst);
        assert.notDeepEqual(tenant2, tenant1);
    });

    it('the seed is reported, and comes from the knob, else M365P_SANDBOX_SEED, else a new one', async () => {
        process.env[seedVariable] = '4242';
        const fromEnv = await start({});
        assert.equal(fromEnv.knobs().faultSeed, 4242);
        const knobsAnswer = await new Promise<string>((resolve, reject) => {
            https.get(`${fromEnv.origin}/_sandbox/knobs`, { ca: fromEnv.caPem, agent: false }, r => {
                let text = '';
                r.on('data', (d: Buffer) => (text += d.toString('utf8')));
                r.on('end', () => resolve(text));
            }).on('error', reject);
        });
        assert.equal((JSON.parse(knobsAnswer) as { faultSeed: number }).faultSeed, 4242, 'GET /_sandbox/knobs reports it');
        assert.equal((await start({ knobs: { faultSeed: 5 } })).knobs().faultSeed, 5, 'the knob wins over the environment');
        delete process.env[seedVariable];
        const chosen = (await start({})).knobs().faultSeed;
        assert.ok(Number.isInteger(chosen) && chosen > 0, String(chosen));
        process.env[seedVariable] = 'soon';
        await assert.rejects(startSandbox({}), /M365P_SANDBOX_SEED must be a whole number/);
        assert.throws(() => fromEnv.setKnobs({ faultSeed: 1.5 }), /'faultSeed' must be a whole number/);
    });

    it('a test run puts its seed in the environment, so every sandbox it starts uses it', async () => {
        // The root hook (graphRequestHooks.ts) chose or read it before any test ran.
        assert.match(envBefore ?? '', /^\d+$/);
        assert.equal((await start({})).knobs().faultSeed, Number(envBefore));
    });
});
