type Kind = 'string' | 'boolean' | 'strings' | 'stringsOrAll';
type Value<K extends Kind> = K extends 'string' ? string : K extends 'boolean' ? boolean : K extends 'strings' ? string[] : string[] | 'all';

/**
 * What a caller passed as a command's input (the setup wizard, a recipe, another extension, a test), checked at the
 * boundary: only the named fields, each of its type, else a message naming the field. Missing fields are asked for.
 */
export function givenInput<S extends Record<string, Kind>>(value: unknown, shape: S, command: string): { [K in keyof S]?: Value<S[K]> } {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${command} takes its input as an object with ${Object.keys(shape).join(', ')}.`);
    const out: Record<string, unknown> = {};
    for (const [name, kind] of Object.entries(shape)) {
        const v = (value as Record<string, unknown>)[name];
        if (v === undefined) continue;
        const isStrings = Array.isArray(v) && v.every(x => typeof x === 'string');
        const ok = kind === 'string' ? typeof v === 'string' : kind === 'boolean' ? typeof v === 'boolean' : kind === 'strings' ? isStrings : isStrings || v === 'all';
        if (!ok) throw new Error(`${command}: "${name}" must be ${kind === 'string' ? 'a string' : kind === 'boolean' ? 'true or false' : kind === 'strings' ? 'a list of strings' : 'a list of strings or "all"'}.`);
        out[name] = v;
    }
    return out as { [K in keyof S]?: Value<S[K]> };
}
