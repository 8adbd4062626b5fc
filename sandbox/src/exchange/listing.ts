import type { DirectoryGroup, DirectoryUser, Mailbox, SandboxContext } from '../contracts';
import { invalidParameter } from './errors';
import { compileOpath, OpathError, type OpathPredicate, type OpathRecord } from './opath';

type Parameters = Record<string, unknown>;

/** What -Anr, -Filter and -RecipientTypeDetails look at on one object, beside the shape the cmdlet returns. */
export interface RecipientNames extends OpathRecord {
    DisplayName: string;
    Alias: string;
    Name: string;
    RecipientTypeDetails: string;
    FirstName?: string;
    LastName?: string;
    PrimarySmtpAddress?: string;
    UserPrincipalName?: string;
    Department?: string;
}

export interface Listed { shape: Record<string, unknown>; names: RecipientNames }

/** The properties the sandbox's OPATH filters know (a subset of what Exchange documents as filterable). */
export const filterableProperties = ['DisplayName', 'Alias', 'PrimarySmtpAddress', 'RecipientTypeDetails', 'Department'];

export function userNames(user: DirectoryUser, mailbox?: Mailbox): RecipientNames {
    return {
        DisplayName: user.displayName,
        Alias: mailbox?.alias ?? user.mailNickname,
        Name: mailbox?.alias ?? user.mailNickname,
        RecipientTypeDetails: mailbox?.recipientTypeDetails ?? 'User',
        FirstName: user.givenName,
        LastName: user.surname,
        PrimarySmtpAddress: mailbox?.primarySmtpAddress ?? user.mail,
        UserPrincipalName: user.userPrincipalName,
        Department: user.department,
    };
}

export function groupNames(group: DirectoryGroup): RecipientNames {
    return {
        DisplayName: group.displayName,
        Alias: group.mailNickname,
        Name: group.exchange?.name ?? group.displayName,
        RecipientTypeDetails: group.groupTypes.includes('Unified') ? 'GroupMailbox' : !group.mailEnabled ? 'UniversalSecurityGroup' : group.securityEnabled ? 'MailUniversalSecurityGroup' : 'MailUniversalDistributionGroup',
        PrimarySmtpAddress: group.exchange?.primarySmtpAddress ?? group.mail,
    };
}

/** The names of any recipient by object id (a user with its mailbox, or a group). */
export function namesOf(ctx: SandboxContext, id: string): RecipientNames {
    const user = ctx.state.users.get(id);
    if (user) return userNames(user, ctx.state.mailboxes.get(id));
    const group = ctx.state.groups.get(id);
    if (group) return groupNames(group);
    return { DisplayName: id, Alias: id, Name: id, RecipientTypeDetails: '' };
}

/** A [string] parameter's value as PowerShell binds it: numbers and booleans convert, lists and objects do not. */
function stringParameter(name: string, value: unknown): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw invalidParameter(`Cannot convert '${Array.isArray(value) ? 'System.Object[]' : 'System.Collections.Hashtable'}' to the type 'System.String' required by parameter '${name}'. Specified method is not supported.`);
}

/**
 * `-ResultSize`: a positive number caps the results, `Unlimited` (any case) returns all, and without it Exchange returns
 * at most 1000 — "The default value is 1000." on every Get- cmdlet page the sandbox implements (office-docs-powershell
 * exchange/exchange-ps/ExchangePowerShell/Get-Mailbox.md, Get-User.md, Get-Recipient.md, Get-DistributionGroup.md,
 * Get-DistributionGroupMember.md, Get-RoleGroup.md, Get-RoleGroupMember.md; OfficeDev/O365-InvestigationTooling#12:
 * "Without -ResultSize Unlimited, get-mailbox will only return 1000 mailboxes"). The cap applies to the command's
 * whole output, so paging with `Prefer: odata.maxpagesize` never gets past it.
 */
export const defaultResultSize = 1000;

/**
 * What Exchange warns when a command had more results than -ResultSize let through. The text is PowerShell's, as
 * public scripts show it (e.g. the examples of Get-NestedDistributionGroupMember scripts); that the admin API carries it
 * in `@adminapi.warnings` is an assumption (docs/FIDELITY.md).
 */
export const moreResultsWarning = 'There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter.';

/** The first `-ResultSize` items, and the warning when that cut some off. */
export function capped<T>(items: T[], value: unknown): { value: T[]; warnings?: string[] } {
    const limit = resultSize(value);
    return items.length > limit ? { value: items.slice(0, limit), warnings: [moreResultsWarning] } : { value: items };
}

export function resultSize(value: unknown): number {
    if (typeof value === 'string' && value.toLowerCase() === 'unlimited') return Infinity;
    if (value === undefined) return defaultResultSize;
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(n) || n < 1) {
        throw invalidParameter(`Cannot process argument transformation on parameter 'ResultSize'. Cannot convert value "${typeof value === 'string' || typeof value === 'number' ? value : JSON.stringify(value)}" to type "Microsoft.Exchange.Data.Unlimited\`1[System.UInt32]".`);
    }
    return n;
}

/**
 * Ambiguous name resolution as Exchange documents it: a case-insensitive prefix of the display name, alias, name
 * (CN), first or last name, primary SMTP address or UPN (a prefix of the address is a prefix of its local part).
 * "First Last" also matches the two names in either order, as Active Directory's ANR does.
 */
function anrMatches(names: RecipientNames, anr: string): boolean {
    const starts = (value: string | undefined, start: string) => value !== undefined && value.toLowerCase().startsWith(start);
    if ([names.DisplayName, names.Alias, names.Name, names.FirstName, names.LastName, names.PrimarySmtpAddress, names.UserPrincipalName].some(v => starts(v, anr))) return true;
    const space = anr.indexOf(' ');
    if (space < 1) return false;
    const [a, b] = [anr.slice(0, space), anr.slice(space + 1).trim()];
    return (starts(names.FirstName, a) && starts(names.LastName, b)) || (starts(names.FirstName, b) && starts(names.LastName, a));
}

/**
 * Reads -Anr, -Filter, -RecipientTypeDetails and -ResultSize (default 1000, see `resultSize`) before the cmdlet runs (PowerShell binds parameters
 * first, so a bad filter or a clash with -Identity is reported even for an identity that does not exist) and returns
 * what narrows the cmdlet's objects down to the answer.
 */
export function listOptions(p: Parameters): (listed: Iterable<Listed>) => { value: Record<string, unknown>[]; warnings?: string[] } {
    if (p.Identity !== undefined && p.Anr !== undefined) {
        // -Identity and -Anr belong to different parameter sets of every Get- recipient cmdlet.
        throw invalidParameter('Parameter set cannot be resolved using the specified named parameters. One or more parameters issued cannot be used together or an insufficient number of parameters were provided.');
    }
    const anr = p.Anr === undefined ? undefined : stringParameter('Anr', p.Anr).trim().toLowerCase();
    if (anr === '') throw invalidParameter("Cannot bind argument to parameter 'Anr' because it is an empty string.");
    let filter: OpathPredicate | undefined;
    try {
        filter = p.Filter === undefined ? undefined : compileOpath(stringParameter('Filter', p.Filter), filterableProperties);
    } catch (error) {
        if (error instanceof OpathError) throw invalidParameter(error.message);
        throw error;
    }
    const types = (Array.isArray(p.RecipientTypeDetails) ? p.RecipientTypeDetails.map(String) : typeof p.RecipientTypeDetails === 'string' ? p.RecipientTypeDetails.split(',') : []).map(t => t.trim().toLowerCase()).filter(Boolean);
    const limit = resultSize(p.ResultSize);
    return listed => {
        const out: Record<string, unknown>[] = [];
        for (const { shape, names } of listed) {
            if (types.length && !types.includes(names.RecipientTypeDetails.toLowerCase())) continue;
            if (anr !== undefined && !anrMatches(names, anr)) continue;
            if (filter && !filter(names)) continue;
            // One more match than the limit: there were more results, say so as Exchange does.
            if (out.length >= limit) return { value: out, warnings: [moreResultsWarning] };
            out.push(shape);
        }
        return { value: out };
    };
}
