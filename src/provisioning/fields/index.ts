import { ProvisioningInputError } from '../errors';
import { calendarAccessRights } from '../calendar/calendarAccessRights';
import { countryMeant, isoCountryCodes } from './countries';
import { freeTextProblem, characterCount, unsafeCharacterProblem } from './text';

/**
 * Every field an admin (or a caller: the setup wizard, another extension, a recipe) gives the provisioning steps,
 * defined once: its name in the admin's words and its form check. The menus' input boxes, the commands' input objects
 * (`givenInput`), the wizard, the recipe checker and the step functions themselves all call these, so every entry point
 * refuses the same value with the same message. Each check returns a message that names the field and says how to fix
 * it, or undefined when the value is fine. Checks against the tenant (domain verified, name free) are elsewhere
 * (`recipeFieldChecks.ts`, the steps); these need nothing but the value. Browser-safe: no Node or VS Code imports.
 */

export { characterCount, unsafeCharacterProblem } from './text';
export { countryMeant, isoCountryCodes } from './countries';

/**
 * Lengths, each as Microsoft documents it (in characters, counted by `characterCount`): a user's displayName 256 and
 * mailNickname 64 (microsoft-graph-docs-contrib api-reference/v1.0/resources/user.md); Exchange's -Name of
 * New-DistributionGroup "The maximum length is 64 characters" (office-docs-powershell New-DistributionGroup.md), and
 * its alias 64; a UPN's part before @ 64 (the Entra UPN rules, RFC 5321's local part).
 */
export const maxLength = { displayName: 256, groupName: 64, alias: 64, upnLocalPart: 64, name: 256, plan: 128 } as const;

/** A domain name's form (labels of letters, digits and hyphens, at least two). */
const domainForm = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/** Entra's UPN rule: a local part of letters, digits and . - _ ' (no leading, trailing or double dot), @, a domain. */
export function checkUserPrincipalName(upn: string): string | undefined {
    const value = upn.trim();
    if (!value) return 'Enter a user principal name such as svc-reporting@contoso.com.';
    const unsafe = unsafeCharacterProblem('user principal name', upn);
    if (unsafe) return unsafe;
    const at = value.indexOf('@');
    if (at < 0 || value.indexOf('@', at + 1) >= 0) return `The user principal name "${value}" needs exactly one @ between the name and a domain, e.g. svc-reporting@contoso.com.`;
    const local = value.slice(0, at);
    const domain = value.slice(at + 1);
    if (!local) return `The user principal name "${value}" has nothing before @: put the account's name there, e.g. svc-reporting@${domain || 'contoso.com'}.`;
    const length = characterCount(local);
    if (length > maxLength.upnLocalPart) return `The user principal name's part before @ has ${length} characters; Entra allows ${maxLength.upnLocalPart}. Shorten it.`;
    if (!/^[A-Za-z0-9._'-]+$/.test(local)) return `The user principal name's part before @, "${local}", may hold only letters, digits and . - _ ' (no spaces or other symbols): remove the others.`;
    if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return `The user principal name's part before @, "${local}", cannot start or end with a dot, or have two dots in a row: remove the extra dots.`;
    if (!domainForm.test(domain)) return `The user principal name's domain "${domain}" is not a domain name: use one of the tenant's verified domains, e.g. contoso.com.`;
    return undefined;
}

/** The mail nickname (alias) Graph and Exchange require: the UPN's local part with characters they refuse removed. */
export function mailNicknameFor(upn: string): string {
    return upn.split('@')[0].replace(/[^A-Za-z0-9._-]/g, '').replace(/^\.+|\.+$/g, '') || 'serviceaccount';
}

/**
 * ISO 3166-1 alpha-2, which `usageLocation` takes (licences can only be assigned once it is set): an assigned country
 * code, not just any two letters; the code meant is suggested where that is obvious ("UK" → GB).
 */
export function checkUsageLocation(code: string): string | undefined {
    const value = code.trim().toUpperCase();
    if (!value) return 'Enter a usage location: the two-letter country code (ISO 3166-1 alpha-2) of where the account is used, such as US, GB, DE or NL.';
    const unsafe = unsafeCharacterProblem('usage location', code);
    if (unsafe) return unsafe;
    if (isoCountryCodes.has(value)) return undefined;
    const meant = countryMeant(value);
    if (meant) return `The usage location "${code.trim()}" is not an ISO 3166-1 country code: use ${meant}.`;
    if (!/^[A-Z]{2}$/.test(value)) return `The usage location "${code.trim()}" is not a two-letter country code: use one such as US, GB, DE or NL (ISO 3166-1 alpha-2).`;
    return `The usage location "${code.trim()}" is not an assigned country code: use one of ISO 3166-1 alpha-2, such as US, GB, DE or NL.`;
}

/** A user's display name, as Entra stores it (256 characters). */
export function checkDisplayName(name: string): string | undefined {
    return freeTextProblem('display name', name, maxLength.displayName, '"MyTimetable Exchange Service Account"');
}

/** A mail-enabled group's name: Exchange's unique -Name, also its display name unless one is given (64 characters). */
export function checkGroupName(name: string): string | undefined {
    return freeTextProblem('group name', name, maxLength.groupName, '"Service Accounts MyTimetable Exchange"');
}

/** An Exchange alias: letters, digits and ! # $ % & ' * + - / = ? ^ _ ` { | } ~ and dots, at most 64. */
export function checkAlias(alias: string, label = 'alias'): string | undefined {
    const value = alias.trim();
    if (!value) return `Enter the ${label}, the part of the address before @.`;
    const unsafe = unsafeCharacterProblem(label, alias);
    if (unsafe) return unsafe;
    const length = characterCount(value);
    if (length > maxLength.alias) return `The ${label} has ${length} characters; Exchange allows ${maxLength.alias}. Shorten it.`;
    if (!/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]+$/.test(value) || value.startsWith('.') || value.endsWith('.') || value.includes('..')) {
        return `The ${label} "${value}" is not valid: use letters, digits, - _ . (no spaces; no dot at the start or end, none twice in a row).`;
    }
    return undefined;
}

/**
 * A mail-enabled group's address, by its form: exactly one @, a valid alias before it, a domain name after it. Whether
 * the domain is one the organisation accepts is asked of the tenant (`createMailEnabledSecurityGroup`, the wizard).
 */
export function checkGroupAddress(address: string): string | undefined {
    const value = address.trim();
    if (!value) return 'Enter the group address, e.g. sa-mytt-exch-secgroup@contoso.com.';
    const unsafe = unsafeCharacterProblem('group address', address);
    if (unsafe) return unsafe;
    const parts = value.split('@');
    if (parts.length !== 2) return `The group address "${value}" needs exactly one @ between the alias and a domain, e.g. sa-mytt-exch-secgroup@contoso.com.`;
    const [alias, domain] = parts;
    const aliasProblem = checkAlias(alias, 'group address\'s alias');
    if (aliasProblem) return aliasProblem;
    if (!domainForm.test(domain)) return `The group address's domain "${domain}" is not a domain name: use one of the tenant's accepted domains, e.g. contoso.com.`;
    return undefined;
}

/** A name typed to find something in the tenant (a user, group, role, role group, grantee): one line of text. */
export function checkName(label: string, value: string, example: string): string | undefined {
    return freeTextProblem(label, value, maxLength.name, example);
}

/** The service plans to switch on: "all", or a non-empty list of plan names or ids. */
export function checkPlans(plans: readonly string[] | 'all'): string | undefined {
    if (plans === 'all') return undefined;
    if (!plans.length) return 'The plans list is empty: a licence with every service plan off gives the account nothing. Name the plans to switch on (e.g. EXCHANGE_S_ENTERPRISE), or give "all".';
    for (const plan of plans) {
        const problem = freeTextProblem('service plan', plan, maxLength.plan, 'EXCHANGE_S_ENTERPRISE');
        if (problem) return problem;
    }
    return undefined;
}

/** A calendar access right Exchange knows (Add-MailboxFolderPermission -AccessRights). */
export function checkAccessRight(right: string): string | undefined {
    if ((calendarAccessRights as readonly string[]).includes(right)) return undefined;
    const close = calendarAccessRights.find(r => r.toLowerCase() === right.trim().toLowerCase());
    return `The access right "${right}" is not one Exchange knows: use ${close ? `${close} (spelt so)` : `one of ${calendarAccessRights.join(', ')}`}.`;
}

/** How a caller's value is typed in an input object; see `givenInput`. */
export type FieldKind = 'string' | 'strings' | 'stringsOrAll';

/** One field: its type in an input object, its name in the admin's words, its check. */
export interface Field<K extends FieldKind = FieldKind> {
    kind: K;
    label: string;
    check(value: K extends 'string' ? string : K extends 'strings' ? string[] : string[] | 'all'): string | undefined;
}

const text = (label: string, check: (v: string) => string | undefined): Field<'string'> => ({ kind: 'string', label, check });
const names = (label: string, example: string): Field<'string'> => text(label, v => checkName(label, v, example));

/** The fields, by what they hold; an input object names which of its properties is which field. */
export const fields = {
    userPrincipalName: text('user principal name', checkUserPrincipalName),
    displayName: text('display name', checkDisplayName),
    usageLocation: text('usage location', checkUsageLocation),
    groupName: text('group name', checkGroupName),
    groupAddress: text('group address', checkGroupAddress),
    alias: text('alias', v => checkAlias(v)),
    user: names('user', 'svc-reporting@contoso.com'),
    member: names('member', 'svc-reporting@contoso.com'),
    mailGroup: names('mail-enabled group', 'sa-mytt-exch-secgroup@contoso.com'),
    roleName: names('role name', '"Service Support Administrator"'),
    roleGroupName: names('role group name', '"View-Only Organization Management"'),
    licence: names('licence', 'EXCHANGEENTERPRISE'),
    grantee: names('grantee', 'sa-mytt-exch-secgroup@contoso.com'),
    accessRight: text('access right', checkAccessRight),
    plans: { kind: 'stringsOrAll', label: 'plans', check: checkPlans } as Field<'stringsOrAll'>,
    senders: {
        kind: 'strings',
        label: 'senders',
        check: (list: string[]) => list.map(s => checkName('sender', s, 'admin@contoso.com')).find(Boolean),
    } as Field<'strings'>,
} as const;

/**
 * The steps' guard: throws the first problem among `checks` (field name → its check's answer, in the order an admin
 * fixes them) as a ProvisioningInputError naming that field, before anything is sent to the tenant.
 */
export function refuseBadFields(checks: Record<string, string | undefined>): void {
    for (const [field, problem] of Object.entries(checks)) if (problem) throw new ProvisioningInputError(problem, field);
}
