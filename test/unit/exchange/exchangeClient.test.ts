import * as assert from 'node:assert/strict';
import { ExchangeAdminClient } from '../../../src/exchange/ExchangeAdminClient';
import { ExchangeCommandError } from '../../../src/exchange/ExchangeCommandError';
import { addRoleGroupMember, newDistributionGroup, type FolderPermission, type MailboxSummary } from '../../../src/exchange/cmdlets';
import { sandboxFixture, type SandboxFixture } from '../../sandbox/fixture';
import { appTokens, recordingLogger, sandboxCloud } from '../graph/clientFixture';

describe('ExchangeAdminClient against the sandbox tenant', function () {
    this.timeout(60_000);
    let f: SandboxFixture;
    let client: ExchangeAdminClient;
    const issued: string[] = [];
    const logger = recordingLogger();

    before(async () => {
        f = await sandboxFixture({ users: 2200 });
        client = new ExchangeAdminClient({ cloud: sandboxCloud(f), tenantId: f.sandbox.tenantId, tokens: appTokens(f, logger, issued), transport: f.transport, logger, baseDelayMs: 50 });
    });
    afterEach(() => f.sandbox.setKnobs({ throttleExchangePerSecond: 0, replicationLagMs: 0 }));
    after(() => f.stop());

    it('follows @odata.nextLink across pages of 1000 mailboxes', async () => {
        const all = await client.invoke<MailboxSummary>('Get-Mailbox', { ResultSize: 'Unlimited' });
        assert.equal(all.value.length, f.sandbox.state().mailboxes.size);
        assert.ok(all.value.length > 1000, 'more than one page');
        assert.equal(new Set(all.value.map(m => m.ExternalDirectoryObjectId)).size, all.value.length);
    });

    it('surfaces @adminapi.warnings', async () => {
        await newDistributionGroup(client, { Name: 'Warned Group', PrimarySmtpAddress: 'warned@contoso.com', Type: 'Security' });
        await client.invoke('Set-DistributionGroup', { Identity: 'warned@contoso.com', HiddenFromAddressListsEnabled: true });
        const again = await client.invoke('Set-DistributionGroup', { Identity: 'warned@contoso.com', HiddenFromAddressListsEnabled: true });
        assert.match(again.warnings[0] ?? '', /no settings .* have been modified/);
    });

    it('maps Exchange errors to typed ones an idempotent caller can act on', async () => {
        await assert.rejects(client.invoke('Get-Mailbox', { Identity: 'nobody@contoso.com' }), (e: ExchangeCommandError) => e instanceof ExchangeCommandError && e.isNotFound && !e.isNotYetReplicated);
        await newDistributionGroup(client, { Name: 'Editors', PrimarySmtpAddress: 'editors@contoso.com', Type: 'Security' });
        const folder = `${[...f.sandbox.state().mailboxes.values()].find(m => m.calendarFolderName === 'Calendar' && m.recipientTypeDetails === 'UserMailbox')?.primarySmtpAddress ?? ''}:\\Calendar`;
        await client.invoke('Add-MailboxFolderPermission', { Identity: folder, User: 'editors@contoso.com', AccessRights: ['Editor'] });
        await assert.rejects(client.invoke('Add-MailboxFolderPermission', { Identity: folder, User: 'editors@contoso.com', AccessRights: ['Editor'] }), (e: ExchangeCommandError) => e.isAlreadyExists);
        const permissions = await client.invoke<FolderPermission>('Get-MailboxFolderPermission', { Identity: folder });
        assert.ok(permissions.value.some(p => p.User.DisplayName === 'Editors' && p.AccessRights.includes('Editor')));
    });

    it('tells a not-yet-replicated object apart from a missing one', async () => {
        const graph = await f.appToken('graph');
        f.sandbox.setKnobs({ replicationLagMs: 60_000 });
        await f.transport.send({ method: 'POST', url: `${f.sandbox.graphUrl}/v1.0/users`, headers: { authorization: `Bearer ${graph}`, 'content-type': 'application/json' }, body: JSON.stringify({ accountEnabled: true, displayName: 'New', mailNickname: 'newsvc', userPrincipalName: 'newsvc@contoso.com', passwordProfile: { password: 'Xy7!pLm2#Qw9' } }) });
        await assert.rejects(addRoleGroupMember(client, 'View-Only Organization Management', 'newsvc@contoso.com'), (e: ExchangeCommandError) => e.isNotYetReplicated);
    });

    it('retries throttled commands after Retry-After and completes them all', async () => {
        f.sandbox.setKnobs({ throttleExchangePerSecond: 20, throttleBurst: 5 });
        const before = f.sandbox.stats().exchange.throttled;
        const upns = [...f.sandbox.state().mailboxes.values()].slice(0, 40).map(m => m.primarySmtpAddress);
        const found = await Promise.all(upns.map(async upn => (await client.invoke<MailboxSummary>('Get-Mailbox', { Identity: upn })).value[0]));
        assert.deepEqual(found.map(m => m.PrimarySmtpAddress), upns);
        assert.ok(f.sandbox.stats().exchange.throttled > before, 'the sandbox did throttle');
    });

    it('hands a batch\'s throttled commands back, unsent, to a caller that sends them again itself (retryItems: false)', async () => {
        const upns = [...f.sandbox.state().mailboxes.values()].slice(0, 10).map(m => m.primarySmtpAddress);
        const batch = upns.map(upn => ({ cmdlet: 'Get-Mailbox', parameters: { Identity: upn }, anchorMailbox: upn }));
        // A burst of 3 at 1 a second: most commands of the batch are throttled, each counted on its own.
        f.sandbox.setKnobs({ throttleExchangePerSecond: 1, throttleBurst: 3 });
        const handedBack = await client.invokeBatch(batch, { retryItems: false });
        const throttled = handedBack.filter(r => !r.ok && r.error.status === 429);
        assert.ok(throttled.length >= 5, `the throttled commands come back as 429s, not sent again: ${throttled.length}`);
        assert.equal(handedBack.filter(r => r.ok).length + throttled.length, 10);
        f.sandbox.setKnobs({ throttleExchangePerSecond: 20, throttleBurst: 10 });
        await new Promise(resolve => setTimeout(resolve, 600));
        const retried = await client.invokeBatch(batch);
        assert.ok(retried.every(r => r.ok), 'by default the client sends them again after their Retry-After');
    });

    it('never logs a token', () => {
        const log = logger.lines.join('\n');
        assert.match(log, /\[Exchange\] Get-Mailbox → 200 \(request-id/);
        for (const token of issued) assert.ok(!log.includes(token));
        assert.doesNotMatch(log, /Bearer/);
    });
});
