import type { DirectoryGroup, DirectoryUser, Mailbox, TenantState } from '../contracts';

interface SavedTenant extends Omit<TenantState, 'users' | 'groups' | 'mailboxes'> {
    format: 'sandbox-tenant/1';
    users: DirectoryUser[];
    groups: DirectoryGroup[];
    mailboxes: Mailbox[];
}

/** The tenant as JSON (the Maps as arrays of their values, in order), for the `--state` file. */
export function serializeTenant(state: TenantState): string {
    const saved: SavedTenant = { ...state, format: 'sandbox-tenant/1', users: [...state.users.values()], groups: [...state.groups.values()], mailboxes: [...state.mailboxes.values()] };
    return JSON.stringify(saved);
}

/** The tenant back from `serializeTenant`'s text; Map keys are rebuilt from the objects' ids. */
export function deserializeTenant(text: string): TenantState {
    const saved = JSON.parse(text) as Partial<SavedTenant>;
    if (!saved || typeof saved !== 'object' || !Array.isArray(saved.users) || !Array.isArray(saved.groups) || !Array.isArray(saved.mailboxes) || typeof saved.tenantId !== 'string') {
        throw new Error('This is not a saved sandbox tenant (users, groups, mailboxes or tenantId missing).');
    }
    const { format: _format, users, groups, mailboxes, ...rest } = saved as SavedTenant;
    return {
        ...rest,
        users: new Map(users.map(u => [u.id, u])),
        groups: new Map(groups.map(g => [g.id, g])),
        mailboxes: new Map(mailboxes.map(m => [m.userId, m])),
    };
}
