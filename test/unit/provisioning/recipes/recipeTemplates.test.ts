import * as assert from 'node:assert/strict';
import { parseRecipe } from '../../../../src/provisioning/recipes/recipe';
import { isAppOnlyTemplate, recipeFileText, recipeFromTemplate, recipeSlug, templateDefaults } from '../../../../src/provisioning/recipes/recipeTemplates';
import { templateIds } from '../../../../src/webviews/setupWizard/protocol';

const parsed = (value: unknown) => {
    const result = parseRecipe(JSON.stringify(value, null, 4));
    assert.deepEqual(result.problems, [], 'parseRecipe accepts it');
    assert.ok(result.recipe);
    return result.recipe;
};

describe('Recipe templates: the wizard\'s starting points', () => {
    it('every template, as it comes, is a recipe parseRecipe accepts', () => {
        for (const template of templateIds) {
            const recipe = parsed(recipeFromTemplate(template, { ...templateDefaults(template, 'contoso.com'), ...(template === 'blank' ? { accountName: 'svc-app', displayName: 'App service account' } : {}) }));
            // The classic templates make one service account; the app-only ones an app registration instead.
            assert.equal(recipe.serviceAccounts.length, isAppOnlyTemplate(template) ? 0 : 1, template);
            assert.equal(recipe.applications?.length ?? 0, isAppOnlyTemplate(template) ? 1 : 0, template);
        }
    });

    it('the calendar template app-only: an app with a certificate, Calendars.ReadWrite limited by RBAC for Applications to a hidden mail-enabled group it makes, no account, no calendar grant', () => {
        const recipe = parsed(JSON.parse(recipeFileText(recipeFromTemplate('calendarAppOnly', { domain: 'contoso.com' }))));
        assert.deepEqual(recipe.serviceAccounts, [], 'no user account (the file leaves the list out)');
        assert.deepEqual(recipe.applications, [{
            displayName: 'MyTimetable Calendar Integration',
            credential: { type: 'certificate', validDays: 365 },
            mailboxAccess: [{ role: 'Application Calendars.ReadWrite', membersOf: 'mytimetable-calendars@contoso.com' }],
        }]);
        // A scope names a mail-enabled group and follows its direct members: the recipe makes one, its members the admin's.
        assert.deepEqual(recipe.mailEnabledGroups, [{ name: 'MyTimetable Calendars', primarySmtpAddress: 'mytimetable-calendars@contoso.com', hiddenFromAddressLists: true }]);
        assert.equal(recipe.calendarGrants, undefined, 'no EWS-style calendar permission for an account');
        assert.match(recipe.description ?? '', /MC1227454/);
    });

    it('the reporting template app-only: read-only Graph permissions, Exchange app-only with Global Reader, no account', () => {
        const recipe = parsed(JSON.parse(recipeFileText(recipeFromTemplate('reportingAppOnly', { domain: 'contoso.com' }))));
        assert.deepEqual(recipe.serviceAccounts, []);
        const [app] = recipe.applications ?? [];
        assert.equal(app.displayName, 'Sam360 Reporting');
        assert.deepEqual(app.credential, { type: 'certificate', validDays: 365 });
        assert.deepEqual(app.graphPermissions, ['User.Read.All', 'Organization.Read.All', 'Reports.Read.All']);
        assert.ok(app.graphPermissions?.every(p => /\.Read\.All$/.test(p)), 'read-only');
        assert.equal(app.exchangeManagement, true);
        assert.deepEqual(app.directoryRoles, ['Global Reader']);
        assert.equal(app.mailboxAccess, undefined);
    });

    it('app-only: takes what the admin changed (a client secret, another group and role, permissions trimmed and deduplicated)', () => {
        const recipe = parsed(recipeFromTemplate('calendarAppOnly', { appName: ' Cal App ', credentialType: 'clientSecret', credentialDays: 30, groupName: '', calendarGroup: ' Sales Calendars ', mailboxRole: 'Application Calendars.Read', graphPermissions: [' User.Read.All', 'User.Read.All '] }));
        assert.deepEqual(recipe.applications, [{ displayName: 'Cal App', credential: { type: 'clientSecret', validDays: 30 }, graphPermissions: ['User.Read.All'], mailboxAccess: [{ role: 'Application Calendars.Read', membersOf: 'Sales Calendars' }] }], 'no group to make: an existing mail-enabled group by name');
        assert.equal(recipe.mailEnabledGroups, undefined);
        const named = parsed(recipeFromTemplate('calendarAppOnly', { domain: 'contoso.com', groupName: 'Cal Users', groupAddress: '' }));
        assert.equal(named.mailEnabledGroups?.[0].primarySmtpAddress, 'cal-users@contoso.com', 'an address from the group\'s name when left empty');
        const none = parsed(recipeFromTemplate('calendarAppOnly', { mailboxRole: '' }));
        assert.equal(none.applications?.[0].mailboxAccess, undefined, 'no mailbox role: no mailbox access');
    });

    it('the file of an app-only recipe leaves "serviceAccounts" out; a classic one keeps it', () => {
        const file = (template: 'reportingAppOnly' | 'reporting') => JSON.parse(recipeFileText(recipeFromTemplate(template, {}))) as { serviceAccounts?: unknown[] };
        assert.equal(file('reportingAppOnly').serviceAccounts, undefined);
        assert.equal(file('reporting').serviceAccounts?.length, 1);
    });

    it('an app-only template with its name emptied is refused by parseRecipe at the application\'s name', () => {
        const { problems } = parseRecipe(recipeFileText(recipeFromTemplate('calendarAppOnly', { appName: '' })));
        assert.deepEqual(problems.map(p => p.path), ['/applications/0/displayName']);
    });

    it('reporting follows the first guide: Service Support Administrator, View-Only Organization Management, no licence', () => {
        const recipe = parsed(recipeFromTemplate('reporting', { domain: 'contoso.onmicrosoft.com' }));
        const [account] = recipe.serviceAccounts;
        assert.equal(account.userPrincipalName, 'Sam360Reports@contoso.onmicrosoft.com');
        assert.deepEqual(account.directoryRoles, ['Service Support Administrator']);
        assert.deepEqual(account.exchangeRoleGroups, ['View-Only Organization Management']);
        assert.equal(account.licence, undefined, 'the guide says the account needs no licence');
        assert.equal(recipe.mailEnabledGroups, undefined);
        assert.equal(recipe.calendarGrants, undefined);
    });

    it('calendar follows the second guide: Exchange-only licence, a hidden mail-enabled group holding the account, Editor for the group', () => {
        const recipe = parsed(recipeFromTemplate('calendar', { domain: 'contoso.com' }));
        const [account] = recipe.serviceAccounts;
        assert.equal(account.userPrincipalName, 'sa-mytt-exch@contoso.com');
        assert.equal(account.displayName, 'MyTimetable Exchange Service Account');
        assert.deepEqual(account.licence, { sku: 'ENTERPRISEPACK', enabledPlans: ['EXCHANGE_S_ENTERPRISE'] });
        assert.deepEqual(recipe.mailEnabledGroups, [{ name: 'Service Accounts MyTimetable Exchange', primarySmtpAddress: 'sa-mytt-exch-secgroup@contoso.com', hiddenFromAddressLists: true, members: ['sa-mytt-exch@contoso.com'] }]);
        assert.deepEqual(recipe.calendarGrants, [{ membersOf: 'Staff', grantee: 'sa-mytt-exch-secgroup@contoso.com', accessRight: 'Editor' }]);
    });

    it('takes what the admin changed: trimmed, the group address following the account name, duplicates dropped', () => {
        const recipe = parsed(recipeFromTemplate('calendar', { accountName: ' sa-cal ', domain: 'contoso.com', usageLocation: 'gb', calendarGroup: 'Staff - Sales', accessRight: 'Reviewer', licencePlans: ['EXCHANGE_S_ENTERPRISE', ' EXCHANGE_S_ENTERPRISE'] }));
        assert.equal(recipe.serviceAccounts[0].userPrincipalName, 'sa-cal@contoso.com');
        assert.equal(recipe.serviceAccounts[0].usageLocation, 'GB');
        assert.deepEqual(recipe.serviceAccounts[0].licence?.enabledPlans, ['EXCHANGE_S_ENTERPRISE']);
        assert.equal(recipe.mailEnabledGroups?.[0].primarySmtpAddress, 'sa-cal-secgroup@contoso.com');
        assert.deepEqual(recipe.calendarGrants, [{ membersOf: 'Staff - Sales', grantee: 'sa-cal-secgroup@contoso.com', accessRight: 'Reviewer' }]);
    });

    it('leaves out what was left empty; without a group, the account itself gets the calendar access', () => {
        const recipe = parsed(recipeFromTemplate('blank', { accountName: 'svc-x', domain: 'contoso.com', displayName: 'X', calendarGroup: 'Staff', licenceSku: 'ENTERPRISEPACK', licencePlans: [] }));
        assert.deepEqual(Object.keys(recipe).sort(), ['calendarGrants', 'name', 'serviceAccounts']);
        assert.deepEqual(recipe.serviceAccounts[0].licence, { sku: 'ENTERPRISEPACK', enabledPlans: 'all' });
        assert.equal(recipe.calendarGrants?.[0].grantee, 'svc-x@contoso.com');
    });

    it('a blank template with nothing filled is refused by parseRecipe, naming the fields', () => {
        const { problems } = parseRecipe(JSON.stringify(recipeFromTemplate('blank', { domain: 'contoso.com' })));
        assert.deepEqual(problems.map(p => p.path).sort(), ['/serviceAccounts/0/displayName', '/serviceAccounts/0/userPrincipalName']);
    });

    it('names the file after the recipe', () => {
        assert.equal(recipeSlug('MyTimetable calendar integration'), 'mytimetable-calendar-integration');
        assert.equal(recipeSlug('  Sam360: reporting & inventory!  '), 'sam360-reporting-inventory');
        assert.equal(recipeSlug('Über Büro'), 'uber-buro');
        assert.equal(recipeSlug('***'), 'service-account');
    });
});
