import { createHash } from 'node:crypto';

/** A small seeded PRNG (mulberry32): the same seed gives the same organisation, run after run. */
export function seededRandom(seed: string): () => number {
    let state = createHash('sha256').update(seed).digest().readUInt32LE(0);
    return () => {
        state = (state + 0x6d2b79f5) | 0;
        let t = Math.imul(state ^ (state >>> 15), 1 | state);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** A GUID derived from a seed and a name, stable across runs (object ids the tests and the demo can rely on). */
export function stableGuid(seed: string, name: string): string {
    const h = createHash('sha256').update(`${seed}/${name}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
