/** What the sandbox can be told to do to its clients, at start (flags) or at run time (`PUT /_sandbox/knobs`). */
export interface Knobs {
    /** Added to every Graph and Exchange answer, plus up to `jitterMs` more. */
    latencyMs: number;
    jitterMs: number;
    /** Requests per second per app per API; 0 = unlimited. Bursts up to `throttleBurst` requests. */
    throttleGraphPerSecond: number;
    throttleExchangePerSecond: number;
    throttleBurst: number;
    /** Share of Graph/Exchange requests answered 503 or dropped (half each). */
    faultRatio: number;
    replicationLagMs: number;
    tokenLifetimeSeconds: number;
}

export const defaultKnobs: Knobs = {
    latencyMs: 0,
    jitterMs: 0,
    throttleGraphPerSecond: 0,
    throttleExchangePerSecond: 0,
    throttleBurst: 10,
    faultRatio: 0,
    replicationLagMs: 0,
    tokenLifetimeSeconds: 3600,
};

/** Applies a partial update, refusing unknown names and bad values with a message naming the knob. */
export function updateKnobs(current: Knobs, update: Record<string, unknown>): Knobs {
    const next = { ...current };
    for (const [name, value] of Object.entries(update)) {
        if (!(name in current)) throw new Error(`Unknown knob '${name}'. Known: ${Object.keys(current).join(', ')}.`);
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`Knob '${name}' must be a number ≥ 0.`);
        if (name === 'faultRatio' && value > 1) throw new Error("Knob 'faultRatio' must be between 0 and 1.");
        (next as Record<string, number>)[name] = value;
    }
    return next;
}
