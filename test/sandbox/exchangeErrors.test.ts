import * as assert from 'node:assert/strict';
import { readExchangeError } from './exchangeErrorBody';
import { sandboxFixture, type SandboxFixture, exchangeSignIns } from './fixture';

interface Answer { status: number; text: string; json?: { value?: Record<string, unknown>[]; '@adminapi.warnings'?: string[]; '@odata.nextLink'?: string; error?: Record<string, unknown> } }

/**
 * Conformance of the sandbox's Exchange admin API with what real Exchange Online sends (issue 13, items 1 and 4):
 * error bodies in each real form, the 403 without JSON, "not found" for a recipient Exchange has not received, the
 * mail-enabled recipients of Get-Recipient, and the default -ResultSize of 1000.
 */
describe('Sandbox Exchange admin API answers as real Exchange does', function () {
    this.timeout(120_000);
    let f: SandboxFixture;
    let app: string;
    let readerToken: string;
    const endpoint = () => `${f.sandbox.exchangeUrl}/adminapi/beta/${f.sandbox.tenantId}/InvokeCommand`;
    const state = () => f.sandbox.state();

    before(async () => {
        // More than 1000 mailboxes, to see the default -ResultSize.
        f = await sandboxFixture({ users: 1300 });
        app = await f.appToken('exchange');
        readerToken = (await exchangeSignIns(f)).reader;
        assert.equal((await run('New-DistributionGroup', { Name: 'Calendar Readers', PrimarySmtpAddress: 'calendar-readers@contoso.com', Type: 'Security' })).status, 200);
    });
    afterEach(() => f.sandbox.setKnobs({ exchangeErrorForm: 'mixed', replicationLagMs: 0 }));
    after(() => f.stop());

    async function run(cmdlet: string, parameters: Record<string, unknown> = {}, options: { token?: string; url?: string; pageSize?: number } = {}): Promise<Answer> {
        const answer = await f.transport.send({
            method: 'POST',
            url: options.url ?? endpoint(),
            headers: { authorization: `Bearer ${options.token ?? app}`, 'content-type': 'application/json', ...(options.pageSize ? { prefer: `odata.maxpagesize=${options.pageSize}` } : {}) },
            body: JSON.stringify({ CmdletInput: { CmdletName: cmdlet, Parameters: parameters } }),
        });
        const text = answer.body.toString('utf8');
        let json: Answer['json'];
        try {
            json = JSON.parse(text) as Answer['json'];
        } catch {
            json = undefined;
        }
        return { status: answer.status, text, ...(json ? { json } : {}) };
    }

    /** Every item of a command's output, following @odata.nextLink, and the warnings of its pages. */
    async function all(cmdlet: string, parameters: Record<string, unknown>): Promise<{ value: Record<string, unknown>[]; warnings: string[] }> {
        const value: Record<string, unknown>[] = [];
        const warnings = new Set<string>();
        let answer = await run(cmdlet, parameters, { pageSize: 400 });
        for (;;) {
            assert.equal(answer.status, 200, answer.text);
            value.push(...(answer.json?.value ?? []));
            for (const w of answer.json?.['@adminapi.warnings'] ?? []) warnings.add(w);
            const next = answer.json?.['@odata.nextLink'];
            if (!next) break;
            answer = await run(cmdlet, parameters, { url: next, pageSize: 400 });
        }
        return { value, warnings: [...warnings] };
    }

    describe('error bodies', () => {
        it('pipe form: fixed error.message, "ExNNNNNN|Type|text" in details[0] (code Client), innererror typed ODataServiceException', async () => {
            f.sandbox.setKnobs({ exchangeErrorForm: 'pipe' });
            const answer = await run('Get-Mailbox', { Identity: 'nobody@contoso.com' });
            assert.equal(answer.status, 404);
            const error = answer.json?.error as { code: string; message: string; details: { code: string; target: string; message: string }[]; innererror: Record<string, unknown> };
            assert.equal(error.code, 'NotFound');
            assert.equal(error.message, 'Error executing cmdlet');
            assert.equal(error.details.length, 1);
            assert.equal(error.details[0].code, 'Client');
            assert.equal(error.details[0].target, '');
            assert.match(error.details[0].message, /^Ex6F9304\|Microsoft\.Exchange\.Configuration\.Tasks\.ManagementObjectNotFoundException\|The operation couldn't be performed because object 'nobody@contoso\.com' couldn't be found on '[^']+'\.$/);
            assert.equal(error.innererror.type, 'Microsoft.Exchange.Admin.OData.Core.ODataServiceException');
            assert.equal(error.innererror.message, 'Error executing cmdlet');
            assert.ok(!('internalException' in error.innererror), 'no camel-case internalException: real Exchange spells it internalexception');
        });

        it('pipe form with an empty error id: "|Type|text"', async () => {
            f.sandbox.setKnobs({ exchangeErrorForm: 'pipe' });
            const answer = await run('Add-RoleGroupMember', { Identity: 'View-Only Organization Management', Memmber: 'x' });
            const detail = (answer.json?.error as { details: { message: string }[] }).details[0].message;
            assert.match(detail, /^\|Microsoft\.Exchange\.Configuration\.Tasks\.ParameterBindingException\|A parameter cannot be found that matches parameter name 'Memmber'\.$/);
        });

        it('JSON form: details[0].message is a JSON string {Message, TypeName, StackTrace: null, InnerError: null} (code Context)', async () => {
            f.sandbox.setKnobs({ exchangeErrorForm: 'json' });
            await run('New-DistributionGroup', { Name: 'Form Test', PrimarySmtpAddress: 'form-test@contoso.com', Type: 'Security' });
            const answer = await run('New-DistributionGroup', { Name: 'Form Test 2', PrimarySmtpAddress: 'form-test@contoso.com', Type: 'Security' });
            assert.equal(answer.status, 400);
            const error = answer.json?.error as { code: string; message: string; details: { code: string; message: string }[] };
            assert.equal(error.code, 'BadRequest');
            assert.equal(error.message, 'Error executing cmdlet');
            assert.equal(error.details[0].code, 'Context');
            const nested = JSON.parse(error.details[0].message) as Record<string, unknown>;
            assert.deepEqual(Object.keys(nested), ['Message', 'TypeName', 'StackTrace', 'InnerError']);
            assert.equal(nested.TypeName, 'Microsoft.Exchange.Data.Directory.ADObjectAlreadyExistsException');
            assert.match(String(nested.Message), /is already being used/);
            assert.equal(nested.StackTrace, null);
            assert.equal(nested.InnerError, null);
        });

        it('bare form: no details; the type and text only in innererror.internalexception (lower-case key)', async () => {
            f.sandbox.setKnobs({ exchangeErrorForm: 'bare' });
            const answer = await run('Get-Mailbox', { Identity: 'nobody@contoso.com' });
            const error = answer.json?.error as { message: string; details?: unknown; innererror: { internalexception?: { message: string; type: string } } };
            assert.equal(error.details, undefined);
            assert.equal(error.message, 'Error executing cmdlet');
            assert.equal(error.innererror.internalexception?.type, 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException');
            assert.match(error.innererror.internalexception?.message ?? '', /^The operation couldn't be performed because object 'nobody@contoso\.com' couldn't be found on /);
        });

        it('mixed (the default) gives every form, in a sequence its seed repeats', async () => {
            assert.equal(f.sandbox.knobs().exchangeErrorForm, 'mixed', 'mixed is the default');
            const forms = async () => {
                const seen: string[] = [];
                for (let i = 0; i < 12; i++) seen.push(readExchangeError((await run('Get-Mailbox', { Identity: `nobody${i}@contoso.com` })).text).form);
                return seen;
            };
            f.sandbox.setKnobs({ faultSeed: 7 });
            const first = await forms();
            assert.deepEqual(new Set(first), new Set(['pipe', 'json', 'bare']), first.join(','));
            f.sandbox.setKnobs({ faultSeed: 8 });
            const other = await forms();
            assert.notDeepEqual(other, first, 'another seed, another sequence');
            // Back to seed 7: the sequence starts again from its beginning.
            f.sandbox.setKnobs({ faultSeed: 7 });
            assert.deepEqual(await forms(), first);
        });

        it('a caller without the Exchange role gets 403 with an empty body or one of NUL bytes, never JSON', async () => {
            const denied = async () => run('Add-RoleGroupMember', { Identity: 'Help Desk', Member: 'admin' }, { token: readerToken });
            f.sandbox.setKnobs({ exchangeErrorForm: 'pipe' });
            const empty = await denied();
            assert.equal(empty.status, 403);
            assert.equal(empty.text, '');
            f.sandbox.setKnobs({ exchangeErrorForm: 'json' });
            const nul = await denied();
            assert.equal(nul.status, 403);
            assert.match(nul.text, /^\0+$/);
        });

        it('the knob is read and set like the others, and refuses a form it does not know', async () => {
            const admin = `${f.sandbox.origin}/_sandbox/knobs`;
            const set = await f.transport.send({ method: 'PUT', url: admin, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ exchangeErrorForm: 'json' }) });
            assert.equal(set.status, 200);
            const read = JSON.parse((await f.transport.send({ method: 'GET', url: admin, headers: {} })).body.toString('utf8')) as Record<string, unknown>;
            assert.equal(read.exchangeErrorForm, 'json');
            assert.throws(() => f.sandbox.setKnobs({ exchangeErrorForm: 'xml' as 'json' }), /exchangeErrorForm' must be one of: pipe, json, bare, mixed/);
        });
    });

    describe('a recipient Exchange has not received yet', () => {
        const createUser = async (nickname: string) => {
            const graph = await f.appToken('graph');
            const created = await f.transport.send({ method: 'POST', url: `${f.sandbox.graphUrl}/v1.0/users`, headers: { authorization: `Bearer ${graph}`, 'content-type': 'application/json' }, body: JSON.stringify({ accountEnabled: true, displayName: nickname, mailNickname: nickname, userPrincipalName: `${nickname}@contoso.com`, passwordProfile: { password: 'Xy7!pLm2#Qw9' } }) });
            assert.equal(created.status, 201);
        };

        it('as -Identity: the same "couldn\'t be found on" as a name that never existed', async () => {
            f.sandbox.setKnobs({ replicationLagMs: 600_000 });
            await createUser('justmade1');
            const fresh = readExchangeError((await run('Get-User', { Identity: 'justmade1@contoso.com' })).text);
            const never = readExchangeError((await run('Get-User', { Identity: 'neverwas@contoso.com' })).text);
            assert.equal(fresh.type, 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException');
            assert.match(fresh.message, /^The operation couldn't be performed because object 'justmade1@contoso\.com' couldn't be found on '/);
            assert.equal(fresh.message.replace('justmade1', 'X'), never.message.replace('neverwas', 'X'));
        });

        it('as -Member: Exchange\'s "Couldn\'t find object" (Ex94914C), again the same as for a name that never existed', async () => {
            f.sandbox.setKnobs({ replicationLagMs: 600_000, exchangeErrorForm: 'pipe' });
            await createUser('justmade2');
            const fresh = await run('Add-DistributionGroupMember', { Identity: 'calendar-readers@contoso.com', Member: 'justmade2@contoso.com' });
            const never = await run('Add-DistributionGroupMember', { Identity: 'calendar-readers@contoso.com', Member: 'neverwas@contoso.com' });
            assert.equal(fresh.status, 404);
            assert.equal(readExchangeError(fresh.text).errorId, 'Ex94914C');
            assert.equal(readExchangeError(fresh.text).message, 'Couldn\'t find object "justmade2@contoso.com". Please make sure that it was spelled correctly or specify a different object.');
            assert.equal(readExchangeError(never.text).message, 'Couldn\'t find object "neverwas@contoso.com". Please make sure that it was spelled correctly or specify a different object.');
        });
    });

    describe('Get-Recipient', () => {
        it('lists only mail-enabled recipients: no user without a mailbox, no plain security group, no Microsoft 365 group unless asked', async () => {
            const listed = await all('Get-Recipient', { ResultSize: 'Unlimited' });
            const types = new Set(listed.value.map(r => String(r.RecipientTypeDetails)));
            assert.ok(!types.has('User'), [...types].join(','));
            assert.ok(!types.has('UniversalSecurityGroup'), [...types].join(','));
            assert.ok(!types.has('GroupMailbox'), 'GroupMailbox only with -RecipientTypeDetails GroupMailbox');
            const withoutMailbox = [...state().users.values()].filter(u => !state().mailboxes.has(u.id)).map(u => u.id);
            assert.ok(withoutMailbox.length > 0, 'the tenant has users without a mailbox');
            assert.ok(!listed.value.some(r => withoutMailbox.includes(String(r.ExternalDirectoryObjectId))));
            const m365 = await all('Get-Recipient', { RecipientTypeDetails: 'GroupMailbox' });
            assert.ok(m365.value.length > 0 && m365.value.every(r => r.RecipientTypeDetails === 'GroupMailbox'));
        });

        it('-Identity of a user without a mailbox or of a plain security group: not found', async () => {
            const user = [...state().users.values()].find(u => !state().mailboxes.has(u.id) && u.userPrincipalName.endsWith('@contoso.com'));
            const group = [...state().groups.values()].find(g => !g.mailEnabled && g.securityEnabled);
            for (const identity of [user?.userPrincipalName ?? '', group?.id ?? '']) {
                const answer = await run('Get-Recipient', { Identity: identity });
                assert.equal(answer.status, 404, identity);
                assert.equal(readExchangeError(answer.text).type, 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException');
            }
        });
    });

    describe('-ResultSize', () => {
        it('without it, a Get- command returns 1000 across all its pages and warns that there are more; Unlimited returns all', async () => {
            const mailboxes = [...state().mailboxes.values()].length;
            assert.ok(mailboxes > 1000, `the tenant has ${mailboxes} mailboxes`);
            for (const cmdlet of ['Get-Mailbox', 'Get-Recipient', 'Get-User']) {
                const capped = await all(cmdlet, {});
                assert.equal(capped.value.length, 1000, cmdlet);
                assert.deepEqual(capped.warnings, ['There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter.'], cmdlet);
                const unlimited = await all(cmdlet, { ResultSize: 'Unlimited' });
                assert.ok(unlimited.value.length > 1000, cmdlet);
                assert.deepEqual(unlimited.warnings, [], cmdlet);
            }
        });

        it('the member lists too: Get-DistributionGroupMember and Get-RoleGroupMember stop at 1000 by default', async () => {
            const many = [...state().mailboxes.values()].slice(0, 1001).map(m => m.userId);
            const group = [...state().groups.values()].find(g => g.mail === 'calendar-readers@contoso.com');
            assert.ok(group, 'the demo tenant has the calendar readers group');
            group.members = many;
            const roleGroup = state().roleGroups.find(g => g.displayName === 'Help Desk');
            assert.ok(roleGroup);
            roleGroup.members = many;
            for (const [cmdlet, identity] of [['Get-DistributionGroupMember', 'calendar-readers@contoso.com'], ['Get-RoleGroupMember', 'Help Desk']]) {
                assert.equal((await all(cmdlet, { Identity: identity })).value.length, 1000, cmdlet);
                assert.equal((await all(cmdlet, { Identity: identity, ResultSize: 'Unlimited' })).value.length, 1001, cmdlet);
            }
        });
    });
});
