import type { Recipe } from './recipe';

/** The same recipe (whatever its formatting) gives the same fingerprint. */
export function recipeFingerprint(recipe: Recipe): string {
    const canonical = (value: unknown): unknown =>
        Array.isArray(value) ? value.map(canonical) : value && typeof value === 'object' ? Object.fromEntries(Object.keys(value).sort().map(k => [k, canonical((value as Record<string, unknown>)[k])])) : value;
    const text = JSON.stringify(canonical(recipe));
    // FNV-1a, 2 × 32 bits: a fingerprint for "same recipe", not a security hash.
    let a = 0x811c9dc5;
    let b = 0x01000193;
    for (let i = 0; i < text.length; i++) {
        a = Math.imul(a ^ text.charCodeAt(i), 0x01000193) >>> 0;
        b = Math.imul(b ^ text.charCodeAt(text.length - 1 - i), 0x01000193) >>> 0;
    }
    return `${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}
