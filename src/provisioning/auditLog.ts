import { appendFile, mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';

/** One change the extension made (or tried to make) in a tenant. Never holds a password, token or secret. */
export interface AuditRecord {
    when: string;
    /** The signed-in account that made the change. */
    who: string;
    tenant: string;
    action: string;
    target: string;
    result: 'succeeded' | 'failed' | 'unchanged' | 'cancelled' | 'partial';
    requestId?: string;
    detail?: string;
}

/** Words that must never reach the audit file; a record carrying one is refused (a bug, caught in tests). */
const secretLike = /password"?\s*[:=]|passwordProfile|Bearer |eyJ[\w-]{10,}\.|client_secret/i;

/**
 * An append-only JSON-lines file in the extension's storage: one line per change, so an admin (or their SIEM) can
 * see what was done, by whom, to what, and quote the request id to Microsoft support.
 */
export class AuditLog {
    constructor(readonly file: string) {}

    async append(record: Omit<AuditRecord, 'when'> & { when?: string }): Promise<void> {
        const line = JSON.stringify({ when: record.when ?? new Date().toISOString(), ...record });
        if (secretLike.test(line)) throw new Error('Refusing to write something that looks like a secret to the audit log.');
        await mkdir(path.dirname(this.file), { recursive: true });
        await appendFile(this.file, `${line}\n`, 'utf8');
    }

    async read(): Promise<AuditRecord[]> {
        try {
            return (await readFile(this.file, 'utf8')).split('\n').filter(Boolean).map(l => JSON.parse(l) as AuditRecord);
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
            throw error;
        }
    }
}
