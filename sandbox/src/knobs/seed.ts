import { randomInt } from 'node:crypto';
import { seededRandom } from '../tenant/random';

/**
 * The environment variable that carries a run's seed: the test harnesses set it for every sandbox their run starts (in
 * their own process and the ones they spawn), and an admin replaying a failed run sets it by hand.
 */
export const seedVariable = 'M365P_SANDBOX_SEED';

/** Seeds are whole numbers from 0 to 2^32 - 1 (what the generator's state holds). */
export const maxSeed = 2 ** 32 - 1;

export function isSeed(value: unknown): value is number {
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= maxSeed;
}

/** A seed from text (the environment, a flag), refused with a message naming where it came from. */
export function parseSeed(text: string, where: string): number {
    const seed = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
    if (!isSeed(seed)) throw new Error(`${where} must be a whole number from 0 to ${maxSeed} (got '${text}').`);
    return seed;
}

/** A new seed for a run nobody asked to replay: small enough to read out and type back. */
export function newSeed(): number {
    return randomInt(1, 1_000_000_000);
}

/**
 * The seed a sandbox starts with, in this order: the one it was given (knob `faultSeed`, `--fault-seed`), else
 * M365P_SANDBOX_SEED, else a new one.
 */
export function startingSeed(given: number | undefined, env: NodeJS.ProcessEnv = process.env): number {
    if (given !== undefined) return given;
    const fromEnv = env[seedVariable];
    return fromEnv !== undefined && fromEnv.trim() !== '' ? parseSeed(fromEnv, seedVariable) : newSeed();
}

/**
 * The seed of a whole test run: M365P_SANDBOX_SEED when set (a replay), else a new one, which is written into this
 * process's environment so every sandbox the run starts — here, in the extension host, in a spawned mocha — uses it.
 */
export function runSeed(env: NodeJS.ProcessEnv = process.env): number {
    const seed = startingSeed(undefined, env);
    env[seedVariable] = String(seed);
    return seed;
}

/** The one line a run prints, so a failure can be run again with the same faults. */
export function seedLine(seed: number, command: string): string {
    return `sandbox seed ${seed} (replay: ${seedVariable}=${seed} ${command})`;
}

/**
 * The chance draws of one running sandbox: which requests fault, how much jitter, which form an Exchange error takes.
 * Each purpose (and each tenant) draws from its own stream derived from the one seed, so turning jitter on, or another
 * tenant's traffic, does not shift which requests of this tenant fault.
 */
export class SeededChances {
    private readonly streams = new Map<string, () => number>();

    constructor(private seed: number) {}

    /** The next number in [0, 1) of the named stream. */
    next(stream: string): number {
        let draw = this.streams.get(stream);
        if (!draw) {
            draw = seededRandom(`sandbox/${this.seed}/${stream}`);
            this.streams.set(stream, draw);
        }
        return draw();
    }

    /** Starts every stream again from `seed` (another seed, or the same one to replay from here). */
    restart(seed: number): void {
        this.seed = seed;
        this.streams.clear();
    }
}
