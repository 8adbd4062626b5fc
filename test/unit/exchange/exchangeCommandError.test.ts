import * as assert from 'node:assert/strict';
import { cloudEndpoints } from '../../../src/auth/clouds';
import { ExchangeAdminClient } from '../../../src/exchange/ExchangeAdminClient';
import { ExchangeCommandError, exchangeErrorFrom } from '../../../src/exchange/ExchangeCommandError';
import type { HttpRequest, HttpResponse } from '../../../src/net/HttpTransport';
import { recordingLogger } from '../graph/clientFixture';

/**
 * Real InvokeCommand error bodies, verbatim where a public source pins them (issue 13 quotes them; docs/FIDELITY.md
 * names the sources), read in every form: the pipe form in details[0], the nested JSON form, internalexception only,
 * no details at all, and a 403 without any JSON.
 */
describe('ExchangeCommandError reads what real Exchange sends', () => {
    const read = (status: number, body: unknown, cmdlet = 'Get-Mailbox') => exchangeErrorFrom(cmdlet, status, body, 'rid-1');

    it('the pipe form quoted in issue 13: type and text from details[0], without the ExNNNNNN| prefix', () => {
        const body = JSON.parse(`{"error":{"code":"NotFound","message":"Error executing cmdlet","details":[{"code":"Client","target":"","message":"Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't be performed because object '…' couldn't be found on '…'."}],"innererror":{"message":"Error executing cmdlet","type":"Microsoft.Exchange.Admin.OData.Core.ODataServiceException"}}}`) as unknown;
        const error = read(404, body);
        assert.equal(error.exceptionType, 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException');
        assert.equal(error.message, "The operation couldn't be performed because object '…' couldn't be found on '…'.");
        assert.ok(error.isNotFound);
        assert.ok(!error.isNotYetReplicated, 'an unknown -Identity is not a member Exchange has not received');
        assert.ok(!error.isAlreadyExists && !error.isAccessDenied && !error.isAmbiguous);
        assert.equal(error.requestId, 'rid-1');
    });

    it('the nested JSON form quoted in issue 13 (detail code Context)', () => {
        const body = JSON.parse(`{"error":{"code":"BadRequest","message":"Error executing cmdlet","details":[{"code":"Context","target":"","message":"{\\"Message\\":\\"The object '…' already exists.\\",\\"TypeName\\":\\"Microsoft.Exchange.Data.Directory.ADObjectAlreadyExistsException\\",\\"StackTrace\\":null,\\"InnerError\\":null}"}],"innererror":{"message":"Error executing cmdlet","type":"Microsoft.Exchange.Admin.OData.Core.ODataServiceException"}}}`) as unknown;
        const error = read(400, body, 'New-DistributionGroup');
        assert.equal(error.exceptionType, 'Microsoft.Exchange.Data.Directory.ADObjectAlreadyExistsException');
        assert.equal(error.message, "The object '…' already exists.");
        assert.ok(error.isAlreadyExists);
        assert.ok(!error.isNotFound);
    });

    it('a pipe form with an empty error id ("|Type|text"), as a public client pins it', () => {
        const body = { error: { message: 'Error executing cmdlet', details: [{ code: '', message: "|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't be performed because object 'ghost' couldn't be found." }], innererror: { message: 'Error executing cmdlet' } } };
        const error = read(404, body);
        assert.equal(error.exceptionType, 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException');
        assert.equal(error.message, "The operation couldn't be performed because object 'ghost' couldn't be found.");
    });

    it('a JSON form without StackTrace (another pinned not-found body)', () => {
        const body = JSON.parse(`{"error":{"code":"NotFound","message":"Error executing cmdlet","details":[{"code":"Client","message":"{\\"Message\\":\\"The operation couldn't be performed because object 'rg' couldn't be found.\\",\\"TypeName\\":\\"Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException\\",\\"InnerError\\":null}"}]}}`) as unknown;
        const error = read(404, body, 'Get-RoleGroup');
        assert.equal(error.message, "The operation couldn't be performed because object 'rg' couldn't be found.");
        assert.ok(error.isNotFound);
    });

    it('Exchange\'s "Couldn\'t find object" for a -Member it does not know (yet): isNotYetReplicated and isNotFound', () => {
        const body = { error: { code: 'NotFound', message: 'Error executing cmdlet', details: [{ code: 'Client', target: '', message: 'Ex94914C|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|Couldn\'t find object "Erin Harrington ". Please make sure that it was spelled correctly or specify a different object.' }] } };
        const error = read(404, body, 'Add-DistributionGroupMember');
        assert.equal(error.message, 'Couldn\'t find object "Erin Harrington ". Please make sure that it was spelled correctly or specify a different object.');
        assert.ok(error.isNotYetReplicated);
        assert.ok(error.isNotFound);
    });

    it('innererror.internalexception (lower-case key) wins over details, and the fixed error.message comes last', () => {
        const body = { error: { code: 'AccessDenied', message: 'Invalid Operation', innererror: { internalexception: { message: 'The user is not authorized to run this cmdlet.', type: 'Microsoft.Exchange.AdminApi.CommandInvocation.AuthorizationException' } } } };
        const error = read(403, body, 'Add-RoleGroupMember');
        assert.equal(error.message, 'The user is not authorized to run this cmdlet.');
        assert.equal(error.exceptionType, 'Microsoft.Exchange.AdminApi.CommandInvocation.AuthorizationException');
        assert.ok(error.isAccessDenied);
        const both = { error: { message: 'Error executing cmdlet', details: [{ code: 'Client', message: '|Some.Other.Type|other text' }], innererror: { internalexception: { message: 'inner text', type: 'Inner.Type' } } } };
        assert.deepEqual([read(400, both).message, read(400, both).exceptionType], ['inner text', 'Inner.Type']);
        // No details and no internalexception (a pinned real body): the fixed error.message is all there is.
        const bare = read(400, JSON.parse('{"error":{"code":"BadRequest","message":"Error executing cmdlet"}}') as unknown);
        assert.deepEqual([bare.message, bare.exceptionType], ['Error executing cmdlet', '']);
    });

    it('a pinned body whose error.code is InternalServerError and innererror has a stack trace', () => {
        const body = JSON.parse(`{"error":{"code":"InternalServerError","message":"Error executing cmdlet","details":[{"code":"Client","target":"","message":"Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't be performed because object 'user2@jichen0107d.com' couldn't be found on 'EXHV-1242.EXHV-1242dom.extest.microsoft.com'."}],"innererror":{"message":"Error executingcmdlet","type":"Microsoft.Exchange.Admin.OData.Core.ODataServiceException","stacktrace":" 357"}}}`) as unknown;
        const error = read(500, body);
        assert.ok(error.isNotFound, 'found by the exception type, whatever the status');
        assert.match(error.message, /^The operation couldn't be performed because object 'user2@/);
    });

    it('an ambiguous name in every form', () => {
        const text = "The operation couldn't be performed because 'Finance' matches multiple entries.";
        const type = 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectAmbiguousException';
        const bodies = [
            { error: { message: 'Error executing cmdlet', details: [{ code: 'Client', message: `|${type}|${text}` }] } },
            { error: { message: 'Error executing cmdlet', details: [{ code: 'Context', message: JSON.stringify({ Message: text, TypeName: type, StackTrace: null, InnerError: null }) }] } },
            { error: { message: 'Error executing cmdlet', innererror: { internalexception: { message: text, type } } } },
            { error: { message: 'Error executing cmdlet', details: [{ code: 'Client', message: text }] } },
        ];
        for (const body of bodies) {
            const error = read(400, body, 'Get-Recipient');
            assert.ok(error.isAmbiguous, JSON.stringify(body));
            assert.equal(error.message, text);
        }
    });

    it('403 with an empty or NUL-filled body: a message naming the cmdlet and the role it needs, never blank', () => {
        for (const body of ['', '\u0000'.repeat(32), {}, undefined]) {
            const error = read(403, body, 'Add-RoleGroupMember');
            assert.ok(error.isAccessDenied);
            assert.doesNotMatch(error.message, /\0/);
            assert.match(error.message, /Add-RoleGroupMember/);
            assert.match(error.message, /"Role Management"/);
            assert.match(error.message, /"Organization Management"/);
        }
        assert.match(read(403, '', 'Add-MailboxFolderPermission').message, /"Mail Recipients".*"Recipient Management"/);
        assert.match(read(403, '', 'Get-Mailbox').message, /"View-Only Organization Management"/);
        assert.match(read(403, '', 'Some-OtherCmdlet').message, /Some-OtherCmdlet.*Exchange Administrator/);
    });

    it('through the client: a 403 of NUL bytes becomes the role message; a pipe-form body its text', async () => {
        const answers: HttpResponse[] = [
            { status: 403, headers: { 'request-id': 'r1' }, body: Buffer.alloc(40) },
            { status: 404, headers: { 'request-id': 'r2' }, body: Buffer.from(JSON.stringify({ error: { code: 'NotFound', message: 'Error executing cmdlet', details: [{ code: 'Client', target: '', message: "Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't be performed because object 'x' couldn't be found on 'y'." }] } })) },
        ];
        const transport = { send: (_request: HttpRequest) => Promise.resolve(answers.shift() ?? { status: 500, headers: {}, body: Buffer.alloc(0) }) };
        const client = new ExchangeAdminClient({ cloud: cloudEndpoints('Global'), tenantId: '00000000-0000-0000-0000-000000000001', tokens: { getAccessToken: () => Promise.resolve('token') }, transport, logger: recordingLogger(), baseDelayMs: 1 });
        await assert.rejects(client.invoke('Remove-RoleGroupMember', { Identity: 'x', Member: 'y' }), (e: ExchangeCommandError) => e.isAccessDenied && /lacks the Exchange permission for Remove-RoleGroupMember/.test(e.message) && e.requestId === 'r1');
        await assert.rejects(client.invoke('Get-Mailbox', { Identity: 'x' }), (e: ExchangeCommandError) => e.isNotFound && e.message === "The operation couldn't be performed because object 'x' couldn't be found on 'y'." && e.exceptionType.endsWith('ManagementObjectNotFoundException'));
    });
});
