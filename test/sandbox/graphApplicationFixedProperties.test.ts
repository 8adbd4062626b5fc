import * as assert from 'node:assert/strict';
import { sandboxFixture, type SandboxFixture } from './fixture';

/**
 * Properties of applications and service principals the sandbox shows with a new object's values but does not model
 * (sandbox/src/graph/fixedProperties.ts): they are in every answer, as Microsoft's examples show them, and a write that
 * would change one is refused instead of being dropped, so a read never shows a value that was not kept.
 */
describe('Sandbox Microsoft Graph: the application properties shown but not modelled', function () {
    this.timeout(60_000);
    let f: SandboxFixture;
    let token: string;

    before(async () => {
        f = await sandboxFixture();
        token = await f.delegatedToken('admin@contoso.com', ['Application.ReadWrite.All']);
    });
    after(() => f.stop());

    async function send(method: string, p: string, body?: unknown) {
        const answer = await f.transport.send({ method, url: `${f.sandbox.graphUrl}/v1.0${p}`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
        const text = answer.body.toString('utf8');
        const json = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
        return { status: answer.status, json, code: (json.error as { code?: string } | undefined)?.code };
    }

    it('a new application has the documented defaults, its publisher domain the tenant\'s primary verified domain', async () => {
        const created = await send('POST', '/applications', { displayName: 'Fixed properties' });
        assert.equal(created.status, 201);
        const primary = f.sandbox.state().domains.find(d => d.isDefault && d.isVerified)?.id;
        assert.ok(primary);
        assert.equal(created.json.publisherDomain, primary);
        assert.deepEqual([created.json.tags, created.json.identifierUris, created.json.appRoles], [[], [], []]);
        assert.deepEqual(created.json.parentalControlSettings, { countriesBlockedForMinors: [], legalAgeGroupRule: 'Allow' });
    });

    it('refuses to change a property it does not keep, and accepts the value it shows', async () => {
        const app = await send('POST', '/applications', { displayName: 'Fixed properties 2' });
        const id = String(app.json.id);
        const tagged = await send('PATCH', `/applications/${id}`, { tags: ['HideApp'] });
        assert.deepEqual([tagged.status, tagged.code], [400, 'Request_BadRequest']);
        assert.equal((await send('PATCH', `/applications/${id}`, { tags: [] })).status, 204);
        assert.equal((await send('PATCH', `/applications/${id}`, { publisherDomain: 'fabrikam.com' })).status, 400, 'publisherDomain is read-only');
        assert.equal((await send('POST', '/applications', { displayName: 'With a URI', identifierUris: ['api://x'] })).status, 400);
        assert.deepEqual((await send('GET', `/applications/${id}?$select=tags`)).json.tags, []);

        const sp = await send('POST', '/servicePrincipals', { appId: app.json.appId });
        assert.equal(sp.status, 201);
        assert.equal(sp.json.appRoleAssignmentRequired, false);
        const required = await send('PATCH', `/servicePrincipals/${String(sp.json.id)}`, { appRoleAssignmentRequired: true });
        assert.equal(required.status, 400, 'the sandbox does not enforce assignment, so it may not claim to');
        assert.equal((await send('PATCH', `/servicePrincipals/${String(sp.json.id)}`, { accountEnabled: false })).status, 204);
    });
});
