import * as assert from 'node:assert/strict';
import { ExchangeAdminClient } from '../../../../src/exchange/ExchangeAdminClient';
import { newDistributionGroup } from '../../../../src/exchange/cmdlets';
import { GraphClient } from '../../../../src/graph/GraphClient';
import type { HttpRequest } from '../../../../src/net/HttpTransport';
import { CalendarGrantInputError, previewCalendarGrant, runCalendarGrant, type CalendarGrantRequest } from '../../../../src/provisioning/calendar';
import { transitiveMembers } from '../../../../sandbox/src/graph/api';
import { sandboxFixture, type SandboxFixture } from '../../../sandbox/fixture';
import { appTokens, recordingLogger, sandboxCloud } from '../../graph/clientFixture';

// The count a bulk grant's confirmation shows is read through the engine's own checks and member listing, changes
// nothing, and is the number of mailboxes the run then grants on.
describe('previewCalendarGrant against the sandbox tenant', function () {
    this.timeout(60_000);
    let f: SandboxFixture;
    let graph: GraphClient;
    let exchange: ExchangeAdminClient;
    let cmdlets: string[] = [];
    const logger = recordingLogger();
    const state = () => f.sandbox.state();
    const staff = () => [...state().groups.values()].find(g => g.displayName === 'Staff')?.id ?? '';
    const request = (grantee: string, extra: Partial<CalendarGrantRequest> = {}): CalendarGrantRequest => ({ mode: 'grant', groupId: staff(), groupName: 'Staff', grantee, accessRight: 'Editor', ...extra });
    const permissions = () => JSON.stringify([...state().mailboxes.values()].map(m => m.calendarPermissions));

    before(async () => {
        f = await sandboxFixture({ users: 60 });
        const cloud = sandboxCloud(f);
        const tokens = appTokens(f, logger);
        graph = new GraphClient({ cloud, tokens, transport: f.transport, logger, baseDelayMs: 20 });
        const transport = {
            send: (r: HttpRequest) => {
                const body = JSON.parse(String(r.body ?? '{}')) as { CmdletInput?: { CmdletName: string }; requests?: { body: { CmdletInput: { CmdletName: string } } }[] };
                if (body.CmdletInput) cmdlets.push(body.CmdletInput.CmdletName);
                for (const item of body.requests ?? []) cmdlets.push(item.body.CmdletInput.CmdletName);
                return f.transport.send(r);
            },
        };
        exchange = new ExchangeAdminClient({ cloud, tenantId: f.sandbox.tenantId, tokens, transport, logger, baseDelayMs: 20 });
    });
    beforeEach(() => { cmdlets = []; });
    after(() => f.stop());

    it('counts the mailboxes of every member (nested groups included) and changes nothing; the run grants only on those', async () => {
        const grantee = 'calendar-preview@contoso.com';
        await newDistributionGroup(exchange, { Name: 'Calendar Preview', PrimarySmtpAddress: grantee, Type: 'Security' });
        const members = transitiveMembers(state(), staff()).filter(id => state().users.has(id));
        const withMail = members.filter(id => state().users.get(id)?.mail);
        assert.ok(withMail.length > 0, 'the seed has members with a mail address');
        const before = permissions();
        cmdlets = [];
        const preview = await previewCalendarGrant({ graph, exchange }, request(grantee));
        assert.deepEqual(preview.mailboxes.map(m => m.userId).sort(), [...withMail].sort());
        assert.equal(preview.withoutMailbox, members.length - withMail.length);
        assert.equal(preview.grantee.identity, grantee);
        assert.equal(permissions(), before, 'nothing changed');
        assert.ok(cmdlets.every(c => c.startsWith('Get-')), `only reads: ${cmdlets.join(', ')}`);

        // Graph's mail address is what the preview can know without reading each mailbox: the count shown is never
        // smaller than what the run changes (a member with an address but no mailbox is found and skipped by the run).
        const run = await runCalendarGrant({ graph, exchange, logger }, request(grantee));
        const previewed = new Set(preview.mailboxes.map(m => m.userId));
        const granted = run.outcomes.filter(o => o.outcome === 'granted');
        assert.ok(granted.length > 0 && granted.every(o => previewed.has(o.userId)), 'the run granted only on previewed mailboxes');
        assert.ok(run.outcomes.filter(o => previewed.has(o.userId)).every(o => o.outcome === 'granted' || o.reason === 'no mailbox'), 'every previewed mailbox was granted, or found to have none');
    });

    it('refuses what the run refuses, before anything: a grantee that is not a recipient', async () => {
        const before = permissions();
        await assert.rejects(previewCalendarGrant({ graph, exchange }, request('nobody-here@contoso.com')), CalendarGrantInputError);
        assert.equal(permissions(), before);
    });
});
