import * as assert from 'node:assert/strict';
import { advancedQuery, graphAppSuite } from './fixture';
import { deliberatelyInvalid } from './graphRequestChecks';

interface Listed { id: string; displayName?: string; '@odata.type'?: string }

describe('Sandbox Microsoft Graph: memberOf and transitiveMemberOf', function () {
    this.timeout(30_000);
    const { state, groupId, userId, list } = graphAppSuite<Listed>();
    const names = (items: Listed[]) => items.map(i => i.displayName ?? '').sort();

    it('memberOf lists direct groups only; transitiveMemberOf adds the groups that contain them, each once', async () => {
        // A Sales EMEA member: Staff - Sales EMEA sits in Staff - Sales, which sits in Staff.
        const emea = state().groups.get(groupId('Staff - Sales EMEA'));
        const member = emea?.members.find(m => state().users.has(m)) ?? '';
        assert.ok(member, 'the seed puts users in Staff - Sales EMEA');
        const direct = await list(`/users/${member}/memberOf`);
        assert.equal(direct.status, 200);
        assert.ok(names(direct.value).includes('Staff - Sales EMEA'));
        assert.ok(!names(direct.value).includes('Staff - Sales') && !names(direct.value).includes('Staff'), names(direct.value).join(', '));
        const transitive = await list(`/users/${member}/transitiveMemberOf`);
        assert.equal(transitive.status, 200);
        for (const name of ['Staff - Sales EMEA', 'Staff - Sales', 'Staff']) assert.ok(names(transitive.value).includes(name), `${name} in ${names(transitive.value).join(', ')}`);
        assert.equal(new Set(transitive.value.map(g => g.id)).size, transitive.value.length, 'each group once');
        assert.ok(transitive.value.every(g => g['@odata.type'] === '#microsoft.graph.group'));
    });

    it('transitiveMemberOf survives a nesting cycle, listing each group once', async () => {
        const staff = state().groups.get(groupId('Staff'));
        const emea = state().groups.get(groupId('Staff - Sales EMEA'));
        assert.ok(staff && emea);
        const member = emea.members.find(m => state().users.has(m)) ?? '';
        emea.members.push(staff.id);
        try {
            const transitive = await list(`/users/${member}/transitiveMemberOf`);
            assert.equal(transitive.status, 200);
            assert.ok(names(transitive.value).includes('Staff'));
            assert.equal(new Set(transitive.value.map(g => g.id)).size, transitive.value.length);
        } finally {
            emea.members = emea.members.filter(m => m !== staff.id);
        }
    });

    it('both take the /microsoft.graph.group cast, and other casts are refused', async () => {
        const member = state().groups.get(groupId('Staff - Sales EMEA'))?.members.find(m => state().users.has(m)) ?? '';
        for (const relation of ['memberOf', 'transitiveMemberOf']) {
            const plain = await list(`/users/${member}/${relation}`);
            const cast = await list(`/users/${member}/${relation}/microsoft.graph.group?$count=true`, advancedQuery);
            assert.equal(cast.status, 200, JSON.stringify(cast.json));
            assert.match(String(cast.json['@odata.context']), /\$metadata#groups$/);
            assert.deepEqual(cast.value.map(g => g.id).sort(), plain.value.map(g => g.id).sort());
            assert.equal(cast.json['@odata.count'], cast.value.length);
            assert.ok(cast.value.every(g => g['@odata.type'] === undefined), 'the collection is of groups, so no @odata.type');
        }
        const role = await list(`/users/${member}/memberOf/microsoft.graph.directoryRole`, deliberatelyInvalid);
        assert.equal(role.status, 400);
    });

    it('memberOf holds no directoryRole objects, even for a Global Administrator (roles are read through roleManagement)', async () => {
        const admin = userId('admin@contoso.com');
        assert.ok(state().roleAssignments.some(a => a.principalId === admin));
        for (const relation of ['memberOf', 'transitiveMemberOf']) {
            const answer = await list(`/users/${admin}/${relation}`);
            assert.ok(answer.value.length > 0);
            assert.ok(answer.value.every(o => o['@odata.type'] === '#microsoft.graph.group'), relation);
        }
    });
});
