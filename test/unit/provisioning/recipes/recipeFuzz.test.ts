import * as assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseRecipe, type Recipe } from '../../../../src/provisioning/recipes/recipe';
import { MAX_RECIPE_CHARACTERS } from '../../../../src/provisioning/recipes/recipeLimits';
import { calendarGuide } from './guideRecipes';

/**
 * Fuzz test of the recipe checker: random and adversarial JSON (depth, size, odd Unicode, duplicate keys, prototype
 * keys, huge numbers, long strings, many problems at once) against properties every answer must have. The seed is
 * printed; replay a failure with M365P_FUZZ_SEED=<seed>. Each input is bounded: one check taking more than 2 s fails
 * (a bound on work, far above the ~50 ms a 1 MB input takes, not a measure of speed).
 */

const seed = Number(process.env.M365P_FUZZ_SEED ?? randomInt(2 ** 31));
const RANDOM_INPUTS = 600;
const BOUND_MS = 2_000;

/** mulberry32: small, seedable, good enough to pick mutations. */
function prng(s: number) {
    let a = s >>> 0;
    const next = () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const int = (n: number) => Math.floor(next() * n);
    const pick = <T>(list: readonly T[]): T => list[int(list.length)];
    const chance = (p: number) => next() < p;
    return { int, pick, chance };
}
type Random = ReturnType<typeof prng>;

const oddStrings = [
    '', ' ', '\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\ud83d', '\u202eevil\u202c', '\u2066iso\u2069', '\u200f', '\ufeff', '\r\n', '\t',
    '🙂'.repeat(300), 'é'.repeat(257), 'a'.repeat(5_000), '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty',
    'sa-x@contoso.com', 'x@', '@contoso.com', 'a@b@c', 'Global Administrator', 'NL', 'nl', 'NLD', '"quoted"', '\\', '/', '~1', '~0',
    'Ω≈ç√', '\u0085', '\u2028', '\u2029', 'eyJhbGciOi', 'Bearer x', 'password: x',
];
const oddNumbers = ['1e999999', '-1e999999', '1e-999999', '-0', '0', '123456789012345678901234567890', '1.5', '-1', '9007199254740993'];
const fields = ['name', 'description', 'serviceAccounts', 'mailEnabledGroups', 'calendarGrants', 'userPrincipalName', 'displayName', 'usageLocation', 'directoryRoles', 'exchangeRoleGroups', 'licence', 'sku', 'enabledPlans', 'primarySmtpAddress', 'hiddenFromAddressLists', 'acceptMessagesOnlyFrom', 'members', 'membersOf', 'grantee', 'accessRight', '$schema', '__proto__', 'constructor'];

/** A random JSON text of a random value (its own recursion is bounded by `depth`, small). */
function randomValue(r: Random, depth: number): string {
    const kind = depth > 4 ? r.int(4) : r.int(7);
    switch (kind) {
        case 0: return JSON.stringify(r.pick(oddStrings));
        case 1: return r.pick(oddNumbers);
        case 2: return r.pick(['true', 'false', 'null']);
        case 3: return JSON.stringify(r.pick(fields));
        case 4: case 5: {
            const n = r.int(r.chance(0.05) ? 300 : 5);
            return `[${Array.from({ length: n }, () => randomValue(r, depth + 1)).join(',')}]`;
        }
        default: {
            const n = r.int(6);
            // Keys repeat on purpose: duplicate keys are part of what is fuzzed.
            return `{${Array.from({ length: n }, () => `${JSON.stringify(r.chance(0.8) ? r.pick(fields) : r.pick(oddStrings))}:${randomValue(r, depth + 1)}`).join(',')}}`;
        }
    }
}

/** A valid recipe changed a little: a value replaced, a field added or removed, a list grown. Often still valid. */
function mutatedRecipe(r: Random): string {
    const recipe = structuredClone(calendarGuide) as unknown as Record<string, unknown>;
    const account = (recipe.serviceAccounts as Record<string, unknown>[])[0];
    const group = (recipe.mailEnabledGroups as Record<string, unknown>[])[0];
    const targets = [recipe, account, group, (recipe.calendarGrants as Record<string, unknown>[])[0], account.licence as Record<string, unknown>];
    for (let i = r.int(4); i > 0; i--) {
        const target = r.pick(targets);
        const key = r.pick(fields);
        if (r.chance(0.2)) delete target[key];
        else target[key] = JSON.parse(randomValue(r, 3)) as unknown;
    }
    if (r.chance(0.1)) recipe.serviceAccounts = Array.from({ length: r.pick([99, 100, 101, 1000]) }, (_, i) => ({ userPrincipalName: `sa-${i}@contoso.com`, displayName: `SA ${i}`, usageLocation: 'NL' }));
    if (r.chance(0.1)) group.members = Array.from({ length: r.pick([100, 101]) }, (_, i) => `m-${i}@contoso.com`);
    return JSON.stringify(recipe, null, r.pick([0, 2, 4]));
}

/** A text changed at the character level: inserted, deleted or replaced characters, raw lone surrogates, a key doubled. */
function mutatedText(r: Random, text: string): string {
    let out = text;
    for (let i = 1 + r.int(3); i > 0; i--) {
        const at = r.int(out.length + 1);
        const insert = r.pick(['{', '}', '[', ']', ',', ':', '"', '\\', '\u0000', '\ud800', '\udc00', '\u202e', '/*', '//', '\n', 'null', '"name": "x",', '"name": "x"', '1e999999', "'"]);
        const what = r.int(3);
        if (what === 0) out = out.slice(0, at) + insert + out.slice(at);
        else if (what === 1) out = out.slice(0, at) + out.slice(at + 1 + r.int(5));
        else out = out.slice(0, at) + insert + out.slice(at + insert.length);
    }
    return out;
}

const deep = (open: string, close: string, n: number) => open.repeat(n) + close.repeat(n);
const account = (i: number) => ({ userPrincipalName: `sa-${i}@contoso.com`, displayName: `SA ${i}`, usageLocation: 'NL' });
/** Inputs chosen to hurt: depth, size, mismatched brackets the parser skips, many problems, many duplicate keys. */
const adversarial: [string, () => string, 'refused'?][] = [
    ['100,000 nested lists', () => deep('[', ']', 100_000), 'refused'],
    ['100,000 nested objects', () => `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`, 'refused'],
    ['100,000 unclosed lists', () => '['.repeat(100_000), 'refused'],
    ['100,000 unclosed objects in a recipe', () => `{"name": "x", "serviceAccounts": ${'[{"a":'.repeat(100_000)}`, 'refused'],
    ['mismatched [{] repeated', () => '[{]'.repeat(100_000), 'refused'],
    ['mismatched [} repeated', () => '[}'.repeat(100_000), 'refused'],
    ['mismatched {"a":[} repeated', () => '{"a":[}'.repeat(50_000), 'refused'],
    ['closes before opens', () => ']}'.repeat(100_000) + deep('[', ']', 40), 'refused'],
    ['2 MB of text', () => JSON.stringify({ ...calendarGuide, description: 'x'.repeat(2 * 1024 * 1024) }), 'refused'],
    ['just under the size limit, one long string', () => { const t = JSON.stringify({ ...calendarGuide, description: '' }); return t.replace('"description":""', `"description":"${'y'.repeat(MAX_RECIPE_CHARACTERS - t.length)}"`); }, 'refused'],
    ['400,000 zeros in serviceAccounts under 1 MB', () => `{"name":"x","serviceAccounts":[${Array(400_000).fill('0').join(',')}]}`, 'refused'],
    ['100,000 duplicate keys', () => `{${Array(100_000).fill('"name":"x"').join(',')}}`, 'refused'],
    ['100 accounts each wrong in every field', () => JSON.stringify({ name: '', serviceAccounts: Array.from({ length: 100 }, () => ({ userPrincipalName: 'a b', displayName: '\u0000', usageLocation: 'Netherlands', licence: { sku: '', enabledPlans: [] }, password: 1 })) }), 'refused'],
    ['100 accounts with the same UPN', () => JSON.stringify({ name: 'x', serviceAccounts: Array.from({ length: 100 }, () => account(1)) }), 'refused'],
    ['lone surrogates, bidi and NUL escaped in every field', () => JSON.stringify({ name: '\ud800\u202e', description: '\u0000', serviceAccounts: [{ userPrincipalName: '\udfff@contoso.com', displayName: '\u2066x\u2069', usageLocation: 'N\u0000' }] }), 'refused'],
    // Valid JSON (a file on disk cannot hold it: UTF-8 has no lone surrogates); the properties hold either way.
    ['raw lone surrogate in the text', () => `{"name": "x\ud800", "serviceAccounts": [${JSON.stringify(account(1))}]}`],
    ['huge numbers', () => `{"name": 1e999999, "serviceAccounts": [${'123456789012345678901234567890,'.repeat(50)}-0]}`, 'refused'],
    ['__proto__ everywhere', () => `{"__proto__": {"name": "x"}, "name": "x", "serviceAccounts": [{"__proto__": [], "constructor": {"prototype": 1}, "userPrincipalName": "a@contoso.com", "displayName": "A", "usageLocation": "NL"}]}`, 'refused'],
    ['a 900 KB key', () => `{${JSON.stringify('k'.repeat(900_000))}: 1, "name": "x", "serviceAccounts": []}`, 'refused'],
    ['a byte-order mark', () => `\ufeff${JSON.stringify({ name: 'x', serviceAccounts: [account(1)] })}`, 'refused'],
    ['only whitespace', () => ' \n\t '.repeat(1000), 'refused'],
    ['a comment in a valid recipe', () => `/* note */ ${JSON.stringify({ name: 'x', serviceAccounts: [account(1)] })}`, 'refused'],
];

/** Every property the checker promises, whatever the input. */
function check(text: string, label: string): { recipe?: Recipe } {
    const replay = `${label}; replay with M365P_FUZZ_SEED=${seed}`;
    const started = performance.now();
    let result: ReturnType<typeof parseRecipe>;
    try {
        result = parseRecipe(text);
    } catch (error) {
        assert.fail(`parseRecipe threw on ${replay}: ${String(error)}`);
    }
    const elapsed = performance.now() - started;
    assert.ok(elapsed < BOUND_MS, `one input took ${Math.round(elapsed)} ms (bound ${BOUND_MS} ms): ${replay}`);
    const { recipe, problems } = result;
    assert.ok(Array.isArray(problems), replay);
    assert.equal(recipe === undefined, problems.length > 0, `a recipe exactly when there is no problem: ${replay}`);
    assert.ok(problems.length <= 100, `at most 100 problems listed: ${replay}`);
    for (const p of problems) {
        assert.equal(typeof p.path, 'string', replay);
        assert.ok(p.path === '' || p.path.startsWith('/'), `a JSON pointer: ${p.path} (${replay})`);
        assert.ok(typeof p.message === 'string' && p.message.trim().length > 0, `a message: ${replay}`);
        assert.doesNotMatch(p.message, /call stack|undefined|\[object Object\]/i, replay);
        if (p.offset !== undefined) assert.ok(Number.isInteger(p.offset) && p.offset >= 0 && p.offset <= text.length, `offset ${p.offset} within the text (${text.length}): ${replay}`);
    }
    if (recipe) withinLimits(recipe, text, replay);
    return result;
}

/** A recipe that is returned keeps the limits, checked here independently of the checker's own walk. */
function withinLimits(recipe: Recipe, text: string, replay: string) {
    assert.ok(text.length <= MAX_RECIPE_CHARACTERS, replay);
    const chars = (s: unknown) => (typeof s === 'string' ? [...s].length : 0);
    const atMost = (list: unknown[] | undefined, n: number, what: string) => assert.ok((list?.length ?? 0) <= n, `${what}: ${list?.length} > ${n} (${replay})`);
    atMost(recipe.serviceAccounts, 100, 'serviceAccounts');
    atMost(recipe.mailEnabledGroups, 100, 'mailEnabledGroups');
    atMost(recipe.calendarGrants, 100, 'calendarGrants');
    assert.ok(chars(recipe.name) <= 256 && chars(recipe.description) <= 4096, replay);
    for (const a of recipe.serviceAccounts) {
        atMost(a.directoryRoles, 50, 'directoryRoles');
        atMost(a.exchangeRoleGroups, 50, 'exchangeRoleGroups');
        if (Array.isArray(a.licence?.enabledPlans)) atMost(a.licence.enabledPlans, 200, 'enabledPlans');
        assert.ok(chars(a.userPrincipalName) <= 256 && chars(a.displayName) <= 256, replay);
        for (const s of [...(a.directoryRoles ?? []), ...(a.exchangeRoleGroups ?? []), a.licence?.sku ?? '']) assert.ok(chars(s) <= 256, replay);
    }
    for (const g of recipe.mailEnabledGroups ?? []) {
        atMost(g.members, 100, 'members');
        atMost(g.acceptMessagesOnlyFrom, 100, 'acceptMessagesOnlyFrom');
        assert.ok(chars(g.name) <= 256 && chars(g.primarySmtpAddress) <= 256, replay);
    }
    for (const c of recipe.calendarGrants ?? []) assert.ok(chars(c.membersOf) <= 256 && chars(c.grantee) <= 256, replay);
}

describe('Recipe checker fuzz: never throws, always answers with located problems or a recipe within the limits', function () {
    this.timeout(60_000);

    before(() => {
        console.log(`      recipe fuzz seed: ${seed} (replay: M365P_FUZZ_SEED=${seed})`);
    });

    for (const [label, input, expected] of adversarial) {
        it(`adversarial: ${label}`, () => {
            const { recipe } = check(input(), label);
            if (expected === 'refused') assert.equal(recipe, undefined, 'not a valid recipe');
        });
    }

    it(`${RANDOM_INPUTS} random inputs: random JSON, mutated recipes, and mutated texts`, () => {
        const r = prng(seed);
        const accepted = { count: 0 };
        for (let i = 0; i < RANDOM_INPUTS; i++) {
            const kind = i % 3;
            const text = kind === 0 ? randomValue(r, 0) : kind === 1 ? mutatedRecipe(r) : mutatedText(r, mutatedRecipe(r));
            if (check(text, `random input ${i} (kind ${kind})`).recipe) accepted.count++;
        }
        // Some mutated recipes stay valid, so the "returned recipe keeps the limits" property is exercised too.
        assert.ok(accepted.count > 0, `no random input was a valid recipe (seed ${seed})`);
    });

    it('the same text gives the same answer twice (the last text read is kept for offsets; it must not leak)', () => {
        const r = prng(seed + 1);
        for (let i = 0; i < 50; i++) {
            const a = mutatedText(r, mutatedRecipe(r));
            const b = mutatedRecipe(r);
            const first = JSON.stringify(parseRecipe(a));
            parseRecipe(b);
            assert.equal(JSON.stringify(parseRecipe(a)), first, `replay with M365P_FUZZ_SEED=${seed}`);
        }
    });
});
