import * as assert from 'node:assert/strict';
import type { HttpRequest } from '../../../src/net/HttpTransport';
import { readOnlyGuard } from '../../../smoke/readOnlyGuard';

// smoke:tenant runs against real tenants: the guard is what makes "it only reads" true whatever a check sends.
describe('smoke:tenant read-only guard', () => {
    const endpoints = { graphEndpoint: 'https://graph.microsoft.com', exchangeEndpoint: 'https://outlook.office365.com' };
    const invoke = (cmdlet: string): HttpRequest => ({ method: 'POST', url: 'https://outlook.office365.com/adminapi/beta/t/InvokeCommand', body: JSON.stringify({ CmdletInput: { CmdletName: cmdlet, Parameters: {} } }) });
    const batch = (...cmdlets: string[]): HttpRequest => ({
        method: 'POST',
        url: 'https://outlook.office365.com/adminapi/beta/t/$batch',
        body: JSON.stringify({ requests: cmdlets.map((c, i) => ({ id: String(i + 1), method: 'POST', url: '/adminapi/beta/t/InvokeCommand', body: { CmdletInput: { CmdletName: c } } })) }),
    });
    const sent: string[] = [];
    const guard = readOnlyGuard({ send: r => (sent.push(`${r.method} ${r.url}`), Promise.resolve({ status: 200, headers: {}, body: Buffer.from('{}') })) }, endpoints);

    it('lets Graph GETs and Exchange Get- cmdlets through, alone or batched', async () => {
        await guard.send({ method: 'GET', url: 'https://graph.microsoft.com/v1.0/users?$top=1' });
        await guard.send(invoke('Get-Mailbox'));
        await guard.send(batch('Get-RoleGroup', 'get-mailbox'));
        assert.equal(sent.length, 3);
    });

    it('refuses Graph writes, Exchange cmdlets that are not Get-, a batch holding one, and other hosts, before sending', async () => {
        sent.length = 0;
        const refused = [
            { method: 'POST', url: 'https://graph.microsoft.com/v1.0/users', body: '{}' },
            { method: 'PATCH', url: 'https://graph.microsoft.com/v1.0/users/x', body: '{}' },
            { method: 'DELETE', url: 'https://graph.microsoft.com/v1.0/groups/x/members/y/$ref' },
            invoke('Add-RoleGroupMember'),
            invoke('Set-Mailbox'),
            batch('Get-Mailbox', 'Add-MailboxFolderPermission'),
            { method: 'POST', url: 'https://outlook.office365.com/adminapi/beta/t/InvokeCommand', body: 'not json' },
            { method: 'GET', url: 'https://example.com/' },
        ];
        for (const request of refused) await assert.rejects(guard.send(request), { name: 'WriteRefused' }, `${request.method} ${request.url}`);
        assert.deepEqual(sent, []);
    });
});
