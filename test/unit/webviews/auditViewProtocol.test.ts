import * as assert from 'node:assert/strict';
import { dispatchRequest, RequestRefusedError } from '../../../src/webviews/rpc';
import { auditViewValidators, type AuditViewRequests } from '../../../src/webviews/auditLog/protocol';

describe('Audit view protocol: every request is checked before a handler runs', () => {
    const ran: string[] = [];
    const handlers = {
        rows: () => { ran.push('rows'); return Promise.resolve({ rows: [], tenants: [], accounts: [], file: '' }); },
        openRawFile: () => { ran.push('openRawFile'); return Promise.resolve(true); },
        copyRequestId: () => { ran.push('copyRequestId'); return Promise.resolve(true); },
    };
    const send = (method: string, params: unknown) => dispatchRequest<AuditViewRequests>(auditViewValidators, handlers, method, params, new AbortController().signal);
    const filter = { tenant: '', who: 'admin@contoso.com', from: '2026-01-01', to: '' };

    it('takes well-formed requests', async () => {
        ran.length = 0;
        await send('rows', { filter });
        await send('rows', { filter, before: 1024 });
        await send('openRawFile', {});
        await send('copyRequestId', { requestId: '7c3a1f0e-0000-4000-8000-000000000001' });
        assert.deepEqual(ran, ['rows', 'rows', 'openRawFile', 'copyRequestId']);
    });

    for (const [what, method, params] of [
        ['a date that is not a day', 'rows', { filter: { ...filter, from: '2026-01-01T00:00:00Z' } }],
        ['a negative offset', 'rows', { filter, before: -1 }],
        ['an extra key', 'rows', { filter, path: '/etc/passwd' }],
        ['a filter missing a part', 'rows', { filter: { tenant: '' } }],
        ['text that is not a request id on its way to the clipboard', 'copyRequestId', { requestId: 'x\nrm -rf ~' }],
        ['a file to open named by the page', 'openRawFile', { file: '/etc/passwd' }],
        ['an unknown method', 'deleteLog', {}],
    ] as const) {
        it(`refuses ${what}`, async () => {
            ran.length = 0;
            await assert.rejects(send(method, params), RequestRefusedError);
            assert.deepEqual(ran, []);
        });
    }
});
