import * as assert from 'node:assert/strict';

// How the export tests read a PowerShell script back: its single-quoted strings, its brackets, its #region sections,
// and whether a create is guarded by a lookup of the same object.

/** PowerShell's single-quote characters: ' and the typographic ‘ ’ ‚ ‛, each of which also ends a single-quoted string. */
export const isSingleQuote = (c: string | undefined) => c !== undefined && "'\u2018\u2019\u201A\u201B".includes(c);

/** Reads a PowerShell single-quoted string starting at `start` (a quote) as PowerShell does: two quotes are one. */
export function readSingleQuoted(text: string, start: number): { value: string; end: number } {
    assert.ok(isSingleQuote(text[start]), `no quote at ${start}`);
    let value = '';
    for (let i = start + 1; i < text.length; i++) {
        if (isSingleQuote(text[i])) {
            if (!isSingleQuote(text[i + 1])) return { value, end: i + 1 };
            value += text[i + 1];
            i++;
        } else {
            value += text[i];
        }
    }
    throw new Error(`unterminated string at ${start}: ${text.slice(start, start + 60)}`);
}

/** Reads an OData or OPATH string literal (quoted, ' doubled). */
export function readFilterLiteral(text: string): string {
    assert.equal(text[0], "'");
    let value = '';
    for (let i = 1; i < text.length; i++) {
        if (text[i] === "'") {
            if (text[i + 1] !== "'") {
                assert.equal(i, text.length - 1, `text after the literal: ${text}`);
                return value;
            }
            i++;
        }
        value += text[i];
    }
    throw new Error(`unterminated literal ${text}`);
}

/**
 * The script as PowerShell's tokenizer sees it, enough to check it: the single-quoted strings read back, and whether
 * ( ) [ ] { } balance outside strings and comments. Double-quoted strings are skipped (backtick escapes honoured).
 */
export function scan(script: string): { strings: string[]; code: string } {
    const strings: string[] = [];
    let code = '';
    const stack: { c: string; at: number }[] = [];
    const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
    for (let i = 0; i < script.length;) {
        const c = script[i];
        if (c === '#') {
            const eol = script.indexOf('\n', i);
            i = eol < 0 ? script.length : eol;
        } else if (isSingleQuote(c)) {
            const { value, end } = readSingleQuoted(script, i);
            strings.push(value);
            code += "''";
            i = end;
        } else if (c === '"') {
            let j = i + 1;
            while (j < script.length && script[j] !== '"') j += script[j] === '`' ? 2 : 1;
            assert.ok(j < script.length, `unterminated double-quoted string at ${i}`);
            code += '""';
            i = j + 1;
        } else {
            if ('([{'.includes(c)) stack.push({ c, at: i });
            if (')]}'.includes(c)) {
                const open = stack.pop();
                assert.equal(open?.c, pairs[c], `${c} at ${i} closes ${open?.c ?? 'nothing'}: ${script.slice(Math.max(0, i - 80), i + 1)}`);
            }
            code += c;
            i++;
        }
    }
    assert.deepEqual(stack.map(s => `${s.c} at ${s.at}: ${script.slice(s.at, s.at + 60)}`), [], 'unclosed brackets');
    return { strings, code };
}

/** The script's #region sections by title. */
export function sections(script: string): Map<string, string> {
    const found = new Map<string, string>();
    for (const m of script.matchAll(/^#region (.+)\n([\s\S]*?)^#endregion$/gm)) found.set(m[1], m[2]);
    return found;
}

/**
 * Asserts that `create` is guarded by `lookup` of the same object: the nearest lookup before it is that one, its result
 * goes into a variable, and the create is in the else branch of an `if` on that variable (so it runs only when the
 * lookup found nothing).
 */
export function assertGuarded(text: string, lookupPrefix: string, lookup: string, create: string) {
    const at = text.indexOf(create);
    assert.ok(at >= 0, `no ${create} in\n${text}`);
    const before = text.lastIndexOf(lookupPrefix, at);
    assert.ok(before >= 0, `${create} has no ${lookupPrefix} before it`);
    assert.ok(text.startsWith(lookup, before), `the lookup before ${create} is not for the same object: ${text.slice(before, before + 120)}`);
    const lineStart = text.lastIndexOf('\n', before) + 1;
    const variable = /^\s*\$(\w+) = (?:@\()?$/.exec(text.slice(lineStart, before))?.[1];
    assert.ok(variable, `the lookup's result is not kept: ${text.slice(lineStart, before + 40)}`);
    const between = text.slice(before, at);
    const test = new RegExp(`^\\s*if \\((?:\\$${variable}(?:\\.Count)?|@\\(\\$${variable} \\|[^\\n]*\\)\\.Count)\\) \\{$`, 'm').exec(between);
    assert.ok(test, `no if on $${variable} between the lookup and ${create}:\n${between}`);
    assert.match(between.slice(test.index), /^\s*\} else \{$/m, `${create} is not in the else branch`);
}
