/**
 * What every free-text field shares: its length counted as Entra counts it, and the characters no name may hold.
 * Browser-safe (the setup wizard's bundle uses it): no imports.
 */

/**
 * A value's length in characters (Unicode code points), as Entra and Exchange count "Maximum length is 256
 * characters" (microsoft-graph-docs-contrib api-reference/v1.0/resources/user.md, displayName; group.md likewise):
 * `"😀".length` is 2 in JavaScript (UTF-16 units) but one character to Entra.
 */
export function characterCount(value: string): number {
    let n = 0;
    for (const _ of value) n++;
    return n;
}

/** Names of the invisible characters people paste by accident, for the message. */
const named: Readonly<Record<number, string>> = {
    0x00: 'a NUL character',
    0x09: 'a tab',
    0x0a: 'a line break (line feed)',
    0x0d: 'a line break (carriage return)',
    0x1b: 'an escape character',
    0x7f: 'a delete character',
    0x85: 'a line break (next line)',
    0x2028: 'a line separator',
    0x2029: 'a paragraph separator',
};

/**
 * Why a code point may not be in a name, or undefined. Control characters (C0, DEL, C1) and line breaks would be
 * stored in the tenant and break the line of every list, log and exported PowerShell script that shows the name;
 * bidirectional controls (U+202A–U+202E, U+2066–U+2069, and the marks U+200E, U+200F, U+061C) make a name display
 * differently from what it is (the "Trojan Source" trick, CVE-2021-42574); an unpaired surrogate is half a character,
 * which Graph's JSON cannot carry faithfully.
 */
function forbidden(cp: number): string | undefined {
    if (named[cp]) return named[cp];
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return 'a control character';
    if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp === 0x200e || cp === 0x200f || cp === 0x061c) return 'a bidirectional text control';
    if (cp >= 0xd800 && cp <= 0xdfff) return 'half of a broken character (an unpaired surrogate)';
    return undefined;
}

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * The first character a free-text field may not hold, named with its position (counted in characters, from 1) and
 * what to do: `label` is the field as the admin knows it ("display name").
 */
export function unsafeCharacterProblem(label: string, value: string): string | undefined {
    let position = 0;
    for (const ch of value) {
        position++;
        const cp = ch.codePointAt(0) ?? 0;
        const what = forbidden(cp);
        if (what) return `The ${label} has ${what} (${hex(cp)}) at character ${position}. Remove it: a ${label} is one line of visible text.`;
    }
    return undefined;
}

/** The common checks of a free-text field: not empty, no forbidden character, at most `max` characters. */
export function freeTextProblem(label: string, value: string, max: number, example: string): string | undefined {
    const trimmed = value.trim();
    if (!trimmed) return `Enter a ${label}, e.g. ${example}.`;
    const unsafe = unsafeCharacterProblem(label, value);
    if (unsafe) return unsafe;
    const length = characterCount(trimmed);
    if (length > max) return `The ${label} has ${length} characters; at most ${max} are allowed. Shorten it.`;
    return undefined;
}
