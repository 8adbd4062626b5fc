import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import schema from '../../media/m365recipe.schema.json';
import type { CalendarAccessRight } from './calendarGrants';
import { checkAccessRight, checkDisplayName, checkGroupAddress, checkGroupName, checkName, checkPlans, checkUsageLocation, checkUserPrincipalName, fields } from './fields';

/**
 * A recipe: the desired state of a vendor integration's setup, as a `*.m365recipe.json` file the admin keeps with the
 * integration's documentation. These types mirror `media/m365recipe.schema.json` (the editor checks the file with it).
 */
export interface Recipe {
    $schema?: string;
    name: string;
    description?: string;
    serviceAccounts: RecipeServiceAccount[];
    mailEnabledGroups?: RecipeMailEnabledGroup[];
    calendarGrants?: RecipeCalendarGrant[];
}

export interface RecipeServiceAccount {
    userPrincipalName: string;
    displayName: string;
    /** Two letters, ISO 3166-1 alpha-2. */
    usageLocation: string;
    /** Directory role display names, e.g. "Service Support Administrator". */
    directoryRoles?: string[];
    /** Exchange role group names, e.g. "View-Only Organization Management". */
    exchangeRoleGroups?: string[];
    licence?: { sku: string; enabledPlans: string[] | 'all' };
}

export interface RecipeMailEnabledGroup {
    name: string;
    primarySmtpAddress: string;
    hiddenFromAddressLists?: boolean;
    acceptMessagesOnlyFrom?: string[];
    members?: string[];
}

export interface RecipeCalendarGrant {
    /** Display name of the group whose members' calendars are shared. */
    membersOf: string;
    /** Address of the user or mail-enabled security group that gets the access. */
    grantee: string;
    /** Editor when the file leaves it out (filled in by parseRecipe). */
    accessRight: CalendarAccessRight;
}

export interface RecipeProblem {
    /** JSON pointer to the value, e.g. /serviceAccounts/0/userPrincipalName ('' for the whole file). */
    path: string;
    message: string;
    /** Character offset in the text, where it could be found. */
    offset?: number;
}

let validator: ValidateFunction | undefined;
function validate(): ValidateFunction {
    if (!validator) {
        // useDefaults fills accessRight: Editor; markdownDescription is VS Code's keyword, not a validation one.
        const ajv = new Ajv({ allErrors: true, useDefaults: true, verbose: true });
        ajv.addKeyword('markdownDescription');
        validator = ajv.compile(schema);
    }
    return validator;
}

/**
 * Reads a recipe file: its JSON, then its shape (the schema), then each value's form (UPN, usage location, alias,
 * names used twice). Every problem found is returned with the JSON pointer of the value; `recipe` only when there is none.
 */
export function parseRecipe(text: string): { recipe?: Recipe; problems: RecipeProblem[] } {
    let data: unknown;
    try {
        data = JSON.parse(text);
    } catch (error) {
        // Node's message names no position for some mistakes: find it with a scan of our own.
        const found = syntaxError(text) ?? { offset: text.length, message: error instanceof Error ? error.message : String(error) };
        const before = text.slice(0, found.offset).split('\n');
        return { problems: [{ path: '', message: `The recipe is not valid JSON (line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}): ${found.message}`, offset: found.offset }] };
    }
    const check = validate();
    const problems: RecipeProblem[] = [];
    const errors = check(data) ? [] : check.errors ?? [];
    problems.push(...schemaProblems(errors));
    // The values' form is checked too, by the same field checks as every other entry point (src/provisioning/fields);
    // where the schema refused the same value, the field's message replaces it (it names the field and the fix, the
    // schema's pattern, length or list only that something is wrong), and each path is reported once.
    for (const p of valueProblems(data)) {
        const at = problems.findIndex(q => q.path === p.path);
        if (at < 0) problems.push(p);
        else problems[at] = p;
    }
    for (const p of problems) {
        const offset = offsetOf(text, p.path);
        if (offset !== undefined) p.offset = offset;
    }
    problems.sort((a, b) => (a.offset ?? 0) - (b.offset ?? 0));
    return problems.length ? { problems } : { recipe: data as Recipe, problems };
}

function schemaProblems(errors: ErrorObject[]): RecipeProblem[] {
    const byPath = new Map<string, RecipeProblem>();
    // An anyOf (enabledPlans: "all" or a list) says it once, instead of one complaint per alternative.
    const anyOfPaths = new Set(errors.filter(e => e.keyword === 'anyOf').map(e => e.instancePath));
    for (const e of errors) {
        if (e.keyword !== 'anyOf' && [...anyOfPaths].some(p => e.instancePath === p || (e.instancePath.startsWith(`${p}/`) && e.schemaPath.includes('/anyOf/')))) continue;
        const problem = describe(e);
        if (!byPath.has(problem.path)) byPath.set(problem.path, problem);
    }
    return [...byPath.values()];
}

function describe(e: ErrorObject): RecipeProblem {
    const field = e.instancePath.split('/').pop() ?? '';
    const what = field && !/^\d+$/.test(field) ? `"${field}"` : 'This value';
    const schemaText = (e.parentSchema as { description?: string } | undefined)?.description;
    switch (e.keyword) {
        case 'required': {
            const missing = (e.params as { missingProperty: string }).missingProperty;
            return { path: `${e.instancePath}/${missing}`, message: `"${missing}" is missing; it is required here.` };
        }
        case 'additionalProperties': {
            const extra = (e.params as { additionalProperty: string }).additionalProperty;
            const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
            return { path: `${e.instancePath}/${extra}`, message: `"${extra}" is not a recipe field here.${allowed.length ? ` Use one of: ${allowed.join(', ')}.` : ''}` };
        }
        case 'enum':
            return { path: e.instancePath, message: `${what} must be one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.map(v => String(v)).join(', ')}.` };
        case 'type':
            return { path: e.instancePath, message: `${what} must be ${article((e.params as { type: string }).type)}.` };
        case 'anyOf':
            return { path: e.instancePath, message: `${what} has the wrong form.${schemaText ? ` ${schemaText}` : ''}` };
        case 'pattern':
        case 'minLength':
        case 'maxLength':
            return { path: e.instancePath, message: `${what} is not valid${e.keyword === 'pattern' ? '' : ` (${e.message ?? ''})`}.${schemaText ? ` ${schemaText}` : ''}` };
        case 'minItems':
            return { path: e.instancePath, message: `${what} needs at least ${(e.params as { limit: number }).limit} entry.` };
        case 'uniqueItems':
            return { path: e.instancePath, message: `${what} lists the same entry twice (items ${(e.params as { j: number; i: number }).j} and ${(e.params as { i: number }).i}).` };
        default:
            return { path: e.instancePath, message: `${what} ${e.message ?? 'is not valid'}.` };
    }
}

const article = (type: string) => (type === 'array' ? 'a list' : type === 'object' ? 'an object' : `a ${type}`);

/** The checks the actions themselves make before changing anything, so a recipe is refused before it is planned. */
function valueProblems(data: unknown): RecipeProblem[] {
    const problems: RecipeProblem[] = [];
    const add = (path: string, message: string | undefined) => { if (message) problems.push({ path, message }); };
    // The data may not have the recipe's shape (the schema said so): take only what is there.
    const list = <T>(value: unknown): Partial<Record<keyof T, unknown>>[] => (Array.isArray(value) ? value.map(v => (v && typeof v === 'object' ? v : {}) as Partial<Record<keyof T, unknown>>) : []);
    const str = (value: unknown) => (typeof value === 'string' ? value : undefined);
    // Each string of a list, with its index in the list (the schema reports the items that are not strings).
    const eachString = (value: unknown, check: (item: string, index: number) => void) => { if (Array.isArray(value)) value.forEach((v, i) => { if (typeof v === 'string') check(v, i); }); };
    const recipe = (data && typeof data === 'object' ? data : {}) as Partial<Record<keyof Recipe, unknown>>;
    const upns = new Map<string, number>();
    list<RecipeServiceAccount>(recipe.serviceAccounts).forEach((a, i) => {
        const at = `/serviceAccounts/${i}`;
        const upn = str(a.userPrincipalName);
        const displayName = str(a.displayName);
        const usageLocation = str(a.usageLocation);
        if (upn !== undefined) add(`${at}/userPrincipalName`, checkUserPrincipalName(upn));
        if (displayName !== undefined) add(`${at}/displayName`, checkDisplayName(displayName));
        if (usageLocation !== undefined) add(`${at}/usageLocation`, checkUsageLocation(usageLocation));
        // The same field checks as the steps and the commands' input objects (src/provisioning/fields).
        eachString(a.directoryRoles, (r, j) => add(`${at}/directoryRoles/${j}`, fields.roleName.check(r)));
        eachString(a.exchangeRoleGroups, (r, j) => add(`${at}/exchangeRoleGroups/${j}`, fields.roleGroupName.check(r)));
        const licence = (a.licence && typeof a.licence === 'object' ? a.licence : {}) as Partial<Record<'sku' | 'enabledPlans', unknown>>;
        if (typeof licence.sku === 'string') add(`${at}/licence/sku`, fields.licence.check(licence.sku));
        const plans = licence.enabledPlans;
        if (plans === 'all' || (Array.isArray(plans) && plans.every(p => typeof p === 'string'))) add(`${at}/licence/enabledPlans`, checkPlans(plans));
        if (upn === undefined) return;
        const key = upn.trim().toLowerCase();
        const first = upns.get(key);
        if (first !== undefined) add(`${at}/userPrincipalName`, `${upn} is already the account at /serviceAccounts/${first}; list each account once.`);
        else upns.set(key, i);
    });
    const addresses = new Map<string, number>();
    list<RecipeMailEnabledGroup>(recipe.mailEnabledGroups).forEach((g, i) => {
        const at = `/mailEnabledGroups/${i}`;
        const name = str(g.name);
        const address = str(g.primarySmtpAddress);
        if (name !== undefined) add(`${at}/name`, checkGroupName(name));
        eachString(g.members, (m, k) => add(`${at}/members/${k}`, fields.member.check(m)));
        eachString(g.acceptMessagesOnlyFrom, (m, k) => add(`${at}/acceptMessagesOnlyFrom/${k}`, fields.senders.check([m])));
        if (address === undefined) return;
        add(`${at}/primarySmtpAddress`, checkGroupAddress(address));
        const key = address.trim().toLowerCase();
        const first = addresses.get(key);
        if (first !== undefined) add(`${at}/primarySmtpAddress`, `${address} is already the group at /mailEnabledGroups/${first}; list each group once.`);
        else addresses.set(key, i);
        if (upns.has(key)) add(`${at}/primarySmtpAddress`, `${address} is also a service account's user principal name; a group needs its own address.`);
    });
    list<RecipeCalendarGrant>(recipe.calendarGrants).forEach((c, i) => {
        const at = `/calendarGrants/${i}`;
        const membersOf = str(c.membersOf);
        const grantee = str(c.grantee);
        const accessRight = str(c.accessRight);
        if (membersOf !== undefined) add(`${at}/membersOf`, checkName('group name', membersOf, 'Staff'));
        if (grantee !== undefined) add(`${at}/grantee`, fields.grantee.check(grantee));
        if (accessRight !== undefined) add(`${at}/accessRight`, checkAccessRight(accessRight));
    });
    return problems;
}

/**
 * Where a JSON pointer's value starts in the text (for the editor's squiggle): a small scan of the JSON, enough for a
 * file that has just parsed. A pointer to a missing member gives the offset of the object that should hold it.
 */
export function offsetOf(text: string, pointer: string): number | undefined {
    const parts = pointer.split('/').slice(1).map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    let i = 0;
    const ws = () => { while (i < text.length && /\s/.test(text[i])) i++; };
    const skipString = () => { i++; while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1; i++; };
    const skipValue = (): void => {
        ws();
        const c = text[i];
        if (c === '"') return skipString();
        if (c === '{' || c === '[') {
            const close = c === '{' ? '}' : ']';
            i++;
            for (ws(); i < text.length && text[i] !== close; ws()) {
                if (text[i] === ',' || text[i] === ':') i++;
                else skipValue();
            }
            i++;
            return;
        }
        while (i < text.length && !/[\s,\]}]/.test(text[i])) i++;
    };
    ws();
    for (const part of parts) {
        const start = i;
        if (text[i] === '{') {
            i++;
            let found = false;
            for (ws(); i < text.length && text[i] !== '}'; ws()) {
                if (text[i] === ',') { i++; continue; }
                const keyStart = i;
                skipString();
                const key = JSON.parse(text.slice(keyStart, i)) as string;
                ws();
                i++; // the colon
                ws();
                if (key === part) { found = true; break; }
                skipValue();
            }
            if (!found) return start;
        } else if (text[i] === '[') {
            i++;
            const index = Number(part);
            let n = 0;
            let found = false;
            for (ws(); i < text.length && text[i] !== ']'; ws()) {
                if (text[i] === ',') { i++; continue; }
                if (n === index) { found = true; break; }
                skipValue();
                n++;
            }
            if (!found) return start;
        } else {
            return start;
        }
    }
    return i;
}

/** The first syntax error of a JSON text (offset and what was expected), or undefined when it parses. */
export function syntaxError(text: string): { offset: number; message: string } | undefined {
    let i = 0;
    const fail = (message: string): never => { throw Object.assign(new Error(message), { offset: i }); };
    const ws = () => { while (i < text.length && ' \t\r\n'.includes(text[i])) i++; };
    const string = () => {
        i++;
        while (i < text.length && text[i] !== '"') {
            if (text[i] < ' ') fail('A line break or control character inside a string: write it as \\n, or end the string with ".');
            if (text[i] === '\\') {
                i++;
                if (text[i] === 'u') { if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('\\u must be followed by four hex digits.'); i += 4; }
                else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail('Unknown escape after \\: use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u.');
            }
            i++;
        }
        if (i >= text.length) fail('A string that never ends: add the closing ".');
        i++;
    };
    const value = (): void => {
        ws();
        const c = text[i];
        if (c === '"') return string();
        if (c === '{' || c === '[') {
            const close = c === '{' ? '}' : ']';
            i++;
            ws();
            if (text[i] === close) { i++; return; }
            for (;;) {
                ws();
                if (c === '{') {
                    if (text[i] !== '"') fail(text[i] === close ? 'A comma before }: remove it.' : 'Expected a field name in double quotes.');
                    string();
                    ws();
                    if (text[i] !== ':') fail('Expected a colon after the field name.');
                    i++;
                } else if (text[i] === ',' || text[i] === close) fail('Expected a value: two commas in a row, or a comma before ]?');
                value();
                ws();
                if (text[i] === ',') { i++; continue; }
                if (text[i] === close) { i++; return; }
                fail(`Expected a comma or ${close}.`);
            }
        }
        const literal = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i, i + 64));
        if (!literal) fail(i >= text.length ? 'The text ends too early.' : 'Expected a value: a "string", a number, true, false, null, { or [.');
        i += literal?.[0].length ?? 0;
    };
    try {
        value();
        ws();
        if (i < text.length) fail('Text after the end of the recipe: remove it.');
        return undefined;
    } catch (error) {
        const e = error as Error & { offset: number };
        return { offset: e.offset, message: e.message };
    }
}
