import * as assert from 'node:assert/strict';
import { deliberatelyInvalid } from './graphRequestChecks';
import { sandboxFixture, type SandboxFixture } from './fixture';
import { validateGraphRequest, validateGraphResponse } from './graphConformance';

describe('Sandbox Microsoft Graph', function () {
    this.timeout(30_000);
    let f: SandboxFixture;
    let app: string;
    let reader: string;
    const graph = (p: string) => `${f.sandbox.graphUrl}/v1.0${p}`;
    const eventual = { consistencylevel: 'eventual' };

    before(async () => {
        f = await sandboxFixture();
        app = await f.appToken();
        reader = await f.delegatedToken('helpdesk@contoso.com', ['User.Read.All']);
    });
    after(() => f.stop());

    /** GETs a path and checks the answer against Microsoft's published description. */
    async function conformingGet(p: string, token = app, headers: Record<string, string> = {}) {
        const answer = await f.get(graph(p), token, headers);
        const check = await validateGraphResponse('GET', p, answer.status, answer.json);
        assert.deepEqual(check.errors, [], `${p} (${check.operationId ?? 'no operation'}) answered ${answer.status} ${JSON.stringify(answer.json).slice(0, 300)}`);
        return answer;
    }

    it('answers every covered read path in the shape Microsoft documents', async () => {
        const admin = [...f.sandbox.state().users.values()].find(u => u.userPrincipalName === 'admin@contoso.com');
        const staff = [...f.sandbox.state().groups.values()].find(g => g.displayName === 'Staff');
        assert.ok(admin && staff);
        for (const p of ['/users', '/users?$top=5&$select=displayName,userPrincipalName', `/users/${admin.id}`, '/users/admin@contoso.com', `/users/${admin.id}/licenseDetails`, '/groups', `/groups/${staff.id}`, `/groups/${staff.id}/members`, `/groups/${staff.id}/transitiveMembers`, '/subscribedSkus', '/organization', '/domains', '/roleManagement/directory/roleDefinitions', '/roleManagement/directory/roleAssignments']) {
            const answer = await conformingGet(p);
            assert.equal(answer.status, 200, p);
        }
        // /me without $select: the user default set only (user-get.md), as /users/{id} (graphDefaultProperties.test.ts).
        const me = await conformingGet('/me', reader);
        assert.deepEqual(Object.keys(me.json).filter(k => !k.startsWith('@odata.')).sort(), ['businessPhones', 'displayName', 'givenName', 'id', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName']);
    });

    it('has a validator that rejects what the reference does not allow (so passing means something)', async () => {
        assert.notDeepEqual((await validateGraphResponse('GET', '/users', 200, { value: 'not a list' })).errors, []);
        assert.notDeepEqual((await validateGraphResponse('GET', '/users', 200, { value: [{ accountEnabled: 'yes' }] })).errors, []);
        assert.notDeepEqual((await validateGraphResponse('GET', '/users/x', 404, { error: { code: 5 } })).errors, []);
    });

    it('validates the requests it is sent, as the reference describes them', async () => {
        assert.deepEqual((await validateGraphRequest('GET', '/v1.0/users?$select=displayName,mail&$top=10', undefined)).errors, []);
        assert.notDeepEqual((await validateGraphRequest('GET', '/v1.0/users?$select=notAProperty', undefined)).errors, []);
    });

    it('pages through all users with opaque skiptokens, each user once', async () => {
        const seen = new Set<string>();
        let next: string | undefined = graph('/users?$top=7&$select=id,userPrincipalName');
        let pages = 0;
        while (next) {
            const { json } = await f.get(next, app);
            for (const u of json.value as { id: string }[]) seen.add(u.id);
            next = json['@odata.nextLink'] as string | undefined;
            if (next) assert.doesNotMatch(new URL(next).searchParams.get('$skiptoken') ?? '', /^\d+$/);
            pages++;
        }
        assert.equal(seen.size, f.sandbox.state().users.size);
        assert.equal(pages, Math.ceil(f.sandbox.state().users.size / 7));
    });

    it('filters with eq, startswith, in, and/or, and any() on assignedLicenses', async () => {
        const it = async (filter: string) => ((await conformingGet(`/users?$filter=${encodeURIComponent(filter)}&$top=999`)).json.value as { userPrincipalName: string; department?: string }[]);
        assert.deepEqual((await it("userPrincipalName eq 'admin@contoso.com'")).map(u => u.userPrincipalName), ['admin@contoso.com']);
        const sales = [...f.sandbox.state().users.values()].filter(u => u.department === 'Sales').length;
        assert.equal((await it("department eq 'Sales'")).length, sales);
        assert.ok((await it("startswith(displayName,'adele')")).every(u => u.userPrincipalName.startsWith('adele')));
        assert.equal((await it("userPrincipalName in ('admin@contoso.com','helpdesk@contoso.com')")).length, 2);
        const developer = await it('assignedLicenses/any(x:x/skuId eq 189a915c-fe4f-4ffa-bde4-85b9628d07a0)');
        assert.equal(developer.length, 1);
        assert.equal((await it("department eq 'Sales' or department eq 'Legal'")).length, sales + [...f.sandbox.state().users.values()].filter(u => u.department === 'Legal').length);
    });

    it('takes 15 values in an `in` filter and refuses 16 (the limit Graph documents), as the role-member reads rely on', async () => {
        const ids = [...f.sandbox.state().users.keys()];
        const filter = (n: number) => `/users?$filter=${encodeURIComponent(`id in (${ids.slice(0, n).map(id => `'${id}'`).join(',')})`)}&$select=id`;
        const fifteen = await conformingGet(filter(15));
        assert.equal(fifteen.status, 200);
        assert.equal((fifteen.json.value as unknown[]).length, 15);
        const sixteen = await conformingGet(filter(16), app, deliberatelyInvalid);
        assert.equal(sixteen.status, 400);
        assert.match(String((sixteen.json.error as { message: string }).message), /Too many child clauses .*: 16\. Max allowed: 15\./);
    });

    it('unescapes doubled quotes in filter strings, and answers bad syntax with Graph\'s 400', async () => {
        const ok = await conformingGet(`/users?$filter=${encodeURIComponent("displayName eq 'O''Brien'")}`);
        assert.equal(ok.status, 200);
        assert.deepEqual(ok.json.value, []);
        const bad = await conformingGet(`/users?$filter=${encodeURIComponent("displayName eq 'unterminated")}`);
        assert.equal(bad.status, 400);
        assert.match(String((bad.json.error as { message: string }).message), /Invalid filter clause/);
    });

    it('$search only with ConsistencyLevel: eventual, and then $count=true counts', async () => {
        const without = await conformingGet(`/users?$search=${encodeURIComponent('"displayName:adele"')}`, app, deliberatelyInvalid);
        assert.equal(without.status, 400);
        assert.equal((without.json.error as { code: string }).code, 'Request_UnsupportedQuery');
        const found = await conformingGet(`/users?$search=${encodeURIComponent('"displayName:adele"')}&$count=true`, app, eventual);
        assert.equal(found.status, 200);
        assert.ok((found.json.value as { displayName: string }[]).every(u => /adele/i.test(u.displayName)));
        assert.equal(found.json['@odata.count'], (found.json.value as unknown[]).length);
    });

    it('refuses $top out of range and $orderby on properties Graph cannot sort', async () => {
        assert.equal((await conformingGet('/users?$top=1000')).status, 400);
        const sorted = await conformingGet('/users?$orderby=displayName&$top=3');
        const names = (sorted.json.value as { displayName: string }[]).map(u => u.displayName);
        assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)));
        assert.equal((await f.get(graph('/users?$orderby=jobTitle'), app)).status, 400);
    });

    it('answers a missing object with 404 Request_ResourceNotFound and request ids', async () => {
        const missing = await conformingGet('/users/00000000-0000-0000-0000-000000000000');
        assert.equal(missing.status, 404);
        const error = missing.json.error as { code: string; innerError: Record<string, string> };
        assert.equal(error.code, 'Request_ResourceNotFound');
        assert.ok(error.innerError['request-id']);
        assert.equal(missing.headers['request-id'], error.innerError['request-id']);
    });

    it('answers 403 Authorization_RequestDenied when the token lacks the permission', async () => {
        const answer = await conformingGet('/subscribedSkus', reader);
        assert.equal(answer.status, 403);
        assert.equal((answer.json.error as { code: string }).code, 'Authorization_RequestDenied');
    });

    it('answers 401 InvalidAuthenticationToken for no token, a bad audience and an expired token', async () => {
        assert.equal((await f.get(graph('/users'))).status, 401);
        const exchangeToken = await f.appToken('exchange');
        const wrongAudience = await f.get(graph('/users'), exchangeToken);
        assert.equal(wrongAudience.status, 401);
        assert.match(JSON.stringify(wrongAudience.json), /Invalid audience/);
        f.sandbox.advanceClock(2 * 3600_000);
        try {
            const expired = await f.get(graph('/users'), app);
            assert.equal(expired.status, 401);
            assert.match(JSON.stringify(expired.json), /expired/);
        } finally {
            f.sandbox.advanceClock(-2 * 3600_000);
        }
    });
});
