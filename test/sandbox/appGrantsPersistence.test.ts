import * as assert from 'node:assert/strict';
import { createDefaultTenant } from '../../sandbox/src/tenant/seed';
import { deserializeTenant, serializeTenant } from '../../sandbox/src/tenant/persistence';
import { grantedAppRoles, grantedScopes } from '../../sandbox/src/tenant/applications';

/**
 * State files written before issue 17 kept consent in each app's `consentedScopes` and `appRoles`; they must still load,
 * with that consent turned into records (the one source of tokens' roles and scp), and nothing granted twice.
 */
describe('Sandbox tenant: app consent in old state files', () => {
    const graph = '00000003-0000-0000-c000-000000000000';
    const exchange = '00000002-0000-0ff1-ce00-000000000000';

    function oldStateFile(): string {
        const saved = JSON.parse(serializeTenant(createDefaultTenant())) as Record<string, unknown> & { apps: Record<string, unknown>[] };
        delete saved.servicePrincipals;
        delete saved.appRoleAssignments;
        delete saved.oauth2PermissionGrants;
        for (const app of saved.apps) {
            delete app.id;
            app.consentedScopes = [];
            app.appRoles = [];
        }
        saved.apps[1].appRoles = ['User.Read.All', 'Exchange.ManageAsApp'];
        saved.apps[2].consentedScopes = ['User.Read', 'Exchange.Manage'];
        return JSON.stringify(saved);
    }

    it('turns consentedScopes and appRoles into grants per resource, and drops the old fields', () => {
        const state = deserializeTenant(oldStateFile());
        // Converted on load, before anything asks for a token.
        assert.ok(state.apps.every(a => a.consentedScopes === undefined && a.appRoles === undefined && typeof a.id === 'string'));
        assert.equal(state.appRoleAssignments?.length, 2);
        const [, automation, own] = state.apps;
        assert.deepEqual(grantedAppRoles(state, automation, graph), ['User.Read.All']);
        assert.deepEqual(grantedAppRoles(state, automation, exchange), ['Exchange.ManageAsApp']);
        assert.deepEqual(grantedScopes(state, own, graph), ['User.Read']);
        assert.deepEqual(grantedScopes(state, own, exchange), ['Exchange.Manage']);
        assert.equal(state.servicePrincipals?.find(sp => sp.appId === automation.appId)?.id, automation.servicePrincipalId, 'the SP keeps the id the app named');
    });

    it('loads the same records again from a file it wrote, without doubling them', () => {
        const once = deserializeTenant(oldStateFile());
        const twice = deserializeTenant(serializeTenant(once));
        assert.deepEqual(twice.appRoleAssignments, once.appRoleAssignments);
        assert.deepEqual(twice.oauth2PermissionGrants, once.oauth2PermissionGrants);
        assert.deepEqual(twice.servicePrincipals, once.servicePrincipals);
    });

    it('the seeded automation app holds Exchange.ManageAsApp on Exchange only', () => {
        const state = createDefaultTenant();
        const automation = state.apps[1];
        assert.ok(grantedAppRoles(state, automation, exchange).includes('Exchange.ManageAsApp'));
        assert.ok(!grantedAppRoles(state, automation, graph).includes('Exchange.ManageAsApp'));
        assert.ok(grantedAppRoles(state, automation, graph).includes('User.ReadWrite.All'));
    });
});
