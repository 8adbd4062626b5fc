import * as assert from 'node:assert/strict';
import { readExchangeError } from './exchangeErrorBody';
import { exchangeSignIns, sandboxFixture, type SandboxFixture } from './fixture';

interface Answer { status: number; text: string; value: Record<string, unknown>[] }
interface FolderEntry { User: { DisplayName: string; UserType: string; RecipientPrincipal: unknown }; AccessRights: string[] }

/**
 * What Exchange answers while an account and its group are taken away (docs/FIDELITY.md, "Offboarding"): a deleted
 * grantee's folder permission stays as an unresolved SID, a deleted user's mailbox and memberships leave Exchange and
 * come back on restore, Remove-DistributionGroup needs the group manager check bypassed, and removing a non-member
 * says MemberNotFoundException.
 */
describe('Sandbox Exchange admin API while accounts are offboarded', function () {
    this.timeout(60_000);
    let f: SandboxFixture;
    let exchange: string;
    let graphApp: string;
    let adminExchange: string;
    const e3 = '6fd2c87f-b296-42f0-b197-1e91e994b900';
    const calendar = 'adelev@contoso.com:\\Calendar';

    before(async () => {
        f = await sandboxFixture();
        exchange = await f.appToken('exchange');
        graphApp = await f.appToken();
        adminExchange = (await exchangeSignIns(f)).admin;
    });
    after(() => f.stop());

    async function run(cmdlet: string, parameters: Record<string, unknown> = {}, token = exchange): Promise<Answer> {
        const answer = await f.transport.send({
            method: 'POST',
            url: `${f.sandbox.exchangeUrl}/adminapi/beta/${f.sandbox.tenantId}/InvokeCommand`,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ CmdletInput: { CmdletName: cmdlet, Parameters: parameters } }),
        });
        const text = answer.body.toString('utf8');
        const value = answer.status === 200 ? ((JSON.parse(text) as { value?: Record<string, unknown>[] }).value ?? []) : [];
        return { status: answer.status, text, value };
    }
    async function graph(method: string, p: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
        const answer = await f.transport.send({ method, url: `${f.sandbox.graphUrl}/v1.0${p}`, headers: { authorization: `Bearer ${graphApp}`, 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
        const text = answer.body.toString('utf8');
        return { status: answer.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    }
    /** A service account with an Exchange licence, hence a mailbox. */
    async function licensedAccount(upn: string): Promise<string> {
        const user = await graph('POST', '/users', { accountEnabled: true, displayName: upn, mailNickname: upn.split('@')[0], userPrincipalName: upn, usageLocation: 'NL', passwordProfile: { password: 'Xy7!pLm2#Qw9' } });
        assert.equal(user.status, 201);
        const id = String(user.json.id);
        assert.equal((await graph('POST', `/users/${id}/assignLicense`, { addLicenses: [{ skuId: e3, disabledPlans: [] }], removeLicenses: [] })).status, 200);
        return id;
    }
    const entries = async () => (await run('Get-MailboxFolderPermission', { Identity: calendar })).value as unknown as FolderEntry[];

    it('keeps a deleted grantee\'s calendar permission as an unresolved SID (UserType Unknown), removable only by that SID', async () => {
        const id = await licensedAccount('sa-cal@contoso.com');
        assert.equal((await run('Add-MailboxFolderPermission', { Identity: calendar, User: 'sa-cal@contoso.com', AccessRights: ['Reviewer'] })).status, 200);
        assert.equal((await graph('DELETE', `/users/${id}`)).status, 204);
        const orphan = (await entries()).find(e => e.AccessRights.includes('Reviewer'));
        assert.ok(orphan, 'the entry is still on the folder');
        assert.match(orphan.User.DisplayName, /^NT:S-1-5-21-\d+-\d+-\d+-\d+$/);
        assert.equal(orphan.User.UserType, 'Unknown');
        assert.equal(orphan.User.RecipientPrincipal, null);
        // By name the grantee no longer exists for Exchange; by the SID Get-MailboxFolderPermission shows, it goes.
        const byName = readExchangeError((await run('Remove-MailboxFolderPermission', { Identity: calendar, User: 'sa-cal@contoso.com', Confirm: false })).text);
        assert.match(byName.message, /^Couldn't find object "sa-cal@contoso\.com"/);
        assert.equal((await run('Remove-MailboxFolderPermission', { Identity: calendar, User: orphan.User.DisplayName, Confirm: false })).status, 200);
        assert.equal((await entries()).some(e => e.User.DisplayName === orphan.User.DisplayName), false);
        const again = readExchangeError((await run('Remove-MailboxFolderPermission', { Identity: calendar, User: orphan.User.DisplayName, Confirm: false })).text);
        assert.equal(again.type, 'Microsoft.Exchange.Management.StoreTasks.UserNotFoundInPermissionEntryException');
    });

    it('takes a deleted user\'s mailbox, group and role-group memberships out of Exchange, and gives them back on restore', async () => {
        const id = await licensedAccount('sa-member@contoso.com');
        assert.equal((await run('New-DistributionGroup', { Name: 'Offboarding Readers', PrimarySmtpAddress: 'offboarding-readers@contoso.com', Type: 'Security' })).status, 200);
        assert.equal((await run('Add-DistributionGroupMember', { Identity: 'offboarding-readers@contoso.com', Member: 'sa-member@contoso.com', BypassSecurityGroupManagerCheck: true })).status, 200);
        assert.equal((await run('Add-RoleGroupMember', { Identity: 'View-Only Organization Management', Member: 'sa-member@contoso.com', BypassSecurityGroupManagerCheck: true })).status, 200);
        const members = async (cmdlet: string, identity: string) => (await run(cmdlet, { Identity: identity })).value.map(m => m.ExternalDirectoryObjectId);
        assert.equal((await graph('DELETE', `/users/${id}`)).status, 204);
        assert.equal((await run('Get-Mailbox', { Identity: 'sa-member@contoso.com' })).status, 404);
        assert.equal((await members('Get-DistributionGroupMember', 'offboarding-readers@contoso.com')).includes(id), false);
        assert.equal((await members('Get-RoleGroupMember', 'View-Only Organization Management')).includes(id), false);
        assert.equal((await graph('POST', `/directory/deletedItems/${id}/restore`)).status, 200);
        assert.equal((await run('Get-Mailbox', { Identity: 'sa-member@contoso.com' })).status, 200);
        assert.ok((await members('Get-DistributionGroupMember', 'offboarding-readers@contoso.com')).includes(id));
        assert.ok((await members('Get-RoleGroupMember', 'View-Only Organization Management')).includes(id));
    });

    it('Remove-DistributionGroup: an app needs BypassSecurityGroupManagerCheck, the creating admin owns the group, an unknown group is not found', async () => {
        assert.equal((await run('New-DistributionGroup', { Name: 'App Made', PrimarySmtpAddress: 'app-made@contoso.com', Type: 'Security' })).status, 200);
        const refused = await run('Remove-DistributionGroup', { Identity: 'app-made@contoso.com', Confirm: false });
        assert.equal(refused.status, 400);
        assert.equal(readExchangeError(refused.text).message, "You don't have sufficient permissions. This operation can only be performed by a manager of the group.");
        assert.equal((await run('Remove-DistributionGroup', { Identity: 'app-made@contoso.com', BypassSecurityGroupManagerCheck: true, Confirm: false })).status, 200);
        // "If you don't use this parameter to specify the owner when you create the group, the user account that created the group is the owner."
        assert.equal((await run('New-DistributionGroup', { Name: 'Admin Made', PrimarySmtpAddress: 'admin-made@contoso.com', Type: 'Security' }, adminExchange)).status, 200);
        assert.equal((await run('Remove-DistributionGroup', { Identity: 'admin-made@contoso.com', Confirm: false }, adminExchange)).status, 200);
        const unknown = readExchangeError((await run('Remove-DistributionGroup', { Identity: 'app-made@contoso.com', BypassSecurityGroupManagerCheck: true, Confirm: false })).text);
        assert.equal(unknown.type, 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException');
        assert.match(unknown.message, /^The operation couldn't be performed because object 'app-made@contoso\.com' couldn't be found on '[^']+'\.$/);
    });

    it('a removed group leaves no member entry behind, and its calendar permission stays as an unresolved SID', async () => {
        assert.equal((await run('New-DistributionGroup', { Name: 'Calendar Group', PrimarySmtpAddress: 'calendar-group@contoso.com', Type: 'Security' })).status, 200);
        assert.equal((await run('Add-MailboxFolderPermission', { Identity: calendar, User: 'calendar-group@contoso.com', AccessRights: ['LimitedDetails'] })).status, 200);
        assert.equal((await run('Add-RoleGroupMember', { Identity: 'View-Only Organization Management', Member: 'calendar-group@contoso.com', BypassSecurityGroupManagerCheck: true })).status, 200);
        const before = (await run('Get-RoleGroupMember', { Identity: 'View-Only Organization Management' })).value.length;
        assert.equal((await run('Remove-DistributionGroup', { Identity: 'calendar-group@contoso.com', BypassSecurityGroupManagerCheck: true, Confirm: false })).status, 200);
        assert.equal((await run('Get-RoleGroupMember', { Identity: 'View-Only Organization Management' })).value.length, before - 1, 'no ghost member');
        const orphan = (await entries()).find(e => e.AccessRights.includes('LimitedDetails'));
        assert.match(orphan?.User.DisplayName ?? '', /^NT:S-1-5-21-/);
        assert.equal(orphan?.User.UserType, 'Unknown');
    });

    it('removing a non-member answers MemberNotFoundException from both member cmdlets', async () => {
        assert.equal((await run('New-DistributionGroup', { Name: 'Empty Group', PrimarySmtpAddress: 'empty-group@contoso.com', Type: 'Security' })).status, 200);
        const fromGroup = readExchangeError((await run('Remove-DistributionGroupMember', { Identity: 'empty-group@contoso.com', Member: 'adelev@contoso.com', BypassSecurityGroupManagerCheck: true, Confirm: false })).text);
        assert.equal(fromGroup.type, 'Microsoft.Exchange.Management.Tasks.MemberNotFoundException');
        const fromRoleGroup = readExchangeError((await run('Remove-RoleGroupMember', { Identity: 'View-Only Organization Management', Member: 'adelev@contoso.com', BypassSecurityGroupManagerCheck: true, Confirm: false })).text);
        assert.equal(fromRoleGroup.type, 'Microsoft.Exchange.Management.Tasks.MemberNotFoundException');
    });
});
