import * as assert from 'node:assert/strict';
import { readExchangeError } from './exchangeErrorBody';
import { sandboxFixture, type SandboxFixture, exchangeSignIns } from './fixture';

interface ExchangeAnswer { status: number; value: Record<string, unknown>[]; warnings: string[]; message: string; next?: string }

describe('Sandbox Exchange admin API (InvokeCommand)', function () {
    this.timeout(30_000);
    let f: SandboxFixture;
    let app: string;
    let readerToken: string;
    const endpoint = () => `${f.sandbox.exchangeUrl}/adminapi/beta/${f.sandbox.tenantId}/InvokeCommand`;

    before(async () => {
        f = await sandboxFixture();
        app = await f.appToken('exchange');
        // A Global Reader signed in for Exchange: may read, may not change.
        const { admin, reader } = await exchangeSignIns(f);
        assert.ok(admin);
        readerToken = reader;
    });
    after(() => f.stop());

    async function run(cmdlet: string, parameters: Record<string, unknown> = {}, options: { token?: string; url?: string; pageSize?: number } = {}): Promise<ExchangeAnswer> {
        const answer = await f.transport.send({
            method: 'POST',
            url: options.url ?? endpoint(),
            headers: { authorization: `Bearer ${options.token ?? app}`, 'content-type': 'application/json', 'x-anchormailbox': `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${f.sandbox.tenantId}`, ...(options.pageSize ? { prefer: `odata.maxpagesize=${options.pageSize}` } : {}) },
            body: JSON.stringify({ CmdletInput: { CmdletName: cmdlet, Parameters: parameters } }),
        });
        if (answer.status >= 400) return { status: answer.status, value: [], warnings: [], message: readExchangeError(answer.body).message };
        const json = JSON.parse(answer.body.toString('utf8')) as { value?: Record<string, unknown>[]; '@adminapi.warnings'?: string[]; '@odata.nextLink'?: string };
        return { status: answer.status, value: json.value ?? [], warnings: json['@adminapi.warnings'] ?? [], message: '', ...(json['@odata.nextLink'] ? { next: json['@odata.nextLink'] } : {}) };
    }

    it('lists mailboxes and pages them with Prefer: odata.maxpagesize', async () => {
        const all = await run('Get-Mailbox', { ResultSize: 'Unlimited' });
        assert.equal(all.status, 200);
        assert.equal(all.value.length, f.sandbox.state().mailboxes.size);
        let answer = await run('Get-Mailbox', {}, { pageSize: 10 });
        let seen = answer.value.length;
        while (answer.next) {
            answer = await run('Get-Mailbox', {}, { url: answer.next, pageSize: 10 });
            seen += answer.value.length;
        }
        assert.equal(seen, all.value.length);
        const shared = await run('Get-Mailbox', { RecipientTypeDetails: 'SharedMailbox' });
        assert.deepEqual(shared.value.map(m => m.DisplayName).sort(), ['Accounts Payable', 'Reception', 'Support Inbox']);
    });

    it('resolves identities by alias, SMTP address, UPN and object id, and says when one is unknown', async () => {
        const admin = [...f.sandbox.state().users.values()].find(u => u.userPrincipalName === 'admin@contoso.com');
        for (const identity of ['admin', 'admin@contoso.com', admin?.id ?? '']) {
            assert.equal((await run('Get-Mailbox', { Identity: identity })).value[0]?.PrimarySmtpAddress, 'admin@contoso.com', identity);
        }
        const unknown = await run('Get-Mailbox', { Identity: 'nobody@contoso.com' });
        assert.equal(unknown.status, 404);
        assert.match(unknown.message, /couldn't be found on/);
    });

    it('adds to a role group once, says so the second time, and refuses an unknown parameter', async () => {
        const added = await run('Add-RoleGroupMember', { Identity: 'View-Only Organization Management', Member: 'adelev@contoso.com' });
        assert.equal(added.status, 200);
        assert.ok((await run('Get-RoleGroupMember', { Identity: 'View-Only Organization Management' })).value.some(m => m.PrimarySmtpAddress === 'adelev@contoso.com'));
        const again = await run('Add-RoleGroupMember', { Identity: 'View-Only Organization Management', Member: 'adelev@contoso.com' });
        assert.equal(again.status, 400);
        assert.match(again.message, /is already a member of the group/);
        const badParameter = await run('Add-RoleGroupMember', { Identity: 'View-Only Organization Management', Memmber: 'x' });
        assert.match(badParameter.message, /A parameter cannot be found that matches parameter name 'Memmber'/);
    });

    it('creates the mail-enabled security group of the second guide, which Graph then lists', async () => {
        const created = await run('New-DistributionGroup', { Name: 'Service Accounts MyTimetable Exchange', Type: 'Security', PrimarySmtpAddress: 'sa-mytt-exch-secgroup@contoso.com', DisplayName: 'MyTimetable', MemberDepartRestriction: 'Closed', MemberJoinRestriction: 'Closed' });
        assert.equal(created.status, 200);
        assert.equal(created.value[0].GroupType, 'Universal, SecurityEnabled');
        const set = await run('Set-DistributionGroup', { Identity: 'sa-mytt-exch-secgroup@contoso.com', HiddenFromAddressListsEnabled: true, AcceptMessagesOnlyFrom: 'admin@contoso.com' });
        assert.equal(set.status, 200);
        const unchanged = await run('Set-DistributionGroup', { Identity: 'sa-mytt-exch-secgroup@contoso.com', HiddenFromAddressListsEnabled: true });
        assert.match(unchanged.warnings[0] ?? '', /no settings of .* have been modified/);
        assert.equal((await run('Add-DistributionGroupMember', { Identity: 'sa-mytt-exch-secgroup@contoso.com', Member: 'alexw@contoso.com' })).status, 200);
        const graphToken = await f.appToken('graph');
        const listed = await f.get(`${f.sandbox.graphUrl}/v1.0/groups?$filter=${encodeURIComponent("mail eq 'sa-mytt-exch-secgroup@contoso.com'")}`, graphToken);
        const group = (listed.json.value as { mailEnabled: boolean; securityEnabled: boolean }[])[0];
        assert.deepEqual([group.mailEnabled, group.securityEnabled], [true, true]);
        const duplicate = await run('New-DistributionGroup', { Name: 'Other', Type: 'Security', PrimarySmtpAddress: 'sa-mytt-exch-secgroup@contoso.com' });
        assert.match(duplicate.message, /is already being used/);
    });

    it('grants Editor on a calendar: get, then add; the second add meets an existing entry; set changes it', async () => {
        await run('New-DistributionGroup', { Name: 'Calendar Readers', Type: 'Security', PrimarySmtpAddress: 'calendar-readers@contoso.com' });
        const before = await run('Get-MailboxFolderPermission', { Identity: 'adelev@contoso.com:\\Calendar' });
        assert.deepEqual(before.value.map(e => (e.User as { DisplayName: string }).DisplayName), ['Default', 'Anonymous']);
        assert.equal((await run('Add-MailboxFolderPermission', { Identity: 'adelev@contoso.com:\\Calendar', User: 'calendar-readers@contoso.com', AccessRights: ['Editor'] })).status, 200);
        const again = await run('Add-MailboxFolderPermission', { Identity: 'adelev@contoso.com:\\Calendar', User: 'calendar-readers@contoso.com', AccessRights: ['Editor'] });
        assert.match(again.message, /An existing permission entry was found for user: Calendar Readers/);
        assert.equal((await run('Set-MailboxFolderPermission', { Identity: 'adelev@contoso.com:\\Calendar', User: 'calendar-readers@contoso.com', AccessRights: 'Reviewer' })).status, 200);
        const after = await run('Get-MailboxFolderPermission', { Identity: 'adelev@contoso.com:\\Calendar', User: 'calendar-readers@contoso.com' });
        assert.deepEqual(after.value[0].AccessRights, ['Reviewer']);
        const badRight = await run('Add-MailboxFolderPermission', { Identity: 'adelev@contoso.com:\\Calendar', User: 'calendar-readers@contoso.com', AccessRights: ['Edit'] });
        assert.match(badRight.message, /possible enumeration values/, JSON.stringify(badRight));
    });

    it('finds a localised calendar folder only by its own name, which Get-MailboxFolderStatistics gives', async () => {
        const localised = [...f.sandbox.state().mailboxes.values()].find(m => m.calendarFolderName !== 'Calendar' && m.recipientTypeDetails === 'UserMailbox');
        assert.ok(localised, 'the demo organisation has a mailbox with a localised calendar');
        const english = await run('Get-MailboxFolderPermission', { Identity: `${localised.primarySmtpAddress}:\\Calendar` });
        assert.equal(english.status, 404);
        const stats = await run('Get-MailboxFolderStatistics', { Identity: localised.primarySmtpAddress, FolderScope: 'Calendar' });
        assert.equal(stats.value[0].Name, localised.calendarFolderName);
        const byName = await run('Get-MailboxFolderPermission', { Identity: `${localised.primarySmtpAddress}:\\${String(stats.value[0].Name)}` });
        assert.equal(byName.status, 200);
    });

    it('does not know a just-created user until the replication lag has passed', async () => {
        const graphToken = await f.appToken('graph');
        f.sandbox.setKnobs({ replicationLagMs: 20_000 });
        try {
            const created = await f.transport.send({ method: 'POST', url: `${f.sandbox.graphUrl}/v1.0/users`, headers: { authorization: `Bearer ${graphToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ accountEnabled: true, displayName: 'Sam360 Reports', mailNickname: 'Sam360Reports', userPrincipalName: 'Sam360Reports@contoso.onmicrosoft.com', passwordProfile: { password: 'Xy7!pLm2#Qw9', forceChangePasswordNextSignIn: false } }) });
            assert.equal(created.status, 201);
            const tooSoon = await run('Add-RoleGroupMember', { Identity: 'View-Only Organization Management', Member: 'Sam360Reports' });
            assert.equal(tooSoon.status, 404);
            // Exchange says of a recipient it has not received yet exactly what it says of one that never existed.
            assert.match(tooSoon.message, /^Couldn't find object "Sam360Reports"\. Please make sure that it was spelled correctly or specify a different object\.$/);
            f.sandbox.advanceClock(21_000);
            assert.equal((await run('Add-RoleGroupMember', { Identity: 'View-Only Organization Management', Member: 'Sam360Reports' })).status, 200);
        } finally {
            f.sandbox.setKnobs({ replicationLagMs: 0 });
            f.sandbox.advanceClock(-21_000);
        }
    });

    it('lets a Global Reader read but not change, and refuses an unknown cmdlet', async () => {
        assert.equal((await run('Get-RoleGroup', {}, { token: readerToken })).status, 200);
        const denied = await run('Add-RoleGroupMember', { Identity: 'Help Desk', Member: 'admin' }, { token: readerToken });
        assert.equal(denied.status, 403);
        assert.equal(denied.message, '', 'no JSON error for a missing role: the body is empty or NUL bytes');
        const unknown = await run('Remove-Everything');
        assert.match(unknown.message, /is not recognized as the name of a cmdlet/);
    });
});
