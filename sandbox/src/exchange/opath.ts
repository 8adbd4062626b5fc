/**
 * The OPATH subset admins write in Exchange's `-Filter`: `Property -eq 'value'`, `-ne`, `-like` / `-notlike` with `*`
 * wildcards anywhere, `-not`, parentheses, `-and` / `-or` (`-and` binds tighter; Exchange stores every clause in
 * parentheses, so admins rarely rely on it). Values are quoted with ' or " (the quote doubled inside is one quote),
 * bare words such as UserMailbox, or `$null`. Property names, operators and values compare case-insensitively, as in
 * Exchange. Anything else raises an OpathError carrying the text Exchange answers, so a typo is never silently ignored.
 */

/**
 * The filterable properties of one object, by canonical name; empty and missing values are both "not set". A
 * multi-valued property (MemberOfGroup) is a list: `-eq` / `-like` hold when any value matches, `-ne` / `-notlike`
 * when none does, as Exchange's LDAP query over a multi-valued attribute answers.
 */
export type OpathRecord = Readonly<Record<string, string | readonly string[] | undefined>>;
export type OpathPredicate = (item: OpathRecord) => boolean;

export class OpathError extends Error {}

interface Token { kind: 'word' | 'string' | 'op' | 'open' | 'close'; text: string; at: number }

const prefix = 'Cannot bind parameter \'Filter\' to the target. Exception setting "Filter": ';
/** Exchange's message; `at` is 0-based here and reported 1-based, as Exchange does. */
const syntaxError = (filter: string, at: number) =>
    new OpathError(`${prefix}"Invalid filter syntax. For a description of the filter parameter syntax see the command help. "${filter}" at position ${at + 1}."`);
const unknownProperty = (filter: string, name: string, at: number) =>
    new OpathError(`${prefix}"'${name}' is not a recognized filterable property. For more information about the filterable properties, see the command help. "${filter}" at position ${at + 1}."`);

const operators = ['-eq', '-ne', '-like', '-notlike', '-and', '-or', '-not'];

function tokenize(filter: string): Token[] {
    const tokens: Token[] = [];
    let i = 0;
    while (i < filter.length) {
        const c = filter[i];
        if (/\s/.test(c)) { i++; continue; }
        if (c === '(' || c === ')') { tokens.push({ kind: c === '(' ? 'open' : 'close', text: c, at: i++ }); continue; }
        if (c === "'" || c === '"') {
            const at = i++;
            let text = '';
            for (;;) {
                if (i >= filter.length) throw syntaxError(filter, at);
                if (filter[i] === c && filter[i + 1] === c) { text += c; i += 2; continue; }
                if (filter[i] === c) { i++; break; }
                text += filter[i++];
            }
            tokens.push({ kind: 'string', text, at });
            continue;
        }
        const op = /^-[A-Za-z]+/.exec(filter.slice(i))?.[0];
        if (op) {
            if (!operators.includes(op.toLowerCase())) throw syntaxError(filter, i);
            tokens.push({ kind: 'op', text: op.toLowerCase(), at: i });
            i += op.length;
            continue;
        }
        const word = /^[$A-Za-z0-9_.*]+/.exec(filter.slice(i))?.[0];
        if (!word) throw syntaxError(filter, i);
        tokens.push({ kind: 'word', text: word, at: i });
        i += word.length;
    }
    return tokens;
}

/** `*` matches any run of characters; everything else is literal. */
function wildcard(pattern: string): RegExp {
    return new RegExp(`^${pattern.split('*').map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'is');
}

/** Compiles a filter over records keyed by the canonical names in `properties` (matched case-insensitively). */
export function compileOpath(filter: string, properties: readonly string[]): OpathPredicate {
    const tokens = tokenize(filter);
    let pos = 0;
    const end = filter.length;
    const peek = () => tokens[pos];
    const fail = (): never => { throw syntaxError(filter, tokens[pos]?.at ?? end); };

    const comparison = (): OpathPredicate => {
        const name = tokens[pos];
        if (name?.kind !== 'word') return fail();
        const property = properties.find(p => p.toLowerCase() === name.text.toLowerCase());
        if (!property) throw unknownProperty(filter, name.text, name.at);
        pos++;
        const op = peek();
        if (op?.kind !== 'op' || !['-eq', '-ne', '-like', '-notlike'].includes(op.text)) return fail();
        pos++;
        const value = peek();
        if (value?.kind !== 'string' && value?.kind !== 'word') return fail();
        pos++;
        // $null and '' both mean "not set"; a bare word is a string (UserMailbox), as Exchange reads it.
        const wanted = value.kind === 'word' && value.text.toLowerCase() === '$null' ? '' : value.text.toLowerCase();
        const values = (item: OpathRecord): string[] => {
            const value = item[property];
            const all = (typeof value === 'string' ? [value] : value ?? []).map(v => v.toLowerCase()).filter(v => v !== '');
            return all.length ? all : [''];
        };
        if (op.text === '-eq') return item => values(item).some(v => v === wanted);
        if (op.text === '-ne') return item => values(item).every(v => v !== wanted);
        const pattern = wildcard(wanted);
        // An unset property matches no -like pattern, so -notlike includes it (as the LDAP query Exchange runs does).
        const like = (v: string) => v !== '' && pattern.test(v);
        if (op.text === '-like') return item => values(item).some(like);
        return item => !values(item).some(like);
    };
    const unary = (): OpathPredicate => {
        const t = peek();
        if (t?.kind === 'op' && t.text === '-not') {
            pos++;
            const inner = unary();
            return item => !inner(item);
        }
        if (t?.kind === 'open') {
            pos++;
            const inner = or();
            if (peek()?.kind !== 'close') return fail();
            pos++;
            return inner;
        }
        return comparison();
    };
    const and = (): OpathPredicate => {
        let left = unary();
        while (peek()?.kind === 'op' && peek()?.text === '-and') {
            pos++;
            const l = left, r = unary();
            left = item => l(item) && r(item);
        }
        return left;
    };
    const or = (): OpathPredicate => {
        let left = and();
        while (peek()?.kind === 'op' && peek()?.text === '-or') {
            pos++;
            const l = left, r = and();
            left = item => l(item) || r(item);
        }
        return left;
    };
    const predicate = or();
    if (pos !== tokens.length) fail();
    return predicate;
}
