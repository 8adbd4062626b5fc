import { ExchangeCommandError } from '../exchange/ExchangeCommandError';
import { GraphRequestError } from '../graph/GraphRequestError';
import type { AuditLog, AuditRecord } from '../provisioning/auditLog';
import { isUserCancelled } from '../shared/errors';
import type { TenantSession } from './tenantSession';

/** The request id an error carries, for the audit record and for Microsoft support. */
export function requestIdOf(error: unknown): string | undefined {
    return error instanceof GraphRequestError || error instanceof ExchangeCommandError ? error.requestId : undefined;
}

/**
 * Runs one change and writes its audit line whatever happens: succeeded (or unchanged when it was already so),
 * cancelled, or failed with the request id. The outcome text must never hold a secret (the log refuses it).
 */
export async function audited<T>(audit: AuditLog, session: TenantSession, action: string, target: string, change: () => Promise<T>, describe: (result: T) => { result?: AuditRecord['result']; detail?: string; requestId?: string } = () => ({})): Promise<T> {
    const base = { who: session.account.username, tenant: session.account.tenantId, action, target };
    try {
        const result = await change();
        const d = describe(result);
        await audit.append({ ...base, result: d.result ?? 'succeeded', ...(d.detail ? { detail: d.detail } : {}), ...(d.requestId ? { requestId: d.requestId } : {}) });
        return result;
    } catch (error) {
        const requestId = requestIdOf(error);
        await audit.append({ ...base, result: isUserCancelled(error) ? 'cancelled' : 'failed', detail: error instanceof Error ? error.message.slice(0, 500) : String(error), ...(requestId ? { requestId } : {}) });
        throw error;
    }
}
