import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AuditRecord } from '../../../src/audit/auditLog';
import { readAuditPage } from '../../../src/audit/auditLogReader';

describe('Audit log reader: newest first, a page at a time, from the end of a file that may be years long', () => {
    const tenants = ['11111111-0000-4000-8000-000000000001', '22222222-0000-4000-8000-000000000002'];
    /** n lines, one a day from 2025-01-01, alternating tenants and accounts; long targets so the file spans many chunks. */
    const write = (n: number, extra = ''): string => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'm365p-audit-read-')), 'audit.jsonl');
        const lines: string[] = [];
        for (let i = 0; i < n; i++) {
            const record: AuditRecord = { when: new Date(Date.UTC(2025, 0, 1 + i, 12)).toISOString(), who: i % 3 === 0 ? 'helpdesk@contoso.com' : 'admin@contoso.com', tenant: tenants[i % 2], action: 'createServiceAccount', target: `svc-${i}@contoso.com ${'x'.repeat(300)}`, result: 'succeeded', requestId: `req-${i}` };
            lines.push(JSON.stringify(record));
        }
        fs.writeFileSync(file, `${lines.join('\n')}\n${extra}`);
        return file;
    };
    const ids = (records: AuditRecord[]) => records.map(r => r.requestId);

    it('pages through every line exactly once, newest first, across chunk boundaries', async () => {
        const file = write(700); // ~250 KB: four chunks
        const seen: AuditRecord[] = [];
        let before: number | undefined;
        let pages = 0;
        do {
            const page = await readAuditPage(file, {}, 50, before);
            seen.push(...page.records);
            before = page.before;
            pages++;
        } while (before !== undefined);
        assert.equal(pages, 14);
        assert.deepEqual(ids(seen), Array.from({ length: 700 }, (_, i) => `req-${699 - i}`));
    });

    it('filters by tenant, account and days (inclusive)', async () => {
        const file = write(40);
        const page = await readAuditPage(file, { tenant: tenants[1].toUpperCase(), who: 'helpdesk@contoso.com', from: '2025-01-04', to: '2025-01-28' }, 100);
        // Odd days are tenant 2, multiples of 3 are helpdesk: i = 3, 9, 15, 21, 27 → days 4 … 28.
        assert.deepEqual(ids(page.records), ['req-27', 'req-21', 'req-15', 'req-9', 'req-3']);
        assert.equal(page.before, undefined);
    });

    it('skips a line that is not a record (cut short by a full disk) and reads an absent file as empty', async () => {
        const file = write(3, '{"when":"2025-02-01T00:00:00Z","who":"a');
        assert.deepEqual(ids((await readAuditPage(file, {}, 10)).records), ['req-2', 'req-1', 'req-0']);
        assert.deepEqual(await readAuditPage(path.join(path.dirname(file), 'none.jsonl'), {}, 10), { records: [] });
    });
});
