import { randomInt } from 'node:crypto';

// Look-alike characters (0/O, 1/l/I) are left out: the password is read off a screen once and typed elsewhere.
const upper = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const lower = 'abcdefghijkmnopqrstuvwxyz';
const digits = '23456789';
// Symbols Entra accepts that survive shells, config files and URL-encoding without quoting surprises.
const symbols = '!#$%*+-=?@^_~';

/**
 * A password for a service account: cryptographically random (crypto.randomInt), at least 20 characters, with every
 * character class, so it meets Entra ID's complexity rule (3 of 4 classes, 8–256 characters) with room to spare.
 */
export function generatePassword(length = 24): string {
    if (length < 20 || length > 256) throw new RangeError('A service account password has 20 to 256 characters.');
    const all = upper + lower + digits + symbols;
    const chars = [upper, lower, digits, symbols].map(set => set[randomInt(set.length)]);
    while (chars.length < length) chars.push(all[randomInt(all.length)]);
    // Fisher–Yates, so the guaranteed characters are not always first.
    for (let i = chars.length - 1; i > 0; i--) {
        const j = randomInt(i + 1);
        [chars[i], chars[j]] = [chars[j], chars[i]];
    }
    return chars.join('');
}

/** Entra's rule, checked locally so a generated password is known good before it is sent. */
export function meetsEntraComplexity(password: string): boolean {
    const classes = [/[A-Z]/, /[a-z]/, /\d/, /[^A-Za-z\d]/].filter(r => r.test(password)).length;
    return password.length >= 8 && password.length <= 256 && classes >= 3;
}
