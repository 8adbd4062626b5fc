import { SyntaxKind, createScanner, getNodePath, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { pointerPart, pointerParts } from './jsonPointer';
import { MAX_RECIPE_CHARACTERS, MAX_RECIPE_DEPTH } from './recipeLimits';

/**
 * A recipe file's JSON as the checker reads it: syntax errors and duplicate keys with their offsets, and where a JSON
 * pointer's value is in the text.
 *
 * Why jsonc-parser (Microsoft's, the parser VS Code's own JSON support uses) and not a scanner of our own: measured on
 * this machine, it gives an offset and a code for every syntax error (our scanner found the first one only, and
 * reported its own stack overflow as the reason on deep invalid input); its tree gives every value's offset, so
 * pointer → offset is a walk down the tree instead of a re-scan of the text per problem; a 1.2 MB recipe parses in
 * ~26 ms warm (~95 ms cold; JSON.parse ~3 ms, its scanner alone ~15 ms). What it does not do, we do here: it recurses
 * once per nesting level (100,000 nested [ overflow the stack at ~10,000), so the depth is bounded first with its
 * scanner, which does not recurse (100,000 levels scanned in ~6 ms); and it does not report duplicate keys, so a walk of
 * the tree does. It adds ~20 KB to dist/extension.js.
 *
 * Recipe files are strict JSON: no comments, no trailing commas. VS Code treats *.json files as JSON (not JSON with
 * comments) and so do the other tools an admin may read a recipe with; a comment would be an error there.
 */

const line = (text: string, offset: number) => {
    const before = text.slice(0, offset).split('\n');
    return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
};

/** What is wrong and how to fix it, per jsonc-parser error code. */
function explain(error: ParseError, text: string): string {
    const at = text.slice(error.offset, error.offset + Math.min(error.length, 20));
    const next = text.slice(error.offset).trimStart()[0];
    switch (printParseErrorCode(error.error)) {
        case 'InvalidSymbol':
            if (at.startsWith("'")) return 'Strings and field names need double quotes ("), not single quotes.';
            if (at.startsWith('\ufeff')) return 'The file starts with a byte-order mark: save it as UTF-8 without BOM.';
            return `Unexpected ${JSON.stringify(at)}: JSON has only "strings" (in double quotes), numbers, true, false, null, { objects } and [ lists ]. Put text in double quotes.`;
        case 'InvalidNumberFormat':
        case 'UnexpectedEndOfNumber':
            return `${JSON.stringify(at)} is not a JSON number: write digits, e.g. 10 or 1.5 (no leading zeros, no + sign, no trailing dot).`;
        case 'PropertyNameExpected':
            return next === '}' ? 'A comma before }: remove it (JSON allows no trailing comma).' : 'Expected a field name in double quotes.';
        case 'ValueExpected':
            if (next === undefined) return 'The text ends too early: a value, ] or } is missing.';
            return next === ',' || next === ']' || next === '}' ? 'Expected a value: two commas in a row, or a comma before ] or }? Remove the extra comma.' : 'Expected a value: a "string", a number, true, false, null, { or [.';
        case 'ColonExpected':
            return 'Expected a colon (:) after the field name.';
        case 'CommaExpected':
            return 'Expected a comma between two values or fields.';
        case 'CloseBraceExpected':
            return 'An object is not closed: add the missing }.';
        case 'CloseBracketExpected':
            return 'A list is not closed: add the missing ].';
        case 'EndOfFileExpected':
            return 'Text after the end of the recipe: remove it.';
        case 'InvalidCommentToken':
        case 'UnexpectedEndOfComment':
            return 'Comments are not allowed: a recipe file is plain JSON. Put the note in "description".';
        case 'UnexpectedEndOfString':
            return 'A string that never ends, or a line break inside a string: add the closing ", or write the line break as \\n.';
        case 'InvalidUnicode':
            return '\\u must be followed by four hex digits, e.g. \\u00e9.';
        case 'InvalidEscapeCharacter':
            return 'Unknown escape after \\: use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u followed by four hex digits.';
        case 'InvalidCharacter':
            return 'A control character (a tab, NUL or other invisible character) inside a string: remove it, or write it as an escape such as \\t.';
        default:
            return 'Not valid JSON here.';
    }
}

export interface JsonProblem {
    path: string;
    message: string;
    offset: number;
}

/** A key as a message shows it: quoted, with control and bidi characters escaped, long ones cut. */
export const quotedKey = (key: string) => {
    const shown = JSON.stringify(key.length > 60 ? `${key.slice(0, 60)}…` : key).replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    return shown;
};

/**
 * How deep the text nests lists and objects, scanned without recursion, and the first place it goes deeper than the
 * limit (its JSON pointer, as far as the text is well formed). A close that does not match the open it would close is
 * not counted as closing: jsonc-parser skips it as an error too, so the count never falls below the parser's depth.
 */
function depthProblem(text: string): JsonProblem | undefined {
    const scanner = createScanner(text, true);
    const open: { close: SyntaxKind; key: string | number; expectKey: boolean }[] = [];
    for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
        const top = open.at(-1);
        if (token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken) {
            const isObject = token === SyntaxKind.OpenBraceToken;
            open.push({ close: isObject ? SyntaxKind.CloseBraceToken : SyntaxKind.CloseBracketToken, key: isObject ? '' : 0, expectKey: isObject });
            if (open.length > MAX_RECIPE_DEPTH) {
                const offset = scanner.getTokenOffset();
                const path = open.slice(0, -1).map(f => `/${pointerPart(f.key)}`).join('');
                const field = path.split('/').slice(0, 2).join('/') || 'the recipe';
                return { path, offset, message: `Lists and objects are nested more than ${MAX_RECIPE_DEPTH} deep in ${field} (${line(text, offset)}); a recipe is at most 5 deep. Remove the extra [ and { (and their closing ] and }).` };
            }
        } else if (token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) {
            if (top?.close === token) open.pop();
        } else if (top && token === SyntaxKind.CommaToken) {
            if (typeof top.key === 'number') top.key++;
            else top.expectKey = true;
        } else if (top && token === SyntaxKind.StringLiteral && top.expectKey) {
            top.key = scanner.getTokenValue();
            top.expectKey = false;
        }
    }
    return undefined;
}

/**
 * Every key used twice in one object: JSON.parse keeps the last silently, which can hide a mistake. A work list, not
 * recursion; the pointer is built (from the parent links) only for a duplicate found, not for every value walked.
 */
function duplicateKeys(root: Node, text: string): JsonProblem[] {
    const problems: JsonProblem[] = [];
    const work: Node[] = [root];
    for (let node = work.pop(); node; node = work.pop()) {
        // A loop, not push(...children): spreading 400,000 arguments overflows the stack too.
        if (node.type === 'array') for (const child of node.children ?? []) work.push(child);
        if (node.type !== 'object') continue;
        const first = new Map<string, Node>();
        for (const property of node.children ?? []) {
            const [keyNode, valueNode] = property.children ?? [];
            if (valueNode) work.push(valueNode);
            if (!keyNode) continue;
            const key = String(keyNode.value);
            const earlier = first.get(key);
            if (!earlier) {
                first.set(key, keyNode);
                continue;
            }
            const path = [...getNodePath(node), key].map(p => `/${pointerPart(p)}`).join('');
            problems.push({ path, offset: keyNode.offset, message: `${quotedKey(key)} appears twice in this object (first at ${line(text, earlier.offset)}); only one can count. Remove one of them, or merge their values.` });
        }
    }
    return problems;
}

export interface RecipeJson {
    /** Too deep, or not JSON (the first syntax error only: after it, jsonc-parser's recovery guesses): nothing more to check. */
    refused?: JsonProblem;
    /** Keys used twice in one object. */
    duplicates: JsonProblem[];
    /** Where a pointer's value starts; for a missing member, where the object that should hold it starts. */
    offsetOf(pointer: string): number | undefined;
}

/** Reads the text once: depth first (no recursion), then jsonc-parser's tree, syntax errors and duplicate keys. */
export function readRecipeJson(text: string): RecipeJson {
    const tooDeep = depthProblem(text);
    if (tooDeep) return { refused: tooDeep, duplicates: [], offsetOf: () => undefined };
    const errors: ParseError[] = [];
    const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const offsetOf = (pointer: string) => (root ? offsetIn(root, pointer) : undefined);
    const first = errors[0];
    if (first) return { refused: { path: '', offset: first.offset, message: `The recipe is not valid JSON (${line(text, first.offset)}): ${explain(first, text)}` }, duplicates: [], offsetOf };
    return { duplicates: root ? duplicateKeys(root, text) : [], offsetOf };
}

function offsetIn(root: Node, pointer: string): number {
    let node = root;
    for (const part of pointerParts(pointer)) {
        let next: Node | undefined;
        if (node.type === 'object') {
            // The last of equal keys: the one JSON.parse keeps, so the one the checks saw.
            for (const property of node.children ?? []) if (property.children?.[0]?.value === part) next = property.children[1];
        } else if (node.type === 'array' && /^(0|[1-9]\d*)$/.test(part)) {
            next = node.children?.[Number(part)];
        }
        if (!next) return node.offset;
        node = next;
    }
    return node.offset;
}

let last: { text: string; json: RecipeJson } | undefined;
/**
 * `readRecipeJson`, keeping the last text read: the commands ask for one offset per plan step of the text the checker
 * has just read. A text over the size limit is not read (undefined).
 */
export function readRecipeJsonOnce(text: string): RecipeJson | undefined {
    if (text.length > MAX_RECIPE_CHARACTERS) return undefined;
    if (last?.text !== text) last = { text, json: readRecipeJson(text) };
    return last.json;
}

/** Where a JSON pointer's value starts in the text (for the editor's squiggle and the plan view's rows). */
export function offsetOf(text: string, pointer: string): number | undefined {
    return readRecipeJsonOnce(text)?.offsetOf(pointer);
}
