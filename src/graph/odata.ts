/** A string literal for `$filter`: quoted, with single quotes doubled (so `O'Brien` cannot break out of the filter). */
export function odataString(value: string): string {
    return `'${value.replace(/'/g, "''")}'`;
}

/** A `$search` clause `"property:term"`: double quotes and backslashes in the term are escaped. */
export function searchClause(property: string, term: string): string {
    return `"${property}:${term.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
