/**
 * Names close to one an admin typed that matches nothing ("Service Suport Administrator"), best first: what a "Did
 * you mean" offers. Close by spelling (edit distance over the whole name, a typo or two) or by words (each typed word
 * is the start of, or a typo away from, a word of the name: "Exchange Admin" → "Exchange Administrator"). Names that
 * are merely alphabetically near, or share only a common word such as "Administrator", are not offered.
 */
export function closestNames(typed: string, names: readonly string[], max = 3): string[] {
    const wanted = normalise(typed);
    if (!wanted) return [];
    const scored = [...new Set(names)]
        .map(name => ({ name, distance: Math.min(spellingDistance(wanted, normalise(name)), wordDistance(wanted, normalise(name))) }))
        .filter(s => s.distance <= threshold)
        .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name));
    return scored.slice(0, max).map(s => s.name);
}

/** Share of a name's characters that may differ (0.25: three typos in a 12-letter word, or a missing word of four). */
const threshold = 0.25;

function normalise(name: string): string {
    return name.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
}

function spellingDistance(a: string, b: string): number {
    return editDistance(a, b) / Math.max(a.length, b.length, 1);
}

/**
 * Each typed word matched to its best word of the name (a prefix of three letters or more counts as a match), and the
 * name must not have unmatched words beyond one: "Exchange Admin" is close to "Exchange Administrator", "Admin" alone
 * is not close to every "… Administrator".
 */
function wordDistance(typed: string, name: string): number {
    const typedWords = typed.split(' ');
    const nameWords = name.split(' ');
    const missing = nameWords.length - typedWords.length;
    if (missing > 1 || missing < 0 || (missing === 1 && typedWords.length < 2)) return 1;
    const used = new Set<number>();
    let total = 0;
    for (const word of typedWords) {
        let best = 1;
        let bestAt = -1;
        for (const [i, candidate] of nameWords.entries()) {
            if (used.has(i)) continue;
            const d = word.length >= 3 && candidate.startsWith(word) ? 0 : spellingDistance(word, candidate);
            if (d < best) [best, bestAt] = [d, i];
        }
        if (bestAt < 0) return 1;
        used.add(bestAt);
        total += best;
    }
    // A missing word costs a little, so a name with every word typed comes first.
    return total / typedWords.length + missing * 0.15;
}

/** Damerau–Levenshtein (optimal string alignment): insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
    const a0 = Array.from(a);
    const b0 = Array.from(b);
    let before = new Array<number>(b0.length + 1).fill(0);
    let previous = Array.from({ length: b0.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a0.length; i++) {
        const current = [i];
        for (let j = 1; j <= b0.length; j++) {
            const cost = a0[i - 1] === b0[j - 1] ? 0 : 1;
            let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
            if (i > 1 && j > 1 && a0[i - 1] === b0[j - 2] && a0[i - 2] === b0[j - 1]) d = Math.min(d, before[j - 2] + 1);
            current.push(d);
        }
        [before, previous] = [previous, current];
    }
    return previous[b0.length];
}
