import type { OAuth2PermissionGrantRecord, SandboxContext, SandboxRequest, SandboxResponse } from '../contracts';
import { permissionGrants, servicePrincipals } from '../tenant/applications';
import { microsoftGraphAppId } from '../identity/permissionCatalogue';
import { answer, bodyOf, type Body } from './answers';
import { appPermissions, requireAppAdmin, requireAppRead } from './appPermissions';
import { listCollection, type CollectionRules } from './collections';
import { badRequest, GraphError, notFound } from './errors';

/**
 * /oauth2PermissionGrants: delegated consent records (microsoftgraph/microsoft-graph-docs-contrib:
 * api-reference/v1.0/api/oauth2permissiongrant-list.md, oauth2permissiongrant-post.md, oauth2permissiongrant-get.md,
 * oauth2permissiongrant-update.md, oauth2permissiongrant-delete.md; resources/oauth2permissiongrant.md).
 */

export const grantRules: CollectionRules = {
    context: 'oauth2PermissionGrants',
    filterable: new Set(['id', 'clientId', 'resourceId', 'consentType', 'principalId']),
    searchable: new Set(),
    orderable: new Set(),
    maxTop: 999,
    defaultTop: 100,
    advancedQueries: false,
};

export const graphPermissionGrant = (g: OAuth2PermissionGrantRecord): Body => ({ ...g });

const cleanScope = (scope: unknown): string => {
    if (typeof scope !== 'string') throw badRequest("Property 'scope' is required but has no value.", 'Request_BadRequest');
    return [...new Set(scope.split(' ').filter(Boolean))].join(' ');
};

/** Handles /oauth2PermissionGrants…; undefined when the path is not one of these. */
export function permissionGrantRoutes(ctx: SandboxContext, request: SandboxRequest, segments: readonly string[]): SandboxResponse | undefined {
    const [collection, id, more] = segments.slice(1);
    if (collection !== 'oauth2PermissionGrants' || more) return undefined;
    const { state } = ctx;
    const m = request.method;
    if (m === 'GET') requireAppRead(state, request.principal, appPermissions.readGrants);
    if (!id) {
        if (m === 'GET') return answer(request, 200, listCollection(request, permissionGrants(state).map(graphPermissionGrant), grantRules));
        if (m === 'POST') return answer(request, 201, graphPermissionGrant(createGrant(ctx, request)), 'oauth2PermissionGrants/$entity');
        throw new GraphError(405, 'Request_BadRequest', `${m} is not supported on /oauth2PermissionGrants.`);
    }
    const grant = permissionGrants(state).find(g => g.id === id);
    if (!grant) throw notFound(id);
    if (m === 'GET') return answer(request, 200, graphPermissionGrant(grant), 'oauth2PermissionGrants/$entity');
    requireAppAdmin(state, request.principal, appPermissions.writeGrants, grantsGraphForAll(ctx, grant.resourceId, grant.consentType));
    if (m === 'PATCH') {
        // Only `scope` may change (oauth2permissiongrant-update.md).
        grant.scope = cleanScope(bodyOf(request).scope);
        return answer(request, 204);
    }
    if (m === 'DELETE') {
        state.oauth2PermissionGrants = permissionGrants(state).filter(g => g !== grant);
        return answer(request, 204);
    }
    throw notFound(segments.slice(1).join('/'));
}

/** Tenant-wide consent to Microsoft Graph is privileged consent: Global or Privileged Role Administrator (A47). */
const grantsGraphForAll = (ctx: SandboxContext, resourceId: string, consentType: string) =>
    consentType === 'AllPrincipals' && servicePrincipals(ctx.state).find(s => s.id === resourceId)?.appId === microsoftGraphAppId;

/** POST: one grant per client, resource and consent type (and user); the scope must be the resource's own scopes. */
function createGrant(ctx: SandboxContext, request: SandboxRequest): OAuth2PermissionGrantRecord {
    const body = bodyOf(request);
    const { clientId, resourceId, consentType, principalId } = body;
    if (typeof clientId !== 'string' || typeof resourceId !== 'string') throw badRequest("Properties 'clientId' and 'resourceId' are required.", 'Request_BadRequest');
    if (consentType !== 'AllPrincipals' && consentType !== 'Principal') throw badRequest("Property 'consentType' must be 'AllPrincipals' or 'Principal'.", 'Request_BadRequest');
    if (consentType === 'Principal' ? typeof principalId !== 'string' || !ctx.state.users.has(principalId) : principalId !== undefined && principalId !== null) {
        throw badRequest("Property 'principalId' must name a user when consentType is 'Principal', and be null when it is 'AllPrincipals'.", 'Request_BadRequest');
    }
    const all = servicePrincipals(ctx.state);
    const client = all.find(s => s.id === clientId);
    const resource = all.find(s => s.id === resourceId);
    if (!client) throw notFound(clientId);
    if (!resource) throw notFound(resourceId);
    requireAppAdmin(ctx.state, request.principal, appPermissions.writeGrants, grantsGraphForAll(ctx, resource.id, consentType));
    const scope = cleanScope(body.scope);
    const unknown = scope.split(' ').filter(s => s && !resource.oauth2PermissionScopes.some(p => p.value === s));
    // Stricter than Entra, which stores any string (FIDELITY.md A54): a scope the resource does not offer is refused.
    if (unknown.length) throw badRequest(`The scope '${unknown.join(' ')}' is not offered by resource '${resource.displayName}'.`, 'Request_BadRequest');
    const principal = consentType === 'Principal' ? String(principalId) : null;
    if (permissionGrants(ctx.state).some(g => g.clientId === client.id && g.resourceId === resource.id && g.consentType === consentType && g.principalId === principal)) {
        throw new GraphError(409, 'Request_MultipleObjectsWithSameKeyValue', 'Permission entry already exists.');
    }
    const record: OAuth2PermissionGrantRecord = { id: ctx.newId(), clientId: client.id, consentType, principalId: principal, resourceId: resource.id, scope };
    permissionGrants(ctx.state).push(record);
    return record;
}
