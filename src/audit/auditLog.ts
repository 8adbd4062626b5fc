import { appendFile, mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { redactSecrets } from './auditRedaction';

/**
 * One change the extension made (or tried to make) in a tenant. Each field has one kind of content, and none of them
 * can carry a password, token or secret: passwords go to SecretStorage and the reveal dialog only, tokens stay inside
 * the clients, and the one free-text field (`detail`) is redacted by the writer.
 */
export interface AuditRecord {
    when: string;
    /** The signed-in account that made the change (its user name). */
    who: string;
    /** The tenant id. */
    tenant: string;
    /** The tenant's name as its organisation has it ("Contoso"), when it could be read; the id alone otherwise. */
    tenantName?: string;
    /** The tenant's default domain ("contoso.com"), with the name. */
    tenantDomain?: string;
    /** What was done: the command's own name for it (`createServiceAccount`, `applyRecipe` …), never input. */
    action: string;
    /**
     * What it was done to, in the admin's words: a UPN, an address, `user → role`, a recipe's name and file. Names as
     * the tenant or the recipe has them; kept as they are, whatever they look like (they are not secrets).
     */
    target: string;
    result: 'succeeded' | 'failed' | 'unchanged' | 'cancelled' | 'partial';
    /**
     * The Entra / Exchange object ids the change named or made (the account, the group, the role assignment), at most
     * 20; none when the change wrote nothing.
     */
    objectIds?: string[];
    /**
     * The `request-id` Microsoft answered the change's last write with (on success too), or the failed request's: what
     * Microsoft support asks for.
     */
    requestId?: string;
    /** A recipe step's line: the recipe it belongs to (its summary line has action `applyRecipe` and the same name). */
    recipe?: string;
    /** Free text (a summary, or the error of a failed change): secret-looking parts are removed before writing. */
    detail?: string;
}

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
    constructor(readonly file: string, private readonly onUnwritten: AuditUnwritten = () => undefined) {}

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
