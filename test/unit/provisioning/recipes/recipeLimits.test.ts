import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { offsetOf, parseRecipe, type RecipeApplication, type RecipeProblem } from '../../../../src/provisioning/recipes/recipe';
import { MAX_RECIPE_CHARACTERS, MAX_RECIPE_DEPTH } from '../../../../src/provisioning/recipes/recipeLimits';
import { calendarGuide } from './guideRecipes';

const text = (value: unknown) => JSON.stringify(value, null, 4);
const guide = () => structuredClone(calendarGuide) as typeof calendarGuide & Record<string, unknown>;
const account = (i: number) => ({ userPrincipalName: `sa-${i}@contoso.com`, displayName: `Service account ${i}`, usageLocation: 'NL' });
const only = (problems: RecipeProblem[]) => {
    assert.equal(problems.length, 1, JSON.stringify(problems, null, 2).slice(0, 2000));
    return problems[0];
};

describe('Recipe limits: size, depth, lists, strings and duplicate keys are refused before the expensive steps', () => {
    describe('nesting depth', () => {
        it('a recipe nested 100,000 deep is refused with a message naming the field, not a stack overflow', () => {
            const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
            const source = `{\n    "name": "x",\n    "description": ${deep},\n    "serviceAccounts": []\n}`;
            const { recipe, problems } = parseRecipe(source);
            assert.equal(recipe, undefined);
            const problem = only(problems);
            assert.match(problem.path, /^\/description(\/0)+$/);
            assert.match(problem.message, new RegExp(`nested more than ${MAX_RECIPE_DEPTH} deep in /description \\(line 3, column \\d+\\); a recipe is at most 5 deep\\. Remove the extra \\[ and \\{`));
            assert.equal(source[problem.offset ?? -1], '[');
        });

        it('deep invalid JSON says where it nests too deep, not our own scanner\'s "Maximum call stack size exceeded"', () => {
            const { problems } = parseRecipe(`{"name": "x", "serviceAccounts": ${'[{"a":'.repeat(50_000)}`);
            const problem = only(problems);
            assert.doesNotMatch(problem.message, /call stack/i);
            assert.match(problem.message, /nested more than 32 deep in \/serviceAccounts/);
            assert.match(problem.path, /^\/serviceAccounts\/0\/a\/0\/a/);
        });

        it('32 levels are read (and refused by the schema, naming the field); 33 are not read', () => {
            const nest = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
            // The file's own object is the first level.
            const at = (n: number) => parseRecipe(`{"name": "x", "description": ${nest(n - 1)}, "serviceAccounts": [${text(account(1))}]}`).problems;
            assert.deepEqual(at(MAX_RECIPE_DEPTH).map(p => [p.path, p.message]), [['/description', '"description" must be a string.']]);
            assert.match(only(at(MAX_RECIPE_DEPTH + 1)).message, /nested more than 32 deep/);
        });

        it('offsetOf (used by the plan view for every step) does not recurse either', () => {
            assert.equal(offsetOf(`{"a": ${'['.repeat(100_000)}}`, '/a'), undefined);
        });
    });

    describe('file size, checked before parsing', () => {
        it('a 50 MB recipe is refused by its size, naming the limit and the fix', () => {
            const big = guide();
            big.description = 'x'.repeat(50 * 1024 * 1024);
            const problem = only(parseRecipe(text(big)).problems);
            assert.equal(problem.path, '');
            assert.equal(problem.offset, 0);
            assert.match(problem.message, /^The recipe has 52,429,\d{3} characters; a recipe file may have at most 1,048,576 \(1 MB\)\. .*split a larger setup into several recipe files\.$/);
        });

        it('a 50 MB text that is not even JSON is refused by its size too: it is never parsed', () => {
            assert.match(only(parseRecipe(`{${'['.repeat(50 * 1024 * 1024)}`).problems).message, /at most 1,048,576/);
        });

        it('a recipe of 400,000 accounts is refused by the size limit', () => {
            const huge = { ...guide(), serviceAccounts: Array.from({ length: 400_000 }, (_, i) => account(i)) };
            const problem = only(parseRecipe(JSON.stringify(huge)).problems);
            assert.match(problem.message, /characters; a recipe file may have at most 1,048,576/);
        });

        it('exactly the limit is read', () => {
            const source = text({ ...guide(), mailEnabledGroups: undefined, calendarGrants: undefined });
            const padded = source + ' '.repeat(MAX_RECIPE_CHARACTERS - source.length);
            assert.deepEqual(parseRecipe(padded).problems, []);
            assert.match(only(parseRecipe(`${padded} `).problems).message, /1,048,577 characters/);
        });
    });

    describe('list lengths', () => {
        it('400,000 entries that fit in 1 MB are refused by the list limit in one problem, not checked one by one', () => {
            const source = `{"name": "x", "serviceAccounts": [${Array(400_000).fill('0').join(',')}]}`;
            assert.ok(source.length < MAX_RECIPE_CHARACTERS);
            const problem = only(parseRecipe(source).problems);
            assert.equal(problem.path, '/serviceAccounts');
            assert.equal(problem.message, '/serviceAccounts lists 400,000 entries; a recipe may list at most 100 here. Remove the entries the integration does not need, or split the recipe into several files.');
            assert.equal(problem.offset, source.indexOf('['));
        });

        const lists: [string, (r: ReturnType<typeof guide>, n: number) => void, number][] = [
            ['/serviceAccounts', (r, n) => { r.serviceAccounts = Array.from({ length: n }, (_, i) => ({ ...account(i), licence: r.serviceAccounts[0].licence })); }, 100],
            ['/serviceAccounts/0/directoryRoles', (r, n) => { (r.serviceAccounts[0] as Record<string, unknown>).directoryRoles = Array.from({ length: n }, (_, i) => `Role ${i}`); }, 50],
            ['/serviceAccounts/0/exchangeRoleGroups', (r, n) => { (r.serviceAccounts[0] as Record<string, unknown>).exchangeRoleGroups = Array.from({ length: n }, (_, i) => `Role group ${i}`); }, 50],
            ['/serviceAccounts/0/licence/enabledPlans', (r, n) => { r.serviceAccounts[0].licence.enabledPlans = Array.from({ length: n }, (_, i) => `PLAN_${i}`); }, 200],
            ['/mailEnabledGroups', (r, n) => { r.mailEnabledGroups = Array.from({ length: n }, (_, i) => ({ name: `Group ${i}`, primarySmtpAddress: `group-${i}@contoso.com` })) as typeof r.mailEnabledGroups; }, 100],
            ['/mailEnabledGroups/0/members', (r, n) => { r.mailEnabledGroups[0].members = Array.from({ length: n }, (_, i) => `member-${i}@contoso.com`); }, 100],
            ['/mailEnabledGroups/0/acceptMessagesOnlyFrom', (r, n) => { r.mailEnabledGroups[0].acceptMessagesOnlyFrom = Array.from({ length: n }, (_, i) => `sender-${i}@contoso.com`); }, 100],
            ['/calendarGrants', (r, n) => { r.calendarGrants = Array.from({ length: n }, (_, i) => ({ membersOf: `Group ${i}`, grantee: 'sa-mytt-exch-secgroup@contoso.com' })); }, 100],
            ['/applications', (r, n) => { withApp(r).applications = Array.from({ length: n }, (_, i) => ({ displayName: `Integration ${i}` })); }, 20],
            ['/applications/0/owners', (r, n) => { withApp(r).applications[0].owners = Array.from({ length: n }, (_, i) => `owner-${i}@contoso.com`); }, 20],
            ['/applications/0/graphPermissions', (r, n) => { withApp(r).applications[0].graphPermissions = Array.from({ length: n }, (_, i) => `Permission${i}.Read.All`); }, 50],
            ['/applications/0/mailboxAccess', (r, n) => { withApp(r).applications[0].mailboxAccess = Array.from({ length: n }, (_, i) => ({ role: 'Application Calendars.ReadWrite', membersOf: `Group ${i}` })); }, 20],
            ['/applications/0/directoryRoles', (r, n) => { withApp(r).applications[0].directoryRoles = Array.from({ length: n }, (_, i) => `Role ${i}`); }, 20],
        ];
        /** The guide's recipe with one application entry, for the applications' own lists. */
        function withApp(r: ReturnType<typeof guide>): { applications: RecipeApplication[] } {
            const app = r as unknown as { applications?: RecipeApplication[] };
            app.applications ??= [{ displayName: 'Integration' }];
            return app as { applications: RecipeApplication[] };
        }
        for (const [pointer, fill, limit] of lists) {
            it(`${pointer}: ${limit} entries are accepted, ${limit + 1} refused naming the field, the limit and the fix`, () => {
                const atLimit = guide();
                fill(atLimit, limit);
                assert.deepEqual(parseRecipe(text(atLimit)).problems, []);
                const over = guide();
                fill(over, limit + 1);
                const problem = only(parseRecipe(text(over)).problems);
                assert.equal(problem.path, pointer);
                assert.match(problem.message, new RegExp(`^${pointer} lists ${limit + 1} entries; a recipe may list at most ${limit} here\\. Remove the entries`));
            });
        }

        it('every maxItems in the schema is one of the limits tested above', () => {
            const schema = fs.readFileSync(path.join(__dirname, '../../../../../media/m365recipe.schema.json'), 'utf8');
            assert.equal(schema.match(/"maxItems"/g)?.length, lists.length);
        });
    });

    describe('string lengths (characters, as Entra counts them)', () => {
        const strings: [string, (r: ReturnType<typeof guide>, value: string) => void, number][] = [
            ['/name', (r, v) => { r.name = v; }, 256],
            ['/description', (r, v) => { r.description = v; }, 4096],
            ['/serviceAccounts/0/userPrincipalName', (r, v) => { r.serviceAccounts[0].userPrincipalName = `${v.slice(0, 64)}@${v.slice(0, v.length - 65 - 12)}.contoso.com`; }, 256],
            ['/serviceAccounts/0/directoryRoles/0', (r, v) => { (r.serviceAccounts[0] as Record<string, unknown>).directoryRoles = [v]; }, 256],
            ['/serviceAccounts/0/exchangeRoleGroups/0', (r, v) => { (r.serviceAccounts[0] as Record<string, unknown>).exchangeRoleGroups = [v]; }, 256],
            ['/serviceAccounts/0/licence/sku', (r, v) => { r.serviceAccounts[0].licence.sku = v; }, 256],
            ['/serviceAccounts/0/licence/enabledPlans/0', (r, v) => { r.serviceAccounts[0].licence.enabledPlans = [v]; }, 256],
            ['/mailEnabledGroups/0/name', (r, v) => { r.mailEnabledGroups[0].name = v; }, 64],
            ['/mailEnabledGroups/0/primarySmtpAddress', (r, v) => { r.mailEnabledGroups[0].primarySmtpAddress = `${v.slice(0, v.length - 12)}@contoso.com`; }, 256],
            ['/calendarGrants/0/grantee', (r, v) => { r.calendarGrants[0].grantee = `${v.slice(0, v.length - 12)}@contoso.com`; }, 256],
            ['/mailEnabledGroups/0/members/0', (r, v) => { r.mailEnabledGroups[0].members = [v]; }, 256],
            ['/mailEnabledGroups/0/acceptMessagesOnlyFrom/0', (r, v) => { r.mailEnabledGroups[0].acceptMessagesOnlyFrom = [v]; }, 256],
            ['/calendarGrants/0/membersOf', (r, v) => { r.calendarGrants[0].membersOf = v; }, 256],
        ];
        for (const [pointer, set, limit] of strings) {
            it(`${pointer}: ${limit + 1} characters are refused naming the field, the limit and the fix`, () => {
                const over = guide();
                set(over, 'a'.repeat(limit + 1));
                const source = text(over);
                const { recipe, problems } = parseRecipe(source);
                assert.equal(recipe, undefined);
                const atPointer = problems.filter(p => p.path === pointer);
                assert.equal(atPointer.length, 1, `one problem at ${pointer}: ${JSON.stringify(problems, null, 2)}`);
                const problem = atPointer[0];
                // The limit's own message, or, where the field's check (src/provisioning/fields) says the same value is
                // too long, the field's: it names the field in the admin's words and its limit.
                const limitMessage = `${pointer} has ${(limit + 1).toLocaleString('en-US')} characters; at most ${limit.toLocaleString('en-US')} are allowed here. Shorten it.`;
                if (problem.message !== limitMessage) assert.match(problem.message, /^The [a-z' -]+ has \d+ characters; (at most \d+ are allowed|Exchange allows \d+|Entra allows \d+)\. Shorten it\.$/);
                assert.equal(source[problem.offset ?? -1], '"', 'the offset is the value\'s');
            });
        }

        it('a long name is refused once, by the limit, and the other problems of the file are still listed', () => {
            const bad = guide();
            bad.name = 'n'.repeat(1000);
            bad.serviceAccounts[0].usageLocation = 'Netherlands';
            assert.deepEqual(parseRecipe(text(bad)).problems.map(p => p.path), ['/name', '/serviceAccounts/0/usageLocation']);
        });

        it('a character outside the BMP counts as one: 256 emoji (512 UTF-16 units) are a valid recipe name', () => {
            const ok = guide();
            ok.name = '🙂'.repeat(256);
            assert.deepEqual(parseRecipe(text(ok)).problems, []);
            ok.name += '🙂';
            assert.match(only(parseRecipe(text(ok)).problems).message, /^\/name has 257 characters; at most 256/);
        });
    });

    describe('duplicate keys', () => {
        it('a key given twice in one object is refused naming the key, its pointer and where the first one is', () => {
            const source = '{\n    "name": "x",\n    "serviceAccounts": [\n        { "userPrincipalName": "sa-1@contoso.com", "displayName": "A", "usageLocation": "NL", "usageLocation": "US" }\n    ]\n}';
            const { recipe, problems } = parseRecipe(source);
            assert.equal(recipe, undefined);
            const problem = only(problems);
            assert.equal(problem.path, '/serviceAccounts/0/usageLocation');
            assert.equal(problem.message, '"usageLocation" appears twice in this object (first at line 4, column 72); only one can count. Remove one of them, or merge their values.');
            assert.equal(problem.offset, source.lastIndexOf('"usageLocation"'));
        });

        it('a second "serviceAccounts" (JSON.parse would keep only the last, hiding the first list) is refused', () => {
            const source = `{"name": "x", "serviceAccounts": [${JSON.stringify(account(1))}], "serviceAccounts": [${JSON.stringify(account(2))}]}`;
            assert.deepEqual(parseRecipe(source).problems.map(p => p.path), ['/serviceAccounts']);
        });

        it('"__proto__" and "constructor" are plain unknown fields, refused by name', () => {
            const source = `{"name": "x", "__proto__": {"polluted": true}, "constructor": 1, "serviceAccounts": [${JSON.stringify(account(1))}]}`;
            const { problems } = parseRecipe(source);
            assert.deepEqual(problems.map(p => p.path), ['/__proto__', '/constructor']);
            assert.match(problems[0].message, /^"__proto__" is not a recipe field here/);
            assert.equal(({} as Record<string, unknown>).polluted, undefined);
        });
    });

    describe('syntax errors: every one with its offset, what is wrong and how to fix it', () => {
        const cases: [string, string, RegExp][] = [
            ['a comment', '{"name": "x", // note\n "serviceAccounts": []}', /Comments are not allowed: a recipe file is plain JSON\. Put the note in "description"\./],
            ['a trailing comma', '{"name": "x", "serviceAccounts": [],}', /A comma before }: remove it/],
            ['single quotes', "{'name': 'x'}", /double quotes \("\), not single quotes/],
            ['an unclosed list', '{"name": "x", "serviceAccounts": [', /The text ends too early|A list is not closed/],
            ['a line break in a string', '{"name": "x\ny"}', /write the line break as \\n/],
            ['a NUL in a string', '{"name": "x\u0000y"}', /control character/],
            ['a bad escape', '{"name": "x\\qy"}', /Unknown escape/],
            ['text after the end', '{"name": "x"} {}', /Text after the end of the recipe: remove it/],
            ['an empty file', '', /The text ends too early/],
        ];
        for (const [what, source, message] of cases) {
            it(`${what}`, () => {
                const problem = only(parseRecipe(source).problems);
                assert.equal(problem.path, '');
                assert.match(problem.message, /^The recipe is not valid JSON \(line \d+, column \d+\): /);
                assert.match(problem.message, message);
                assert.ok((problem.offset ?? -1) >= 0 && (problem.offset ?? -1) <= source.length);
            });
        }
    });
});
