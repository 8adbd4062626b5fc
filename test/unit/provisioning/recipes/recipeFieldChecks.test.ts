import * as assert from 'node:assert/strict';
import { newDistributionGroup } from '../../../../src/exchange/cmdlets';
import { ExchangeAdminClient } from '../../../../src/exchange/ExchangeAdminClient';
import { GraphClient } from '../../../../src/graph/GraphClient';
import { checkAllFields, checkApplicationName, checkCalendarGroup, checkDirectoryRoles, checkDomain, checkGraphPermissions, checkGroupAddress, checkLicence, checkRoleGroups, checkScopeGroup, checkUserPrincipalNameField } from '../../../../src/provisioning/recipes/recipeFieldChecks';
import { transitiveMembers } from '../../../../sandbox/src/graph/api';
import { sandboxFixture, type SandboxFixture } from '../../../sandbox/fixture';
import { recordingLogger, sandboxClients } from '../../graph/clientFixture';

/** The setup wizard's live checks, against the sandbox tenant (Contoso) through the real clients. */
describe('Recipe field checks against the sandbox tenant', function () {
    this.timeout(60_000);
    let f: SandboxFixture;
    let graph: GraphClient;
    let exchange: ExchangeAdminClient;

    before(async () => {
        f = await sandboxFixture();
        const logger = recordingLogger();
        ({ graph, exchange } = sandboxClients(f, logger));
    });
    after(() => f.stop());

    it('a domain the tenant has not verified is refused, naming the verified ones', async () => {
        const check = await checkDomain(graph, 'fabrikam.com');
        assert.equal(check.ok, false);
        assert.match(check.message, /fabrikam\.com is not a verified domain of this tenant\. Use one of: contoso\.com, contoso\.onmicrosoft\.com/);
        assert.equal((await checkDomain(graph, 'Contoso.com')).ok, true);
        const upn = await checkUserPrincipalNameField(graph, 'svc-new@fabrikam.com');
        assert.equal(upn.ok, false);
        assert.match(upn.message, /fabrikam\.com is not a verified domain/);
    });

    it('a taken user principal name is fine but flagged: the recipe adopts the account', async () => {
        const person = await checkUserPrincipalNameField(graph, 'admin@contoso.com');
        assert.deepEqual([person.ok, person.warning], [true, true]);
        assert.match(person.message, /admin@contoso\.com exists already, not marked as a service account \(Contoso Administrator\): the recipe will adopt it/);
        const service = await checkUserPrincipalNameField(graph, 'svc-backup@contoso.com');
        assert.match(service.message, /exists already, a service account: the recipe will adopt it/);
    });

    it('a free user principal name is fine; a malformed one is refused before asking the tenant', async () => {
        assert.deepEqual(await checkUserPrincipalNameField(graph, ' sa-new-one@contoso.com '), { ok: true, message: 'sa-new-one@contoso.com is free: the recipe will create it.' });
        const before = f.sandbox.stats().graph;
        const bad = await checkUserPrincipalNameField(graph, 'two words@contoso.com');
        assert.equal(bad.ok, false);
        assert.match(bad.message, /may hold only letters, digits/);
        assert.deepEqual(f.sandbox.stats().graph, before, 'no request for a malformed name');
    });

    it('a licence without free units is refused; one with units says how many; unknown plans and SKUs are named', async () => {
        const full = await checkLicence(graph, 'DEVELOPERPACK', 'all');
        assert.equal(full.ok, false);
        assert.match(full.message, /Office 365 E3 Developer \(DEVELOPERPACK\) has no free licence: 1 of 1 are used/);
        const e3 = f.sandbox.state().skus.find(s => s.skuPartNumber === 'ENTERPRISEPACK');
        assert.ok(e3);
        const free = await checkLicence(graph, 'Office 365 E3', ['EXCHANGE_S_ENTERPRISE'], 'sa-new-one@contoso.com');
        assert.equal(free.ok, true);
        assert.equal(free.message, `Office 365 E3 (ENTERPRISEPACK): ${e3.prepaidUnits.enabled - e3.consumedUnits} of ${e3.prepaidUnits.enabled} free; the account gets Exchange Online (Plan 2).`);
        const held = await checkLicence(graph, 'ENTERPRISEPACK', 'all', 'admin@contoso.com');
        assert.match(held.message, /admin@contoso\.com has Office 365 E3 \(ENTERPRISEPACK\) already/);
        const plan = await checkLicence(graph, 'ENTERPRISEPACK', ['EXCHANGE_S_STANDARD']);
        assert.equal(plan.ok, false);
        assert.match(plan.message, /has no service plan "EXCHANGE_S_STANDARD"/);
        const sku = await checkLicence(graph, 'SPE_E5', 'all');
        assert.equal(sku.ok, false);
        assert.match(sku.message, /This tenant has no licence "SPE_E5"/);
    });

    it('a group says how many of its members (nested ones too) have a mailbox', async () => {
        const state = f.sandbox.state();
        const staff = [...state.groups.values()].find(g => g.displayName === 'Staff');
        assert.ok(staff);
        const expected = transitiveMembers(state, staff.id).filter(id => state.users.get(id)?.mail).length;
        assert.ok(expected > 40, `${expected} members with mail`);
        assert.ok(expected < transitiveMembers(state, staff.id).length, 'nested groups are not counted as mailboxes');
        assert.deepEqual(await checkCalendarGroup(graph, 'Staff'), { ok: true, message: `Staff: ${expected} members with a mailbox (nested groups included).` });
    });

    it('an unknown group is refused, saying so', async () => {
        const check = await checkCalendarGroup(graph, 'Teachers');
        assert.equal(check.ok, false);
        assert.match(check.message, /No group is called "Teachers"/);
    });

    it('role and role-group names must exist; a group address must be free or a mail-enabled security group', async () => {
        assert.equal((await checkDirectoryRoles(graph, ['Service Support Administrator', 'global reader'])).ok, true);
        const role = await checkDirectoryRoles(graph, ['Service Support Administrator', 'Reporting Reader']);
        assert.equal(role.ok, false);
        assert.match(role.message, /There is no directory role "Reporting Reader"/);
        assert.equal((await checkRoleGroups(exchange, ['View-Only Organization Management'])).ok, true);
        const roleGroup = await checkRoleGroups(exchange, ['View Only Org Management']);
        assert.equal(roleGroup.ok, false);
        assert.match(roleGroup.message, /There is no Exchange role group "View Only Org Management"/);
        assert.deepEqual(await checkGroupAddress(graph, 'sa-new-secgroup@contoso.com'), { ok: true, message: 'sa-new-secgroup@contoso.com is free: the recipe will create the group.' });
        const person = await checkGroupAddress(graph, 'admin@contoso.com');
        assert.equal(person.ok, false);
        assert.match(person.message, /already the address of Contoso Administrator/);
        const m365 = await checkGroupAddress(graph, 'allcompany@contoso.com');
        assert.equal(m365.ok, false);
        assert.match(m365.message, /"All Company", which is not a mail-enabled security group/);
        assert.equal((await checkGroupAddress(graph, 'group@fabrikam.com')).ok, false);
    });

    it('checks only the parts the values use, and every one of them', async () => {
        const before = f.sandbox.stats().exchange;
        const all = await checkAllFields({ graph, exchange }, { accountName: 'admin', domain: 'contoso.com', directoryRoles: [], exchangeRoleGroups: [], licenceSku: 'DEVELOPERPACK', licencePlans: 'all', groupName: 'G', groupAddress: 'g-secgroup@contoso.com', calendarGroup: 'Nobody' });
        assert.deepEqual(Object.keys(all).sort(), ['accountName', 'calendarGroup', 'domain', 'groupAddress', 'licence']);
        assert.deepEqual(Object.entries(all).filter(([, c]) => !c.ok).map(([k]) => k).sort(), ['calendarGroup', 'licence']);
        assert.deepEqual(f.sandbox.stats().exchange, before, 'no Exchange call without role groups');
    });

    it('a privileged role for the account is a warning naming the least-privileged role for the job; for an app it is only checked', async () => {
        const account = await checkDirectoryRoles(graph, ['Helpdesk Administrator'], { holder: 'account' });
        assert.equal(account.ok, true);
        assert.equal(account.warning, true);
        assert.match(account.message, /Helpdesk Administrator is privileged for an account with a password; least-privileged instead: .*Service Support Administrator/);
        const plain = await checkDirectoryRoles(graph, ['Service Support Administrator'], { holder: 'account' });
        assert.equal(plain.warning, undefined, 'not privileged: no warning');
        const app = await checkDirectoryRoles(graph, ['Global Reader'], { holder: 'app' });
        assert.deepEqual([app.ok, app.warning], [true, undefined], 'an app has no password to steal');
    });

    it('app-only values: no account or domain to check; the app\'s name, its Graph permissions and its roles are checked', async () => {
        const values = { accountName: '', domain: '', directoryRoles: [], exchangeRoleGroups: [], licenceSku: '', licencePlans: 'all' as const, groupName: '', groupAddress: '', calendarGroup: '' };
        const all = await checkAllFields({ graph, exchange }, { ...values, appName: 'Sam360 Reporting', graphPermissions: ['User.Read.All', 'Reports.Read.All'], appDirectoryRoles: ['Global Reader'] });
        assert.deepEqual(Object.keys(all).sort(), ['appDirectoryRoles', 'appName', 'graphPermissions']);
        assert.ok(Object.values(all).every(c => c.ok), JSON.stringify(all));
        // An app's mailbox scope must be a group Exchange lists (mail-enabled): Contoso's Staff is a security group only.
        const staff = await checkAllFields({ graph, exchange }, { ...values, appName: 'Cal', calendarGroup: 'Staff' });
        assert.equal(staff.calendarGroup?.ok, false);
        assert.match(staff.calendarGroup?.message ?? '', /Exchange knows no mail-enabled group "Staff"/);
        assert.match(all.appName?.message ?? '', /No app registration is named Sam360 Reporting: the recipe will register it/);
        const unknown = await checkGraphPermissions(graph, ['User.Read.All', 'Calendars.Everything']);
        assert.equal(unknown.ok, false);
        assert.match(unknown.message, /^Calendars\.Everything: not an application permission of Microsoft Graph/);
        const wide = await checkGraphPermissions(graph, ['Calendars.ReadWrite']);
        assert.deepEqual([wide.ok, wide.warning], [true, true], 'a tenant-wide write permission is a warning pointing at mailbox access limited to a group');
        assert.equal((await checkApplicationName(graph, '  ')).ok, false);
    });

    it('an app\'s mailbox scope is a mail-enabled group Exchange lists; a mailbox or an unknown name is refused', async () => {
        const address = 'scope-check@contoso.com';
        await newDistributionGroup(exchange, { Name: 'Scope Check', PrimarySmtpAddress: address, Type: 'Security' });
        const made = await checkScopeGroup(exchange, address);
        assert.equal(made.ok, true, made.message);
        assert.match(made.message, /^Scope Check: the app may use the mailboxes of its direct members/);
        assert.match((await checkScopeGroup(exchange, 'adelev@contoso.com')).message, /is UserMailbox in Exchange, not a group/);
        assert.equal((await checkScopeGroup(exchange, 'No Such Group')).ok, false);
    });
});
