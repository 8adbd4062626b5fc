import type { SandboxContext } from '../contracts';

/**
 * Whether Exchange Online already knows a directory object created at `createdDateTime`: Entra ID replicates new
 * users and groups to Exchange after a delay (the first guide says up to 30 minutes), set by the replicationLagMs knob.
 */
export function isReplicatedToExchange(createdDateTime: string, ctx: Pick<SandboxContext, 'knobs' | 'now'>): boolean {
    const created = Date.parse(createdDateTime);
    if (Number.isNaN(created)) return true;
    return ctx.now() >= created + ctx.knobs.replicationLagMs;
}

/** Milliseconds until the object becomes visible to Exchange (0 when it already is). */
export function millisecondsUntilReplicated(createdDateTime: string, ctx: Pick<SandboxContext, 'knobs' | 'now'>): number {
    const created = Date.parse(createdDateTime);
    if (Number.isNaN(created)) return 0;
    return Math.max(0, created + ctx.knobs.replicationLagMs - ctx.now());
}
