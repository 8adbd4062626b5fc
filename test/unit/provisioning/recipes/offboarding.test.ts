import * as assert from 'node:assert/strict';
import { parseRecipe, type Recipe } from '../../../../src/provisioning/recipes/recipe';
import { applyRecipe, graphPermissionsFor } from '../../../../src/provisioning/recipes/recipeApply';
import { planRecipe } from '../../../../src/provisioning/recipes/recipePlan';
import { verifyRecipe } from '../../../../src/provisioning/recipes/recipeVerify';
import { serializeTenant } from '../../../../sandbox/src/tenant/persistence';
import type { SandboxFixture } from '../../../sandbox/fixture';
import { example, recipeSandbox } from './recipeSandbox';

/**
 * The whole tenant as text, without what offboarding rightly leaves behind: Entra's Deleted users (30 days,
 * restorable), checked apart, and the sandbox's clock-driven bookkeeping.
 */
function tenantWithoutDeletedUsers(f: { sandbox: SandboxFixture['sandbox'] }): string {
    const state = JSON.parse(serializeTenant(f.sandbox.state())) as Record<string, unknown>;
    delete state.deletedUsers;
    return JSON.stringify(state);
}

describe('Offboarding with a recipe ("ensure": "absent")', function () {
    this.timeout(180_000);
    const t = recipeSandbox();
    const deps = () => t.deps();
    const options = () => t.options();

    for (const [setUp, offboard, accounts] of [
        ['calendar-integration.m365recipe.json', 'offboard-calendar-integration.m365recipe.json', ['sa-mytt-exch@contoso.com']],
        ['reporting-inventory.m365recipe.json', 'offboard-reporting-inventory.m365recipe.json', ['sam360reports@contoso.com']],
    ] as const) {
        it(`${offboard} takes away all that ${setUp} gave: the tenant ends as it was, the account in Deleted users`, async () => {
            const before = tenantWithoutDeletedUsers(t.f);
            const set = await applyRecipe(deps(), example(setUp), options());
            assert.equal(set.failure, undefined, JSON.stringify(set.failure));
            assert.notEqual(tenantWithoutDeletedUsers(t.f), before);

            const recipe = example(offboard);
            const plan = await planRecipe(deps(), recipe);
            assert.equal(plan.applicable, true, JSON.stringify(plan.steps));
            assert.ok(plan.steps.every(s => s.status === 'remove'), JSON.stringify(plan.steps.map(s => [s.id, s.status])));
            const applied = await applyRecipe(deps(), recipe, options());
            assert.equal(applied.failure, undefined, JSON.stringify(applied.failure));
            assert.ok(applied.steps.every(s => s.outcome === 'removed'), JSON.stringify(applied.steps.map(s => [s.id, s.outcome, s.detail])));

            assert.equal(tenantWithoutDeletedUsers(t.f), before, 'everything the set-up gave is gone again');
            const deleted = t.f.sandbox.state().deletedUsers ?? [];
            assert.deepEqual(deleted.map(d => d.user.userPrincipalName).sort(), [...accounts]);
            // Nothing the account held lingers in Deleted users: its licence and roles were taken away before the delete.
            assert.deepEqual(deleted.flatMap(d => d.user.assignedLicenses), []);

            // Offboarded twice: nothing left to do, nothing written.
            const again = await planRecipe(deps(), recipe);
            assert.ok(again.steps.every(s => s.status === 'done'), JSON.stringify(again.steps.map(s => [s.id, s.status])));
            assert.equal((await verifyRecipe(deps(), recipe)).inSync, true);
        });
    }

    it('plans removals in reverse dependency order: calendar access, group member, role group, role, licence, account, then the group', async () => {
        const recipe = parseRecipe(JSON.stringify({
            name: 'Both guides at once',
            serviceAccounts: [{ userPrincipalName: 'svc-both@contoso.com', displayName: 'Both', usageLocation: 'NL', licence: { sku: 'ENTERPRISEPACK', enabledPlans: ['EXCHANGE_S_ENTERPRISE'] }, directoryRoles: ['Service Support Administrator'], exchangeRoleGroups: ['View-Only Organization Management'] }],
            mailEnabledGroups: [{ name: 'Both group', primarySmtpAddress: 'both-group@contoso.com', members: ['svc-both@contoso.com'] }],
            calendarGrants: [{ membersOf: 'Staff', grantee: 'both-group@contoso.com' }],
        })).recipe;
        assert.ok(recipe);
        assert.equal((await applyRecipe(deps(), recipe, options())).failure, undefined);
        const offboard: Recipe = { ...recipe, serviceAccounts: recipe.serviceAccounts.map(a => ({ ...a, ensure: 'absent' })), mailEnabledGroups: (recipe.mailEnabledGroups ?? []).map(g => ({ ...g, ensure: 'absent' })) };
        const plan = await planRecipe(deps(), offboard);
        assert.deepEqual(plan.steps.map(s => [s.kind, s.status]), [
            ['grantCalendarAccess', 'remove'],
            ['addMailGroupMember', 'remove'],
            ['addRoleGroupMember', 'remove'],
            ['assignRole', 'remove'],
            ['assignLicence', 'remove'],
            ['createServiceAccount', 'remove'],
            ['createMailGroup', 'remove'],
        ]);
        // The calendar grant goes with its grantee, though the recipe did not say "absent" on it.
        assert.match(plan.steps[0].detail, /Revoke both-group@contoso\.com's access on the calendars of \d+ members/);
        assert.match(plan.steps[5].detail, /Disable svc-both@contoso\.com .* then delete it/);
        assert.ok(graphPermissionsFor(plan).includes('User.ReadWrite.All'), 'the delete is asked for before the first change');
        const applied = await applyRecipe(deps(), offboard, options());
        assert.equal(applied.failure, undefined, JSON.stringify(applied.failure));
        // No calendar keeps an orphaned entry for the removed group: access was revoked before the group went.
        const orphans = [...t.f.sandbox.state().mailboxes.values()].flatMap(m => m.calendarPermissions).filter(p => !t.f.sandbox.state().users.has(p.principal) && !t.f.sandbox.state().groups.has(p.principal) && p.principal !== 'Default' && p.principal !== 'Anonymous');
        assert.deepEqual(orphans, []);
    });

    it('"exact": extra roles, role groups and group members beyond the recipe are reported by Plan and Verify and removed by Apply', async () => {
        const recipe = parseRecipe(JSON.stringify({
            name: 'Exact',
            serviceAccounts: [{ userPrincipalName: 'svc-exact@contoso.com', displayName: 'Exact', usageLocation: 'US', directoryRoles: ['Service Support Administrator'], exchangeRoleGroups: ['View-Only Organization Management'] }],
            mailEnabledGroups: [{ name: 'Exact group', primarySmtpAddress: 'exact-group@contoso.com', members: ['svc-exact@contoso.com'] }],
        })).recipe;
        assert.ok(recipe);
        assert.equal((await applyRecipe(deps(), recipe, options())).failure, undefined);
        // Someone gives the account more than the recipe says, and puts someone else in its group.
        const user = [...t.f.sandbox.state().users.values()].find(u => u.userPrincipalName === 'svc-exact@contoso.com');
        const reportsReader = t.f.sandbox.state().roleDefinitions.find(r => r.displayName === 'Reports Reader');
        await t.graph.post('/roleManagement/directory/roleAssignments', { '@odata.type': '#microsoft.graph.unifiedRoleAssignment', roleDefinitionId: reportsReader?.id, principalId: user?.id, directoryScopeId: '/' }, { scopes: ['RoleManagement.ReadWrite.Directory'] });
        await t.exo.invoke('Add-RoleGroupMember', { Identity: 'Help Desk', Member: 'svc-exact@contoso.com', BypassSecurityGroupManagerCheck: true });
        await t.exo.invoke('Add-DistributionGroupMember', { Identity: 'exact-group@contoso.com', Member: 'admin@contoso.com', BypassSecurityGroupManagerCheck: true });

        const loose = await planRecipe(deps(), recipe);
        assert.ok(loose.steps.every(s => s.status === 'done'), 'without "exact" the extras are not the recipe\'s business');
        const exact: Recipe = { ...recipe, exact: true };
        const plan = await planRecipe(deps(), exact);
        const extras = plan.steps.filter(s => s.status === 'remove');
        assert.deepEqual(extras.map(s => [s.kind, s.target, s.path]), [
            ['addMailGroupMember', 'admin@contoso.com → exact-group@contoso.com', '/mailEnabledGroups/0'],
            ['addRoleGroupMember', 'svc-exact@contoso.com → Help Desk', '/serviceAccounts/0'],
            ['assignRole', `svc-exact@contoso.com → ${reportsReader?.id ?? ''}`, '/serviceAccounts/0'],
        ]);
        assert.equal((await verifyRecipe(deps(), exact)).inSync, false);
        const applied = await applyRecipe(deps(), exact, options());
        assert.equal(applied.failure, undefined, JSON.stringify(applied.failure));
        assert.equal(applied.changes, 3);
        const after = await planRecipe(deps(), exact);
        assert.ok(after.steps.every(s => s.status === 'done'), JSON.stringify(after.steps.map(s => [s.id, s.status])));
        const s = t.f.sandbox.state();
        assert.ok(!s.roleAssignments.some(a => a.principalId === user?.id && a.roleDefinitionId === reportsReader?.id), 'the extra role is gone');
        assert.ok(s.roleAssignments.some(a => a.principalId === user?.id), 'the recipe\'s own role stays');
    });

    it('"exact" with a calendar grant: the grantee\'s access on a calendar outside the group is found by Verify and revoked by Apply; inside, it stays', async () => {
        const recipe: Recipe = {
            name: 'Exact calendars',
            serviceAccounts: [{ userPrincipalName: 'svc-exact-cal@contoso.com', displayName: 'Exact calendars', usageLocation: 'NL', licence: { sku: 'ENTERPRISEPACK', enabledPlans: ['EXCHANGE_S_ENTERPRISE'] } }],
            mailEnabledGroups: [{ name: 'Exact calendars group', primarySmtpAddress: 'exact-cal-group@contoso.com', members: ['svc-exact-cal@contoso.com'] }],
            calendarGrants: [{ membersOf: 'Staff - Sales EMEA', grantee: 'exact-cal-group@contoso.com', accessRight: 'Editor' }],
            exact: true,
        };
        assert.equal((await applyRecipe(deps(), { ...recipe, exact: false }, options())).failure, undefined);
        // Someone gives the group Editor on a calendar outside Staff - Sales EMEA too.
        const s = t.f.sandbox.state();
        const group = [...s.groups.values()].find(g => g.exchange?.primarySmtpAddress === 'exact-cal-group@contoso.com');
        const emea = [...s.groups.values()].find(g => g.displayName === 'Staff - Sales EMEA');
        const outside = [...s.mailboxes.values()].find(m => !emea?.members.includes(m.userId) && s.users.get(m.userId)?.userPrincipalName !== 'svc-exact-cal@contoso.com');
        assert.ok(group && emea && outside);
        const outsideUpn = s.users.get(outside.userId)?.userPrincipalName ?? '';
        await t.exo.invoke('Add-MailboxFolderPermission', { Identity: `${outsideUpn}:\\${outside.calendarFolderName}`, User: 'exact-cal-group@contoso.com', AccessRights: ['Editor'] });
        const grantsOf = () => [...t.f.sandbox.state().mailboxes.values()].filter(m => m.calendarPermissions.some(p => p.principal === group.id)).map(m => m.userId);
        const insideBefore = grantsOf().filter(id => id !== outside.userId).sort();

        const plan = await planRecipe(deps(), recipe);
        const step = plan.steps.find(x => x.id === '/calendarGrants/0/+outside');
        assert.deepEqual([step?.status, step?.target, step?.path], ['remove', 'exact-cal-group@contoso.com → calendars outside Staff - Sales EMEA', '/calendarGrants/0']);
        const drift = await verifyRecipe(deps(), recipe);
        assert.equal(drift.inSync, false);
        assert.equal(drift.steps.find(x => x.id === '/calendarGrants/0/+outside')?.mailboxes?.differs, 1, 'exactly the one calendar outside the group');
        const applied = await applyRecipe(deps(), recipe, options());
        assert.equal(applied.failure, undefined, JSON.stringify(applied.failure));
        assert.equal(applied.steps.find(x => x.id === '/calendarGrants/0/+outside')?.mailboxes?.revoked, 1);
        assert.ok(!grantsOf().includes(outside.userId), 'the access outside the group is gone');
        assert.deepEqual(grantsOf().sort(), insideBefore, 'the access inside the group stays');
        assert.equal((await verifyRecipe(deps(), recipe)).inSync, true);
    });

    it('survives answers lost after a removal was made: the role and the account are found gone and reported removed', async () => {
        assert.equal((await applyRecipe(deps(), example('reporting-inventory.m365recipe.json'), options())).failure, undefined);
        // The sandbox carries out these removals, then drops the connection before answering.
        t.f.sandbox.loseAnswerOnce('DELETE', /\/roleManagement\/directory\/roleAssignments\//);
        t.f.sandbox.loseAnswerOnce('DELETE', /\/users\//);
        const faults = t.f.sandbox.stats().graph.faults;
        const applied = await applyRecipe(deps(), example('offboard-reporting-inventory.m365recipe.json'), options());
        assert.equal(applied.failure, undefined, JSON.stringify(applied.failure));
        assert.deepEqual(applied.steps.map(s => s.outcome), ['removed', 'removed', 'removed']);
        assert.equal(t.f.sandbox.stats().graph.faults - faults, 2, 'both answers were lost');
        assert.match(applied.steps[1].detail, /earlier try whose answer was lost/);
        assert.deepEqual((t.f.sandbox.state().deletedUsers ?? []).map(d => d.user.userPrincipalName), ['sam360reports@contoso.com'], 'deleted once');
    });

    it('an absent entry that names what the tenant never had is simply done, never blocked', async () => {
        const recipe = parseRecipe(JSON.stringify({
            name: 'Never there',
            serviceAccounts: [{ userPrincipalName: 'nobody@fabrikam.com', displayName: 'Nobody', usageLocation: 'US', licence: { sku: 'NO_SUCH_SKU', enabledPlans: 'all' }, directoryRoles: ['No Such Role'], exchangeRoleGroups: ['No Such Role Group'], ensure: 'absent' }],
            mailEnabledGroups: [{ name: 'Nothing', primarySmtpAddress: 'nothing@contoso.com', ensure: 'absent' }],
        })).recipe;
        assert.ok(recipe);
        const plan = await planRecipe(deps(), recipe);
        assert.deepEqual(plan.steps.map(s => s.status), ['done', 'done', 'done', 'done', 'done']);
    });

    it('never removes a mailbox that has the address an absent group names: blocked, nothing changed', async () => {
        const before = serializeTenant(t.f.sandbox.state());
        const recipe = parseRecipe(JSON.stringify({ name: 'Wrong address', serviceAccounts: [{ userPrincipalName: 'svc-x@contoso.com', displayName: 'X', usageLocation: 'US' }], mailEnabledGroups: [{ name: 'Not a group', primarySmtpAddress: 'admin@contoso.com', ensure: 'absent' }] })).recipe;
        assert.ok(recipe);
        const plan = await planRecipe(deps(), recipe);
        const group = plan.steps.find(s => s.kind === 'createMailGroup');
        assert.equal(group?.status, 'blocked');
        assert.equal(group.path, '/mailEnabledGroups/0/primarySmtpAddress');
        await assert.rejects(applyRecipe(deps(), recipe, options()), /cannot be applied/);
        assert.equal(serializeTenant(t.f.sandbox.state()), before);
    });
});
