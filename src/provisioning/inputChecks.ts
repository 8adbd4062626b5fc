/**
 * Checks of what an admin types, done before anything is sent: each returns a message saying what is wrong and how
 * to fix it, or undefined when the value is fine. The tenant-side checks (domain verified, UPN free) are separate.
 */

/** Entra's UPN rule: a local part of letters, digits and . - _ ' (no leading, trailing or double dot), @, a domain. */
export function checkUserPrincipalName(upn: string): string | undefined {
    const value = upn.trim();
    if (!value) return 'Enter a user principal name such as svc-reporting@contoso.com.';
    const at = value.indexOf('@');
    if (at < 0 || value.indexOf('@', at + 1) >= 0) return `"${value}" needs exactly one @ between the name and a domain, e.g. svc-reporting@contoso.com.`;
    const local = value.slice(0, at);
    const domain = value.slice(at + 1);
    if (!local) return 'The part before @ is empty.';
    if (local.length > 64) return `The part before @ has ${local.length} characters; Entra allows 64.`;
    if (!/^[A-Za-z0-9._'-]+$/.test(local)) return `"${local}" may hold only letters, digits and . - _ ' (no spaces or other symbols).`;
    if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return `"${local}" cannot start or end with a dot, or have two dots in a row.`;
    if (!/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(domain)) return `"${domain}" is not a domain name; use one of the tenant's verified domains.`;
    return undefined;
}

/** The mail nickname (alias) Graph and Exchange require: the UPN's local part with characters they refuse removed. */
export function mailNicknameFor(upn: string): string {
    return upn.split('@')[0].replace(/[^A-Za-z0-9._-]/g, '').replace(/^\.+|\.+$/g, '') || 'serviceaccount';
}

/** ISO 3166-1 alpha-2, which `usageLocation` takes (licences can only be assigned once it is set). */
export function checkUsageLocation(code: string): string | undefined {
    if (!/^[A-Z]{2}$/.test(code.trim().toUpperCase())) return `"${code}" is not a two-letter country code such as US, GB, DE or NL (ISO 3166-1 alpha-2).`;
    return undefined;
}

export function checkDisplayName(name: string): string | undefined {
    const value = name.trim();
    if (!value) return 'Enter a display name, e.g. "MyTimetable Exchange Service Account".';
    if (value.length > 256) return `The display name has ${value.length} characters; Entra allows 256.`;
    return undefined;
}

/** An Exchange alias: letters, digits and ! # $ % & ' * + - / = ? ^ _ ` { | } ~ and dots, at most 64. */
export function checkAlias(alias: string): string | undefined {
    const value = alias.trim();
    if (!value) return 'Enter an alias, the part of the address before @.';
    if (value.length > 64) return `The alias has ${value.length} characters; Exchange allows 64.`;
    if (!/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]+$/.test(value) || value.startsWith('.') || value.endsWith('.') || value.includes('..')) {
        return `"${value}" is not a valid alias: use letters, digits, - _ . (no spaces; no dot at the start or end).`;
    }
    return undefined;
}
