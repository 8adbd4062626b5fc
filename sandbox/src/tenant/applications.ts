import { createHash } from 'node:crypto';
import type { AppRegistration, AppRoleAssignmentRecord, OAuth2PermissionGrantRecord, ServicePrincipal, TenantState } from '../contracts';
import { exchangeOnlineAppId, microsoftGraphAppId, microsoftServicesTenantId, resourceApiOffering, resourceApis } from '../identity/permissionCatalogue';
import { exchangePermissions } from '../identity/scopes';
import { firstPartyClient } from '../identity/firstPartyClients';

/**
 * Microsoft's own clients (Graph Command Line Tools, Exchange Online PowerShell) have a service principal in the tenant
 * but their application object lives in Microsoft's tenant: /applications never shows them.
 */
export function isTenantsOwnApplication(app: AppRegistration): boolean {
    return firstPartyClient(app.appId) === undefined;
}

/**
 * App registrations, service principals and consent records: the one source of what an app was granted. Tokens read
 * `roles` from appRoleAssignments and `scp` from oauth2PermissionGrants; nothing else says what an app may do.
 */

/** A GUID derived from a name, so records made from an old state file get the same ids every time it loads. */
function derivedId(name: string): string {
    return createHash('sha256').update(name).digest('hex').replace(/^(.{8})(.{4})(.{3})(.{3})(.{12}).*/, '$1-$2-4$3-8$4-$5');
}

export function servicePrincipals(state: TenantState): ServicePrincipal[] {
    return (state.servicePrincipals ??= []);
}

export function appRoleAssignments(state: TenantState): AppRoleAssignmentRecord[] {
    return (state.appRoleAssignments ??= []);
}

export function permissionGrants(state: TenantState): OAuth2PermissionGrantRecord[] {
    return (state.oauth2PermissionGrants ??= []);
}

/** The service principal of an app in this tenant, if it has one. */
export function servicePrincipalOf(state: TenantState, appId: string): ServicePrincipal | undefined {
    return servicePrincipals(state).find(sp => sp.appId === appId);
}

/** The resource API's service principal (Microsoft Graph or Exchange Online), made when first needed. */
export function resourceServicePrincipal(state: TenantState, resourceAppId: string): ServicePrincipal {
    const existing = servicePrincipalOf(state, resourceAppId);
    if (existing) return existing;
    const api = resourceApis.find(r => r.appId === resourceAppId);
    if (!api) throw new Error(`No resource API ${resourceAppId} in the sandbox's catalogue.`);
    const sp: ServicePrincipal = {
        id: derivedId(`${state.tenantId}/sp/${resourceAppId}`),
        appId: api.appId,
        displayName: api.displayName,
        servicePrincipalType: 'Application',
        accountEnabled: true,
        appOwnerOrganizationId: microsoftServicesTenantId,
        createdDateTime: state.organization.createdDateTime,
        appRoles: api.appRoles.map(r => ({ ...r })),
        oauth2PermissionScopes: api.oauth2PermissionScopes.map(s => ({ ...s })),
    };
    servicePrincipals(state).push(sp);
    return sp;
}

/** Creates (or returns) the service principal of an app registration with the id the app already names. */
export function ensureServicePrincipal(state: TenantState, app: AppRegistration, createdDateTime: string, ownerTenantId = state.tenantId): ServicePrincipal {
    const existing = servicePrincipalOf(state, app.appId);
    if (existing) return existing;
    const sp: ServicePrincipal = {
        id: app.servicePrincipalId || derivedId(`${state.tenantId}/sp/${app.appId}`),
        appId: app.appId,
        displayName: app.displayName,
        servicePrincipalType: 'Application',
        accountEnabled: true,
        appOwnerOrganizationId: ownerTenantId,
        createdDateTime,
        appRoles: [],
        oauth2PermissionScopes: [],
    };
    app.servicePrincipalId = sp.id;
    servicePrincipals(state).push(sp);
    return sp;
}

/** Grants an application permission (admin consent to an app role): an appRoleAssignment, once. */
export function grantAppRole(state: TenantState, client: ServicePrincipal, resource: ServicePrincipal, appRoleId: string, createdDateTime: string, id?: string): AppRoleAssignmentRecord {
    const existing = appRoleAssignments(state).find(a => a.principalId === client.id && a.resourceId === resource.id && a.appRoleId === appRoleId);
    if (existing) return existing;
    const record: AppRoleAssignmentRecord = {
        id: id ?? derivedId(`${client.id}/${resource.id}/${appRoleId}`),
        principalId: client.id,
        principalDisplayName: client.displayName,
        principalType: 'ServicePrincipal',
        resourceId: resource.id,
        resourceDisplayName: resource.displayName,
        appRoleId,
        createdDateTime,
    };
    appRoleAssignments(state).push(record);
    return record;
}

/** Adds delegated permissions to the client's tenant-wide (AllPrincipals) grant for a resource, making it if needed. */
export function grantDelegatedToAll(state: TenantState, client: ServicePrincipal, resource: ServicePrincipal, scopes: readonly string[]): OAuth2PermissionGrantRecord {
    let grant = permissionGrants(state).find(g => g.clientId === client.id && g.resourceId === resource.id && g.consentType === 'AllPrincipals');
    if (!grant) {
        grant = { id: derivedId(`${client.id}/${resource.id}/AllPrincipals`), clientId: client.id, consentType: 'AllPrincipals', principalId: null, resourceId: resource.id, scope: '' };
        permissionGrants(state).push(grant);
    }
    const have = grant.scope.split(' ').filter(Boolean);
    grant.scope = [...have, ...scopes.filter(s => !have.includes(s))].join(' ');
    return grant;
}

/**
 * The app-only token's `roles` for one resource: the values of the app roles the app's service principal was
 * assigned on that resource's service principal, and nothing else (so a Graph token never carries Exchange.ManageAsApp).
 */
export function grantedAppRoles(state: TenantState, app: AppRegistration, resourceAppId: string): string[] {
    adoptLegacyGrants(state);
    const client = servicePrincipalOf(state, app.appId);
    const resource = servicePrincipalOf(state, resourceAppId);
    if (!client || !resource) return [];
    return appRoleAssignments(state)
        .filter(a => a.principalId === client.id && a.resourceId === resource.id)
        .map(a => resource.appRoles.find(r => r.id === a.appRoleId)?.value)
        .filter((v): v is string => v !== undefined);
}

/** Delegated permissions granted to the app for every user (AllPrincipals) on one resource, or for this user only. */
export function grantedScopes(state: TenantState, app: AppRegistration, resourceAppId: string, userId?: string): string[] {
    adoptLegacyGrants(state);
    const client = servicePrincipalOf(state, app.appId);
    const resource = servicePrincipalOf(state, resourceAppId);
    if (!client || !resource) return [];
    const scopes = permissionGrants(state)
        .filter(g => g.clientId === client.id && g.resourceId === resource.id && (g.consentType === 'AllPrincipals' || (userId !== undefined && g.principalId === userId)))
        .flatMap(g => g.scope.split(' ').filter(Boolean));
    return [...new Set(scopes)];
}

/** The resource a delegated permission name belongs to, as the scope parser decides it (scopes.ts). */
export function resourceOfScope(scope: string): string {
    return exchangePermissions.has(scope) ? exchangeOnlineAppId : microsoftGraphAppId;
}

/**
 * Turns the fields state files and hand-made registrations had before issue 17 (`consentedScopes`, `appRoles`) into
 * records, gives apps their object ids, and makes the resource service principals: run whenever the state may have
 * come from elsewhere (load, sign-in, Graph). The old fields are deleted so the records stay the one source.
 */
export function adoptLegacyGrants(state: TenantState): void {
    for (const api of resourceApis) resourceServicePrincipal(state, api.appId);
    for (const app of state.apps) {
        app.id ??= derivedId(`${state.tenantId}/application/${app.appId}`);
        const legacyScopes = app.consentedScopes;
        const legacyRoles = app.appRoles;
        if (legacyScopes === undefined && legacyRoles === undefined) continue;
        delete app.consentedScopes;
        delete app.appRoles;
        const created = app.createdDateTime ?? state.organization.createdDateTime;
        const client = ensureServicePrincipal(state, app, created, isTenantsOwnApplication(app) ? state.tenantId : microsoftServicesTenantId);
        for (const resourceAppId of [microsoftGraphAppId, exchangeOnlineAppId]) {
            const scopes = (legacyScopes ?? []).filter(s => resourceOfScope(s) === resourceAppId);
            if (scopes.length) grantDelegatedToAll(state, client, resourceServicePrincipal(state, resourceAppId), scopes);
        }
        for (const value of legacyRoles ?? []) {
            const api = resourceApiOffering(value, 'application');
            if (!api) throw new Error(`The sandbox's permission catalogue has no application permission '${value}' (app ${app.appId}).`);
            const resource = resourceServicePrincipal(state, api.appId);
            const role = resource.appRoles.find(r => r.value === value);
            if (role) grantAppRole(state, client, resource, role.id, created);
        }
    }
}
