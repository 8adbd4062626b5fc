import * as assert from 'node:assert/strict';
import { organizationEwsSettings } from '../../../../src/exchange/applicationAccess';
import { ewsBlockedUnlessAllowed, ewsOutlook, ewsTurnedOff, type EwsSettings } from '../../../../src/provisioning/recipes/ewsOutlook';
import { leastPrivilegedInstead } from '../../../../src/provisioning/recipes/leastPrivilegedRoles';
import { planWarnings } from '../../../../src/provisioning/recipes/planWarnings';
import type { Recipe } from '../../../../src/provisioning/recipes/recipe';
import { planRecipe } from '../../../../src/provisioning/recipes/recipePlan';
import { TenantReads } from '../../../../src/provisioning/steps/tenantReads';
import { example, recipeSandbox } from './recipeSandbox';

const unset: EwsSettings = { ewsEnabled: null, ewsApplicationAccessPolicy: null, ewsAllowList: null };
const allowListed: EwsSettings = { ewsEnabled: true, ewsApplicationAccessPolicy: 'EnforceAllowList', ewsAllowList: ['MyTimetable/1.0'] };
const before = new Date(Date.UTC(2026, 8, 15));
const between = new Date(Date.UTC(2026, 11, 1));
const after = new Date(Date.UTC(2027, 5, 1));

describe('Plan warnings (issue 17): true things about a guide\'s design, before apply', () => {
    describe('EWS\'s retirement (MC1227454), read against the tenant\'s own settings', () => {
        it('names the dates and the notice, and offers the app-only template, whatever the tenant set', () => {
            for (const settings of [unset, allowListed, { ...allowListed, ewsEnabled: false }]) {
                for (const now of [before, between]) {
                    const { message } = ewsOutlook(settings, now);
                    assert.match(message, /1 October 2026/);
                    assert.match(message, /1 April 2027/);
                    assert.match(message, /MC1227454/);
                    assert.match(message, /app-only calendar template/);
                }
            }
        });

        it('before 1 October 2026: works today, but an unset tenant stops on that day; an allow-listed app keeps going', () => {
            assert.equal(ewsOutlook(unset, before).worksToday, true);
            assert.match(ewsOutlook(unset, before).message, /stops on 1 October 2026/);
            assert.equal(ewsOutlook(allowListed, before).worksToday, 'allowListed');
            assert.match(ewsOutlook(allowListed, before).message, /"MyTimetable\/1\.0"/, 'names what the allow list holds');
        });

        it('from 1 October 2026: blocked unless EwsEnabled is $true and the app is allow-listed', () => {
            assert.equal(ewsOutlook(unset, ewsBlockedUnlessAllowed).worksToday, false);
            assert.match(ewsOutlook(unset, between).message, /EwsEnabled is not set/);
            assert.equal(ewsOutlook({ ...allowListed, ewsApplicationAccessPolicy: null, ewsAllowList: null }, between).worksToday, false, 'enabled but nothing allow-listed');
            assert.equal(ewsOutlook({ ...allowListed, ewsApplicationAccessPolicy: 'EnforceBlockList' }, between).worksToday, false, 'a block list is not an allow list');
            assert.equal(ewsOutlook(allowListed, between).worksToday, 'allowListed');
            assert.equal(ewsOutlook({ ...allowListed, ewsEnabled: false }, before).worksToday, false, 'switched off by the tenant');
        });

        it('from 1 April 2027: off for good, allow list or not', () => {
            assert.equal(ewsOutlook(allowListed, ewsTurnedOff).worksToday, false);
            assert.match(ewsOutlook(allowListed, after).message, /off for good/);
        });
    });

    describe('against the sandbox tenant', function () {
        this.timeout(60_000);
        const t = recipeSandbox();
        const account = (directoryRoles: string[]): Recipe => ({ name: 'Roles', serviceAccounts: [{ userPrincipalName: 'svc-roles@contoso.com', displayName: 'Roles', usageLocation: 'US', directoryRoles }] });

        it('the classic calendar recipe: the plan warns at its calendar grant with what the tenant\'s EWS settings mean', async () => {
            const recipe = example('calendar-integration.m365recipe.json');
            const plan = await planRecipe(t.deps(), recipe);
            const ews = plan.warnings?.filter(w => w.about === 'ews') ?? [];
            assert.equal(ews.length, 1, JSON.stringify(plan.warnings));
            assert.equal(ews[0].path, '/calendarGrants/0');
            assert.match(ews[0].message, /MC1227454/);

            // The same plan, on a given day, against what the tenant set: unset, then an allow list.
            const on = async (now: Date) => (await planWarnings(new TenantReads(t.graph, t.exo), recipe, plan.steps, { now })).find(w => w.about === 'ews')?.message ?? '';
            assert.match(await on(between), /EwsEnabled is not set in this tenant, so EWS is blocked here since 1 October 2026/);
            t.f.sandbox.state().exchangeOrganizationConfig = { ewsEnabled: true, ewsApplicationAccessPolicy: 'EnforceAllowList', ewsAllowList: ['MyTimetable*'], ewsBlockList: null };
            assert.deepEqual(await organizationEwsSettings(t.exo), { EwsEnabled: true, EwsApplicationAccessPolicy: 'EnforceAllowList', EwsAllowList: ['MyTimetable*'], EwsBlockList: null });
            assert.match(await on(between), /allowed here until 1 April 2027 for allow-listed apps only \(the allow list has "MyTimetable\*"/);
            assert.match(await on(after), /off for good/);
        });

        it('a calendar grant being revoked, and a recipe without one, get no EWS warning', async () => {
            const offboard = await planRecipe(t.deps(), example('offboard-calendar-integration.m365recipe.json'));
            assert.equal(offboard.warnings?.some(w => w.about === 'ews') ?? false, false);
            const reporting = await planRecipe(t.deps(), example('reporting-inventory.m365recipe.json'));
            assert.equal(reporting.warnings?.some(w => w.about === 'ews') ?? false, false);
        });

        it('a user account given a privileged role: the plan says so and names the least-privileged role for the job', async () => {
            const plan = await planRecipe(t.deps(), account(['Helpdesk Administrator', 'Service Support Administrator']));
            const privileged = plan.warnings?.filter(w => w.about === 'privilegedRole') ?? [];
            assert.deepEqual(privileged.map(w => w.path), ['/serviceAccounts/0/directoryRoles/0'], 'Service Support Administrator is not privileged');
            assert.match(privileged[0].message, /svc-roles@contoso\.com is a user account with a password, and Helpdesk Administrator is a role Microsoft marks privileged/);
            assert.match(privileged[0].message, /Service Support Administrator/);
            assert.match(leastPrivilegedInstead('Global Administrator'), /Global Reader/);
            assert.match(leastPrivilegedInstead('global reader'), /Directory Readers/, 'by name, in any case');
        });

        it('security defaults that would block the account\'s sign-in show in the plan, before apply; off, they do not', async () => {
            const recipe = account([]);
            const on = await planRecipe(t.deps(), recipe);
            const signIn = on.warnings?.filter(w => w.about === 'signIn') ?? [];
            assert.ok(signIn.some(w => /Security defaults are on/.test(w.message)), JSON.stringify(on.warnings));
            assert.equal(signIn[0].path, '/serviceAccounts/0');
            assert.match(signIn[0].message, /^svc-roles@contoso\.com signs in with a password/);
            t.f.sandbox.state().organization.securityDefaultsEnabled = false;
            const off = await planRecipe(t.deps(), recipe);
            assert.ok(!(off.warnings ?? []).some(w => /Security defaults/.test(w.message)), JSON.stringify(off.warnings));
        });

        it('the app-only examples have none of these warnings: no account, no password, no EWS', async () => {
            for (const file of ['calendar-integration-app-only.m365recipe.json', 'reporting-inventory-app-only.m365recipe.json']) {
                const plan = await planRecipe(t.deps(), example(file));
                assert.equal(plan.warnings, undefined, `${file}: ${JSON.stringify(plan.warnings)}`);
            }
        });
    });
});
