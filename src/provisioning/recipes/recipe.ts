import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import schema from '../../../media/m365recipe.schema.json';
import type { CalendarAccessRight } from '../calendar/calendarGrants';
import type { Ensure } from '../steps/contract';
import { checkAccessRight, checkDisplayName, checkGroupAddress, checkGroupName, checkName, checkPlans, checkUsageLocation, checkUserPrincipalName, fields } from '../fields';
import { pointerPart } from './jsonPointer';
import { quotedKey, readRecipeJsonOnce } from './recipeJson';
import { listAndLengthProblems, sizeProblem } from './recipeLimits';

export { offsetOf } from './recipeJson';

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
    /** App registrations the integration signs in with app-only (issue 17). A recipe lists accounts, applications or both. */
    applications?: RecipeApplication[];
    /**
     * True: what the tenant has beyond the recipe on the recipe's own objects (other directory roles or role groups on
     * its accounts, other members in its groups) is reported by Plan and Verify and removed by Apply.
     */
    exact?: boolean;
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
    /** 'absent' offboards the account: what the entry gives is taken away, then the account is disabled and deleted. */
    ensure?: Ensure;
}

export interface RecipeMailEnabledGroup {
    name: string;
    primarySmtpAddress: string;
    hiddenFromAddressLists?: boolean;
    acceptMessagesOnlyFrom?: string[];
    members?: string[];
    /** 'absent' removes the group (the recipe owns it) after taking its members out. */
    ensure?: Ensure;
}

export interface RecipeCalendarGrant {
    /** Display name of the group whose members' calendars are shared. */
    membersOf: string;
    /** Address of the user or mail-enabled security group that gets the access. */
    grantee: string;
    /** Editor when the file leaves it out (filled in by parseRecipe). */
    accessRight: CalendarAccessRight;
    /** 'absent' revokes the grantee's access on every member's calendar. */
    ensure?: Ensure;
}

/** An Exchange application role ("RBAC for Applications") limited to the mailboxes of a group's members. */
export interface RecipeMailboxAccess {
    /** E.g. "Application Calendars.ReadWrite". */
    role: string;
    /** Display name of the group whose members' mailboxes the app may use. */
    membersOf: string;
}

/** How the integration signs in as the app: a certificate (private key written once to the admin's file) or a client secret (shown once). */
export interface RecipeAppCredential {
    type: 'certificate' | 'clientSecret';
    /** Days the credential is valid: 365 for a certificate, 90 for a secret when left out. */
    validDays?: number;
}

/**
 * An app registration (single tenant) with its service principal, credential, Microsoft Graph application permissions
 * (admin consent: tenant-wide), Exchange admin access (Exchange.ManageAsApp), mailbox access limited to a group (Exchange
 * RBAC for Applications) and Entra roles for its service principal.
 */
export interface RecipeApplication {
    displayName: string;
    /** User principal names of the admins who own the registration. */
    owners?: string[];
    credential?: RecipeAppCredential;
    /** Microsoft Graph application permission values, e.g. "User.Read.All". */
    graphPermissions?: string[];
    /** true: Office 365 Exchange Online's Exchange.ManageAsApp (admin cmdlets app-only; needs a directory role too). */
    exchangeManagement?: boolean;
    mailboxAccess?: RecipeMailboxAccess[];
    /** Entra directory role display names for the service principal, e.g. "Global Reader". */
    directoryRoles?: string[];
    /** 'absent' removes the registration with everything it was given. */
    ensure?: Ensure;
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

/** At most this many problems are listed; a file with more gets a last one saying how many more there are. */
const MAX_PROBLEMS = 100;

/**
 * Reads a recipe file: its size, its JSON (depth, syntax, duplicate keys), its lists' and strings' lengths, then its
 * shape (the schema), then each value's form (UPN, usage location, alias, names used twice). Every problem found is
 * returned with the JSON pointer of the value; `recipe` only when there is none. The limits (recipeLimits.ts) come
 * before the expensive steps: a text over the size limit is not parsed, a list over its limit is not checked entry by
 * entry, and nothing here recurses as deep as the input nests. Never throws.
 */
export function parseRecipe(text: string): { recipe?: Recipe; problems: RecipeProblem[] } {
    const tooBig = sizeProblem(text);
    if (tooBig) return { problems: [tooBig] };
    const json = readRecipeJsonOnce(text);
    if (!json) return { problems: [] }; // not reached: the size was checked above
    if (json.refused) return { problems: [json.refused] };
    let data: unknown;
    try {
        // JSON.parse, not jsonc-parser's values: it keeps "__proto__" as a plain key (jsonc-parser would set the
        // prototype), and jsonc-parser has already said the text is JSON.
        data = JSON.parse(text);
    } catch (error) {
        return { problems: [{ path: '', offset: 0, message: `The recipe is not valid JSON: ${error instanceof Error ? error.message : String(error)}` }] };
    }
    const limits = listAndLengthProblems(data);
    // concat, not push(...): a spread of very many problems would overflow the stack.
    const found: RecipeProblem[] = json.duplicates;
    let all: RecipeProblem[];
    if (limits.some(p => p.stops)) all = found.concat(limits);
    else {
        // Where a field's own check says the same as a length limit (a display name over 256), its message stays: it
        // names the field in the admin's words, the limit only the pointer.
        const shaped = shapeAndValueProblems(data, new Set(limits.map(p => p.path)));
        const spoken = new Set(shaped.map(p => p.path));
        all = found.concat(limits.filter(p => !spoken.has(p.path)), shaped);
    }
    const listed = all.map(({ path, message, offset: known }) => {
        const offset = known ?? json.offsetOf(path);
        return offset === undefined ? { path, message } : { path, message, offset };
    });
    listed.sort((a, b) => (a.offset ?? 0) - (b.offset ?? 0));
    if (listed.length > MAX_PROBLEMS) {
        const more = listed.length - MAX_PROBLEMS + 1;
        listed.splice(MAX_PROBLEMS - 1, Infinity, { path: '', offset: 0, message: `${more} more problems are not listed: fix the ones above first.` });
    }
    return listed.length ? { problems: listed } : { recipe: data as Recipe, problems: listed };
}

/** The schema's problems (but those at `limited` paths, which the length limits speak for) and the fields' own checks. */
function shapeAndValueProblems(data: unknown, limited: Set<string>): RecipeProblem[] {
    const check = validate();
    const errors = (check(data) ? [] : check.errors ?? []).filter(e => !limited.has(e.instancePath));
    const problems = schemaProblems(errors);
    const atPath = new Map(problems.map((p, i) => [p.path, i]));
    // The values' form is checked too, by the same field checks as every other entry point (src/provisioning/fields);
    // where the schema refused the same value, the field's message replaces it (it names the field and the fix, the
    // schema's pattern, length or list only that something is wrong), and each path is reported once.
    for (const p of valueProblems(data)) {
        const at = atPath.get(p.path);
        if (at === undefined) atPath.set(p.path, problems.push(p) - 1);
        else problems[at] = p;
    }
    return problems;
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
            return { path: `${e.instancePath}/${pointerPart(missing)}`, message: `"${missing}" is missing; it is required here.` };
        }
        case 'additionalProperties': {
            const extra = (e.params as { additionalProperty: string }).additionalProperty;
            const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
            return { path: `${e.instancePath}/${pointerPart(extra)}`, message: `${quotedKey(extra)} is not a recipe field here.${allowed.length ? ` Use one of: ${allowed.join(', ')}.` : ''}` };
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
    // The schema fills serviceAccounts with [] when it is left out; a recipe must still give something to set up.
    const listed = (value: unknown) => Array.isArray(value) && value.length > 0;
    if (!listed(recipe.serviceAccounts) && !listed(recipe.applications)) add('', 'The recipe lists no service account and no application: add at least one to "serviceAccounts" or "applications".');
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
    applicationProblems(recipe.applications, add);
    return problems;
}

/**
 * Each application's values: its name once in the recipe (a recipe names its app by display name), owners as user
 * principal names, roles and groups by the same field checks as the accounts'. A permission asked for both as a
 * tenant-wide Graph permission and as mailbox access limited to a group is refused: Entra consent and RBAC for
 * Applications add up (application-rbac.md), so the limit would hold nothing back.
 */
function applicationProblems(value: unknown, add: (path: string, message: string | undefined) => void): void {
    if (!Array.isArray(value)) return;
    const names = new Map<string, number>();
    value.forEach((raw, i) => {
        if (!raw || typeof raw !== 'object') return;
        const a = raw as Partial<Record<keyof RecipeApplication, unknown>>;
        const at = `/applications/${i}`;
        const strings = (list: unknown): [string, number][] => (Array.isArray(list) ? list.map((v, j) => [v, j] as [unknown, number]).filter((p): p is [string, number] => typeof p[0] === 'string') : []);
        if (typeof a.displayName === 'string') {
            add(`${at}/displayName`, checkDisplayName(a.displayName));
            const key = a.displayName.trim().toLowerCase();
            const first = names.get(key);
            if (first !== undefined) add(`${at}/displayName`, `${a.displayName.trim()} is already the application at /applications/${first}; list each application once.`);
            else names.set(key, i);
        }
        for (const [owner, j] of strings(a.owners)) add(`${at}/owners/${j}`, checkUserPrincipalName(owner));
        for (const [role, j] of strings(a.directoryRoles)) add(`${at}/directoryRoles/${j}`, fields.roleName.check(role));
        const tenantWide = new Set(strings(a.graphPermissions).map(([p]) => p.trim()));
        (Array.isArray(a.mailboxAccess) ? a.mailboxAccess : []).forEach((m: unknown, j) => {
            const entry = (m && typeof m === 'object' ? m : {}) as Partial<Record<keyof RecipeMailboxAccess, unknown>>;
            if (typeof entry.membersOf === 'string') add(`${at}/mailboxAccess/${j}/membersOf`, checkName('group name', entry.membersOf, 'Staff'));
            if (typeof entry.role !== 'string') return;
            const permission = entry.role.replace(/^Application\s+/, '');
            if (tenantWide.has(permission)) add(`${at}/mailboxAccess/${j}/role`, `${entry.role} limits ${permission} to a group's mailboxes, but "graphPermissions" also grants ${permission} for the whole tenant: the two add up, so the limit would hold nothing back. Remove ${permission} from "graphPermissions".`);
        });
    });
}
