import type { TenantState } from '../contracts';

/** The tenant as JSON (Maps as arrays of values), for the `--state` file. */
export function serializeTenant(state: TenantState): string {
    return JSON.stringify({ ...state, users: [...state.users.values()], groups: [...state.groups.values()], mailboxes: [...state.mailboxes.values()] });
}

export function deserializeTenant(text: string): TenantState {
    const raw = JSON.parse(text) as Omit<TenantState, 'users' | 'groups' | 'mailboxes'> & { users: TenantState['users'] extends Map<string, infer U> ? U[] : never; groups: TenantState['groups'] extends Map<string, infer G> ? G[] : never; mailboxes: TenantState['mailboxes'] extends Map<string, infer M> ? M[] : never };
    return {
        ...raw,
        users: new Map(raw.users.map(u => [u.id, u])),
        groups: new Map(raw.groups.map(g => [g.id, g])),
        mailboxes: new Map(raw.mailboxes.map(m => [m.userId, m])),
    };
}
