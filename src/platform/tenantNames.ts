import type { OrganisationName } from '../graph/organisation';

/** A tenant as an admin recognises it: the organisation's display name and default domain. */
export interface TenantName {
    displayName: string;
    defaultDomain?: string;
}

/** The part of VS Code's Memento this store needs (globalState), so a plain test can give it a Map. */
export interface NameMemento {
    get<T>(key: string): T | undefined;
    update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

const key = 'm365Provisioner.tenantNames';

/**
 * Tenant id → name and default domain, kept across restarts (globalState) so the Accounts view, the status bar, the
 * account picker and sign-out can name a tenant synchronously, without a request. Filled whenever a session reads
 * `/organization` (`TenantSession.tenantName`); a tenant never read is shown by its id until then. Holds nothing
 * secret: names a tenant publishes to everyone signed in to it.
 */
export class TenantNames {
    private readonly listeners = new Set<() => void>();

    constructor(private readonly memento: NameMemento) {}

    get(tenantId: string): TenantName | undefined {
        return this.all()[tenantId.toLowerCase()];
    }

    /** "Contoso (contoso.com)", or the tenant id while its name is unknown. */
    label(tenantId: string): string {
        return tenantLabel(this.get(tenantId), tenantId);
    }

    /** Keeps what `/organization` said; tells the views only when it differs from what they show. */
    async remember(tenantId: string, organisation: OrganisationName | undefined): Promise<void> {
        if (!organisation?.displayName) return;
        const name: TenantName = { displayName: organisation.displayName, ...(organisation.defaultDomain ? { defaultDomain: organisation.defaultDomain } : {}) };
        const all = this.all();
        const before = all[tenantId.toLowerCase()];
        if (before?.displayName === name.displayName && before.defaultDomain === name.defaultDomain) return;
        await this.memento.update(key, { ...all, [tenantId.toLowerCase()]: name });
        for (const listener of [...this.listeners]) listener();
    }

    onDidChange(listener: () => void): { dispose(): void } {
        this.listeners.add(listener);
        return { dispose: () => this.listeners.delete(listener) };
    }

    private all(): Record<string, TenantName> {
        const stored = this.memento.get<Record<string, TenantName>>(key);
        return stored && typeof stored === 'object' ? stored : {};
    }
}

/** "Contoso (contoso.com)"; "Contoso" without a default domain; the tenant id when the name is unknown. */
export function tenantLabel(name: TenantName | undefined, tenantId: string): string {
    if (!name?.displayName) return tenantId;
    return name.defaultDomain ? `${name.displayName} (${name.defaultDomain})` : name.displayName;
}
