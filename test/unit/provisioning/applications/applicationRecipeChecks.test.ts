import * as assert from 'node:assert/strict';
import { parseRecipe } from '../../../../src/provisioning/recipes/recipe';
import { recipeEntries } from '../../../../src/provisioning/recipes/recipePlan';

const problemsOf = (body: object) => new Map(parseRecipe(JSON.stringify(body)).problems.map(p => [p.path, p.message]));

describe('Recipe files: application entries, checked and listed as steps', () => {
    it('refuses a permission asked for both tenant-wide and limited to a group: the two add up', () => {
        const problems = problemsOf({ name: 'Both', applications: [{ displayName: 'App', graphPermissions: ['Calendars.ReadWrite'], mailboxAccess: [{ role: 'Application Calendars.ReadWrite', membersOf: 'Staff' }] }] });
        assert.match(problems.get('/applications/0/mailboxAccess/0/role') ?? '', /also grants Calendars\.ReadWrite for the whole tenant: the two add up.*Remove Calendars\.ReadWrite from "graphPermissions"/);
    });

    it('refuses an application listed twice and an owner that is no user principal name', () => {
        const problems = problemsOf({ name: 'Twice', applications: [{ displayName: 'App' }, { displayName: ' app ', owners: ['not an upn@'] }] });
        assert.match(problems.get('/applications/1/displayName') ?? '', /already the application at \/applications\/0/);
        assert.ok(problems.has('/applications/1/owners/0'), JSON.stringify([...problems]));
    });

    it('lists an application as steps in dependency order; an absent one in reverse, before the accounts go', () => {
        const { recipe } = parseRecipe(JSON.stringify({
            name: 'Order',
            serviceAccounts: [{ userPrincipalName: 'old@contoso.com', displayName: 'Old', usageLocation: 'US', ensure: 'absent' }],
            applications: [
                { displayName: 'New', credential: { type: 'clientSecret' }, graphPermissions: ['User.Read.All'], exchangeManagement: true, directoryRoles: ['Global Reader'], mailboxAccess: [{ role: 'Application Mail.Read', membersOf: 'Staff' }] },
                { displayName: 'Gone', credential: { type: 'certificate' }, graphPermissions: ['User.Read.All'], ensure: 'absent' },
            ],
        }));
        assert.ok(recipe);
        assert.deepEqual(recipeEntries(recipe).map(e => [e.id, e.step.kind, e.want.ensure ?? 'present']), [
            ['/applications/0', 'registerApplication', 'present'],
            ['/applications/0/credential', 'addAppCredential', 'present'],
            ['/applications/0/graphPermissions/0', 'grantAppPermission', 'present'],
            ['/applications/0/exchangeManagement', 'grantAppPermission', 'present'],
            ['/applications/0/directoryRoles/0', 'assignAppRole', 'present'],
            ['/applications/0/mailboxAccess/0', 'scopeMailboxAccess', 'present'],
            ['/applications/1/graphPermissions/0', 'grantAppPermission', 'absent'],
            ['/applications/1/credential', 'addAppCredential', 'absent'],
            ['/applications/1', 'registerApplication', 'absent'],
            ['/serviceAccounts/0', 'createServiceAccount', 'absent'],
        ]);
        const registration = recipeEntries(recipe)[0].want as { permissions?: unknown };
        assert.deepEqual(registration.permissions, [{ api: 'Microsoft Graph', permission: 'User.Read.All' }, { api: 'Office 365 Exchange Online', permission: 'Exchange.ManageAsApp' }], 'the registration lists what the recipe grants, for the admin centre');
        const credential = recipeEntries(recipe)[1].want as { validDays?: number };
        assert.equal(credential.validDays, 90, 'a secret lasts 90 days unless the recipe says otherwise');
    });
});
