/**
 * Writing recipe values into a PowerShell script so that a name can never become code: every value goes into a
 * single-quoted string (no `$` expansion, no backtick escapes), and values inside a -Filter or -LDAPFilter are
 * escaped for that filter language first, then quoted for PowerShell.
 */
import { odataString } from '../../graph/odata';

/** Graph's -Filter takes OData string literals: quoted, with ' doubled. */
export { odataString };

/**
 * PowerShell treats the typographic quotes ‘ ’ ‚ ‛ as single quotes too (a name pasted from Word would otherwise end
 * the string): inside a single-quoted string each of them is written twice, as ' is.
 */
const singleQuotes = /['\u2018\u2019\u201A\u201B]/g;

/**
 * Line breaks (\r, \n, NEL, U+2028/9) and other control characters: a single-quoted string could hold them, but a
 * value with a hidden line break is a mistake in the recipe, and it would break the comment lines that name it.
 */
function isControl(c: string): boolean {
    const code = c.charCodeAt(0);
    return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

export class ScriptValueError extends Error {}

/** A PowerShell single-quoted string literal holding exactly `value`; a value with a line break is refused. */
export function psString(value: string): string {
    if ([...value].some(isControl)) {
        throw new ScriptValueError(`The recipe value ${JSON.stringify(value)} holds a line break or another control character, which a script cannot take safely. Remove it from the recipe and export again.`);
    }
    return `'${value.replace(singleQuotes, q => q + q)}'`;
}

/** A PowerShell array of single-quoted strings: @('a', 'b'). */
export function psStringArray(values: readonly string[]): string {
    return `@(${values.map(psString).join(', ')})`;
}

/**
 * An OPATH string literal for Exchange's -Filter: quoted, with ' doubled. The export filters only on addresses, which
 * the recipe check keeps to ASCII, so the typographic quotes never reach a filter.
 */
export const opathString: (value: string) => string = odataString;

/** A value inside an LDAP filter (RFC 4515): \ * ( ) and NUL written as \hh, so a name cannot change the filter. */
export function ldapFilterValue(value: string): string {
    return [...value].map(c => ('\\*()'.includes(c) || c === '\0' ? `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c)).join('');
}

/**
 * Free text (a recipe's description, a name) as comment lines: each line starts with `# `; control characters other
 * than line breaks become spaces. Only line comments are written, so nothing in the text can end a comment block.
 */
export function commentLines(text: string, prefix = '# '): string[] {
    return text.split(/\r\n|[\r\n\u0085\u2028\u2029]/).map(line => `${prefix}${commentText(line)}`.trimEnd());
}

/** A name inside one comment line (no line breaks, whatever the value holds). */
export function commentText(text: string): string {
    return [...text].map(c => (isControl(c) ? ' ' : c)).join('');
}
