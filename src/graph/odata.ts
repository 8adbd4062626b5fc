/** A string literal for `$filter`: quoted, with single quotes doubled (so `O'Brien` cannot break out of the filter). */
export function odataString(value: string): string {
    return `'${value.replace(/'/g, "''")}'`;
}

/**
 * The `$filter=…` part of a query string: the expression URL-encoded whole, so a value's `&`, `#`, `+` or `%` (a group
 * called "R&D", a name with "#") stays inside the filter instead of ending the query or the URL. Every `$filter` is
 * built with this, values quoted with `odataString` (or `filterEquals`): one place escapes for OData, one for the URL.
 */
export function filterParam(expression: string): string {
    return `$filter=${encodeURIComponent(expression)}`;
}

/** `property eq 'value'`, the value quoted for OData. */
export function filterEquals(property: string, value: string): string {
    return `${property} eq ${odataString(value)}`;
}

/** A `$search` clause `"property:term"`: double quotes and backslashes in the term are escaped. */
export function searchClause(property: string, term: string): string {
    return `"${property}:${term.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The header of a Graph "advanced query" on directory objects (concepts/aad-advanced-queries.md). Sent with
 * `$count=true` in the query, it is what OData casts on member lists (`/transitiveMembers/microsoft.graph.user`),
 * `ne`, `not`, `endsWith`, `$filter` with `$orderby` and filters on properties such as employeeType need; without
 * both Graph answers 400 Request_UnsupportedQuery. `$search` needs the header.
 */
export const advancedQueryHeaders: Readonly<Record<string, string>> = { ConsistencyLevel: 'eventual' };
