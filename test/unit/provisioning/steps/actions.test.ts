import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExchangeAdminClient } from '../../../../src/exchange/ExchangeAdminClient';
import { GraphClient } from '../../../../src/graph/GraphClient';
import { GraphRequestError } from '../../../../src/graph/GraphRequestError';
import { AuditLog } from '../../../../src/audit/auditLog';
import { assignDirectoryRole, removeDirectoryRole, resolveRole } from '../../../../src/provisioning/steps/directoryRoles';
import { AmbiguousNameError, ProvisioningInputError } from '../../../../src/provisioning/errors';
import { assignLicence, removeLicence } from '../../../../src/provisioning/steps/licences';
import { resolveGroup, resolveUser } from '../../../../src/provisioning/steps/lookup';
import { addMailGroupMember, createMailEnabledSecurityGroup, removeMailGroupMember } from '../../../../src/provisioning/steps/mailGroups';
import { generatePassword, meetsEntraComplexity } from '../../../../src/provisioning/steps/passwords';
import { addRoleGroupMember, removeRoleGroupMember } from '../../../../src/provisioning/steps/roleGroups';
import { createServiceAccount, resetServiceAccountPassword, signInBlockers } from '../../../../src/provisioning/steps/serviceAccounts';
import type { TokenProvider } from '../../../../src/auth/TokenProvider';
import { sandboxFixture, type SandboxFixture } from '../../../sandbox/fixture';
import { recordingLogger, sandboxClients, sandboxCloud } from '../../graph/clientFixture';

const serviceSupportAdministrator = 'f023fd81-a637-4b56-95fd-791ac0226033';

/** Every provisioning step of both guides through the real clients and msal, against the sandbox tenant. */
describe('Provisioning actions against the sandbox tenant', function () {
    this.timeout(60_000);
    let f: SandboxFixture;
    let graph: GraphClient;
    let exo: ExchangeAdminClient;
    const logger = recordingLogger();
    const noWait = { sleep: () => Promise.resolve() };
    /** What a change could touch, to show that refused input changed nothing. */
    const snapshot = () => {
        const s = f.sandbox.state();
        return JSON.stringify({ users: s.users.size, groups: s.groups.size, roles: s.roleAssignments.length, licences: [...s.users.values()].map(u => u.assignedLicenses.length + (u.usageLocation ?? '')).join(), skus: s.skus.map(k => k.consumedUnits) });
    };
    async function refused(work: () => Promise<unknown>, message: RegExp, field?: string): Promise<void> {
        const before = snapshot();
        await assert.rejects(work, (e: Error) => {
            assert.ok(e instanceof ProvisioningInputError, `${e.name}: ${e.message}`);
            assert.match(e.message, message);
            if (field) assert.equal(e.field, field);
            return true;
        });
        assert.equal(snapshot(), before, 'nothing changed in the tenant');
    }

    before(async () => {
        f = await sandboxFixture();
        ({ graph: graph, exchange: exo } = sandboxClients(f, logger));
    });
    after(() => f.stop());

    describe('the steps, done right and idempotent', () => {
        let account: { id: string; upn: string };

        it('creates a service account as the guides ask: marked, password never expires, no forced change, password never logged', async () => {
            const created = await createServiceAccount(graph, { displayName: 'MyTimetable Exchange Service Account', userPrincipalName: 'sa-mytt-exch@contoso.com', usageLocation: 'nl' });
            account = { id: created.user.id ?? '', upn: 'sa-mytt-exch@contoso.com' };
            const stored = f.sandbox.state().users.get(account.id);
            assert.equal(stored?.extensionAttributes?.employeeType, 'ServiceAccount');
            assert.equal(stored?.passwordPolicies, 'DisablePasswordExpiration');
            assert.equal(stored?.usageLocation, 'NL');
            assert.ok(created.password.length >= 20 && meetsEntraComplexity(created.password));
            assert.ok(!logger.lines.some(l => l.includes(created.password)), 'the password is not in the log');
            const again = await resetServiceAccountPassword(graph, account.id);
            assert.notEqual(again, created.password);
            assert.ok(!logger.lines.some(l => l.includes(again)));
        });

        it('warns that security defaults would block a sign-in without MFA', async () => {
            const warnings = await signInBlockers(graph);
            assert.match(warnings.join('\n'), /Security defaults are on/);
        });

        it('assigns a directory role once, then reports it in place; removes it', async () => {
            assert.equal(await assignDirectoryRole(graph, account.id, serviceSupportAdministrator, noWait), 'assigned');
            assert.equal(await assignDirectoryRole(graph, account.id, serviceSupportAdministrator, noWait), 'alreadyAssigned');
            assert.equal(f.sandbox.state().roleAssignments.filter(a => a.principalId === account.id).length, 1);
            assert.equal(await removeDirectoryRole(graph, account.id, serviceSupportAdministrator), 'removed');
            assert.equal(await removeDirectoryRole(graph, account.id, serviceSupportAdministrator), 'notAssigned');
        });

        it('waits for role management to see a just-created account', async () => {
            f.sandbox.setKnobs({ replicationLagMs: 3000 });
            try {
                const fresh = await createServiceAccount(graph, { displayName: 'Fresh', userPrincipalName: 'svc-fresh@contoso.com', usageLocation: 'US' });
                const waits: string[] = [];
                assert.equal(await assignDirectoryRole(graph, fresh.user.id ?? '', serviceSupportAdministrator, { onWait: m => waits.push(m) }), 'assigned');
                assert.ok(waits.length >= 1 && /Waiting for role management/.test(waits[0]), waits.join('\n'));
            } finally {
                f.sandbox.setKnobs({ replicationLagMs: 0 });
            }
        });

        it('assigns a licence with only the Exchange plan, merges plans on a second assignment, and removes it', async () => {
            const result = await assignLicence(graph, { userId: account.id, sku: 'ENTERPRISEPACK', plans: ['EXCHANGE_S_ENTERPRISE'] });
            assert.equal(result.outcome, 'assigned');
            const e3 = f.sandbox.state().skus.find(s => s.skuPartNumber === 'ENTERPRISEPACK');
            const exchangePlan = e3?.servicePlans.find(p => p.servicePlanName === 'EXCHANGE_S_ENTERPRISE')?.servicePlanId;
            const licence = f.sandbox.state().users.get(account.id)?.assignedLicenses[0];
            assert.equal(licence?.disabledPlans.length, (e3?.servicePlans.length ?? 0) - 1);
            assert.ok(!licence?.disabledPlans.includes(exchangePlan ?? ''));
            assert.equal((await assignLicence(graph, { userId: account.id, sku: 'Office 365 E3', plans: ['EXCHANGE_S_ENTERPRISE'] })).outcome, 'alreadyInPlace');
            const merged = await assignLicence(graph, { userId: account.id, sku: 'ENTERPRISEPACK', plans: ['SHAREPOINTENTERPRISE'] });
            assert.equal(merged.outcome, 'updated');
            assert.equal(merged.disabledPlans.length, (e3?.servicePlans.length ?? 0) - 2, 'Exchange stays on beside SharePoint');
            assert.equal(await removeLicence(graph, account.id, 'ENTERPRISEPACK'), 'removed');
            assert.equal(await removeLicence(graph, account.id, 'ENTERPRISEPACK'), 'notAssigned');
        });

        it('sets a missing usage location when one is given, then assigns', async () => {
            const user = [...f.sandbox.state().users.values()].find(u => !u.usageLocation && u.accountEnabled && u.assignedLicenses.length === 0 && u.givenName);
            assert.ok(user, 'the demo tenant has a user without usage location');
            const result = await assignLicence(graph, { userId: user.id, sku: 'ENTERPRISEPACK', plans: 'all', usageLocation: 'de' });
            assert.deepEqual([result.outcome, result.usageLocationSet], ['assigned', 'DE']);
            assert.equal(f.sandbox.state().users.get(user.id)?.usageLocation, 'DE');
        });

        it('adds to an Exchange role group once, then reports membership; removes', async () => {
            await assignLicence(graph, { userId: account.id, sku: 'ENTERPRISEPACK', plans: ['EXCHANGE_S_ENTERPRISE'] });
            assert.equal(await addRoleGroupMember(exo, 'View-Only Organization Management', account.upn, noWait), 'added');
            assert.equal(await addRoleGroupMember(exo, 'View-Only Organization Management', account.upn, noWait), 'alreadyMember');
            assert.equal(await removeRoleGroupMember(exo, 'View-Only Organization Management', account.upn), 'removed');
            assert.equal(await removeRoleGroupMember(exo, 'View-Only Organization Management', account.upn), 'notMember');
        });

        it('creates the guide\'s mail-enabled security group (closed, hidden, accepting mail only from the admin), idempotently, and manages members', async () => {
            const input = { name: 'Service Accounts MyTimetable Exchange', displayName: 'MyTimetable', primarySmtpAddress: 'sa-mytt-exch-secgroup@contoso.com', hiddenFromAddressLists: true, acceptMessagesOnlyFrom: ['admin@contoso.com'] };
            const created = await createMailEnabledSecurityGroup(exo, input);
            assert.equal(created.outcome, 'created');
            assert.equal(created.group.MemberJoinRestriction, 'Closed');
            assert.equal(created.group.MemberDepartRestriction, 'Closed');
            assert.equal(created.group.HiddenFromAddressListsEnabled, true);
            assert.equal((await createMailEnabledSecurityGroup(exo, input)).outcome, 'alreadyExists');
            assert.equal(await addMailGroupMember(exo, input.primarySmtpAddress, account.upn, noWait), 'added');
            assert.equal(await addMailGroupMember(exo, input.primarySmtpAddress, account.upn, noWait), 'alreadyMember');
            assert.equal(await removeMailGroupMember(exo, input.primarySmtpAddress, account.upn), 'removed');
            assert.equal(await removeMailGroupMember(exo, input.primarySmtpAddress, account.upn), 'notMember');
        });
    });

    describe('bad input: a clear message, and nothing changed', () => {
        const account = (upn: string, extra: Partial<{ displayName: string; usageLocation: string }> = {}) => createServiceAccount(graph, { displayName: 'Svc', userPrincipalName: upn, usageLocation: 'US', ...extra });

        it('1. a UPN with a space', () => refused(() => account('svc reporting@contoso.com'), /may hold only letters, digits/, 'userPrincipalName'));
        it('2. a UPN with two @', () => refused(() => account('svc@reporting@contoso.com'), /exactly one @/, 'userPrincipalName'));
        it('3. a UPN without a domain', () => refused(() => account('svc-reporting@'), /is not a domain name/, 'userPrincipalName'));
        it('4. a UPN starting with a dot', () => refused(() => account('.svc@contoso.com'), /cannot start or end with a dot/));
        it('5. an unverified domain, naming the verified ones', () => refused(() => account('svc@fabrikam.com'), /fabrikam\.com is not a verified domain.*contoso\.com/, 'userPrincipalName'));
        it('6. a UPN that is taken', () => refused(() => account('admin@contoso.com'), /admin@contoso\.com is already taken/, 'userPrincipalName'));
        it('7. no display name', () => refused(() => account('svc-x@contoso.com', { displayName: '  ' }), /Enter a display name/, 'displayName'));
        it('8. a usage location that is not a country code', () => refused(() => account('svc-y@contoso.com', { usageLocation: 'USA' }), /usage location "USA" is not an ISO 3166-1 country code: use US/, 'usageLocation'));
        it('9. an unknown directory role, with close names suggested', () => refused(() => resolveRole(graph, 'Service Support Admin'), /no directory role "Service Support Admin".*Service Support Administrator/, 'role'));
        it('10. a licence the tenant does not have', () => refused(() => assignLicence(graph, { userId: 'admin@contoso.com', sku: 'SPE_E5', plans: 'all' }), /no licence "SPE_E5".*ENTERPRISEPACK/, 'licence'));
        it('11. a service plan the licence does not have', () => refused(() => assignLicence(graph, { userId: 'helpdesk@contoso.com', sku: 'ENTERPRISEPACK', plans: ['TEAMS1'] }), /no service plan "TEAMS1"/, 'plans'));
        it('12. a licence without free units', () => refused(() => assignLicence(graph, { userId: 'helpdesk@contoso.com', sku: 'DEVELOPERPACK', plans: 'all' }), /has no free licence: 1 of 1 are used/, 'licence'));
        it('13. a user without usage location, none given', async () => {
            const user = [...f.sandbox.state().users.values()].find(u => !u.usageLocation && u.assignedLicenses.length === 0 && u.givenName && u.accountEnabled);
            await refused(() => assignLicence(graph, { userId: user?.id ?? '', sku: 'ENTERPRISEPACK', plans: 'all' }), /has no usage location, which a licence needs/, 'usageLocation');
        });
        it('14. a mail-enabled group address already in use', () => refused(() => createMailEnabledSecurityGroup(exo, { name: 'Clash', primarySmtpAddress: 'admin@contoso.com' }), /admin@contoso\.com is already used by Contoso Administrator/, 'primarySmtpAddress'));
        it('15. a group alias with spaces', () => refused(() => createMailEnabledSecurityGroup(exo, { name: 'Bad', primarySmtpAddress: 'bad alias@contoso.com' }), /alias "bad alias" is not valid/, 'primarySmtpAddress'));
        it('16. an unknown Exchange role group, naming those that exist', () => refused(() => addRoleGroupMember(exo, 'View Only Org Management', 'admin@contoso.com', noWait), /no Exchange role group "View Only Org Management".*View-Only Organization Management/, 'roleGroup'));
        it('17. quotes and OData syntax typed as a name find nobody instead of breaking the filter', async () => {
            await refused(() => resolveUser(graph, "O'Brien' or displayName eq 'Contoso Administrator"), /No user is called/);
            await refused(() => resolveGroup(graph, "Staff' or startswith(displayName,'S')"), /No group is called/);
        });
        it('18. an unknown UPN', () => refused(() => resolveUser(graph, 'nobody@contoso.com'), /no user nobody@contoso\.com/));
        it('19. a name that matches several users: all of them are returned to choose from, none is guessed', async () => {
            await graph.post('/users', { accountEnabled: true, displayName: 'Sam Taylor', mailNickname: 'samt1', userPrincipalName: 'samt1@contoso.com', passwordProfile: { password: generatePassword(), forceChangePasswordNextSignIn: false } }, { scopes: ['User.ReadWrite.All'] });
            await graph.post('/users', { accountEnabled: true, displayName: 'Sam Taylor', mailNickname: 'samt2', userPrincipalName: 'samt2@contoso.com', passwordProfile: { password: generatePassword(), forceChangePasswordNextSignIn: false } }, { scopes: ['User.ReadWrite.All'] });
            await assert.rejects(resolveUser(graph, 'Sam Taylor'), (e: AmbiguousNameError<{ userPrincipalName: string }>) => {
                assert.ok(e instanceof AmbiguousNameError);
                assert.deepEqual(e.candidates.map(c => c.userPrincipalName).sort(), ['samt1@contoso.com', 'samt2@contoso.com']);
                return true;
            });
        });
        it('20. an admin whose role only reads (Global Reader) is refused by the tenant with 403, and nothing is created', async () => {
            // An admin consented for the organisation earlier, so the reader's sign-in gets the write permission; the
            // reader's directory role is what Graph refuses.
            await f.delegatedToken('admin@contoso.com', ['User.ReadWrite.All', 'Policy.Read.All', 'User.Read.All', 'Domain.Read.All']);
            const reader: TokenProvider = { getAccessToken: r => f.delegatedToken('helpdesk@contoso.com', [...r.scopes]) };
            const readerGraph = new GraphClient({ cloud: sandboxCloud(f), tokens: reader, transport: f.transport, logger });
            const before = f.sandbox.state().users.size;
            await assert.rejects(createServiceAccount(readerGraph, { displayName: 'Nope', userPrincipalName: 'svc-nope@contoso.com', usageLocation: 'US' }), (e: GraphRequestError) => e instanceof GraphRequestError && e.isInsufficientPrivileges);
            assert.equal(f.sandbox.state().users.size, before);
        });
        it('21. a generated password meets Entra\'s rules every time and is never repeated', () => {
            const seen = new Set<string>();
            for (let i = 0; i < 2000; i++) {
                const p = generatePassword();
                assert.ok(p.length >= 20 && /[A-Z]/.test(p) && /[a-z]/.test(p) && /\d/.test(p) && /[^A-Za-z\d]/.test(p), p.replace(/./g, '*'));
                seen.add(p);
            }
            assert.equal(seen.size, 2000);
            assert.throws(() => generatePassword(12), /20 to 256/);
        });
        it('23. a sender to accept mail from that Exchange does not know', () => refused(() => createMailEnabledSecurityGroup(exo, { name: 'Senders', primarySmtpAddress: 'senders@contoso.com', acceptMessagesOnlyFrom: ['ghost@contoso.com'] }), /no recipient ghost@contoso\.com to accept mail from/, 'acceptMessagesOnlyFrom'));
        it('22. the audit log writes a record whose detail carries a secret, with the secret removed (auditLog.test.ts has the rest)', async () => {
            const log = new AuditLog(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'm365p-audit-')), 'audit.jsonl'));
            await log.append({ who: 'admin@contoso.com', tenant: 't', action: 'createServiceAccount', target: 'svc@contoso.com', result: 'succeeded', requestId: 'r1' });
            await log.append({ who: 'a', tenant: 't', action: 'x', target: 'y', result: 'succeeded', detail: 'passwordProfile {"password": "hunter2"}' });
            assert.deepEqual((await log.read()).map(r => r.action), ['createServiceAccount', 'x']);
            assert.doesNotMatch(fs.readFileSync(log.file, 'utf8'), /hunter2/);
        });
    });
});
