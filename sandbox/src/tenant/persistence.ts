import { adoptLegacyGrants } from './applications';
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
    const state: TenantState = {
        ...rest,
        users: new Map(users.map(u => [u.id, u])),
        groups: new Map(groups.map(g => [g.id, g])),
        mailboxes: new Map(mailboxes.map(m => [m.userId, m])),
    };
    // Files written before issue 17 keep consent in each app's consentedScopes/appRoles: they become records here.
    adoptLegacyGrants(state);
    return state;
}

interface SavedTenants {
    format: 'sandbox-tenants/1';
    /** Each as `serializeTenant` writes it, tenant 1 first. */
    tenants: unknown[];
}

/**
 * The state file's text: one tenant in the one-tenant format (so files written before several tenants existed, and
 * tools reading them, keep working); several as `{ "format": "sandbox-tenants/1", "tenants": [ <one-tenant form>, … ] }`.
 */
export function serializeTenants(states: readonly TenantState[]): string {
    if (states.length === 1) return serializeTenant(states[0]);
    const saved: SavedTenants = { format: 'sandbox-tenants/1', tenants: states.map(s => JSON.parse(serializeTenant(s)) as unknown) };
    return JSON.stringify(saved);
}

/** The tenants back from a state file of either form; a one-tenant file is tenant 1. */
export function deserializeTenants(text: string): TenantState[] {
    const saved = JSON.parse(text) as Partial<SavedTenants> | null;
    if (saved && typeof saved === 'object' && saved.format === 'sandbox-tenants/1') {
        if (!Array.isArray(saved.tenants) || saved.tenants.length === 0) throw new Error('This saved sandbox holds no tenants.');
        return saved.tenants.map(t => deserializeTenant(JSON.stringify(t)));
    }
    return [deserializeTenant(text)];
}
