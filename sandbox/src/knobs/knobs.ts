import { isSeed, maxSeed } from './seed';

/** How an Exchange admin API `$batch` is charged against the throttle (see `exchangeBatchCost`). */
export type BatchCost = 'per-item' | 'per-request';
export const batchCosts: readonly BatchCost[] = ['per-item', 'per-request'];

/** How Exchange error bodies carry the exception (see `exchangeErrorForm` and sandbox/src/exchange/errors.ts). */
export type ExchangeErrorForm = 'pipe' | 'json' | 'bare' | 'mixed';
export const exchangeErrorForms: readonly ExchangeErrorForm[] = ['pipe', 'json', 'bare', 'mixed'];

/** What the sandbox can be told to do to its clients, at start (flags) or at run time (`PUT /_sandbox/knobs`). */
export interface Knobs {
    /** Added to every Graph and Exchange answer, plus up to `jitterMs` more. */
    latencyMs: number;
    jitterMs: number;
    /** Requests per second per app per API; 0 = unlimited. Bursts up to `throttleBurst` requests. */
    throttleGraphPerSecond: number;
    throttleExchangePerSecond: number;
    throttleBurst: number;
    /**
     * What one Exchange `$batch` costs against `throttleExchangePerSecond`: `per-item` (every command in it counts, as
     * Graph documents for its own `$batch`) or `per-request` (the whole batch counts once). No Microsoft document says
     * which Exchange does, so the default is the conservative `per-item` (docs/FIDELITY.md lists it as an assumption).
     * Graph's `$batch` is always charged per item, as documented.
     */
    exchangeBatchCost: BatchCost;
    /** Share of Graph/Exchange requests answered 503 or dropped (half each), chosen by draws from `faultSeed`. */
    faultRatio: number;
    replicationLagMs: number;
    tokenLifetimeSeconds: number;
    /**
     * How Exchange error bodies carry the exception type and text: `pipe`, `json`, `bare` (no details), or `mixed`
     * (each error picks one by a draw from `faultSeed`: the default, so every client run meets all).
     */
    exchangeErrorForm: ExchangeErrorForm;
    /**
     * The one seed of every chance the sandbox takes (faults, jitter, `mixed` error forms), so a failed run can be
     * replayed: given at start (`knobs.faultSeed`, `--fault-seed`), else M365P_SANDBOX_SEED, else chosen at start
     * (knobs/seed.ts). Setting it at run time, even to the same value, starts every draw again from the beginning.
     */
    faultSeed: number;
    /**
     * Tenants (ids or verified domains) whose Graph and Exchange are down: every request there is answered 503
     * `serviceNotAvailable` with Retry-After: 1, while sign-in and the other tenants go on (a fleet run's one failing
     * tenant). Empty by default.
     */
    failingTenants: string[];
}

/** Knobs that take one of a few words rather than a number. */
const choiceKnobs: Record<string, readonly string[]> = {
    exchangeErrorForm: exchangeErrorForms,
    exchangeBatchCost: batchCosts,
};

export const defaultKnobs: Knobs = {
    latencyMs: 0,
    jitterMs: 0,
    throttleGraphPerSecond: 0,
    throttleExchangePerSecond: 0,
    throttleBurst: 10,
    exchangeBatchCost: 'per-item',
    faultRatio: 0,
    replicationLagMs: 0,
    tokenLifetimeSeconds: 3600,
    exchangeErrorForm: 'mixed',
    // startSandbox puts the starting seed here (knobs/seed.ts startingSeed).
    faultSeed: 0,
    failingTenants: [],
};

/** Applies a partial update, refusing unknown names and bad values with a message naming the knob. */
export function updateKnobs(current: Knobs, update: Record<string, unknown>): Knobs {
    const next = { ...current };
    for (const [name, value] of Object.entries(update)) {
        if (!(name in current)) throw new Error(`Unknown knob '${name}'. Known: ${Object.keys(current).join(', ')}.`);
        if (name === 'failingTenants') {
            if (!Array.isArray(value) || !value.every(v => typeof v === 'string')) throw new Error("Knob 'failingTenants' must be a list of tenant ids or domains.");
            next.failingTenants = value.map(v => v.toLowerCase());
            continue;
        }
        const choices = choiceKnobs[name];
        if (choices) {
            if (typeof value !== 'string' || !choices.includes(value)) throw new Error(`Knob '${name}' must be one of: ${choices.join(', ')}.`);
            (next as unknown as Record<string, string>)[name] = value;
            continue;
        }
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`Knob '${name}' must be a number ≥ 0.`);
        if (name === 'faultSeed' && !isSeed(value)) throw new Error(`Knob 'faultSeed' must be a whole number from 0 to ${maxSeed}.`);
        if (name === 'faultRatio' && value > 1) throw new Error("Knob 'faultRatio' must be between 0 and 1.");
        (next as unknown as Record<string, number>)[name] = value;
    }
    return next;
}
