import * as assert from 'node:assert/strict';
import { sandboxFixture } from './fixture';
import { deliberatelyInvalid, describeViolations, graphRequestCheck } from './graphRequestChecks';

interface Seen { method: string; path: string; headers: Readonly<Record<string, string>>; body: unknown }

describe('Graph request checks: the sandbox shows every request, and the check finds what breaks the reference', function () {
    // The first check loads the reference (a large document) into openapi-backend.
    this.timeout(120_000);

    it('the sandbox calls onGraphRequest for a request and for each $batch item, with the item\'s own headers and body', async () => {
        const seen: Seen[] = [];
        const f = await sandboxFixture({ onGraphRequest: (method, path, headers, body) => void seen.push({ method, path, headers, body }) });
        try {
            const token = await f.appToken();
            await f.get(`${f.sandbox.graphUrl}/v1.0/users?$top=1&$select=id`, token);
            await f.transport.send({
                method: 'POST',
                url: `${f.sandbox.graphUrl}/v1.0/$batch`,
                headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
                body: JSON.stringify({ requests: [
                    { id: '1', method: 'GET', url: '/users?$count=true&$search="displayName:adele"', headers: { ConsistencyLevel: 'eventual' } },
                    { id: '2', method: 'patch', url: 'users/nobody@contoso.com', headers: { 'Content-Type': 'application/json' }, body: { jobTitle: 'x' } },
                ] }),
            });
        } finally {
            await f.stop();
        }
        assert.deepEqual(seen.map(s => `${s.method} ${s.path}`), [
            'GET /v1.0/users?$top=1&$select=id',
            'POST /v1.0/$batch',
            'GET /v1.0/users?$count=true&$search="displayName:adele"',
            'PATCH /v1.0/users/nobody@contoso.com',
        ]);
        assert.equal(seen[0].headers.authorization?.startsWith('Bearer '), true);
        assert.deepEqual(seen[2].headers, { consistencylevel: 'eventual' }, 'an item has its own headers, not the envelope\'s');
        assert.deepEqual(seen[3].body, { jobTitle: 'x' });
    });

    it('records a request that breaks the reference with the test running, skips one marked deliberately invalid, and checks next links without their skiptoken', async () => {
        const check = graphRequestCheck();
        check.nowRunning('a test that sends a bad $select');
        check.check('GET', '/v1.0/users?$select=notAProperty', {}, undefined);
        check.check('GET', '/v1.0/users?$select=notAProperty', { ...deliberatelyInvalid }, undefined);
        check.check('GET', '/v1.0/users?$top=5&$skiptoken=RFNwdAIAAQAAAB&$select=displayName', {}, undefined);
        check.check('GET', '/v1.0/noSuchThing', {}, undefined);
        const { checked, violations } = await check.violations();
        assert.equal(checked, 3);
        assert.deepEqual(violations.map(v => `${v.method} ${v.path} | ${v.during}`), [
            'GET /v1.0/users?$select=notAProperty | a test that sends a bad $select',
            'GET /v1.0/noSuchThing | a test that sends a bad $select',
        ]);
        assert.match(violations[1].errors.join(), /no operation in the reference for GET \/noSuchThing/);
        assert.match(describeViolations(violations), /^Graph reference violations: 2\n {2}GET \/v1\.0\/users\?\$select=notAProperty\n {4}during: a test that sends a bad \$select\n {4}- /);
        assert.equal(describeViolations([]), 'Graph reference violations: 0');
    });
});
