import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sandboxFixture, type SandboxFixture } from './fixture';
import { graphReferenceDir, operationIdAt, validateGraphRequest, validateGraphResponse } from './graphConformance';
import { deliberatelyInvalid } from './graphRequestChecks';

interface Example {
    operation: { method: string; pathTemplate: string };
    request: { method: string; url: string; headers?: Record<string, string>; body?: unknown };
    response: { status: number; body?: unknown };
}

const dir = path.join(graphReferenceDir, 'examples');
const examples = fs.readdirSync(dir).filter(f => f.endsWith('.json')).sort();

/**
 * Examples of calls the sandbox does not answer yet: applications, service principals and their grants (issue 17; the
 * sandbox routes are being written beside this list). They are checked as documented against the reference below, and
 * join the replay when the sandbox serves them (take them out of this list, and give `adapt` their ids).
 */
const awaitingSandboxRoutes = new Set([
    'application-addkey.json',
    'application-addpassword.json',
    'create-application.json',
    'create-oauth2permissiongrant.json',
    'create-serviceprincipal.json',
    'serviceprincipal-create-approleassignedto.json',
]);

describe('Microsoft\'s documented Graph examples, as documented, against the reference', function () {
    this.timeout(60_000);
    for (const file of examples) {
        it(`${file}: the documented request and answer are valid for ${file.replace(/\.json$/, '')}'s operation in the reference`, async () => {
            const example = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Example;
            const relative = example.request.url.slice('https://graph.microsoft.com'.length);
            const requestCheck = await validateGraphRequest(example.request.method, relative, example.request.body ?? undefined);
            assert.deepEqual(requestCheck.errors, [], `request ${example.request.method} ${relative}`);
            // The example names the operation it documents; the reference must route the documented URL to it.
            const operation = await operationIdAt(example.operation.method, example.operation.pathTemplate);
            assert.ok(operation, `${file}: the reference has no ${example.operation.method} ${example.operation.pathTemplate}`);
            assert.equal(requestCheck.operationId, operation, `${file}: routed to another operation`);
            const responseCheck = await validateGraphResponse(example.request.method, relative, example.response.status, example.response.body ?? null);
            assert.deepEqual(responseCheck.errors, [], `${file}: the documented answer does not match the reference`);
        });
    }
});

/** Property names of an object, and of the first item of its `value` (where the docs put a collection). */
function shapeOf(body: unknown): { top: string[]; item: string[] } {
    if (!body || typeof body !== 'object') return { top: [], item: [] };
    const b = body as Record<string, unknown>;
    const first = Array.isArray(b.value) && b.value.length ? (b.value[0] as Record<string, unknown>) : undefined;
    const keys = (o: Record<string, unknown> | undefined) => (o ? Object.keys(o).filter(k => !k.startsWith('@odata.')).sort() : []);
    return { top: keys(b), item: keys(first) };
}

describe('Microsoft\'s documented Graph examples, replayed against the sandbox', function () {
    this.timeout(60_000);
    let f: SandboxFixture;
    let token: string;
    const ids: Record<string, string> = {};

    before(async () => {
        f = await sandboxFixture();
        // A Global Administrator with the delegated permissions the examples need (/me paths need a user).
        token = await f.delegatedToken('admin@contoso.com', ['User.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All', 'RoleManagement.ReadWrite.Directory', 'Calendars.ReadWrite', 'Organization.Read.All']);
        const state = f.sandbox.state();
        const user = (upn: string) => [...state.users.values()].find(u => u.userPrincipalName === upn)?.id ?? '';
        ids.user = user('alexw@contoso.com');
        ids.member = user('allan d@contoso.com'.replace(' ', '')) || user('alland@contoso.com');
        ids.group = [...state.groups.values()].find(g => g.displayName === 'IT Administrators')?.id ?? '';
        ids.admin = user('admin@contoso.com');
    });
    after(() => f.stop());

    /** Puts the sandbox's real ids where the docs have placeholders or another tenant's ids. */
    function adapt(example: Example): { url: string; body: unknown } {
        let url = example.request.url.replace('https://graph.microsoft.com/v1.0', `${f.sandbox.graphUrl}/v1.0`);
        let text = JSON.stringify(example.request.body ?? null).replace(/https:\/\/graph\.microsoft\.com\/v1\.0/g, `${f.sandbox.graphUrl}/v1.0`);
        if (url.includes('/groups/')) url = url.replace(/\/groups\/[^/]+/, `/groups/${ids.group}`);
        if (url.includes('/users/{id}')) url = url.replace('{id}', ids.user);
        if (url.includes('/directoryRoles/')) {
            // Activated role ids differ between tenants: use this tenant's Global Reader role.
            url = url.replace(/\/directoryRoles\/[^/]+/, `/directoryRoles/${ids.directoryRole}`);
        }
        text = text.replace(/directoryObjects\/[0-9a-f-]{36}|directoryObjects\/\{id\}/g, `directoryObjects/${ids.member}`)
            .replace(/users\/[0-9a-f-]{36}/g, `users/${ids.member}`)
            .replace(/"45715bb8-13f9-4bf6-927f-ef96c102d394"/, '"6fd2c87f-b296-42f0-b197-1e91e994b900"')
            .replace(/"11b0131d-43c8-4bbb-b2c8-e80f9a50834a"/, '"882e1d05-acd1-4ccb-8708-6ee03664b117"')
            .replace(/"bea13e0c-3828-4daa-a392-28af7ff61a0f"/, '"189a915c-fe4f-4ffa-bde4-85b9628d07a0"')
            .replace(/samanthab@contoso\.com/g, 'adelev@contoso.com')
            .replace(/AdeleV@contoso\.onmicrosoft\.com/g, 'AdeleV2@contoso.onmicrosoft.com');
        return { url, body: JSON.parse(text) as unknown };
    }

    for (const file of examples.filter(f => !awaitingSandboxRoutes.has(f))) {
        it(`${file}: answered with the documented status and shape, request and answer valid against the reference`, async () => {
            const example = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Example;
            if (!ids.directoryRole) {
                const roles = await f.get(`${f.sandbox.graphUrl}/v1.0/directoryRoles`, token);
                ids.directoryRole = (roles.json.value as { id: string; displayName: string }[]).find(r => r.displayName === 'Global Reader')?.id ?? '';
            }
            // The licence example assigns to the signed-in user after removing a SKU they must hold first.
            if (file === 'user-assignlicense.json') {
                const me = [...f.sandbox.state().users.values()].find(u => u.userPrincipalName === 'admin@contoso.com');
                if (me && !me.assignedLicenses.some(l => l.skuId === '189a915c-fe4f-4ffa-bde4-85b9628d07a0')) {
                    const developer = f.sandbox.state().skus.find(s => s.skuPartNumber === 'DEVELOPERPACK');
                    if (developer) developer.prepaidUnits.enabled += 1;
                    me.assignedLicenses.push({ skuId: '189a915c-fe4f-4ffa-bde4-85b9628d07a0', disabledPlans: [] });
                }
            }
            const { url, body } = adapt(example);
            // Microsoft's batch example holds two requests for APIs outside the sandbox and the reference subset
            // (Planner, getPasswordSingleSignOnCredentials); the sandbox answers them with errors on purpose.
            if (file === 'json-batch.json') {
                for (const item of (body as { requests: { url: string; headers?: Record<string, string> }[] }).requests) {
                    if (/planner|getPasswordSingleSignOnCredentials/.test(item.url)) item.headers = { ...item.headers, ...deliberatelyInvalid };
                }
            }
            const relative = url.slice(f.sandbox.graphUrl.length);
            const requestCheck = await validateGraphRequest(example.request.method, relative, body ?? undefined);
            assert.deepEqual(requestCheck.errors, [], `request ${example.request.method} ${relative}`);
            const answer = await f.transport.send({
                method: example.request.method,
                url,
                headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
                ...(body ? { body: JSON.stringify(body) } : {}),
            });
            const text = answer.body.toString('utf8');
            const json = text ? (JSON.parse(text) as unknown) : undefined;
            assert.equal(Math.floor(answer.status / 100), Math.floor(example.response.status / 100), `${file}: ${answer.status} ${text.slice(0, 300)}`);
            const documented = shapeOf(example.response.body);
            const ours = shapeOf(json);
            for (const key of documented.top) assert.ok(ours.top.includes(key), `${file}: property '${key}' is missing from the answer`);
            for (const key of documented.item) assert.ok(ours.item.includes(key), `${file}: property '${key}' is missing from the collection items`);
            const responseCheck = await validateGraphResponse(example.request.method, relative, answer.status, json ?? null);
            assert.deepEqual(responseCheck.errors, [], `${file}: answer does not match the reference`);
        });
    }
});
