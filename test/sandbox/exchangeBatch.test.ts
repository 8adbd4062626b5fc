import * as assert from 'node:assert/strict';
import { ExchangeAdminClient } from '../../src/exchange/ExchangeAdminClient';
import { ExchangeCommandError } from '../../src/exchange/ExchangeCommandError';
import type { BatchAnswer } from '../../src/exchange/exchangeBatch';
import type { HttpRequest, HttpResponse } from '../../src/net/HttpTransport';
import { appTokens, recordingLogger, sandboxCloud } from '../unit/graph/clientFixture';
import { readExchangeError } from './exchangeErrorBody';
import { sandboxFixture, type SandboxFixture, exchangeSignIns } from './fixture';

interface Item { id: string; status: number; headers: Record<string, string>; body: { value?: Record<string, unknown>[]; '@odata.nextLink'?: string; '@adminapi.warnings'?: string[]; error?: { code: string; message: string } } }
interface Command { cmdlet: string; parameters?: Record<string, unknown>; headers?: Record<string, string>; url?: string; id?: string }

describe('Sandbox Exchange admin API $batch, and ExchangeAdminClient.invokeBatch', function () {
    this.timeout(60_000);
    let f: SandboxFixture;
    let app: string;
    let readerToken: string;
    const base = () => `${f.sandbox.exchangeUrl}/adminapi/beta/${f.sandbox.tenantId}`;
    const state = () => f.sandbox.state();
    const mailboxOf = (calendar: 'Calendar' | 'Kalender') => [...state().mailboxes.values()].find(m => m.recipientTypeDetails === 'UserMailbox' && m.calendarFolderName === calendar)?.primarySmtpAddress ?? '';
    const unlicensed = () => [...state().users.values()].find(u => !state().mailboxes.has(u.id) && u.userPrincipalName.endsWith('@contoso.com') && u.assignedLicenses.length === 0 && !u.userPrincipalName.startsWith('svc-'))?.userPrincipalName ?? '';

    before(async () => {
        f = await sandboxFixture();
        app = await f.appToken('exchange');
        readerToken = (await exchangeSignIns(f)).reader;
        await invoke('New-DistributionGroup', { Name: 'Calendar Editors', PrimarySmtpAddress: 'calendar-editors@contoso.com', Type: 'Security' });
    });
    afterEach(() => f.sandbox.setKnobs({ throttleExchangePerSecond: 0, throttleBurst: 10, latencyMs: 0, faultRatio: 0, exchangeBatchCost: 'per-item' }));
    after(() => f.stop());

    async function invoke(cmdlet: string, parameters: Record<string, unknown> = {}): Promise<{ status: number; body: Item['body'] }> {
        const answer = await f.transport.send({ method: 'POST', url: `${base()}/InvokeCommand`, headers: { authorization: `Bearer ${app}`, 'content-type': 'application/json' }, body: JSON.stringify({ CmdletInput: { CmdletName: cmdlet, Parameters: parameters } }) });
        const text = answer.body.toString('utf8');
        // A 403 for a missing role has no JSON body (empty or NUL bytes): keep it as text for readExchangeError.
        return { status: answer.status, body: (answer.status === 403 ? text : JSON.parse(text)) as Item['body'] };
    }

    async function batch(commands: Command[], options: { continueOnError?: boolean; token?: string; raw?: unknown } = {}): Promise<{ status: number; items: Item[]; error?: Item['body']['error']; headers: HttpResponse['headers'] }> {
        const requests = commands.map((c, i) => ({
            id: c.id ?? String(i + 1),
            method: 'POST',
            url: c.url ?? `/adminapi/beta/${f.sandbox.tenantId}/InvokeCommand`,
            headers: { 'Content-Type': 'application/json', ...(c.headers ?? {}) },
            body: { CmdletInput: { CmdletName: c.cmdlet, Parameters: c.parameters ?? {} } },
        }));
        const answer = await f.transport.send({
            method: 'POST',
            url: `${base()}/$batch`,
            headers: { authorization: `Bearer ${options.token ?? app}`, 'content-type': 'application/json', ...(options.continueOnError === false ? {} : { prefer: 'odata.continue-on-error' }) },
            body: JSON.stringify(options.raw ?? { requests }),
        });
        const json = JSON.parse(answer.body.toString('utf8')) as { responses?: Item[]; error?: Item['body']['error'] };
        return { status: answer.status, items: json.responses ?? [], headers: answer.headers, ...(json.error ? { error: json.error } : {}) };
    }

    /** The parts of an InvokeCommand answer that do not vary between two calls (not the request ids). */
    // The error's form (pipe, JSON, bare) is picked per answer, so two answers are compared by what they say.
    const comparable = (body: Item['body']) => {
        if (!body.error) return { value: body.value, warnings: body['@adminapi.warnings'] };
        const { code, fixed, type, message } = readExchangeError(body);
        return { code, fixed, type, message };
    };
    /** The exception type and text of an error answer, whatever its form. */
    const errorOf = (body: unknown) => readExchangeError(body);

    it('answers each request as InvokeCommand would, in order, with its own status and request id', async () => {
        const commands: Command[] = [
            { cmdlet: 'Get-Mailbox', parameters: { Identity: 'admin@contoso.com' } },
            { cmdlet: 'Get-Mailbox', parameters: { Identity: 'nobody@contoso.com' } },
            { cmdlet: 'Get-Recipient', parameters: { Identity: 'calendar-editors@contoso.com' } },
            { cmdlet: 'Get-Nothing' },
        ];
        const answer = await batch(commands);
        assert.equal(answer.status, 200);
        assert.equal(answer.headers['preference-applied'], 'odata.continue-on-error');
        assert.deepEqual(answer.items.map(i => [i.id, i.status]), [['1', 200], ['2', 404], ['3', 200], ['4', 400]]);
        for (const [i, command] of commands.entries()) {
            const single = await invoke(command.cmdlet, command.parameters);
            assert.equal(answer.items[i].status, single.status);
            assert.deepEqual(comparable(answer.items[i].body), comparable(single.body), command.cmdlet);
        }
        assert.equal(new Set(answer.items.map(i => i.headers['request-id'])).size, 4, 'a request id per item');
        assert.match(errorOf(answer.items[1].body).message, /object 'nobody@contoso.com' couldn't be found/);
    });

    it('stops at the first failure without Prefer: odata.continue-on-error, answering the rest 424', async () => {
        const answer = await batch([
            { cmdlet: 'Get-Mailbox', parameters: { Identity: 'admin@contoso.com' } },
            { cmdlet: 'Get-Mailbox', parameters: { Identity: 'nobody@contoso.com' } },
            { cmdlet: 'Get-Mailbox', parameters: { Identity: 'helpdesk@contoso.com' } },
            { cmdlet: 'Set-DistributionGroup', parameters: { Identity: 'calendar-editors@contoso.com', HiddenFromAddressListsEnabled: true } },
        ], { continueOnError: false });
        assert.deepEqual(answer.items.map(i => i.status), [200, 404, 424, 424]);
        assert.equal(answer.items[2].body.error?.code, 'FailedDependency');
        assert.equal(answer.headers['preference-applied'], undefined);
        assert.equal([...state().groups.values()].find(g => g.mail === 'calendar-editors@contoso.com')?.exchange?.hiddenFromAddressListsEnabled, false, 'the write after the failure did not run');
    });

    it('refuses more than 10 requests, duplicate ids and a body without requests with a clear OData error', async () => {
        const eleven = await batch(Array.from({ length: 11 }, () => ({ cmdlet: 'Get-Mailbox', parameters: { Identity: 'admin' } })));
        assert.equal(eleven.status, 400);
        assert.equal(eleven.error?.code, 'BadRequest');
        assert.match(errorOf({ error: eleven.error }).message, /holds 11 requests; the Exchange admin API accepts at most 10/);
        const duplicate = await batch([{ cmdlet: 'Get-Mailbox', id: 'a' }, { cmdlet: 'Get-Mailbox', id: 'a' }]);
        assert.equal(duplicate.status, 400);
        assert.match(errorOf({ error: duplicate.error }).message, /unique/);
        const empty = await batch([], { raw: { requests: [] } });
        assert.equal(empty.status, 400);
        assert.match(errorOf({ error: empty.error }).message, /non-empty "requests"/);
        const ten = await batch(Array.from({ length: 10 }, () => ({ cmdlet: 'Get-Mailbox', parameters: { Identity: 'admin' } })));
        assert.deepEqual(ten.items.map(i => i.status), Array<number>(10).fill(200));
    });

    it('authorises each request on its own (a Global Reader may read, not write, in the same batch)', async () => {
        const answer = await batch([
            { cmdlet: 'Get-MailboxFolderPermission', parameters: { Identity: `${mailboxOf('Calendar')}:\\Calendar` } },
            { cmdlet: 'Add-MailboxFolderPermission', parameters: { Identity: `${mailboxOf('Calendar')}:\\Calendar`, User: 'calendar-editors@contoso.com', AccessRights: ['Editor'] } },
        ], { token: readerToken });
        assert.deepEqual(answer.items.map(i => i.status), [200, 403]);
        // A missing RBAC role answers 403 with no JSON at all (an empty or NUL-filled body), as real Exchange can.
        assert.ok(['empty', 'nul'].includes(errorOf(answer.items[1].body).form), JSON.stringify(answer.items[1].body));
    });

    it('takes absolute InvokeCommand URLs (as CIPP sends them) and pages an item by its own Prefer header', async () => {
        const answer = await batch([{ cmdlet: 'Get-Mailbox', url: `${base()}/InvokeCommand`, headers: { Prefer: 'odata.maxpagesize=5' } }]);
        assert.equal(answer.items[0].status, 200);
        assert.equal(answer.items[0].body.value?.length, 5);
        assert.match(answer.items[0].body['@odata.nextLink'] ?? '', /InvokeCommand\?%24skiptoken=|InvokeCommand\?\$skiptoken=/);
    });

    it('charges each command of a batch against the throttle by default: those beyond the bucket answer 429 each, with Retry-After', async () => {
        assert.equal(f.sandbox.knobs().exchangeBatchCost, 'per-item');
        f.sandbox.setKnobs({ throttleExchangePerSecond: 1, throttleBurst: 3 });
        const answer = await batch(Array.from({ length: 5 }, () => ({ cmdlet: 'Get-Mailbox', parameters: { Identity: 'admin' } })));
        assert.equal(answer.status, 200);
        assert.deepEqual(answer.items.map(i => i.status), [200, 200, 200, 429, 429]);
        for (const item of answer.items.slice(3)) {
            assert.ok(Number(item.headers['Retry-After']) >= 1, 'each throttled command says when to come back');
            assert.equal(item.body.value, undefined, 'a throttled command was not run');
        }
        const next = await batch([{ cmdlet: 'Get-Mailbox', parameters: { Identity: 'admin' } }]);
        assert.equal(next.status, 429, 'a batch that arrives at an empty bucket is turned away as a whole');
        assert.ok(Number(next.headers['retry-after']) >= 1);
    });

    it('without continue-on-error, the commands after a throttled one answer 424 (not run)', async () => {
        f.sandbox.setKnobs({ throttleExchangePerSecond: 1, throttleBurst: 2 });
        const answer = await batch(Array.from({ length: 4 }, () => ({ cmdlet: 'Get-Mailbox', parameters: { Identity: 'admin' } })), { continueOnError: false });
        assert.deepEqual(answer.items.map(i => i.status), [200, 200, 429, 424]);
    });

    it('with exchangeBatchCost per-request, counts a batch once against the throttle, but not for free: latency once plus 2 ms per item', async () => {
        f.sandbox.setKnobs({ throttleExchangePerSecond: 1, throttleBurst: 1, latencyMs: 30, exchangeBatchCost: 'per-request' });
        const before = { ...f.sandbox.stats().exchange };
        const started = Date.now();
        const answer = await batch(Array.from({ length: 10 }, () => ({ cmdlet: 'Get-Mailbox', parameters: { Identity: 'admin' } })));
        const took = Date.now() - started;
        assert.equal(answer.status, 200);
        assert.ok(took >= 30 + 20, `took ${took} ms`);
        assert.equal(f.sandbox.stats().exchange.requests - before.requests, 1);
        const next = await batch([{ cmdlet: 'Get-Mailbox', parameters: { Identity: 'admin' } }]);
        assert.equal(next.status, 429, 'the bucket of 1 was spent by the one batch');
    });

    it('Get-MailboxFolderPermission -User answers only that entry, or Exchange\'s error when there is none', async () => {
        const mailbox = mailboxOf('Calendar');
        const none = await invoke('Get-MailboxFolderPermission', { Identity: `${mailbox}:\\Calendar`, User: 'calendar-editors@contoso.com' });
        assert.equal(none.status, 404);
        assert.equal(errorOf(none.body).type, 'Microsoft.Exchange.Management.StoreTasks.UserNotFoundInPermissionEntryException');
        assert.equal(errorOf(none.body).message, 'There is no existing permission entry found for user: Calendar Editors.');
        assert.equal((await invoke('Add-MailboxFolderPermission', { Identity: `${mailbox}:\\Calendar`, User: 'calendar-editors@contoso.com', AccessRights: ['Reviewer'] })).status, 200);
        const one = await invoke('Get-MailboxFolderPermission', { Identity: `${mailbox}:\\Calendar`, User: 'calendar-editors@contoso.com' });
        assert.deepEqual(one.body.value?.map(p => [(p.User as { DisplayName: string }).DisplayName, p.AccessRights]), [['Calendar Editors', ['Reviewer']]]);
        const all = await invoke('Get-MailboxFolderPermission', { Identity: `${mailbox}:\\Calendar` });
        assert.equal(all.body.value?.length, 3, 'Default, Anonymous and the group');
        const defaults = await invoke('Get-MailboxFolderPermission', { Identity: `${mailbox}:\\Calendar`, User: 'Default' });
        assert.deepEqual(defaults.body.value?.map(p => p.AccessRights), [['AvailabilityOnly']]);
    });

    it('tells "no such mailbox" from "no such folder" by exception type', async () => {
        const noMailbox = await invoke('Get-MailboxFolderPermission', { Identity: `${unlicensed()}:\\Calendar` });
        const german = mailboxOf('Kalender');
        const noFolder = await invoke('Get-MailboxFolderPermission', { Identity: `${german}:\\Calendar` });
        assert.equal(noMailbox.status, 404);
        assert.equal(noFolder.status, 404);
        assert.equal(errorOf(noMailbox.body).type, 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException');
        assert.equal(errorOf(noFolder.body).type, 'Microsoft.Exchange.Management.StoreTasks.ManagementObjectNotFoundException');
        assert.match(errorOf(noMailbox.body).message, /object '.*' couldn't be found on '/);
        assert.match(errorOf(noFolder.body).message, /:\\Calendar' couldn't be found\.$/);
        assert.equal((await invoke('Get-MailboxFolderPermission', { Identity: `${german}:\\Kalender` })).status, 200);
    });

    it('refuses a security group that is not mail-enabled as a folder permission grantee, and Get-Recipient does not know it', async () => {
        const staff = [...state().groups.values()].find(g => g.displayName === 'Staff - IT');
        // Get-Recipient returns mail-enabled objects only (Get-Recipient.md): a plain security group is no recipient.
        const recipient = await invoke('Get-Recipient', { Identity: staff?.id ?? '' });
        assert.equal(recipient.status, 404);
        const add = await invoke('Add-MailboxFolderPermission', { Identity: `${mailboxOf('Calendar')}:\\Calendar`, User: staff?.id ?? '', AccessRights: ['Editor'] });
        assert.equal(add.status, 400);
    });

    describe('ExchangeAdminClient.invokeBatch', () => {
        const logger = recordingLogger();
        const issued: string[] = [];
        let sent: HttpRequest[] = [];
        let tamper: ((request: HttpRequest, response: HttpResponse) => HttpResponse) | undefined;
        let client: ExchangeAdminClient;

        before(() => {
            const transport = {
                send: async (request: HttpRequest) => {
                    sent.push(request);
                    const response = await f.transport.send(request);
                    return tamper ? tamper(request, response) : response;
                },
            };
            client = new ExchangeAdminClient({ cloud: sandboxCloud(f), tenantId: f.sandbox.tenantId, tokens: appTokens(f, logger, issued), transport, logger, baseDelayMs: 20 });
        });
        beforeEach(() => {
            sent = [];
            tamper = undefined;
        });

        it('sends 10 commands per $batch with continue-on-error and answers in input order, errors typed', async () => {
            const mailboxes = [...state().mailboxes.values()].slice(0, 23).map(m => m.primarySmtpAddress);
            const commands = [...mailboxes.map(upn => ({ cmdlet: 'Get-Mailbox', parameters: { Identity: upn }, anchorMailbox: upn })), { cmdlet: 'Get-Mailbox', parameters: { Identity: 'nobody@contoso.com' } }];
            const results = await client.invokeBatch<{ PrimarySmtpAddress: string }>(commands, {});
            assert.equal(results.length, 24);
            assert.equal(sent.filter(r => r.url.endsWith('/$batch')).length, 3);
            for (const request of sent) {
                assert.equal(request.headers?.prefer, 'odata.continue-on-error');
                const body = JSON.parse(String(request.body)) as { requests: { id: string; url: string; headers: Record<string, string> }[] };
                assert.ok(body.requests.length <= 10);
                assert.match(body.requests[0].url, /^\/adminapi\/beta\/[^/]+\/InvokeCommand$/);
            }
            const first = JSON.parse(String(sent[0].body)) as { requests: { headers: Record<string, string> }[] };
            assert.equal(first.requests[0].headers['X-AnchorMailbox'], `UPN:${mailboxes[0]}`);
            results.slice(0, 23).forEach((r, i) => assert.ok(r.ok && r.value[0].PrimarySmtpAddress === mailboxes[i]));
            const last = results[23];
            assert.ok(!last.ok && last.error instanceof ExchangeCommandError && last.error.isNotFound && last.error.status === 404 && !!last.error.requestId);
        });

        it('surfaces warnings per command', async () => {
            const set = { cmdlet: 'Set-DistributionGroup', parameters: { Identity: 'calendar-editors@contoso.com', HiddenFromAddressListsEnabled: false } };
            const [result] = await client.invokeBatch([set]);
            assert.ok(result.ok);
            assert.match(result.warnings[0] ?? '', /no settings .* have been modified/);
        });

        it('sends again only the commands answered 429 inside a batch, after their Retry-After', async () => {
            let tampered = 0;
            tamper = (request, response) => {
                if (!request.url.endsWith('/$batch') || tampered++) return response;
                const json = JSON.parse(response.body.toString('utf8')) as { responses: Item[] };
                json.responses[1] = { id: json.responses[1].id, status: 429, headers: { 'Retry-After': '0' }, body: { error: { code: 'TooManyRequests', message: 'busy' } } };
                return { ...response, body: Buffer.from(JSON.stringify(json)) };
            };
            const answers: BatchAnswer[] = [];
            const results = await client.invokeBatch<{ Alias: string }>(['admin', 'helpdesk', 'reception'].map(a => ({ cmdlet: 'Get-Mailbox', parameters: { Identity: a } })), { onAnswer: a => answers.push(a) });
            assert.deepEqual(results.map(r => r.ok && r.value[0].Alias), ['admin', 'helpdesk', 'reception']);
            assert.equal(sent.length, 2);
            const again = JSON.parse(String(sent[1].body)) as { requests: { body: { CmdletInput: { Parameters: { Identity: string } } } }[] };
            assert.deepEqual(again.requests.map(r => r.body.CmdletInput.Parameters.Identity), ['helpdesk']);
            assert.deepEqual(answers.map(a => [a.status, a.throttledItems]), [[200, 1], [200, 0]]);
        });

        it('retries a throttled $batch as a whole through the request policy, and paces through the caller\'s hook', async () => {
            f.sandbox.setKnobs({ throttleExchangePerSecond: 5, throttleBurst: 1 });
            const throttledBefore = f.sandbox.stats().exchange.throttled;
            let paced = 0;
            const answers: BatchAnswer[] = [];
            const results = await Promise.all([1, 2, 3].map(() => client.invokeBatch([{ cmdlet: 'Get-Mailbox', parameters: { Identity: 'admin' } }], { pace: () => { paced++; return Promise.resolve(); }, onAnswer: a => answers.push(a) })));
            assert.ok(results.every(([r]) => r.ok));
            assert.ok(f.sandbox.stats().exchange.throttled > throttledBefore, 'the sandbox throttled');
            assert.ok(answers.some(a => a.status === 429 && (a.retryAfterMs ?? 0) >= 1000));
            assert.equal(paced, answers.length, 'every attempt was paced');
        });

        it('does not resend a batch with a write in it after a dropped connection: its commands say "unknown"', async () => {
            tamper = request => {
                if (request.url.endsWith('/$batch')) throw Object.assign(new Error('Cannot reach the host: socket hang up.'), { name: 'NetworkError' });
                throw new Error('unexpected');
            };
            const results = await client.invokeBatch([
                { cmdlet: 'Get-Mailbox', parameters: { Identity: 'admin' } },
                { cmdlet: 'Set-DistributionGroup', parameters: { Identity: 'calendar-editors@contoso.com', HiddenFromAddressListsEnabled: false } },
            ]);
            assert.equal(sent.length, 1);
            assert.ok(results.every(r => !r.ok && r.error.status === 0 && /whether the command ran is unknown/.test(r.error.message)));
        });

        it('cancels with an AbortError', async () => {
            const controller = new AbortController();
            controller.abort();
            await assert.rejects(client.invokeBatch([{ cmdlet: 'Get-Mailbox', parameters: {} }], { signal: controller.signal }), (e: Error) => e.name === 'AbortError');
        });

        it('logs method, status and request id per request and per command, never a token', () => {
            const log = logger.lines.join('\n');
            assert.match(log, /\[Exchange\] POST \$batch \(Get-Mailbox ×10\) → 200 \(request-id [0-9a-f-]{36}\)/);
            assert.match(log, /\[Exchange\] \$batch item Get-Mailbox → 404 \(request-id [0-9a-f-]{36}\)/);
            assert.doesNotMatch(log, /Bearer|authorization/i);
            for (const token of issued) assert.ok(!log.includes(token));
        });
    });
});
