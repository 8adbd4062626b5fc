import * as assert from 'node:assert/strict';
import { ExchangeAdminClient } from '../../../../src/exchange/ExchangeAdminClient';
import { GraphClient } from '../../../../src/graph/GraphClient';
import { runCalendarGrant } from '../../../../src/provisioning/calendar/calendarGrants';
import { resolveRole } from '../../../../src/provisioning/steps/directoryRoles';
import { assignLicence } from '../../../../src/provisioning/steps/licences';
import { createMailEnabledSecurityGroup } from '../../../../src/provisioning/steps/mailGroups';
import { addRoleGroupMember } from '../../../../src/provisioning/steps/roleGroups';
import { createServiceAccount } from '../../../../src/provisioning/steps/serviceAccounts';
import { serializeTenant } from '../../../../sandbox/src/tenant/persistence';
import { sandboxFixture, type SandboxFixture } from '../../../sandbox/fixture';
import { recordingLogger, sandboxClients } from '../../graph/clientFixture';
import { assertNamesFieldAndFix, badInputCases, caseTitle, reportCount, type BadInputCase } from '../badInput.cases';

/**
 * The table through the step functions themselves (what the menus, the wizard and recipes all end in), with the real
 * clients against the sandbox tenant: each refusal names the field and the fix, and the tenant's whole state is the
 * same afterwards. A replication wait, were one started, would end the test by its short timeout, not pass it.
 */
describe('Bad input through the step functions, against the sandbox tenant', function () {
    this.timeout(60_000);
    let f: SandboxFixture;
    let graph: GraphClient;
    let exo: ExchangeAdminClient;
    const logger = recordingLogger();
    const noWait = { sleep: () => Promise.resolve(), timeoutMs: 2_000 };
    let count = 0;

    before(async () => {
        f = await sandboxFixture();
        ({ graph: graph, exchange: exo } = sandboxClients(f, logger));
    });
    after(async () => {
        reportCount('step functions', count);
        await f.stop();
    });

    const staff = () => [...f.sandbox.state().groups.values()].find(g => g.displayName === 'Staff')?.id ?? '';
    const s = (v: string | string[]) => (typeof v === 'string' ? v : v.join());

    /** The step that takes the row's field, every other value good. */
    function step(c: BadInputCase): Promise<unknown> {
        const v = c.value;
        switch (c.field) {
            case 'userPrincipalName':
            case 'displayName':
            case 'usageLocation':
                return createServiceAccount(graph, { displayName: 'Bad input probe', userPrincipalName: 'svc-bad-input@contoso.com', usageLocation: 'US', [c.field]: s(v) });
            case 'groupName':
                return createMailEnabledSecurityGroup(exo, { name: s(v), primarySmtpAddress: 'bad-input-probe@contoso.com' });
            case 'groupAddress':
                return createMailEnabledSecurityGroup(exo, { name: 'Bad input probe group', primarySmtpAddress: s(v) });
            case 'sender':
                return createMailEnabledSecurityGroup(exo, { name: 'Bad input probe group', primarySmtpAddress: 'bad-input-probe@contoso.com', acceptMessagesOnlyFrom: [s(v)] });
            case 'roleName':
                return resolveRole(graph, s(v));
            case 'roleGroupName':
                return addRoleGroupMember(exo, s(v), 'admin@contoso.com', noWait);
            case 'member':
                return addRoleGroupMember(exo, 'View-Only Organization Management', s(v), noWait);
            case 'licence':
                return assignLicence(graph, { userId: 'helpdesk@contoso.com', sku: s(v), plans: 'all' });
            case 'plans':
                return assignLicence(graph, { userId: 'helpdesk@contoso.com', sku: 'ENTERPRISEPACK', plans: Array.isArray(v) ? v : [v] });
            case 'grantee':
                return runCalendarGrant({ graph, exchange: exo, logger }, { mode: 'grant', groupId: staff(), groupName: 'Staff', grantee: s(v), accessRight: 'Editor' });
            case 'accessRight':
                return runCalendarGrant({ graph, exchange: exo, logger }, { mode: 'grant', groupId: staff(), groupName: 'Staff', grantee: 'admin@contoso.com', accessRight: s(v) as 'Editor' });
        }
    }

    for (const c of badInputCases) {
        it(caseTitle(c), async () => {
            const before = serializeTenant(f.sandbox.state());
            await assert.rejects(step(c), (e: Error) => {
                assert.match(e.name, /InputError$/, `refused as bad input, not as a failure: ${e.name}: ${e.message}`);
                assertNamesFieldAndFix(c, e.message);
                return true;
            });
            assert.equal(serializeTenant(f.sandbox.state()), before, 'the tenant is unchanged');
            count++;
        });
    }
});
