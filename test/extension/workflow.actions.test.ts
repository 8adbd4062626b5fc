import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { CommandIds } from '../../src/constants';
import { getDistributionGroup, listRoleGroupMembers } from '../../src/exchange/cmdlets';
import type { FolderNode } from '../../src/tree/directory/FolderNode';
import { find, label, rowsOf } from './directoryRows';
import { activeSession, auditLines, consentAsAdmin, extensionApi, provisioningWriteScopes, sandbox, sandboxTransport } from './sandbox';

// Runs after the Directory view tests (files run in name order): the admin is signed in, Exchange consented.
// Commands take their input as an argument (what the setup wizard and recipes will pass) and ask only for what is
// missing; the confirmation dialogs cannot be answered here, which is itself tested: a refused confirmation changes nothing.

const session = activeSession;
const upn = 'sa-mytt-exch@contoso.com';

describe('Provisioning commands in a real extension host', function () {
    this.timeout(120_000);

    before(async () => {
        // Sign-in granted read permissions; the first change asks for the write ones (incremental consent). The admin
        // says yes once here, as they would to that prompt.
        await consentAsAdmin({ graph: provisioningWriteScopes });
    });

    it('creates a service account from given input: marked, found by the Service accounts folder, audited without its password', async () => {
        const created = await vscode.commands.executeCommand<{ id: string; userPrincipalName: string }>(CommandIds.createServiceAccount, undefined, { displayName: 'MyTimetable Exchange Service Account', userPrincipalName: upn, usageLocation: 'NL' });
        assert.equal(created?.userPrincipalName, upn);
        const user = await (await session()).directory.user(upn);
        assert.equal(user.employeeType, 'ServiceAccount');
        assert.equal(user.passwordPolicies, 'DisablePasswordExpiration');
        const [tenant] = await rowsOf();
        const folder = (await find(tenant, 'Service accounts')) as FolderNode;
        folder.reset();
        assert.ok((await rowsOf(folder)).some(r => label(r) === 'MyTimetable Exchange Service Account'));
        const line = (await auditLines()).find(l => l.action === 'createServiceAccount' && l.target === upn);
        assert.equal(line?.result, 'succeeded');
        assert.doesNotMatch(fs.readFileSync((await extensionApi()).container.audit.file, 'utf8'), /password"?\s*:/i);
    });

    it('refuses bad input from a caller before changing anything, and says which field', async () => {
        const before = (await auditLines()).length;
        assert.equal(await vscode.commands.executeCommand(CommandIds.createServiceAccount, undefined, { displayName: 42 }), undefined);
        assert.equal(await vscode.commands.executeCommand(CommandIds.createServiceAccount, undefined, { displayName: 'X', userPrincipalName: 'svc@fabrikam.com', usageLocation: 'US' }), undefined);
        const lines = (await auditLines()).slice(before);
        assert.equal(lines.length, 1, 'the type error is refused before the action starts; the domain check is an audited attempt');
        assert.equal(lines[0].result, 'failed');
        assert.match(lines[0].detail ?? '', /fabrikam\.com is not a verified domain/);
        await assert.rejects((await session()).directory.user('svc@fabrikam.com'));
    });

    it('assigns a directory role, a licence with only the Exchange plan, and Exchange role-group membership from the account\'s row', async () => {
        const [tenant] = await rowsOf();
        const folder = await find(tenant, 'Service accounts');
        const account = await find(folder, 'MyTimetable Exchange Service Account');
        assert.equal(await vscode.commands.executeCommand(CommandIds.assignRole, account, { role: 'Service Support Administrator' }), 'assigned');
        assert.equal(await vscode.commands.executeCommand(CommandIds.assignRole, account, { role: 'Service Support Administrator' }), 'alreadyAssigned');
        assert.equal(await vscode.commands.executeCommand(CommandIds.assignLicence, account, { sku: 'ENTERPRISEPACK', plans: ['EXCHANGE_S_ENTERPRISE'] }), 'assigned');
        const licences = await (await session()).directory.licenceDetails(upn);
        const plans = licences.items[0].servicePlans ?? [];
        assert.deepEqual(plans.filter(p => p.provisioningStatus !== 'Disabled').map(p => p.servicePlanName), ['EXCHANGE_S_ENTERPRISE']);
        assert.equal(await vscode.commands.executeCommand(CommandIds.addToRoleGroup, account, { roleGroup: 'View-Only Organization Management' }), 'added');
        const members = await listRoleGroupMembers((await session()).exchange, 'View-Only Organization Management');
        assert.ok(members.some(m => m.PrimarySmtpAddress === upn));
    });

    it('creates the mail-enabled security group and adds the service account', async () => {
        const address = 'sa-mytt-exch-secgroup@contoso.com';
        assert.equal(await vscode.commands.executeCommand(CommandIds.createMailGroup, undefined, { name: 'Service Accounts MyTimetable Exchange', primarySmtpAddress: address, hiddenFromAddressLists: true, acceptMessagesOnlyFrom: ['admin@contoso.com'] }), 'created');
        assert.equal(await vscode.commands.executeCommand(CommandIds.addMailGroupMember, undefined, { group: address, member: upn }), 'added');
        const group = await getDistributionGroup((await session()).exchange, address);
        assert.equal(group?.HiddenFromAddressListsEnabled, true);
        assert.deepEqual([group?.MemberJoinRestriction, group?.MemberDepartRestriction], ['Closed', 'Closed']);
    });

    it('a destructive action whose confirmation is not given changes nothing', async () => {
        const [tenant] = await rowsOf();
        const account = await find(await find(tenant, 'Service accounts'), 'MyTimetable Exchange Service Account');
        const licence = await find(await find(account, 'Licences'), 'Office 365 E3');
        const before = (await auditLines()).length;
        assert.equal(await vscode.commands.executeCommand(CommandIds.removeLicence, licence), undefined);
        assert.equal((await (await session()).directory.licenceDetails(upn)).items.length, 1, 'the licence is still there');
        assert.equal((await auditLines()).length, before, 'nothing was attempted');
    });

    it('a bulk grant asks first with the mailbox count; not confirmed (the modal cannot be answered here), nothing is written', async () => {
        const [tenant] = await rowsOf();
        const groups = (await find(tenant, 'Groups')) as FolderNode;
        groups.setFilter('Staff');
        const staff = await find(groups, 'Staff');
        const before = (await auditLines()).length;
        const state = async () => (await sandboxTransport().send({ method: 'GET', url: `${sandbox.origin}/_sandbox/state`, headers: {} })).body.toString('utf8');
        const tenantBefore = await state();
        assert.equal(await vscode.commands.executeCommand(CommandIds.grantCalendarAccess, staff, { grantee: 'sa-mytt-exch-secgroup@contoso.com', accessRight: 'Editor' }), undefined);
        assert.equal(await vscode.commands.executeCommand(CommandIds.revokeCalendarAccess, staff, { grantee: 'sa-mytt-exch-secgroup@contoso.com' }), undefined);
        assert.equal(await state(), tenantBefore, 'no calendar changed');
        assert.equal((await auditLines()).length, before, 'nothing was attempted');
        groups.setFilter(undefined);
    });

    it('grants Editor on every Staff member\'s calendar to the group, then a second run changes nothing', async () => {
        const [tenant] = await rowsOf();
        const groups = (await find(tenant, 'Groups')) as FolderNode;
        groups.setFilter('Staff');
        const staff = await find(groups, 'Staff');
        type Summary = { cancelled: boolean; outcomes: { outcome: string }[] };
        const first = await vscode.commands.executeCommand<Summary>(CommandIds.grantCalendarAccess, staff, { grantee: 'sa-mytt-exch-secgroup@contoso.com', accessRight: 'Editor', confirmed: true });
        assert.ok(first && !first.cancelled);
        const count = (s: Summary, kind: string) => s.outcomes.filter(o => o.outcome === kind).length;
        assert.ok(count(first, 'granted') > 40, `granted ${count(first, 'granted')}`);
        assert.equal(count(first, 'failed'), 0);
        const second = await vscode.commands.executeCommand<Summary>(CommandIds.grantCalendarAccess, staff, { grantee: 'sa-mytt-exch-secgroup@contoso.com', accessRight: 'Editor', confirmed: true });
        assert.ok(second);
        assert.equal(count(second, 'granted') + count(second, 'changed'), 0);
        assert.equal(count(second, 'alreadyInPlace'), count(first, 'granted') + count(first, 'changed') + count(first, 'alreadyInPlace'));
        const summaryDoc = vscode.workspace.textDocuments.find(d => d.uri.scheme === 'm365-details' && /Calendar grant Staff/.test(d.uri.path));
        assert.ok(summaryDoc, 'the summary opened as a document');
        const lines = (await auditLines()).filter(l => l.action === 'grantCalendarAccess');
        assert.equal(lines.length, 2);
        groups.setFilter(undefined);
    });

    it('refuses a grantee without a mailbox before changing anything', async () => {
        const [tenant] = await rowsOf();
        const groups = (await find(tenant, 'Groups')) as FolderNode;
        groups.setFilter('Staff');
        const staff = await find(groups, 'Staff');
        const before = (await auditLines()).length;
        assert.equal(await vscode.commands.executeCommand(CommandIds.grantCalendarAccess, staff, { grantee: 'nobody-here@contoso.com', accessRight: 'Editor', confirmed: true }), undefined);
        const [line] = (await auditLines()).slice(before);
        assert.equal(line.result, 'failed');
        groups.setFilter(undefined);
    });
});
