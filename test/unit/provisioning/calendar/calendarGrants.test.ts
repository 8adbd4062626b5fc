import * as assert from 'node:assert/strict';
import { ExchangeAdminClient } from '../../../../src/exchange/ExchangeAdminClient';
import { newDistributionGroup } from '../../../../src/exchange/cmdlets';
import { GraphClient } from '../../../../src/graph/GraphClient';
import type { HttpRequest } from '../../../../src/net/HttpTransport';
import { AdaptivePacer } from '../../../../src/provisioning/calendar/calendarGrantPacer';
import { calendarGrantSummaryMarkdown, CalendarGrantInputError, runCalendarGrant, type CalendarAccessRight, type CalendarGrantJournal, type CalendarGrantRequest, type MailboxOutcome } from '../../../../src/provisioning/calendar/calendarGrants';
import { transitiveMembers } from '../../../../sandbox/src/graph/api';
import { sandboxFixture, type SandboxFixture } from '../../../sandbox/fixture';
import { appTokens, recordingLogger, sandboxCloud } from '../../graph/clientFixture';

const writeCmdlets = new Set(['Add-MailboxFolderPermission', 'Set-MailboxFolderPermission', 'Remove-MailboxFolderPermission']);

describe('runCalendarGrant against the sandbox tenant', function () {
    this.timeout(120_000);
    let f: SandboxFixture;
    let graph: GraphClient;
    let exchange: ExchangeAdminClient;
    let cmdlets: string[] = [];
    /** Write cmdlets Exchange carried out (answered 2xx), by the mailbox folder they named. */
    let writesDone: string[] = [];
    const logger = recordingLogger();
    const deps = () => ({ graph, exchange, logger });
    const state = () => f.sandbox.state();
    const staff = () => [...state().groups.values()].find(g => g.displayName === 'Staff')?.id ?? '';
    const writes = () => cmdlets.filter(c => writeCmdlets.has(c)).length;
    /** Users in Staff and its nested groups, from the sandbox's own model. */
    const members = () => transitiveMembers(state(), staff()).filter(id => state().users.has(id));
    const withMailbox = () => members().filter(id => state().mailboxes.has(id));
    const withoutMailbox = () => members().filter(id => !state().mailboxes.has(id));
    const rightsOf = (userId: string, granteeSmtp: string) => {
        const grantee = [...state().groups.values()].find(g => g.mail === granteeSmtp)?.id;
        return state().mailboxes.get(userId)?.calendarPermissions.find(e => e.principal === grantee)?.accessRights;
    };
    const request = (grantee: string, extra: Partial<CalendarGrantRequest> = {}): CalendarGrantRequest => ({ mode: 'grant', groupId: staff(), groupName: 'Staff', grantee, accessRight: 'Editor', ...extra });
    let groups = 0;
    /** A fresh mail-enabled security group, as the guide creates one, so each test starts from a clean grantee. */
    const newGrantee = async () => {
        const smtp = `calendar-sync-${++groups}@contoso.com`;
        await newDistributionGroup(exchange, { Name: `Calendar Sync ${groups}`, PrimarySmtpAddress: smtp, Type: 'Security' });
        return smtp;
    };
    const assertState = (smtp: string, right: CalendarAccessRight | undefined) => {
        for (const id of withMailbox()) assert.deepEqual(rightsOf(id, smtp), right ? [right] : undefined, state().users.get(id)?.userPrincipalName);
    };

    before(async () => {
        f = await sandboxFixture({ users: 120 });
        const cloud = sandboxCloud(f);
        const tokens = appTokens(f, logger);
        graph = new GraphClient({ cloud, tokens, transport: f.transport, logger, baseDelayMs: 20 });
        // Records every cmdlet sent, single or batched, to count the writes.
        const transport = {
            send: async (r: HttpRequest) => {
                const body = JSON.parse(String(r.body ?? '{}')) as { CmdletInput?: { CmdletName: string }; requests?: { id: string; body: { CmdletInput: { CmdletName: string; Parameters: { Identity?: string } } } }[] };
                if (body.CmdletInput) cmdlets.push(body.CmdletInput.CmdletName);
                for (const item of body.requests ?? []) cmdlets.push(item.body.CmdletInput.CmdletName);
                const response = await f.transport.send(r);
                if (body.requests && response.status === 200) {
                    const answers = (JSON.parse(response.body.toString('utf8')) as { responses: { id: string; status: number }[] }).responses;
                    for (const item of body.requests) {
                        const ok = (answers.find(a => a.id === item.id)?.status ?? 0) < 300;
                        if (ok && writeCmdlets.has(item.body.CmdletInput.CmdletName)) writesDone.push(item.body.CmdletInput.Parameters.Identity ?? '');
                    }
                }
                return response;
            },
        };
        exchange = new ExchangeAdminClient({ cloud, tenantId: f.sandbox.tenantId, tokens, transport, logger, baseDelayMs: 20 });
    });
    beforeEach(() => {
        cmdlets = [];
        writesDone = [];
    });
    afterEach(() => f.sandbox.setKnobs({ throttleExchangePerSecond: 0, throttleBurst: 10, faultRatio: 0, latencyMs: 0 }));
    after(() => f.stop());

    it('grants Editor on every member\'s calendar (nested groups, localised calendars); members without a mailbox are skipped and listed', async () => {
        const grantee = await newGrantee();
        assert.ok(withoutMailbox().length > 0 && withMailbox().some(id => state().mailboxes.get(id)?.calendarFolderName !== 'Calendar'), 'the seed has both');
        const progress: number[] = [];
        const summary = await runCalendarGrant(deps(), request(grantee), { onProgress: p => progress.push(p.finished) });
        assert.equal(summary.cancelled, false);
        assert.equal(summary.outcomes.length, members().length);
        assert.equal(new Set(summary.outcomes.map(o => o.userId)).size, summary.outcomes.length, 'each user once');
        assert.deepEqual(summary.outcomes.filter(o => o.outcome === 'granted').map(o => o.userId).sort(), withMailbox().sort());
        const skipped = summary.outcomes.filter(o => o.outcome === 'skipped');
        assert.deepEqual(skipped.map(o => o.userId).sort(), withoutMailbox().sort());
        assert.ok(skipped.every(o => o.reason === 'no mailbox'));
        assertState(grantee, 'Editor');
        const german = summary.outcomes.find(o => state().mailboxes.get(o.userId)?.calendarFolderName === 'Kalender');
        assert.equal(german?.folder, `${german?.userPrincipalName ?? ''}:\\Kalender`);
        // One write carried out per mailbox, on its own calendar; a first grant adds without reading first, so the
        // members without a mailbox and the localised calendars also see an Add that Exchange refuses (and changes nothing).
        assert.equal(writesDone.length, withMailbox().length, 'one write per mailbox');
        assert.equal(new Set(writesDone).size, writesDone.length);
        const grantCmdlets = cmdlets.filter(c => c.endsWith('MailboxFolderPermission') || c === 'Get-MailboxFolderStatistics').length;
        const byName = cmdlets.reduce<Record<string, number>>((m, c) => ({ ...m, [c]: (m[c] ?? 0) + 1 }), {});
        // At most: one Add per mailbox named Calendar and per member without a mailbox, three for a localised calendar
        // (the refused Add, the folder's name, the Add), and a read for each mailbox of the first round of batches (4 × 10).
        const localised = withMailbox().filter(id => state().mailboxes.get(id)?.calendarFolderName !== 'Calendar').length;
        assert.ok(grantCmdlets <= members().length + 2 * localised + 40, `few cmdlets per member: ${grantCmdlets} for ${members().length} (${JSON.stringify(byName)}, ${withoutMailbox().length} without a mailbox, ${localised} localised)`);
        assert.equal(progress.at(-1), members().length);
        assert.ok(summary.requests.exchange < members().length, `batched: ${summary.requests.exchange} requests for ${members().length} members`);
        assert.ok(summary.requests.graph >= 2);

        const markdown = calendarGrantSummaryMarkdown(summary);
        assert.match(markdown, new RegExp(`## Skipped \\(${skipped.length}\\)`));
        for (const o of skipped) assert.ok(markdown.includes(`| ${o.displayName} | ${o.userPrincipalName} | no mailbox |`), o.userPrincipalName);
        assert.match(markdown, new RegExp(`\\| Granted \\| ${withMailbox().length} \\|`));
        assert.match(markdown, /## Failed \(0\)\n\nNone\./);
        assert.doesNotMatch(markdown, /How to resume/);

        // A second run finds everything in place and sends no write at all.
        cmdlets = [];
        const again = await runCalendarGrant(deps(), request(grantee));
        assert.deepEqual(again.outcomes.filter(o => o.outcome === 'alreadyInPlace').map(o => o.userId).sort(), withMailbox().sort());
        assert.equal(again.outcomes.filter(o => o.outcome === 'skipped').length, withoutMailbox().length);
        assert.equal(writes(), 0);
        assert.ok(cmdlets.length > 0);
    });

    it('changes a member who had Reviewer to Editor and keeps the previous rights; revoke removes every entry', async () => {
        const grantee = await newGrantee();
        const [reviewer, ...rest] = withMailbox();
        const folder = (id: string) => `${state().users.get(id)?.userPrincipalName ?? ''}:\\${state().mailboxes.get(id)?.calendarFolderName ?? ''}`;
        await exchange.invoke('Add-MailboxFolderPermission', { Identity: folder(reviewer), User: grantee, AccessRights: ['Reviewer'] });
        await exchange.invoke('Add-MailboxFolderPermission', { Identity: folder(rest[0]), User: grantee, AccessRights: ['Editor'] });
        cmdlets = [];
        const summary = await runCalendarGrant(deps(), request(grantee));
        const changed = summary.outcomes.filter(o => o.outcome === 'changed');
        assert.deepEqual(changed.map(o => [o.userId, o.previousRights]), [[reviewer, ['Reviewer']]]);
        assert.equal(summary.outcomes.find(o => o.userId === rest[0])?.outcome, 'alreadyInPlace');
        assert.equal(cmdlets.filter(c => c === 'Set-MailboxFolderPermission').length, 1);
        assertState(grantee, 'Editor');
        assert.match(calendarGrantSummaryMarkdown(summary), /## Previous rights \(1\)[\s\S]*\| Reviewer \| Editor \|/);

        cmdlets = [];
        const revoked = await runCalendarGrant(deps(), request(grantee, { mode: 'revoke' }));
        assert.deepEqual(revoked.outcomes.filter(o => o.outcome === 'revoked').map(o => o.userId).sort(), withMailbox().sort());
        assert.ok(revoked.outcomes.filter(o => o.outcome === 'revoked').every(o => o.previousRights?.join() === 'Editor'));
        assert.equal(cmdlets.filter(c => c === 'Remove-MailboxFolderPermission').length, withMailbox().length);
        assertState(grantee, undefined);
        cmdlets = [];
        const nothing = await runCalendarGrant(deps(), request(grantee, { mode: 'revoke' }));
        assert.equal(nothing.outcomes.filter(o => o.outcome === 'notPresent').length, withMailbox().length);
        assert.equal(writes(), 0);
    });

    it('refuses, before any change, a grantee without a mailbox, a group that is not mail-enabled, an unknown grantee and an unknown group', async () => {
        const noMailbox = state().users.get(withoutMailbox()[0])?.userPrincipalName ?? '';
        await assert.rejects(runCalendarGrant(deps(), request(noMailbox)), (e: Error) => e instanceof CalendarGrantInputError && e.message.includes(noMailbox) && /user without a mailbox/.test(e.message));
        await assert.rejects(runCalendarGrant(deps(), request('Staff - IT')), (e: Error) => e instanceof CalendarGrantInputError && /"Staff - IT".*not mail-enabled/.test(e.message));
        await assert.rejects(runCalendarGrant(deps(), request('nobody-at-all@contoso.com')), (e: Error) => e instanceof CalendarGrantInputError && /no recipient "nobody-at-all@contoso.com"/.test(e.message));
        await assert.rejects(runCalendarGrant(deps(), request('allcompany@contoso.com')), (e: Error) => e instanceof CalendarGrantInputError && /Microsoft 365 group/.test(e.message));
        const grantee = await newGrantee();
        cmdlets = [];
        await assert.rejects(
            runCalendarGrant(deps(), request(grantee, { groupId: '00000000-1111-4222-8333-444444444444', groupName: 'Old Staff' })),
            (e: Error) => e instanceof CalendarGrantInputError && /The group "Old Staff" \(id 00000000-1111-4222-8333-444444444444\) does not exist/.test(e.message),
        );
        await assert.rejects(runCalendarGrant(deps(), request(grantee, { accessRight: 'Editr' as CalendarAccessRight })), (e: Error) => e instanceof CalendarGrantInputError && /access right "Editr" .*one of Owner/.test(e.message));
        assert.equal(writes(), 0);
    });

    it('stops within a round when cancelled, journals what is final, and a resumed run finishes the rest', async () => {
        const grantee = await newGrantee();
        f.sandbox.setKnobs({ latencyMs: 15 });
        const saved: MailboxOutcome[] = [];
        const journal: CalendarGrantJournal = { load: () => Promise.resolve([...saved]), append: outcomes => { saved.push(...outcomes); return Promise.resolve(); } };
        const controller = new AbortController();
        const first = await runCalendarGrant(deps(), request(grantee), { journal, signal: controller.signal, onProgress: p => { if (p.finished >= 20) controller.abort(); } });
        assert.equal(first.cancelled, true);
        assert.ok(first.outcomes.length >= 20 && first.outcomes.length < members().length, `${first.outcomes.length} of ${members().length}`);
        assert.deepEqual(saved.map(o => o.userId).sort(), first.outcomes.map(o => o.userId).sort(), 'every final outcome is in the journal');
        assert.equal((first.notDone ?? []).length + first.outcomes.length, members().length);
        const markdown = calendarGrantSummaryMarkdown(first);
        assert.match(markdown, /\*\*Cancelled\*\*/);
        assert.match(markdown, new RegExp(`## Not done \\(${members().length - first.outcomes.length}\\)`));
        assert.match(markdown, /### How to resume/);

        const second = await runCalendarGrant(deps(), request(grantee), { journal });
        assert.equal(second.cancelled, false);
        assert.ok(second.resumedFrom > 0);
        assert.equal(second.resumedFrom, first.outcomes.filter(o => o.outcome !== 'failed').length);
        assert.equal(second.outcomes.length, members().length);
        assert.equal(new Set(second.outcomes.map(o => o.userId)).size, members().length);
        assert.equal(second.outcomes.filter(o => o.outcome === 'failed').length, 0);
        assertState(grantee, 'Editor');
    });

    it('a cancel before anything was read returns an empty cancelled summary, never an error', async () => {
        const controller = new AbortController();
        controller.abort();
        const summary = await runCalendarGrant(deps(), request('calendar-sync-1@contoso.com'), { signal: controller.signal });
        assert.equal(summary.cancelled, true);
        assert.equal(summary.outcomes.length, 0);
    });

    it('works on the first mailboxes while the group is still being listed; a cancel then reports the members not yet listed', async () => {
        const grantee = await newGrantee();
        // Graph pages of 20 (Graph may send fewer than $top asks for), each a little slow: a big group in miniature.
        const events: string[] = [];
        let pageDelayMs = 0;
        const pagedGraph = new GraphClient({
            cloud: sandboxCloud(f),
            tokens: appTokens(f, logger),
            logger,
            transport: {
                send: async (r: HttpRequest) => {
                    const isMembers = r.url.includes('/transitiveMembers/');
                    if (isMembers) {
                        events.push('members page');
                        await new Promise(resolve => setTimeout(resolve, pageDelayMs));
                    }
                    return f.transport.send(isMembers ? { ...r, url: r.url.replace('%24top=999', '%24top=20').replace('$top=999', '$top=20') } : r);
                },
            },
        });
        const watchedExchange = { invokeBatch: (...args: Parameters<ExchangeAdminClient['invokeBatch']>) => (events.push('batch'), exchange.invokeBatch(...args)), invoke: exchange.invoke.bind(exchange) } as unknown as ExchangeAdminClient;
        pageDelayMs = 150;
        const summary = await runCalendarGrant({ graph: pagedGraph, exchange: watchedExchange, logger }, request(grantee));
        const pages = events.filter(e => e === 'members page').length;
        assert.ok(pages >= 4, `the group came in ${pages} pages`);
        assert.ok(events.indexOf('batch') < events.lastIndexOf('members page'), `the first batch left before the last page was asked for: ${events.join(', ')}`);
        assert.equal(summary.members, members().length);
        assert.equal(summary.outcomes.filter(o => o.outcome === 'granted').length, withMailbox().length);
        assertState(grantee, 'Editor');

        // Cancelled after the first answers, with pages still to come: those members are counted as not done.
        const second = await newGrantee();
        events.length = 0;
        pageDelayMs = 1_000;
        const controller = new AbortController();
        const cancelling = { ...watchedExchange, invokeBatch: async (...args: Parameters<ExchangeAdminClient['invokeBatch']>) => {
            const results = await exchange.invokeBatch(...args);
            controller.abort();
            return results;
        } } as unknown as ExchangeAdminClient;
        const cancelled = await runCalendarGrant({ graph: pagedGraph, exchange: cancelling, logger }, request(second), { signal: controller.signal });
        assert.equal(cancelled.cancelled, true);
        assert.ok((cancelled.unlisted ?? 0) > 0 && cancelled.members === members().length, `Graph counted ${cancelled.members} members; ${cancelled.unlisted} not listed yet`);
        assert.ok(calendarGrantSummaryMarkdown(cancelled).includes(`${cancelled.unlisted} more members of the group had not been listed yet`));
        assert.equal(cancelled.outcomes.length + (cancelled.notDone?.length ?? 0) + (cancelled.unlisted ?? 0), members().length, 'every member is finished, not done, or not listed');
    });

    it('completes correctly with 10% of requests failing (503 or dropped) and a throttle, counting the 429s', async () => {
        const grantee = await newGrantee();
        // A burst smaller than a batch: commands of a batch are throttled one by one, and whole requests too.
        f.sandbox.setKnobs({ faultRatio: 0.1, throttleExchangePerSecond: 20, throttleBurst: 5 });
        const before = structuredClone(f.sandbox.stats());
        const faultsBefore = before.exchange.faults + before.graph.faults;
        const summary = await runCalendarGrant(deps(), request(grantee, { accessRight: 'Reviewer' }));
        const after = f.sandbox.stats();
        assert.equal(summary.cancelled, false);
        assert.deepEqual(summary.outcomes.filter(o => o.outcome === 'failed'), []);
        assert.equal(summary.outcomes.filter(o => o.outcome === 'granted').length, withMailbox().length);
        assertState(grantee, 'Reviewer');
        assert.ok(after.exchange.faults + after.graph.faults > faultsBefore, 'faults were injected');
        // Commands throttled: inside batches (each command counts against the throttle) and whole requests.
        assert.ok(summary.throttled > 0, `429s counted: ${summary.throttled} commands (${after.exchange.throttled - before.exchange.throttled} whole requests)`);
    });
});

describe('AdaptivePacer, the engine\'s client-side rate', () => {
    /** A clock that moves only when someone sleeps. */
    const fakeClock = () => {
        let t = 10_000;
        const waits: number[] = [];
        return { now: () => t, sleep: (ms: number) => { waits.push(ms); t += ms; return Promise.resolve(); }, waits, advance: (ms: number) => { t += ms; } };
    };
    const answer = (status: number, sentAt: number, extra: { retryAfterMs?: number; throttledItems?: number } = {}) => ({ status, sentAt, items: 10, throttledItems: extra.throttledItems ?? 0, requestId: 'r', ...(extra.retryAfterMs !== undefined ? { retryAfterMs: extra.retryAfterMs } : {}) });

    it('spaces requests evenly at its rate, without saving up a burst while idle', async () => {
        const clock = fakeClock();
        const pacer = new AdaptivePacer({ initialRate: 10, now: clock.now, sleep: clock.sleep });
        await pacer.acquire();
        await pacer.acquire();
        await pacer.acquire();
        assert.deepEqual(clock.waits, [100, 100]);
        clock.advance(5_000);
        await pacer.acquire();
        await pacer.acquire();
        assert.deepEqual(clock.waits, [100, 100, 100], 'an idle spell earns one slot, not fifty');
    });

    it('a 429 closes a gate every request waits for, and cuts the rate once per throttling episode', async () => {
        const clock = fakeClock();
        const pacer = new AdaptivePacer({ initialRate: 10, now: clock.now, sleep: clock.sleep });
        const sentBefore = clock.now();
        await pacer.acquire();
        pacer.observe(answer(429, sentBefore, { retryAfterMs: 2_000 }));
        const rateAfterCut = pacer.currentRate;
        assert.ok(rateAfterCut < 10);
        // A second 429 for a request sent before the cut: counted, but the rate is not cut again.
        pacer.observe(answer(429, sentBefore, { retryAfterMs: 500 }));
        assert.equal(pacer.currentRate, rateAfterCut);
        assert.equal(pacer.throttled, 20, 'every command of a request answered 429 counts');
        const gateFrom = clock.now();
        await pacer.acquire();
        assert.ok(clock.now() - gateFrom >= 2_000, 'waited for the longest Retry-After');
        // Items throttled inside a batch count and close the gate too.
        pacer.observe(answer(200, clock.now(), { throttledItems: 3, retryAfterMs: 1_000 }));
        assert.equal(pacer.throttled, 23);
        assert.ok(pacer.currentRate < rateAfterCut, 'a new episode cuts again');
        assert.equal(pacer.requests, 3);
    });

    it('grows only while the rate is what holds the work back, in commands a second', async () => {
        const clock = fakeClock();
        const pacer = new AdaptivePacer({ initialRate: 50, now: clock.now, sleep: clock.sleep });
        const rate = (): number => pacer.currentRate;
        await pacer.acquire(undefined, 10);
        pacer.observe(answer(200, clock.now()));
        assert.equal(rate(), 50, 'ten commands in the last second: the caller, not the rate, set the pace');
        for (let i = 0; i < 4; i++) await pacer.acquire(undefined, 10);
        assert.deepEqual(clock.waits, [200, 200, 200, 200], 'a batch of 10 takes 10 slots at 50 a second');
        pacer.observe(answer(200, clock.now() - 1_000));
        assert.equal(rate(), 60, 'commands leave at the rate: climbing, each good answer with a round trip of a second adds the commands it carried');
        pacer.observe(answer(429, clock.now(), { retryAfterMs: 1_000 }));
        const cut = rate();
        assert.ok(cut <= 0.6 * 60, `a 429 in the first second of sending cuts to 60 %: ${cut}`);
        await pacer.acquire(undefined, 10);
        await pacer.acquire(undefined, 10);
        await pacer.acquire(undefined, 10);
        pacer.observe(answer(200, clock.now()));
        const grown = rate();
        // Far below the rate of the 429, it climbs back at 10 % a second: this answer's 10 commands are 10/36 s of it.
        assert.ok(grown > cut && Math.abs(grown - cut - 1) < 0.01, `after the first 429 it climbs back: ${cut} → ${grown}`);
    });

    it('climbs by round trips before the first 429 (at most four doublings a second), and keeps what the service let through as its ceiling', async () => {
        const clock = fakeClock();
        const pacer = new AdaptivePacer({ initialRate: 50, now: clock.now, sleep: clock.sleep });
        for (let i = 0; i < 3; i++) await pacer.acquire(undefined, 10);
        const sentAt = clock.now();
        clock.advance(250);
        pacer.observe(answer(200, sentAt));
        assert.equal(pacer.currentRate, 90, 'a round trip of 250 ms: each command answered adds four to the rate, a doubling per round trip');
        clock.advance(2_000);
        pacer.observe(answer(200, clock.now()));
        assert.equal(pacer.currentRate, 90, 'no request waited for its slot in the last second: the rate held nothing back, so it does not grow');
        // Sending for over a second: in the last one the service accepted four answers of 10 and 5 of the throttled
        // batch, 45 commands; the 429 cuts to just under that.
        for (let i = 0; i < 3; i++) {
            await pacer.acquire(undefined, 10);
            pacer.observe(answer(200, clock.now() - 1_000));
        }
        const grown = pacer.currentRate;
        pacer.observe(answer(200, clock.now(), { throttledItems: 5, retryAfterMs: 1_000 }));
        const cut = pacer.currentRate;
        assert.ok(grown > 45 && Math.abs(cut - 0.95 * 45) < 0.01, `cut from ${grown} to 95 % of what the service let through in the last second (45): ${cut}`);
        await pacer.acquire(undefined, 10);
        await pacer.acquire(undefined, 10);
        pacer.observe(answer(200, clock.now() - 1_000));
        assert.ok(pacer.currentRate - cut < 0.1, `near what the service let through it climbs slowly, not back towards the overshoot (${grown}): ${cut} → ${pacer.currentRate}`);
    });
});
