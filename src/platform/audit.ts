import { ExchangeCommandError } from '../exchange/ExchangeCommandError';
import { GraphRequestError } from '../graph/GraphRequestError';
import type { AuditEntry, AuditLog, AuditRecord } from '../audit/auditLog';
import { recordWrites, WriteTrail } from '../net/writeTrail';
import type { AppliedStep } from '../provisioning/recipes/applyTypes';
import { isUserCancelled } from '../shared/errors';
import type { TenantSession } from './tenantSession';

/** The request id an error carries, for the audit record and for Microsoft support. */
export function requestIdOf(error: unknown): string | undefined {
    return error instanceof GraphRequestError || error instanceof ExchangeCommandError ? error.requestId : undefined;
}

/** Who and where, for every line: the account, the tenant id, and the tenant's name and default domain when known. */
async function whoAndWhere(session: TenantSession): Promise<Pick<AuditEntry, 'who' | 'tenant' | 'tenantName' | 'tenantDomain'>> {
    // Read once per session (silently); a name that cannot be read leaves the id alone, never a missing line.
    const name = await Promise.resolve().then(() => session.tenantOrganisation()).catch(() => undefined);
    return {
        who: session.account.username,
        tenant: session.account.tenantId,
        ...(name?.displayName ? { tenantName: name.displayName } : {}),
        ...(name?.defaultDomain ? { tenantDomain: name.defaultDomain } : {}),
    };
}

/**
 * Runs one change and writes its audit line whatever happens: succeeded (or unchanged when it was already so),
 * cancelled, or failed. The line carries the object ids the change's writes named or made and the request id of its
 * last write (on success too; a failure's own request id first), collected by the clients into this change's
 * `WriteTrail`. The line never changes the outcome: the writer redacts rather than refuses, and a line it cannot write
 * (disk full) is reported by the log itself (`AuditLog`'s `onUnwritten`), so a change made in the tenant is never
 * reported as failed because of its audit line.
 */
export async function audited<T>(audit: AuditLog, session: TenantSession, action: string, target: string, change: () => Promise<T>, describe: (result: T) => { result?: AuditRecord['result']; detail?: string; requestId?: string } = () => ({})): Promise<T> {
    const trail = new WriteTrail();
    const traced = (requestId: string | undefined) => ({
        ...(trail.objectIds().length ? { objectIds: trail.objectIds() } : {}),
        ...(requestId ?? trail.lastRequestId ? { requestId: requestId ?? trail.lastRequestId } : {}),
    });
    let result: T;
    try {
        result = await recordWrites(() => change(), trail);
    } catch (error) {
        await audit.append({ ...(await whoAndWhere(session)), action, target, result: isUserCancelled(error) ? 'cancelled' : 'failed', detail: error instanceof Error ? error.message.slice(0, 500) : String(error), ...traced(requestIdOf(error)) });
        throw error;
    }
    let d: ReturnType<typeof describe>;
    try {
        d = describe(result);
    } catch {
        d = {}; // a summary that cannot be made still leaves the change's line
    }
    await audit.append({ ...(await whoAndWhere(session)), action, target, result: d.result ?? 'succeeded', ...(d.detail ? { detail: d.detail } : {}), ...traced(d.requestId) });
    return result;
}

/**
 * What Apply (and offboarding) calls as each step of a recipe finishes: one audit line per step that changed the tenant
 * or failed, with the step's kind as action, its target, its object ids and its last request id, named after the
 * recipe; the recipe's own summary line comes from `audited` around the whole run.
 */
export function auditRecipeSteps(audit: AuditLog, session: TenantSession, recipe: string): (step: AppliedStep) => Promise<void> {
    return async step => {
        const result = step.outcome === 'failed' ? 'failed' : step.outcome === 'created' || step.outcome === 'changed' || step.outcome === 'removed' ? 'succeeded' : undefined;
        if (!result) return;
        await audit.append({
            ...(await whoAndWhere(session)),
            action: step.kind,
            target: step.target,
            result,
            ...(step.objectIds?.length ? { objectIds: step.objectIds } : {}),
            ...(step.requestId ? { requestId: step.requestId } : {}),
            recipe,
            detail: `${step.outcome}: ${step.detail}`.slice(0, 500),
        });
    };
}
