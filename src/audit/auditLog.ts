import { appendFile, mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { redactSecrets } from './auditRedaction';
import type { AuditRecord } from './auditRecord';

export type { AuditRecord } from './auditRecord';

/** What the writer is given; `when` defaults to now. */
export type AuditEntry = Omit<AuditRecord, 'when'> & { when?: string };

/** Told when a line could not be written (disk full, folder not writable), with the line, so it is not lost. */
export type AuditUnwritten = (record: AuditRecord, error: Error) => void;

/**
 * An append-only JSON-lines file in the extension's storage: one line per change, so an admin (or their SIEM) can
 * see what was done, by whom, to what, and quote the request id to Microsoft support.
 *
 * `append` neither refuses nor throws: it is called after a change was made (or failed) in the tenant, and the
 * outcome of that change must reach the admin as it was. A line that cannot be written goes to `onUnwritten`, which
 * tells the admin (the extension logs the line and shows a warning).
 */
export class AuditLog {
    private readonly appendListeners = new Set<(record: AuditRecord) => void>();

    constructor(readonly file: string, private readonly onUnwritten: AuditUnwritten = () => undefined) {}

    /** Told after each line is written (the audit view shows it at once). */
    onDidAppend(listener: (record: AuditRecord) => void): { dispose(): void } {
        this.appendListeners.add(listener);
        return { dispose: () => this.appendListeners.delete(listener) };
    }

    /** Writes one line; true when written. Only the record's own fields are written, the free text redacted. */
    async append(entry: AuditEntry): Promise<boolean> {
        const record: AuditRecord = {
            when: entry.when ?? new Date().toISOString(),
            who: entry.who,
            tenant: entry.tenant,
            ...(entry.tenantName ? { tenantName: entry.tenantName } : {}),
            ...(entry.tenantDomain ? { tenantDomain: entry.tenantDomain } : {}),
            action: entry.action,
            target: entry.target,
            result: entry.result,
            ...(entry.objectIds?.length ? { objectIds: entry.objectIds.filter(id => typeof id === 'string').slice(0, 20) } : {}),
            ...(entry.requestId ? { requestId: entry.requestId } : {}),
            ...(entry.recipe ? { recipe: entry.recipe } : {}),
            ...(entry.detail ? { detail: redactSecrets(entry.detail) } : {}),
        };
        try {
            await mkdir(path.dirname(this.file), { recursive: true });
            await appendFile(this.file, `${JSON.stringify(record)}\n`, 'utf8');
            for (const listener of [...this.appendListeners]) {
                try {
                    listener(record);
                } catch {
                    // A view that cannot redraw does not make the line unwritten.
                }
            }
            return true;
        } catch (error) {
            try {
                this.onUnwritten(record, error instanceof Error ? error : new Error(String(error)));
            } catch {
                // Telling the admin failed too; the change's own outcome still goes back to the caller.
            }
            return false;
        }
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
