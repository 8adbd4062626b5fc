import schema from '../../../media/m365recipe.schema.json';
import { pointerPart } from './jsonPointer';

/**
 * How big a recipe may be. A recipe is one integration's setup, typed and reviewed by an admin; these limits are far
 * above any real one, and they bound the work the checker (run by the editor on every keystroke) and the plan (one or
 * more reads of the tenant per entry) can be made to do.
 *
 * The limits on lists and strings are defined once, in media/m365recipe.schema.json (`maxItems`, `maxLength`, each with
 * a `$comment` saying why), so the editor shows them as the admin types; `listAndLengthProblems` reads them from there.
 * The two limits below are not expressible in JSON Schema, so they live here.
 */

/**
 * At most 1 MB (1,048,576 characters), checked first, before the text is parsed. A real recipe is 1–5 KB (the two
 * examples are under 2 KB); 1 MB is two hundred times that, and keeps the worst parse well under a second
 * (jsonc-parser: ~26 ms for a 1.2 MB recipe of ordinary values; ~250 ms for 1 MB of 400,000 list entries, the worst
 * shape found by the fuzz test; JSON.parse ~3-15 ms). Lists at all their limits with long names could pass 1 MB; the
 * size limit then speaks first, and no real recipe comes near either.
 */
export const MAX_RECIPE_CHARACTERS = 1_048_576;

/**
 * Lists and objects nested at most 32 deep. A valid recipe is 5 deep (file → serviceAccounts → account → licence →
 * enabledPlans); anything deeper is refused by the schema anyway. The bound is checked without recursion before the
 * recursive parser (jsonc-parser) and the schema validator run, so no input can exhaust the stack (jsonc-parser
 * overflows Node's default stack at about 10,000 levels).
 */
export const MAX_RECIPE_DEPTH = 32;

export interface LimitProblem {
    path: string;
    message: string;
    /** A list over its limit: the rest of the checks would do work per entry, so the checker stops here. */
    stops: boolean;
}

const formatCount = (n: number) => n.toLocaleString('en-US');

/** The file-size check, made before anything else reads the text. */
export function sizeProblem(text: string): { path: string; message: string; offset: number } | undefined {
    if (text.length <= MAX_RECIPE_CHARACTERS) return undefined;
    return {
        path: '',
        offset: 0,
        message: `The recipe has ${formatCount(text.length)} characters; a recipe file may have at most ${formatCount(MAX_RECIPE_CHARACTERS)} (1 MB). A recipe describes one integration's accounts, groups and grants: split a larger setup into several recipe files.`,
    };
}

/** Characters as Entra and ajv count them: a surrogate pair is one character (JavaScript's length counts two). */
export function characterCount(value: string): number {
    let count = 0;
    for (let i = 0; i < value.length; i++) {
        const unit = value.charCodeAt(i);
        if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length) {
            const next = value.charCodeAt(i + 1);
            if (next >= 0xdc00 && next <= 0xdfff) i++;
        }
        count++;
    }
    return count;
}

interface SchemaNode {
    type?: string;
    $ref?: string;
    properties?: Record<string, SchemaNode>;
    items?: SchemaNode;
    anyOf?: SchemaNode[];
    maxItems?: number;
    maxLength?: number;
}

const definitions = (schema as { definitions: Record<string, SchemaNode> }).definitions;
const resolve = (node: SchemaNode): SchemaNode => (node.$ref ? definitions[node.$ref.replace('#/definitions/', '')] ?? {} : node);

/**
 * Every list longer than its `maxItems` and every string longer than its `maxLength`, walking the parsed data along
 * the schema with a work list (no recursion; the depth is bounded already, but this walk does not depend on it).
 * A list over its limit is not walked into, so a list of 400,000 accounts costs one comparison.
 */
export function listAndLengthProblems(data: unknown): LimitProblem[] {
    const problems: LimitProblem[] = [];
    const work: { value: unknown; node: SchemaNode; path: string }[] = [{ value: data, node: schema, path: '' }];
    for (let item = work.pop(); item; item = work.pop()) {
        const { value, path } = item;
        const node = resolve(item.node);
        for (const alternative of node.anyOf ?? []) work.push({ value, node: alternative, path });
        if (typeof value === 'string' && node.maxLength !== undefined) {
            const length = characterCount(value);
            if (length > node.maxLength) {
                problems.push({ path, stops: false, message: `${path} has ${formatCount(length)} characters; at most ${formatCount(node.maxLength)} are allowed here. Shorten it.` });
            }
        } else if (Array.isArray(value)) {
            if (node.maxItems !== undefined && value.length > node.maxItems) {
                problems.push({ path, stops: true, message: `${path} lists ${formatCount(value.length)} entries; a recipe may list at most ${formatCount(node.maxItems)} here. Remove the entries the integration does not need, or split the recipe into several files.` });
                continue;
            }
            const items = node.items;
            if (items) value.forEach((entry, i) => work.push({ value: entry, node: items, path: `${path}/${i}` }));
        } else if (value && typeof value === 'object' && node.properties) {
            for (const [key, child] of Object.entries(node.properties)) {
                if (Object.hasOwn(value, key)) work.push({ value: (value as Record<string, unknown>)[key], node: child, path: `${path}/${pointerPart(key)}` });
            }
        }
    }
    return problems;
}
