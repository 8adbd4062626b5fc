import * as assert from 'node:assert/strict';
import { deliberatelyInvalid } from './graphRequestChecks';
import { serviceAccountEmployeeType } from '../../sandbox/src/contracts';
import { skuIds } from '../../sandbox/src/tenant/catalogue';
import { advancedQuery, graphAppSuite } from './fixture';
import { validateGraphResponse } from './graphConformance';

interface Listed { id: string; userPrincipalName?: string; employeeType?: string | null; roleDefinitionId?: string }

describe('Sandbox Microsoft Graph: the seeded service account, and filters that need advanced queries', function () {
    this.timeout(30_000);
    const { state, userId, list } = graphAppSuite<Listed>();
    /** GETs a /users query and checks the answer against Microsoft's published description. */
    async function conformingUsers(query: string, headers: Record<string, string> = {}) {
        const answer = await list(`/users?${query}`, headers);
        const check = await validateGraphResponse('GET', `/users?${query}`, answer.status, answer.json);
        assert.deepEqual(check.errors, [], `${query} answered ${answer.status} ${JSON.stringify(answer.json).slice(0, 300)}`);
        return answer;
    }

    it('seeds svc-backup@contoso.com as an unlicensed service account in no group, holding Global Reader', async () => {
        const svc = state().users.get(userId('svc-backup@contoso.com'));
        assert.ok(svc);
        assert.deepEqual([svc.displayName, svc.department, svc.jobTitle, svc.usageLocation, svc.accountEnabled], ['Backup Service', 'IT', 'Service account', 'US', true]);
        assert.deepEqual(svc.assignedLicenses, []);
        assert.equal(state().mailboxes.has(svc.id), false, 'no licence, no mailbox');
        assert.deepEqual((await list(`/users/${svc.id}/transitiveMemberOf`)).value, []);
        const roles = await list(`/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${svc.id}'`)}`);
        assert.deepEqual(roles.value.map(r => r.roleDefinitionId), ['f2ef992c-3afb-46b9-b7cf-a126ee74c451']);
        const shown = await conformingUsers(`$filter=${encodeURIComponent("userPrincipalName eq 'svc-backup@contoso.com'")}&$select=id,employeeType`);
        assert.equal(shown.value[0]?.employeeType, serviceAccountEmployeeType);
    });

    it("finds service accounts by employeeType only in an advanced query, as Graph documents for that property", async () => {
        const query = `$filter=${encodeURIComponent(`employeeType eq '${serviceAccountEmployeeType}'`)}&$select=id,userPrincipalName,employeeType`;
        const found = await conformingUsers(`${query}&$count=true`, advancedQuery);
        assert.equal(found.status, 200);
        assert.deepEqual(found.value.map(u => u.userPrincipalName), ['svc-backup@contoso.com']);
        assert.equal(found.json['@odata.count'], 1);
        for (const [what, q, headers] of [['no advanced parameters', query, {}], ['no $count=true', query, advancedQuery]] as const) {
            const refused = await conformingUsers(q, { ...headers, ...deliberatelyInvalid });
            assert.equal(refused.status, 400, what);
            assert.equal(refused.error?.code, 'Request_UnsupportedQuery', what);
            assert.equal(refused.error?.message, "Unsupported or invalid query filter clause specified for property 'employeeType' of resource 'User'.", what);
        }
    });

    it('filters on assignedLicenses/any(...) by default and in an advanced query alike (eq on assignedLicenses needs no advanced parameters)', async () => {
        const holders = [...state().users.values()].filter(u => u.assignedLicenses.some(l => l.skuId === skuIds.e3)).length;
        const query = `$filter=${encodeURIComponent(`assignedLicenses/any(x:x/skuId eq ${skuIds.e3})`)}&$select=id,assignedLicenses&$top=999`;
        const plain = await conformingUsers(query);
        assert.equal(plain.status, 200);
        assert.equal(plain.value.length, holders);
        const counted = await conformingUsers(`${query}&$count=true`, advancedQuery);
        assert.equal(counted.status, 200);
        assert.equal(counted.json['@odata.count'], holders);
        assert.ok(!counted.value.some(u => u.id === userId('svc-backup@contoso.com')), 'the service account holds no licence');
    });
});
