import * as assert from 'node:assert/strict';
import { advancedQuery, graphAppSuite, sandboxFixture } from './fixture';
import { advancedQueryViolations, validateGraphResponse } from './graphConformance';
import { deliberatelyInvalid } from './graphRequestChecks';

interface Listed { id: string; displayName?: string; userPrincipalName?: string; mail?: string; accountEnabled?: boolean; '@odata.type'?: string }

/**
 * Graph's advanced-query rules (microsoftgraph/microsoft-graph-docs-contrib concepts/aad-advanced-queries.md): each
 * scenario the page lists is refused without its advanced parameters with Graph's code and text, and answered with
 * them; `$count=true` without the header is ignored. One test per rule.
 */
describe('Sandbox Microsoft Graph: advanced queries (ConsistencyLevel: eventual and $count=true)', function () {
    this.timeout(30_000);
    const { state, groupId, list } = graphAppSuite<Listed>();
    const both = { path: (p: string) => `${p}${p.includes('?') ? '&' : '?'}$count=true`, headers: advancedQuery };

    /**
     * Without any advanced parameter, and with the header but no $count=true: both refused as Graph refuses them.
     * `inReference` is false for paths the repository's Graph reference does not describe (the memberOf casts).
     */
    async function refusedWithout(p: string, code: string, message: string, inReference = true) {
        for (const [what, path, headers] of [['no advanced parameters', p, {}], ['the header but no $count=true', p, advancedQuery]] as const) {
            const answer = await list(path, { ...headers, ...deliberatelyInvalid });
            assert.equal(answer.status, 400, `${what}: ${path} answered ${answer.status}`);
            assert.deepEqual({ code: answer.error?.code, message: answer.error?.message }, { code, message }, what);
            if (inReference) assert.deepEqual((await validateGraphResponse('GET', path, 400, answer.json)).errors, [], 'the error body is Graph\'s shape');
        }
        const ok = await list(both.path(p), both.headers);
        assert.equal(ok.status, 200, `with both: ${JSON.stringify(ok.json).slice(0, 300)}`);
        assert.equal(typeof ok.json['@odata.count'], 'number');
        return ok;
    }

    const reference = 'The specified filter to the reference property query is currently not supported.';

    it('the microsoft.graph.user cast on transitiveMembers needs both (group-list-transitivemembers.md)', async () => {
        const ok = await refusedWithout(`/groups/${groupId('Staff')}/transitiveMembers/microsoft.graph.user?$select=id,mail`, 'Request_UnsupportedQuery', reference);
        assert.ok(ok.value.length > 0 && ok.value.every(u => state().users.has(u.id)), 'users only');
    });

    it('the microsoft.graph.user cast on members needs both (group-list-members.md)', async () => {
        const ok = await refusedWithout(`/groups/${groupId('Staff - Sales EMEA')}/members/microsoft.graph.user`, 'Request_UnsupportedQuery', reference);
        assert.ok(ok.value.every(u => state().users.has(u.id)));
    });

    it('the microsoft.graph.group cast on memberOf and transitiveMemberOf needs both (aad-advanced-queries.md: "OData cast with transitive members list")', async () => {
        const member = state().groups.get(groupId('Staff - Sales EMEA'))?.members.find(m => state().users.has(m)) ?? '';
        for (const relation of ['memberOf', 'transitiveMemberOf']) await refusedWithout(`/users/${member}/${relation}/microsoft.graph.group`, 'Request_UnsupportedQuery', reference, false);
    });

    it('a $filter on a member list needs both (group-list-transitivemembers.md, Request headers)', async () => {
        await refusedWithout(`/groups/${groupId('Staff')}/members?$filter=${encodeURIComponent("startsWith(displayName,'A')")}`, 'Request_UnsupportedQuery', reference);
    });

    it('ne needs both, and then filters', async () => {
        const ok = await refusedWithout(`/users?$filter=${encodeURIComponent('accountEnabled ne true')}&$select=id,accountEnabled`, 'Request_UnsupportedQuery', "Filter operator 'NotEqualsMatch' is not supported.");
        assert.ok(ok.value.every(u => u.accountEnabled === false));
        assert.equal(ok.json['@odata.count'], [...state().users.values()].filter(u => !u.accountEnabled).length);
    });

    it('not needs both, and then filters', async () => {
        const ok = await refusedWithout(`/users?$filter=${encodeURIComponent("not(startsWith(displayName,'A'))")}&$select=id,displayName`, 'Request_UnsupportedQuery', 'Unsupported Query.');
        assert.ok(ok.value.length > 0 && ok.value.every(u => !/^a/i.test(u.displayName ?? '')));
    });

    it('endsWith needs both, with the text the docs show', async () => {
        const ok = await refusedWithout(`/users?$filter=${encodeURIComponent("endsWith(userPrincipalName,'@contoso.com')")}&$select=id,userPrincipalName`, 'Request_UnsupportedQuery',
            "Operator 'endsWith' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information");
        assert.ok(ok.value.length > 0 && ok.value.every(u => u.userPrincipalName?.endsWith('@contoso.com')));
    });

    it('$filter with $orderby needs both (the header alone is not enough)', async () => {
        const ok = await refusedWithout(`/users?$filter=${encodeURIComponent("startsWith(displayName,'A')")}&$orderby=displayName`, 'Request_UnsupportedQuery', 'Sorting not supported for current query.');
        const names = ok.value.map(u => u.displayName ?? '');
        assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)));
    });

    /** Names in the order the reader expects (what the Directory view relies on): no name before one it sorts after. */
    const assertSorted = (names: string[], what: string) => {
        assert.ok(names.length > 1, `${what}: more than one name to compare`);
        assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)), what);
    };

    it('users and groups sort by displayName by default (the sorting table\'s "Default" rows), and their seeds are not already in that order', async () => {
        for (const p of ['/users?$select=id,displayName&$top=999', '/groups?$select=id,displayName&$top=999']) {
            const unsorted = await list(p);
            const names = unsorted.value.map(o => o.displayName ?? '');
            assert.notDeepEqual(names, [...names].sort((a, b) => a.localeCompare(b)), `${p}: the seed is not sorted already, so the test shows the sort`);
            const sorted = await list(`${p}&$orderby=displayName`);
            assert.equal(sorted.status, 200);
            assertSorted(sorted.value.map(o => o.displayName ?? ''), p);
        }
    });

    it('$orderby on a group\'s members needs both (group-list-members.md), and then sorts users and groups together', async () => {
        const ok = await refusedWithout(`/groups/${groupId('Staff')}/members?$select=id,displayName&$orderby=displayName`, 'Request_UnsupportedQuery', 'Sorting not supported for current query.');
        assertSorted(ok.value.map(o => o.displayName ?? ''), 'members');
    });

    it('$search with $orderby needs both (stricter than the docs, A68), and sorts the matches', async () => {
        const p = `/users?$search=${encodeURIComponent('"displayName:a"')}&$select=id,displayName&$orderby=displayName`;
        const headerOnly = await list(p, { ...advancedQuery, ...deliberatelyInvalid });
        assert.equal(headerOnly.status, 400);
        assert.deepEqual({ code: headerOnly.error?.code, message: headerOnly.error?.message }, { code: 'Request_UnsupportedQuery', message: 'Sorting not supported for current query.' });
        const ok = await list(both.path(p), both.headers);
        assert.equal(ok.status, 200);
        assertSorted(ok.value.map(o => o.displayName ?? ''), 'searched users');
    });

    it('$orderby=displayName on applications and createdDateTime on users needs both (the sorting table\'s "Advanced" rows, A68)', () => {
        for (const p of ['/applications?$select=id,displayName&$orderby=displayName', '/users?$select=id,displayName&$orderby=createdDateTime']) {
            const rules = advancedQueryViolations('GET', p, {});
            assert.equal(rules.length, 1, p);
            assert.match(rules[0], /\$orderby on .* needs the ConsistencyLevel: eventual header and \$count=true \(Graph answers 400 Request_UnsupportedQuery "Sorting not supported for current query\."\)/);
            assert.deepEqual(advancedQueryViolations('GET', `${p}&$count=true`, { ConsistencyLevel: 'eventual' }), [], `${p} with both`);
        }
        assert.deepEqual(advancedQueryViolations('GET', '/users?$orderby=userPrincipalName', {}), [], 'userPrincipalName sorts by default');
    });

    it('$search needs the header only; without it Graph\'s text', async () => {
        const p = `/users?$search=${encodeURIComponent('"displayName:adele"')}`;
        const without = await list(p, deliberatelyInvalid);
        assert.equal(without.status, 400);
        assert.deepEqual(without.error && { code: without.error.code, message: without.error.message }, { code: 'Request_UnsupportedQuery', message: "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'" });
        const headerOnly = await list(p, advancedQuery);
        assert.equal(headerOnly.status, 200);
        assert.ok(headerOnly.value.length > 0);
    });

    it('$count=true without the header is ignored: 200, and no @odata.count (aad-advanced-queries.md, "Error handling")', async () => {
        for (const p of ['/users?$count=true&$top=5', '/groups?$count=true', `/groups/${groupId('Staff')}/members?$count=true`]) {
            const answer = await list(p);
            assert.equal(answer.status, 200, `${p}: ${JSON.stringify(answer.json).slice(0, 200)}`);
            assert.equal('@odata.count' in answer.json, false, p);
            const counted = await list(p, advancedQuery);
            assert.equal(typeof counted.json['@odata.count'], 'number', `${p} with the header is counted`);
        }
    });

    it('the /$count segment needs the header only; without it 400 Request_BadRequest "$count is not currently supported."', async () => {
        const without = await list('/users/$count', deliberatelyInvalid);
        assert.equal(without.status, 400);
        assert.deepEqual(without.error && { code: without.error.code, message: without.error.message }, { code: 'Request_BadRequest', message: '$count is not currently supported.' });
        const headerOnly = await list('/users/$count', advancedQuery);
        assert.equal(headerOnly.status, 200);
        assert.equal(headerOnly.json.text, String(state().users.size));
    });

    it('the validator reports the same rules for requests the client sends, and none once the parameters are there', () => {
        const cast = '/groups/g1/transitiveMembers/microsoft.graph.user?$select=id&$top=999';
        assert.equal(advancedQueryViolations('GET', cast, {}).length, 1);
        assert.match(advancedQueryViolations('GET', cast, {})[0], /OData cast needs the ConsistencyLevel: eventual header and \$count=true/);
        assert.deepEqual(advancedQueryViolations('GET', `${cast}&$count=true`, { ConsistencyLevel: 'eventual' }), []);
        assert.deepEqual(advancedQueryViolations('GET', "/users?$filter=displayName eq 'Sam ne Tom'", {}), [], 'ne inside a string is no operator');
        assert.deepEqual(advancedQueryViolations('GET', '/users?$filter=accountEnabled eq false', {}), [], 'eq works by default');
        assert.equal(advancedQueryViolations('GET', '/users?$filter=accountEnabled ne true', { consistencylevel: 'eventual' }).length, 1);
        assert.deepEqual(advancedQueryViolations('GET', '/roleManagement/directory/roleAssignments?$filter=principalId ne \'x\'', {}), [], 'not a directory object list');
        assert.deepEqual(advancedQueryViolations('POST', '/groups/g1/members/$ref', {}), []);
    });
});

describe('Sandbox Microsoft Graph: advanced queries in $batch', function () {
    this.timeout(30_000);

    it('takes ConsistencyLevel from each request\'s JSON, not from the $batch POST (aad-advanced-queries.md note on batch requests)', async () => {
        const f = await sandboxFixture();
        try {
            const token = await f.appToken();
            const cast = `/groups/${[...f.sandbox.state().groups.values()].find(g => g.displayName === 'Staff')?.id ?? ''}/transitiveMembers/microsoft.graph.user?$count=true`;
            const send = (itemHeaders: Record<string, string> | undefined) => f.transport.send({
                method: 'POST', url: `${f.sandbox.graphUrl}/v1.0/$batch`,
                headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', consistencylevel: 'eventual' },
                body: JSON.stringify({ requests: [{ id: '1', method: 'GET', url: cast, ...(itemHeaders ? { headers: itemHeaders } : {}) }] }),
            });
            const status = async (itemHeaders: Record<string, string> | undefined) => (JSON.parse((await send(itemHeaders)).body.toString('utf8')) as { responses: { status: number }[] }).responses[0].status;
            assert.equal(await status({ ...deliberatelyInvalid }), 400, 'the outer header does not reach the request');
            assert.equal(await status({ ConsistencyLevel: 'eventual' }), 200);
        } finally {
            await f.stop();
        }
    });
});
