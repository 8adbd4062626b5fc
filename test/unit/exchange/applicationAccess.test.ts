import * as assert from 'node:assert/strict';
import * as access from '../../../src/exchange/applicationAccess';
import { getRecipient, newDistributionGroup, addDistributionGroupMember } from '../../../src/exchange/cmdlets';
import { ExchangeAdminClient } from '../../../src/exchange/ExchangeAdminClient';
import { ExchangeCommandError } from '../../../src/exchange/ExchangeCommandError';
import { sandboxFixture, type SandboxFixture } from '../../sandbox/fixture';
import { appTokens, recordingLogger, sandboxCloud } from '../graph/clientFixture';

/** The RBAC for Applications cmdlets (src/exchange/applicationAccess.ts), each run against the sandbox's Exchange. */
describe('Typed Exchange cmdlets: RBAC for Applications and the EWS settings', function () {
    this.timeout(60_000);
    let f: SandboxFixture;
    let exo: ExchangeAdminClient;
    before(async () => {
        f = await sandboxFixture();
        const logger = recordingLogger();
        exo = new ExchangeAdminClient({ cloud: sandboxCloud(f), tenantId: f.sandbox.tenantId, tokens: appTokens(f, logger), transport: f.transport, logger });
    });
    after(() => f.stop());

    it('points Exchange at a service principal, scopes a role to a group, tests it for a member and a non-member, and takes it all away', async () => {
        const app = f.sandbox.state().apps.find(a => a.appId === f.sandbox.confidentialClient.clientId);
        assert.ok(app);
        const pointer = await access.newExchangeServicePrincipal(exo, app.appId, app.servicePrincipalId, 'Automation');
        assert.equal(pointer?.AppId, app.appId);
        assert.deepEqual((await access.listExchangeServicePrincipals(exo)).map(p => p.ObjectId), [app.servicePrincipalId]);
        await newDistributionGroup(exo, { Name: 'Scoped', PrimarySmtpAddress: 'scoped@contoso.com', Type: 'Security' });
        await addDistributionGroupMember(exo, 'scoped@contoso.com', 'adelev@contoso.com');
        const dn = (await getRecipient(exo, 'scoped@contoso.com'))?.DistinguishedName;
        assert.ok(dn);
        await access.newManagementScope(exo, 'Scoped members', `MemberOfGroup -eq '${dn}'`);
        assert.deepEqual((await access.listManagementScopes(exo)).map(s => [s.Name, s.RecipientRestrictionFilter]), [['Scoped members', `MemberOfGroup -eq '${dn}'`]]);
        await access.newAppRoleAssignment(exo, app.appId, 'Application Calendars.Read', 'Scoped members', 'Automation calendars');
        assert.deepEqual((await access.roleAssignmentsOf(exo, app.appId)).map(a => [a.Name, a.Role, a.CustomResourceScope, a.RoleAssigneeType]), [['Automation calendars', 'Application Calendars.Read', 'Scoped members', 'ServicePrincipal']]);
        const member = await access.testServicePrincipalAuthorization(exo, app.appId, 'adelev@contoso.com');
        const outsider = await access.testServicePrincipalAuthorization(exo, app.appId, 'admin@contoso.com');
        assert.deepEqual([member.map(access.inScope), outsider.map(access.inScope)], [[true], [false]]);
        // What the Applications folder shows: the role, its scope and the scope's filter, found by the app id.
        assert.deepEqual(await access.mailboxAccessOf(exo, app.appId.toUpperCase()), [{ role: 'Application Calendars.Read', assignment: 'Automation calendars', scope: 'Scoped members', filter: `MemberOfGroup -eq '${dn}'` }]);
        assert.deepEqual(await access.mailboxAccessOf(exo, '00000000-0000-0000-0000-000000000001'), [], 'an app Exchange has no pointer for holds none');
        assert.equal((await access.testServicePrincipalAuthorization(exo, app.appId, undefined))[0].InScope, 'Not Run');
        await access.removeManagementRoleAssignment(exo, 'Automation calendars');
        await access.removeManagementScope(exo, 'Scoped members');
        await access.removeExchangeServicePrincipal(exo, app.appId);
        assert.deepEqual(await access.listExchangeServicePrincipals(exo), []);
        await assert.rejects(access.removeManagementScope(exo, 'Scoped members'), (e: unknown) => e instanceof ExchangeCommandError && e.isNotFound);
    });

    it('reads the organisation\'s EWS settings: never set, all null', async () => {
        assert.deepEqual(await access.organizationEwsSettings(exo), { EwsEnabled: null, EwsApplicationAccessPolicy: null, EwsAllowList: null, EwsBlockList: null });
    });
});
