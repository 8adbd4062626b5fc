/** A small OData filter evaluator for the properties admins filter on; bad syntax raises FilterError (Graph's 400). */
export class FilterError extends Error {}

/** Values an `in (…)` may list. */
const maxInValues = 15;

type Value = string | number | boolean | null;
type Predicate = (item: Record<string, unknown>) => boolean;

interface Token { kind: 'name' | 'string' | 'literal' | 'op' | 'paren' | 'comma'; text: string }

function tokenize(filter: string): Token[] {
    const tokens: Token[] = [];
    let i = 0;
    while (i < filter.length) {
        const c = filter[i];
        if (c === ' ') { i++; continue; }
        if (c === '(' || c === ')') { tokens.push({ kind: 'paren', text: c }); i++; continue; }
        if (c === ',') { tokens.push({ kind: 'comma', text: c }); i++; continue; }
        if (c === "'") {
            let text = '';
            i++;
            for (;;) {
                if (i >= filter.length) throw new FilterError('Unterminated string literal.');
                if (filter[i] === "'" && filter[i + 1] === "'") { text += "'"; i += 2; continue; }
                if (filter[i] === "'") { i++; break; }
                text += filter[i++];
            }
            tokens.push({ kind: 'string', text });
            continue;
        }
        const word = /^[A-Za-z0-9_./:-]+/.exec(filter.slice(i))?.[0];
        if (!word) throw new FilterError(`Syntax error at position ${i} in '${filter}'.`);
        i += word.length;
        const lower = word.toLowerCase();
        if (['eq', 'ne', 'and', 'or', 'not', 'gt', 'ge', 'lt', 'le', 'in'].includes(lower)) tokens.push({ kind: 'op', text: lower });
        else if (['true', 'false', 'null'].includes(lower) || /^-?\d+(\.\d+)?$/.test(word) || /^[0-9a-f-]{36}$/i.test(word)) tokens.push({ kind: 'literal', text: word });
        else tokens.push({ kind: 'name', text: word });
    }
    return tokens;
}

/**
 * Compiles `$filter` into a predicate over Graph-shaped objects. `filterable` names the properties Graph allows;
 * `used`, when given, collects the properties the filter names (some need advanced query parameters).
 */
export function compileFilter(filter: string, filterable: ReadonlySet<string>, used?: Set<string>): Predicate {
    const tokens = tokenize(filter);
    let pos = 0;
    const peek = () => tokens[pos];
    const next = () => tokens[pos++];
    const expect = (text: string) => {
        const t = next();
        if (!t || t.text !== text) throw new FilterError(`Syntax error: '${text}' expected at position ${pos} in '${filter}'.`);
    };
    const value = (): Value => {
        const t = next();
        if (!t) throw new FilterError(`Syntax error: a value is missing at the end of '${filter}'.`);
        if (t.kind === 'string') return t.text;
        if (t.kind === 'literal') return t.text === 'true' ? true : t.text === 'false' ? false : t.text === 'null' ? null : /^-?\d/.test(t.text) && !t.text.includes('-', 1) ? Number(t.text) : t.text;
        throw new FilterError(`Syntax error: '${t.text}' is not a value in '${filter}'.`);
    };
    const property = (name: string) => {
        if (!filterable.has(name)) throw new FilterError(`Unsupported or invalid query filter clause specified for property '${name}' of resource.`);
        used?.add(name);
        return (item: Record<string, unknown>) => item[name];
    };
    const primary = (): Predicate => {
        const t = next();
        if (!t) throw new FilterError(`Syntax error: '${filter}' ends too early.`);
        if (t.kind === 'paren' && t.text === '(') {
            const inner = orExpr();
            expect(')');
            return inner;
        }
        if (t.kind === 'op' && t.text === 'not') {
            const inner = primary();
            return item => !inner(item);
        }
        if (t.kind === 'name' && ['startswith', 'endswith'].includes(t.text.toLowerCase()) && peek()?.text === '(') {
            expect('(');
            const prop = next();
            if (prop?.kind !== 'name') throw new FilterError(`Syntax error in ${t.text}(): a property name is expected.`);
            const get = property(prop.text);
            expect(',');
            const v = String(value()).toLowerCase();
            expect(')');
            const starts = t.text.toLowerCase() === 'startswith';
            return item => {
                const actual = get(item);
                return typeof actual === 'string' && (starts ? actual.toLowerCase().startsWith(v) : actual.toLowerCase().endsWith(v));
            };
        }
        if (t.kind === 'name' && /^assignedLicenses\/any\(/i.test(`${t.text}${peek()?.text ?? ''}`) && t.text === 'assignedLicenses/any') {
            // assignedLicenses/any(x:x/skuId eq GUID)
            expect('(');
            const lambda = next();
            if (!lambda || !/^\w+:\w+\/skuId$/.test(lambda.text)) throw new FilterError('Syntax error in any(): expected x:x/skuId.');
            const op = next();
            if (op?.text !== 'eq') throw new FilterError('Syntax error in any(): only eq is supported on skuId.');
            const sku = String(value());
            expect(')');
            used?.add('assignedLicenses');
            return item => Array.isArray(item.assignedLicenses) && (item.assignedLicenses as { skuId: string }[]).some(l => l.skuId === sku);
        }
        if (t.kind === 'name' && t.text === 'groupTypes/any') {
            expect('(');
            const lambda = next();
            if (!lambda || !/^\w+:\w+$/.test(lambda.text)) throw new FilterError('Syntax error in any(): expected c:c.');
            if (next()?.text !== 'eq') throw new FilterError('Syntax error in any(): only eq is supported.');
            const type = String(value());
            expect(')');
            used?.add('groupTypes');
            return item => Array.isArray(item.groupTypes) && (item.groupTypes as string[]).includes(type);
        }
        if (t.kind === 'name') {
            const get = property(t.text);
            const op = next();
            if (!op || op.kind !== 'op') throw new FilterError(`Syntax error: an operator is expected after '${t.text}'.`);
            if (op.text === 'in') {
                expect('(');
                const values: Value[] = [value()];
                while (peek()?.kind === 'comma') { next(); values.push(value()); }
                expect(')');
                // Graph documents a limit of 15 values for `in` (filter-query-parameter, "query parameter
                // limitations"); its answer's text is not documented (docs/FIDELITY.md A35), so this one is assumed.
                if (values.length > maxInValues) throw new FilterError(`Too many child clauses specified in search filter expression containing 'OR' operators: ${values.length}. Max allowed: ${maxInValues}.`);
                const lowered = values.map(v => (typeof v === 'string' ? v.toLowerCase() : v));
                return item => { const a = get(item); return lowered.includes(typeof a === 'string' ? a.toLowerCase() : (a as Value)); };
            }
            const v = value();
            const same = (a: unknown) => (typeof a === 'string' && typeof v === 'string' ? a.toLowerCase() === v.toLowerCase() : (a ?? null) === v);
            if (op.text === 'eq') return item => same(get(item));
            if (op.text === 'ne') return item => !same(get(item));
            throw new FilterError(`Operator '${op.text}' is not supported on '${t.text}'.`);
        }
        throw new FilterError(`Syntax error at '${t.text}' in '${filter}'.`);
    };
    const andExpr = (): Predicate => {
        let left = primary();
        while (peek()?.text === 'and') { next(); const l = left, r = primary(); left = item => l(item) && r(item); }
        return left;
    };
    const orExpr = (): Predicate => {
        let left = andExpr();
        while (peek()?.text === 'or') { next(); const l = left, r = andExpr(); left = item => l(item) || r(item); }
        return left;
    };
    const predicate = orExpr();
    if (pos !== tokens.length) throw new FilterError(`Syntax error at '${tokens[pos].text}' in '${filter}'.`);
    return predicate;
}

/**
 * `$search="displayName:adele" AND "mail:contoso"`: each clause matches when a word of the property starts with the
 * term (Graph tokenises on spaces and punctuation), clauses combine with AND/OR.
 */
export function compileSearch(search: string, searchable: ReadonlySet<string>): Predicate {
    // A clause is a quoted string in which \" and \\ are escaped, as Graph reads them; AND/OR join clauses.
    const clauses = [...search.matchAll(/"((?:[^"\\]|\\.)*)"|\b(AND|OR)\b/g)].map(m => [m[0], m[1]?.replace(/\\(.)/g, '$1'), m[2]] as const);
    if (!clauses.length) throw new FilterError(`Syntax error: $search must be a quoted "property:term" clause (it is ${search}).`);
    let predicate: Predicate | undefined;
    let joiner = 'AND';
    for (const [, clause, op] of clauses) {
        if (op) { joiner = op; continue; }
        const colon = clause.indexOf(':');
        if (colon < 1) throw new FilterError(`Syntax error: '${clause}' must look like "property:term".`);
        const prop = clause.slice(0, colon);
        if (!searchable.has(prop)) throw new FilterError(`Property '${prop}' cannot be used in $search.`);
        const term = clause.slice(colon + 1).toLowerCase().trim();
        const one: Predicate = item => {
            const actual = item[prop];
            if (typeof actual !== 'string') return false;
            const text = actual.toLowerCase();
            return text.startsWith(term) || text.split(/[\s._@-]+/).some(w => w.startsWith(term));
        };
        const previous = predicate;
        predicate = !previous ? one : joiner === 'OR' ? item => previous(item) || one(item) : item => previous(item) && one(item);
        joiner = 'AND';
    }
    return predicate ?? (() => true);
}
