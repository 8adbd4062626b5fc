import type { AppRoleAssignmentRecord, SandboxContext, SandboxRequest, SandboxResponse, ServicePrincipal, TenantState } from '../contracts';
import { appRoleAssignments, ensureServicePrincipal, grantAppRole, permissionGrants, servicePrincipals } from '../tenant/applications';
import { microsoftGraphAppId } from '../identity/permissionCatalogue';
import { alternateKey, answer, bodyOf, type Body } from './answers';
import { removeServicePrincipalRecords } from './applications';
import { appPermissions, requireAppAdmin, requireAppRead } from './appPermissions';
import { listCollection, type CollectionRules } from './collections';
import { badRequest, GraphError, notFound } from './errors';
import { refuseUnmodelledChanges, servicePrincipalDefaults } from './fixedProperties';
import { graphPermissionGrant, grantRules } from './permissionGrants';
import { project } from './shapes';

/**
 * /servicePrincipals and their app role assignments, as Microsoft Graph v1.0 serves them
 * (microsoftgraph/microsoft-graph-docs-contrib: api-reference/v1.0/api/serviceprincipal-list.md, serviceprincipal-get.md,
 * serviceprincipal-post-serviceprincipals.md, serviceprincipal-update.md, serviceprincipal-delete.md,
 * serviceprincipal-list-approleassignments.md, serviceprincipal-post-approleassignments.md,
 * serviceprincipal-list-approleassignedto.md, serviceprincipal-post-approleassignedto.md,
 * serviceprincipal-delete-approleassignments.md, serviceprincipal-list-oauth2permissiongrants.md).
 */

const rules: CollectionRules = {
    context: 'servicePrincipals',
    filterable: new Set(['id', 'appId', 'displayName', 'servicePrincipalType', 'accountEnabled']),
    searchable: new Set(),
    orderable: new Set(['displayName']),
    maxTop: 999,
    defaultTop: 100,
    advancedQueries: false,
};
const assignmentRules: CollectionRules = { ...rules, context: 'appRoleAssignments', filterable: new Set(['id', 'principalId', 'resourceId', 'appRoleId']), orderable: new Set() };

/**
 * A service principal: what the sandbox keeps, a new one's values for what it does not model (fixedProperties.ts), and
 * replyUrls, "the redirect URIs that OAuth 2.0 authorization codes and access tokens are sent to for the associated
 * application" (microsoftgraph/microsoft-graph-docs-contrib: api-reference/v1.0/resources/serviceprincipal.md): the
 * redirect URIs of the tenant's own registration with this appId, none for Microsoft's resource apps.
 */
export function graphServicePrincipal(state: TenantState, sp: ServicePrincipal): Body {
    const app = state.apps.find(a => a.appId === sp.appId);
    return {
        ...servicePrincipalDefaults,
        replyUrls: app ? [...(app.redirectUris?.web ?? []), ...(app.redirectUris?.publicClient ?? [])] : [],
        id: sp.id,
        appId: sp.appId,
        displayName: sp.displayName,
        appDisplayName: sp.displayName,
        servicePrincipalType: sp.servicePrincipalType,
        accountEnabled: sp.accountEnabled,
        appOwnerOrganizationId: sp.appOwnerOrganizationId,
        createdDateTime: sp.createdDateTime,
        deletedDateTime: null,
        servicePrincipalNames: [sp.appId],
        appRoles: sp.appRoles.map(r => ({ allowedMemberTypes: ['Application'], description: r.displayName, displayName: r.displayName, id: r.id, isEnabled: true, origin: 'Application', value: r.value })),
        oauth2PermissionScopes: sp.oauth2PermissionScopes.map(s => ({ adminConsentDescription: s.displayName, adminConsentDisplayName: s.displayName, id: s.id, isEnabled: true, type: 'Admin', userConsentDescription: null, userConsentDisplayName: null, value: s.value })),
    };
}

export const graphAssignment = (a: AppRoleAssignmentRecord): Body => ({ ...a, deletedDateTime: null });

function findServicePrincipal(ctx: SandboxContext, key: string): ServicePrincipal {
    const byAppId = alternateKey(key, 'servicePrincipals');
    const sp = servicePrincipals(ctx.state).find(s => (byAppId !== undefined ? s.appId === byAppId : s.id === key));
    if (!sp) throw notFound(byAppId ?? key);
    return sp;
}

/** Handles /servicePrincipals…; undefined when the path is not one of these. */
export function servicePrincipalRoutes(ctx: SandboxContext, request: SandboxRequest, segments: readonly string[]): SandboxResponse | undefined {
    const [collection, id, relation, itemId] = segments.slice(1);
    const byAppId = alternateKey(collection, 'servicePrincipals') !== undefined;
    if (collection !== 'servicePrincipals' && !byAppId) return undefined;
    const key = byAppId ? collection : id;
    const rel = byAppId ? id : relation;
    const item = byAppId ? relation : itemId;
    const m = request.method;
    const { state } = ctx;
    if (m === 'GET') requireAppRead(state, request.principal, appPermissions.readApps);
    if (!key) {
        if (m === 'GET') return answer(request, 200, listCollection(request, servicePrincipals(state).map(s => graphServicePrincipal(state, s)), rules));
        if (m === 'POST') return answer(request, 201, graphServicePrincipal(state, createServicePrincipal(ctx, request)), 'servicePrincipals/$entity');
        throw new GraphError(405, 'Request_BadRequest', `${m} is not supported on /servicePrincipals.`);
    }
    const sp = findServicePrincipal(ctx, key);
    if (!rel) {
        if (m === 'GET') return answer(request, 200, project(graphServicePrincipal(state, sp), request.url.searchParams.get('$select')?.split(',').map(s => s.trim())), 'servicePrincipals/$entity');
        requireAppAdmin(state, request.principal, appPermissions.writeApps);
        if (m === 'PATCH') {
            const body = bodyOf(request);
            refuseUnmodelledChanges(body, servicePrincipalDefaults, 'ServicePrincipal');
            if (typeof body.accountEnabled === 'boolean') sp.accountEnabled = body.accountEnabled;
            return answer(request, 204);
        }
        if (m === 'DELETE') { removeServicePrincipalRecords(ctx, sp.id); return answer(request, 204); }
    }
    if (rel === 'appRoleAssignments' || rel === 'appRoleAssignedTo') {
        // appRoleAssignments: what this SP holds; appRoleAssignedTo: what was granted on this (resource) SP.
        const mine = (a: AppRoleAssignmentRecord) => (rel === 'appRoleAssignments' ? a.principalId : a.resourceId) === sp.id;
        if (m === 'GET' && !item) return answer(request, 200, listCollection(request, appRoleAssignments(state).filter(mine).map(graphAssignment), assignmentRules));
        if (m === 'POST' && !item) return answer(request, 201, graphAssignment(assignAppRole(ctx, request, sp, rel)), `servicePrincipals('${sp.id}')/${rel}/$entity`);
        if (m === 'DELETE' && item) {
            const record = appRoleAssignments(state).find(a => a.id === item && mine(a));
            if (!record) throw notFound(item);
            requireAppAdmin(state, request.principal, appPermissions.writeAssignments, isGraph(ctx, record.resourceId));
            state.appRoleAssignments = appRoleAssignments(state).filter(a => a !== record);
            return answer(request, 204);
        }
    }
    if (rel === 'oauth2PermissionGrants' && m === 'GET' && !item) {
        requireAppRead(state, request.principal, appPermissions.readGrants);
        return answer(request, 200, listCollection(request, permissionGrants(state).filter(g => g.clientId === sp.id).map(graphPermissionGrant), grantRules));
    }
    throw notFound(segments.slice(1).join('/'));
}

const isGraph = (ctx: SandboxContext, resourceId: string) => servicePrincipals(ctx.state).find(s => s.id === resourceId)?.appId === microsoftGraphAppId;

/** POST /servicePrincipals { appId }: the app's service principal in this tenant; a second one is a conflict. */
function createServicePrincipal(ctx: SandboxContext, request: SandboxRequest): ServicePrincipal {
    requireAppAdmin(ctx.state, request.principal, appPermissions.writeApps);
    const appId = bodyOf(request).appId;
    if (typeof appId !== 'string' || !appId) throw badRequest("Property 'appId' is required but has no value.", 'Request_BadRequest');
    const app = ctx.state.apps.find(a => a.appId === appId);
    if (!app) throw badRequest(`The appId '${appId}' of the service principal does not reference a valid application object.`, 'Request_BadRequest');
    if (servicePrincipals(ctx.state).some(s => s.appId === appId)) {
        throw new GraphError(409, 'Request_MultipleObjectsWithSameKeyValue', 'Another object with the same value for property servicePrincipalNames already exists.');
    }
    app.servicePrincipalId = ctx.newId();
    return ensureServicePrincipal(ctx.state, app, new Date(ctx.now()).toISOString());
}

/**
 * POST …/appRoleAssignments or …/appRoleAssignedTo { principalId, resourceId, appRoleId }: admin consent to one
 * application permission. The role must be one the resource offers; granting the same one again is the docs' conflict.
 */
function assignAppRole(ctx: SandboxContext, request: SandboxRequest, sp: ServicePrincipal, rel: string): AppRoleAssignmentRecord {
    const body = bodyOf(request);
    for (const name of ['principalId', 'resourceId', 'appRoleId']) {
        if (typeof body[name] !== 'string' || !body[name]) throw badRequest(`Property '${name}' is required but has no value.`, 'Request_BadRequest');
    }
    const principalId = String(body.principalId);
    const resourceId = String(body.resourceId);
    if ((rel === 'appRoleAssignments' ? principalId : resourceId) !== sp.id) {
        throw badRequest(`The ${rel === 'appRoleAssignments' ? 'principalId' : 'resourceId'} in the body must be the service principal in the URL.`, 'Request_BadRequest');
    }
    const all = servicePrincipals(ctx.state);
    const client = all.find(s => s.id === principalId);
    const resource = all.find(s => s.id === resourceId);
    if (!client) throw notFound(principalId);
    if (!resource) throw notFound(resourceId);
    requireAppAdmin(ctx.state, request.principal, appPermissions.writeAssignments, resource.appId === microsoftGraphAppId);
    const role = resource.appRoles.find(r => r.id === body.appRoleId);
    if (!role) throw badRequest('Permission being assigned was not found on application', 'Request_BadRequest');
    if (appRoleAssignments(ctx.state).some(a => a.principalId === client.id && a.resourceId === resource.id && a.appRoleId === role.id)) {
        throw badRequest('Permission being assigned already exists on the object', 'Request_BadRequest');
    }
    return grantAppRole(ctx.state, client, resource, role.id, new Date(ctx.now()).toISOString(), ctx.newId());
}
