import * as assert from 'node:assert/strict';
import { cloudEndpoints } from '../../../src/auth/clouds';
import { freeUnits, groupKind, isPrivilegedRole, licenceName } from '../../../src/graph/adminNames';
import { adminCentreUrl } from '../../../src/shared/adminCentre';

describe('Admin centre links and the names admins use', () => {
    it('opens users, groups and roles in the cloud\'s Entra admin centre, Exchange objects in its Exchange admin centre', () => {
        const id = '6e7b768e-07e2-4810-8459-485f84f8f204';
        assert.equal(adminCentreUrl(cloudEndpoints('Global'), { kind: 'user', id }), `https://entra.microsoft.com/#view/Microsoft_AAD_UsersAndTenants/UserProfileMenuBlade/~/overview/userId/${id}`);
        assert.equal(adminCentreUrl(cloudEndpoints('USGovernment'), { kind: 'group', id }), `https://entra.microsoft.us/#view/Microsoft_AAD_IAM/GroupDetailsMenuBlade/~/Overview/groupId/${id}`);
        assert.match(adminCentreUrl(cloudEndpoints('China'), { kind: 'role', id }), /^https:\/\/portal\.azure\.cn\/.*RoleMembers\/objectId\//);
        assert.equal(adminCentreUrl(cloudEndpoints('Global'), { kind: 'licence', id }), 'https://admin.microsoft.com/#/licenses');
        assert.equal(adminCentreUrl(cloudEndpoints('USGovernmentDoD'), { kind: 'mailbox', id }), 'https://admin.exchange.apps.mil/#/mailboxes');
        assert.equal(adminCentreUrl(cloudEndpoints('Global'), { kind: 'roleGroup', id: 'Organization Management' }), 'https://admin.exchange.microsoft.com/#/adminRoles');
        // An app registration opens by its application (client) id, as the admin centre's own links do.
        assert.equal(adminCentreUrl(cloudEndpoints('Global'), { kind: 'application', id }), `https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/${id}`);
    });

    it('names licences, group kinds and free units as the admin centres do, and flags privileged roles', () => {
        assert.equal(licenceName('ENTERPRISEPACK'), 'Office 365 E3');
        assert.equal(licenceName('SOMETHING_NEW'), 'SOMETHING_NEW');
        assert.equal(groupKind({ groupTypes: ['Unified'], mailEnabled: true, securityEnabled: false }), 'Microsoft 365');
        assert.equal(groupKind({ groupTypes: [], mailEnabled: true, securityEnabled: true }), 'Mail-enabled security');
        assert.equal(groupKind({ groupTypes: [], mailEnabled: false, securityEnabled: true }), 'Security');
        assert.equal(freeUnits({ prepaidUnits: { enabled: 25 }, consumedUnits: 25 }), 0);
        assert.equal(freeUnits({ prepaidUnits: { enabled: 25 }, consumedUnits: 12 }), 13);
        assert.ok(isPrivilegedRole({ templateId: '62e90394-69f5-4237-9190-012177145e10' }), 'Global Administrator');
        assert.ok(!isPrivilegedRole({ templateId: 'f023fd81-a637-4b56-95fd-791ac0226033' }), 'Service Support Administrator');
    });
});
