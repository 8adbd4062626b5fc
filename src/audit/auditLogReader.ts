import { open } from 'node:fs/promises';
import type { AuditRecord } from './auditRecord';

/** What the audit view narrows the log to; every part optional. Dates are ISO days (`2026-11-30`), inclusive. */
export interface AuditFilter {
    /** A tenant id. */
    tenant?: string;
    /** An account (the record's `who`). */
    who?: string;
    from?: string;
    to?: string;
}

export interface AuditPage {
    /** Newest first. */
    records: AuditRecord[];
    /** Where the next (older) page starts reading backwards: a byte offset; absent at the start of the file. */
    before?: number;
}

/** How much of the file one read takes: a page is usually within the last chunk, and a chunk is cheap. */
const chunkBytes = 64 * 1024;
/** A line longer than this is not one of ours (the writer's fields are bounded): skipped, never held whole. */
const maxLineBytes = 256 * 1024;

/**
 * Reads the audit log from its end backwards, one page of matching records at a time: the log can grow for years, so
 * the view never reads or holds the whole file. A line that is not a record (hand-edited, cut short by a full disk)
 * is skipped.
 */
export async function readAuditPage(file: string, filter: AuditFilter, limit: number, before?: number): Promise<AuditPage> {
    let handle;
    try {
        handle = await open(file, 'r');
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [] };
        throw error;
    }
    try {
        const size = (await handle.stat()).size;
        let end = Math.min(before ?? size, size);
        const records: AuditRecord[] = [];
        // Bytes of an unfinished line at the start of the last chunk read, kept for the next (earlier) chunk.
        let carry = Buffer.alloc(0);
        while (end > 0 && records.length < limit) {
            const start = Math.max(0, end - chunkBytes);
            const chunk = Buffer.alloc(end - start);
            await handle.read(chunk, 0, chunk.length, start);
            // data is the file's bytes from `start` on: this chunk, then the unfinished line carried from the later one.
            const data = Buffer.concat([chunk, carry]);
            // Every complete line of `data`, last first; the part before the first newline may continue earlier.
            let lineEnd = data.length;
            let consumedTo = 0;
            for (let i = data.length - 1; i >= -1; i--) {
                if (i >= 0 && data[i] !== 0x0a) continue;
                if (i < 0 && start > 0) break; // the first line of this chunk may start in the previous one
                const line = data.subarray(i + 1, lineEnd);
                lineEnd = i;
                const offset = start + i + 1;
                const record = parseLine(line);
                if (record && matches(record, filter)) {
                    records.push(record);
                    if (records.length === limit) {
                        consumedTo = offset;
                        break;
                    }
                }
            }
            if (records.length === limit) return { records, ...(consumedTo > 0 ? { before: consumedTo } : {}) };
            carry = data.subarray(0, Math.max(lineEnd, 0));
            if (carry.length > maxLineBytes) carry = Buffer.alloc(0);
            end = start;
        }
        return { records };
    } finally {
        await handle.close();
    }
}

function parseLine(line: Buffer): AuditRecord | undefined {
    const text = line.toString('utf8').trim();
    if (!text) return undefined;
    try {
        const value = JSON.parse(text) as Partial<AuditRecord>;
        return typeof value === 'object' && value !== null && typeof value.when === 'string' && typeof value.action === 'string' && typeof value.tenant === 'string' ? (value as AuditRecord) : undefined;
    } catch {
        return undefined;
    }
}

function matches(record: AuditRecord, filter: AuditFilter): boolean {
    if (filter.tenant && record.tenant.toLowerCase() !== filter.tenant.toLowerCase()) return false;
    if (filter.who && record.who.toLowerCase() !== filter.who.toLowerCase()) return false;
    const day = record.when.slice(0, 10);
    if (filter.from && day < filter.from) return false;
    if (filter.to && day > filter.to) return false;
    return true;
}
