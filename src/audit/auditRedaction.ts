/**
 * Removes what could be a secret from free text before it is written to the audit log (an error message, a summary).
 * It removes, never refuses: the audit line of a change that was made must always be written. Names are not free text
 * and never pass through here (a UPN that starts with `eyJ`, a recipe called "Reset password: helpdesk" and a role
 * called "Bearer Helpers" are names, and the log keeps them as they are).
 *
 * What counts as a secret here:
 * - a JSON Web Token (what Entra issues as access, ID and refresh-token-like strings): `eyJ…` header, a dot, a payload
 *   and more dot-separated segments (JWS has three, JWE five; RFC 7515 §7.1, RFC 7516 §7.1);
 * - an `Authorization: Bearer` value (RFC 6750 §2.1: the b64token after "Bearer "), 20 characters or more so that a
 *   sentence with the word "Bearer" in it keeps its words;
 * - the value of a password-, secret- or token-named field written as JSON (`"password": "…"`, so `passwordProfile`
 *   bodies Graph may echo) or as a form or query parameter (`client_secret=…`, `password=…`, `access_token=…`).
 */
export function redactSecrets(text: string): string {
    return text
        .replace(jsonWebToken, '[token removed]')
        .replace(bearerValue, 'Bearer [token removed]')
        .replace(jsonSecretField, (_all, key: string, separator: string) => `${key}${separator}"[removed]"`)
        .replace(formSecretField, (_all, key: string, separator: string) => `${key}${separator}[removed]`);
}

const secretNames = 'password|passwd|pwd|newPassword|currentPassword|client_secret|clientSecret|secretText|secret|access_token|refresh_token|id_token|client_assertion|code_verifier';
const jsonWebToken = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){0,3}/g;
const bearerValue = /\bBearer\s+[A-Za-z0-9._~+/-]{20,}=*/gi;
const jsonSecretField = new RegExp(`("(?:${secretNames})"|'(?:${secretNames})')(\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"|'[^']*'|[^\\s,;}\\]]+)`, 'gi');
const formSecretField = new RegExp(`(\\b(?:${secretNames}))(\\s*=\\s*)("[^"]*"|[^\\s&,;"]+)`, 'gi');
