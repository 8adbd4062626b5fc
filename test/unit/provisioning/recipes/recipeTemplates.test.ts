import * as assert from 'node:assert/strict';
import { parseRecipe } from '../../../../src/provisioning/recipes/recipe';
import { recipeFromTemplate, recipeSlug, templateDefaults } from '../../../../src/provisioning/recipes/recipeTemplates';
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
            assert.equal(recipe.serviceAccounts.length, 1, template);
        }
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
