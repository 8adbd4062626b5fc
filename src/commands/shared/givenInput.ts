import { ProvisioningInputError } from '../../provisioning/errors';
import type { Field, FieldKind } from '../../provisioning/fields';

type Kind = FieldKind | 'boolean';
type Value<K extends Kind> = K extends 'string' ? string : K extends 'boolean' ? boolean : K extends 'strings' ? string[] : string[] | 'all';
type Spec = Kind | Field;
type ValueOf<S extends Spec> = S extends Field<infer K> ? Value<K> : S extends Kind ? Value<S> : never;

const described: Record<Kind, string> = { string: 'a string', boolean: 'true or false', strings: 'a list of strings', stringsOrAll: 'a list of strings or "all"' };

/**
 * What a caller passed as a command's input (the setup wizard, a recipe, another extension, a test), checked at the
 * boundary: only the named fields, each of its type, and each provisioning field (`fields` in
 * src/provisioning/fields) by the same check the input boxes, the wizard, recipes and the steps apply, else a
 * ProvisioningInputError naming the field. Missing fields are asked for.
 */
export function givenInput<S extends Record<string, Spec>>(value: unknown, shape: S, command: string): { [K in keyof S]?: ValueOf<S[K]> } {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${command} takes its input as an object with ${Object.keys(shape).join(', ')}.`);
    const out: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(shape)) {
        const v = (value as Record<string, unknown>)[name];
        if (v === undefined) continue;
        const kind: Kind = typeof spec === 'string' ? spec : spec.kind;
        const isStrings = Array.isArray(v) && v.every(x => typeof x === 'string');
        const ok = kind === 'string' ? typeof v === 'string' : kind === 'boolean' ? typeof v === 'boolean' : kind === 'strings' ? isStrings : isStrings || v === 'all';
        if (!ok) throw new ProvisioningInputError(`${command}: "${name}" must be ${described[kind]}.`, name);
        if (typeof spec !== 'string') {
            const problem = (spec.check as (x: unknown) => string | undefined)(v);
            if (problem) throw new ProvisioningInputError(`${command}, input field "${name}": ${problem}`, name);
        }
        out[name] = v;
    }
    return out as { [K in keyof S]?: ValueOf<S[K]> };
}
