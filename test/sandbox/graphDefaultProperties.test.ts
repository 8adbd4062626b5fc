import * as assert from 'node:assert/strict';
import { advancedQuery, graphAppSuite } from './fixture';

type Item = Record<string, unknown>;

/**
 * Graph answers without `$select` with the type's default properties only, and in a mixed collection each item
 * carries only what its own type has. Sources: microsoftgraph/microsoft-graph-docs-contrib
 * api-reference/v1.0/api/user-get.md and user-list.md (the user default set), resources/group.md ("Returned by
 * default"), user-post-users.md (the created user's answer).
 */
describe('Sandbox Microsoft Graph: default properties and type-correct items', function () {
    this.timeout(30_000);
    const { groupId, userId, list } = graphAppSuite<Item>();
    const userDefaults = ['businessPhones', 'displayName', 'givenName', 'id', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName'];
    const keys = (item: Item) => Object.keys(item).filter(k => !k.startsWith('@odata.')).sort();
    const userOnly = ['userPrincipalName', 'accountEnabled', 'assignedLicenses', 'employeeType', 'userType', 'jobTitle', 'givenName'];

    it('a user read without $select (/users/{id}, by UPN, and the list) has the default set only', async () => {
        const admin = userId('admin@contoso.com');
        for (const path of [`/users/${admin}`, '/users/admin@contoso.com']) {
            const answer = await list(path);
            assert.equal(answer.status, 200, path);
            assert.deepEqual(keys(answer.json), userDefaults, path);
        }
        const users = await list('/users?$top=5');
        assert.ok(users.value.length > 0);
        for (const user of users.value) assert.deepEqual(keys(user), userDefaults);
    });

    it('$select returns what is selected and nothing more: no id unless asked for', async () => {
        const admin = userId('admin@contoso.com');
        const one = await list(`/users/${admin}?$select=displayName,accountEnabled`);
        assert.deepEqual(keys(one.json), ['accountEnabled', 'displayName']);
        const page = await list('/users?$top=3&$select=userPrincipalName');
        for (const user of page.value) assert.deepEqual(keys(user), ['userPrincipalName']);
    });

    it('in a group\'s members, a group item has no user-only property, not even as null, and keeps its @odata.type', async () => {
        const sales = groupId('Staff - Sales');
        const selected = await list(`/groups/${sales}/members?$select=id,displayName,userPrincipalName,accountEnabled,mailEnabled`);
        assert.equal(selected.status, 200);
        const group = selected.value.find(i => i['@odata.type'] === '#microsoft.graph.group');
        const user = selected.value.find(i => i['@odata.type'] === '#microsoft.graph.user');
        assert.ok(group && user, 'Staff - Sales holds users and a nested group');
        assert.deepEqual(keys(group), ['displayName', 'id', 'mailEnabled']);
        assert.deepEqual(keys(user), ['accountEnabled', 'displayName', 'id', 'userPrincipalName']);
        const plain = await list(`/groups/${sales}/members`);
        for (const item of plain.value) {
            if (item['@odata.type'] === '#microsoft.graph.user') assert.deepEqual(keys(item), userDefaults);
            else for (const name of userOnly) assert.ok(!(name in item), `${String(item.displayName)} has no ${name}`);
        }
    });

    it('transitiveMembers, its user cast, and a user\'s memberOf carry each type\'s default set only', async () => {
        const staff = groupId('Staff');
        const everyone = await list(`/groups/${staff}/transitiveMembers?$top=999`);
        assert.ok(everyone.value.some(i => i['@odata.type'] === '#microsoft.graph.group'));
        for (const item of everyone.value) {
            if (item['@odata.type'] === '#microsoft.graph.user') assert.deepEqual(keys(item), userDefaults);
            else for (const name of userOnly) assert.ok(!(name in item), `${String(item.displayName)} has no ${name}`);
        }
        const users = await list(`/groups/${staff}/transitiveMembers/microsoft.graph.user?$count=true&$top=999`, advancedQuery);
        assert.equal(users.status, 200);
        assert.ok(users.value.length > 0);
        for (const item of users.value) assert.deepEqual(keys(item), userDefaults);
        const groups = await list(`/users/${userId('admin@contoso.com')}/memberOf`);
        for (const item of groups.value) for (const name of userOnly) assert.ok(!(name in item), `${String(item.displayName)} has no ${name}`);
    });

    it('a role assignment\'s expanded principal is the default view of its type: no accountEnabled or licences', async () => {
        const answer = await list('/roleManagement/directory/roleAssignments?$expand=principal');
        assert.equal(answer.status, 200);
        const principals = answer.value.map(a => a.principal as Item | null).filter((p): p is Item => p?.['@odata.type'] === '#microsoft.graph.user');
        assert.ok(principals.length > 0);
        for (const principal of principals) assert.deepEqual(keys(principal), userDefaults);
    });
});
