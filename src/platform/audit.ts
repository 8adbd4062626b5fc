import { ExchangeCommandError } from '../exchange/ExchangeCommandError';
import { GraphRequestError } from '../graph/GraphRequestError';
import type { AuditLog, AuditRecord } from '../audit/auditLog';
import { isUserCancelled } from '../shared/errors';
import type { TenantSession } from './tenantSession';

/** The request id an error carries, for the audit record and for Microsoft support. */
export function requestIdOf(error: unknown): string | undefined {
    return error instanceof GraphRequestError || error instanceof ExchangeCommandError ? error.requestId : undefined;
}

/**
 * Runs one change and writes its audit line whatever happens: succeeded (or unchanged when it was already so),
 * cancelled, or failed with the request id. The line never changes the outcome: the writer redacts rather than
 * refuses, and a line it cannot write (disk full) is reported by the log itself (`AuditLog`'s `onUnwritten`), so a
 * change made in the tenant is never reported as failed because of its audit line.
 */
export async function audited<T>(audit: AuditLog, session: TenantSession, action: string, target: string, change: () => Promise<T>, describe: (result: T) => { result?: AuditRecord['result']; detail?: string; requestId?: string } = () => ({})): Promise<T> {
    const base = { who: session.account.username, tenant: session.account.tenantId, action, target };
    let result: T;
    try {
        result = await change();
    } catch (error) {
        const requestId = requestIdOf(error);
        await audit.append({ ...base, result: isUserCancelled(error) ? 'cancelled' : 'failed', detail: error instanceof Error ? error.message.slice(0, 500) : String(error), ...(requestId ? { requestId } : {}) });
        throw error;
    }
    let d: ReturnType<typeof describe>;
    try {
        d = describe(result);
    } catch {
        d = {}; // a summary that cannot be made still leaves the change's line
    }
    await audit.append({ ...base, result: d.result ?? 'succeeded', ...(d.detail ? { detail: d.detail } : {}), ...(d.requestId ? { requestId: d.requestId } : {}) });
    return result;
}
