import { createHash } from 'node:crypto';
import type { RequestHandler, SandboxContext, SandboxRequest, SandboxResponse } from '../contracts';
import { listCollection, type CollectionRules } from './collections';
import { GraphError, graphContentType, graphErrorResponse, notFound, badRequest } from './errors';
import { read, requirePermission } from './permissions';
import { conditionalAccessPolicies, securityDefaultsPolicy } from './policies';
import { runBatch } from './batch';
import { applicationRoutes } from './applications';
import { servicePrincipalRoutes } from './servicePrincipals';
import { permissionGrantRoutes } from './permissionGrants';
import { adoptLegacyGrants } from '../tenant/applications';
import { advancedQueryViolation } from './advancedQueries';
import { listMemberOf } from './memberOf';
import { getDeletedItem, listDeletedItems, purgeDeletedItem, restoreDeletedItem } from './deletedItems';
import { purgeExpired } from '../tenant/deletedItems';
import { createEvent, listEvents } from './calendarEvents';
import { createCalendarPermission, getCalendarPermission, listCalendarPermissions, mailboxSettings, updateCalendarPermission, updateMailboxSettings } from './mailboxRoutes';
import { graphDirectoryObject, graphGroup, graphOrganization, graphRoleDefinition, graphSku, graphUser, project } from './shapes';
import { addMember, assignLicense, createGroup, createRoleAssignment, createUser, deleteGroup, deleteRoleAssignment, deleteUser, removeMember, updateGroup, updateUser } from './writes';

const userRules: CollectionRules = {
    context: 'users',
    filterable: new Set(['id', 'displayName', 'userPrincipalName', 'mail', 'mailNickname', 'department', 'jobTitle', 'accountEnabled', 'userType', 'usageLocation', 'givenName', 'surname', 'officeLocation', 'employeeType']),
    searchable: new Set(['displayName', 'userPrincipalName', 'mail', 'mailNickname', 'givenName', 'surname', 'department', 'jobTitle']),
    orderable: new Set(['displayName', 'userPrincipalName']),
    itemType: 'user',
    maxTop: 999,
    defaultTop: 100,
    // Which filters need ConsistencyLevel: eventual and $count=true (employeeType, officeLocation) is in advancedQueries.ts.
    advancedQueries: true,
};
const groupRules: CollectionRules = {
    context: 'groups',
    filterable: new Set(['id', 'displayName', 'mail', 'mailNickname', 'mailEnabled', 'securityEnabled']),
    searchable: new Set(['displayName', 'description', 'mail', 'mailNickname']),
    orderable: new Set(['displayName']),
    itemType: 'group',
    maxTop: 999,
    defaultTop: 100,
    advancedQueries: true,
};
const memberRules = (context: string): CollectionRules => ({ ...userRules, context, filterable: new Set([...userRules.filterable, ...groupRules.filterable]), itemType: undefined });
const simpleRules = (context: string): CollectionRules => ({ context, filterable: new Set(['id', 'displayName', 'templateId', 'isBuiltIn', 'principalId', 'roleDefinitionId']), searchable: new Set(), orderable: new Set(), maxTop: 999, defaultTop: 999, advancedQueries: false });

/**
 * Called with every Graph request the sandbox is sent, and with each request inside a `$batch` (its own method, URL,
 * headers and body, as the client wrote them): the test suites check each against Graph's reference.
 * `pathWithQuery` is after `/graph`, e.g. `/v1.0/users?$top=5`; header names are lower-case.
 */
export type GraphRequestObserver = (method: string, pathWithQuery: string, headers: Readonly<Record<string, string>>, body: unknown) => void;

/**
 * Microsoft Graph v1.0 over the tenant model: the read side of the directory the explorer and the planner use.
 * Paths arrive without the `/graph` prefix, e.g. `/v1.0/users`.
 */
export function createGraphApi(ctx: SandboxContext, onGraphRequest?: GraphRequestObserver): RequestHandler {
    const handle = async (request: SandboxRequest): Promise<SandboxResponse> => {
        try {
            if (request.path.replace(/\/+$/, '') === '/v1.0/$batch' && request.method === 'POST') {
                return { status: 200, headers: { 'content-type': graphContentType, 'request-id': request.requestId }, body: await runBatch(ctx, request, handle) };
            }
            return route(ctx, request);
        } catch (error) {
            if (error instanceof GraphError) return graphErrorResponse(request, error.status, error.code, error.message, ctx.now());
            throw error;
        }
    };
    if (!onGraphRequest) return handle;
    return request => {
        observe(request, onGraphRequest);
        return handle(request);
    };
}

function observe(request: SandboxRequest, onGraphRequest: GraphRequestObserver): void {
    const headers = (given: Record<string, unknown>) => Object.fromEntries(Object.entries(given).filter((e): e is [string, string] => typeof e[1] === 'string').map(([k, v]) => [k.toLowerCase(), v]));
    onGraphRequest(request.method, `${request.path}${request.url.search}`, headers(request.headers), request.body);
    if (request.path.replace(/\/+$/, '') !== '/v1.0/$batch') return;
    const items = (request.body as { requests?: unknown } | undefined)?.requests;
    for (const item of Array.isArray(items) ? (items as { method?: unknown; url?: unknown; headers?: unknown; body?: unknown }[]) : []) {
        if (typeof item.method !== 'string' || typeof item.url !== 'string') continue;
        const own = typeof item.headers === 'object' && item.headers !== null ? (item.headers as Record<string, unknown>) : {};
        onGraphRequest(item.method.toUpperCase(), `/v1.0${item.url.startsWith('/') ? '' : '/'}${item.url}`, headers(own), item.body);
    }
}

const directoryRoleId = (templateId: string) => createHash('sha256').update(`directoryRole/${templateId}`).digest('hex').replace(/^(.{8})(.{4})(.{3})(.{3})(.{12}).*/, '$1-$2-4$3-8$4-$5');

function route(ctx: SandboxContext, request: SandboxRequest): SandboxResponse {
    const { state } = ctx;
    const principal = request.principal;
    const path = decodeURIComponent(request.path.replace(/\/+$/, ''));
    const segments = path.split('/').filter(Boolean);
    if (segments[0] !== 'v1.0') throw badRequest(`Invalid version: ${segments[0] ?? ''}`, 'BadRequest');
    // /me/... is the signed-in user's /users/{id}/... for every method.
    if (segments[1] === 'me' && segments.length > 2 && principal.kind === 'delegated' && principal.userId) {
        return route(ctx, { ...request, path: `/v1.0/users/${principal.userId}/${segments.slice(2).join('/')}` });
    }
    const [collection, id, relation, cast] = segments.slice(1);
    // Entra purges what has been in deleted items for 30 days on its own; the sandbox does it when next asked.
    purgeExpired(state, ctx.now());
    // Registrations a test or an old state file added with the fields of before issue 17 become records first.
    adoptLegacyGrants(state);
    const headers = { 'content-type': graphContentType, 'request-id': request.requestId, 'client-request-id': request.headers['client-request-id'] ?? request.requestId };
    const ok = (body: Record<string, unknown>, status = 200): SandboxResponse => ({ status, headers, body });
    const noContent: SandboxResponse = { status: 204, headers: { 'request-id': request.requestId } };
    // App registrations, service principals and consent (applications.ts, servicePrincipals.ts, permissionGrants.ts).
    const appRoute = applicationRoutes(ctx, request, segments) ?? servicePrincipalRoutes(ctx, request, segments) ?? permissionGrantRoutes(ctx, request, segments);
    if (appRoute) return appRoute;
    if (request.method !== 'GET') {
        const m = request.method;
        const rest = segments.slice(1).join('/');
        const created = (context: string, body: Record<string, unknown>) => ok({ '@odata.context': `${request.url.origin}/graph/v1.0/$metadata#${context}/$entity`, ...body }, 201);
        // The created user comes back with the default properties, as user-post-users.md's example answer shows.
        if (m === 'POST' && rest === 'users') return created('users', project(createUser(ctx, request), undefined, 'user'));
        if (m === 'PATCH' && collection === 'users' && id && !relation) { updateUser(ctx, request, id); return noContent; }
        if (m === 'DELETE' && collection === 'users' && id && !relation) { deleteUser(ctx, request, id); return noContent; }
        if (m === 'POST' && collection === 'directory' && id === 'deletedItems' && relation && cast === 'restore' && segments.length === 5) {
            return ok({ '@odata.context': `${request.url.origin}/graph/v1.0/$metadata#directoryObjects/$entity`, ...restoreDeletedItem(ctx, request, relation) });
        }
        if (m === 'DELETE' && collection === 'directory' && id === 'deletedItems' && relation && !cast) { purgeDeletedItem(ctx, request, relation); return noContent; }
        if (m === 'POST' && collection === 'users' && relation === 'assignLicense') return ok({ '@odata.context': `${request.url.origin}/graph/v1.0/$metadata#users/$entity`, ...assignLicense(ctx, request, id) });
        if (m === 'POST' && collection === 'users' && relation === 'calendar' && cast === 'events' && !segments[5]) return created(`users('${id}')/calendar/events`, { ...createEvent(ctx, request, id) });
        if (m === 'POST' && collection === 'users' && relation === 'calendar' && cast === 'calendarPermissions') return created('users/calendar/calendarPermissions', createCalendarPermission(ctx, request, id));
        if ((m === 'PATCH' || m === 'DELETE') && collection === 'users' && relation === 'calendar' && cast === 'calendarPermissions' && segments[5]) {
            const result = updateCalendarPermission(ctx, request, id, segments[5], m === 'DELETE');
            return result ? ok(result) : noContent;
        }
        if (m === 'POST' && rest === 'groups') return created('groups', createGroup(ctx, request));
        if (m === 'DELETE' && collection === 'groups' && id && !relation) { deleteGroup(ctx, request, id); return noContent; }
        if (m === 'PATCH' && collection === 'groups' && id && !relation) { updateGroup(ctx, request, id); return noContent; }
        if (m === 'PATCH' && collection === 'users' && relation === 'mailboxSettings') return ok({ '@odata.context': `${request.url.origin}/graph/v1.0/$metadata#users('${id}')/mailboxSettings`, ...updateMailboxSettings(ctx, request, id) });
        if (m === 'POST' && collection === 'groups' && relation === 'members' && cast === '$ref') { addMember(ctx, request, id); return noContent; }
        if (m === 'DELETE' && collection === 'groups' && relation === 'members' && segments[5] === '$ref') { removeMember(ctx, request, id, cast); return noContent; }
        if (m === 'POST' && rest === 'roleManagement/directory/roleAssignments') return created('roleManagement/directory/roleAssignments', createRoleAssignment(ctx, request));
        if (m === 'DELETE' && collection === 'roleManagement' && segments[3] === 'roleAssignments' && segments[4]) { deleteRoleAssignment(ctx, request, segments[4]); return noContent; }
        if (m === 'POST' && collection === 'directoryRoles' && relation === 'members' && cast === '$ref') {
            const role = state.roleDefinitions.find(r => directoryRoleId(r.templateId) === id || r.id === id);
            if (!role) throw notFound(id);
            const rawRef = (request.body as Record<string, unknown> | undefined)?.['@odata.id'];
            const ref = typeof rawRef === 'string' ? rawRef : '';
            createRoleAssignment(ctx, { ...request, body: { roleDefinitionId: role.id, principalId: ref.split('/').pop() ?? '', directoryScopeId: '/' } });
            return noContent;
        }
        throw new GraphError(405, 'Request_BadRequest', `${m} is not supported on /${rest}.`);
    }
    // Graph's advanced-query rules (advancedQueries.ts): a list query that needs ConsistencyLevel: eventual (and
    // $count=true) and lacks it is answered 400 before anything is read.
    const advanced = advancedQueryViolation(request.method, request.path, request.url.searchParams, request.headers);
    if (advanced) throw new GraphError(advanced.status, advanced.code, advanced.message);
    const select = request.url.searchParams.get('$select')?.split(',').map(s => s.trim());
    // Without $select a user or group comes back with its type's default properties only (see project in shapes.ts).
    const single = (context: string, item: Record<string, unknown>, type?: string) => ok({ '@odata.context': `${request.url.origin}/graph/v1.0/$metadata#${context}/$entity`, ...project(item, select, type) });
    const findUser = (key: string) => {
        const byId = state.users.get(key);
        if (byId) return byId;
        const upn = key.toLowerCase();
        for (const user of state.users.values()) if (user.userPrincipalName.toLowerCase() === upn) return user;
        throw notFound(key);
    };

    switch (collection) {
        case 'me': {
            if (principal.kind !== 'delegated' || !principal.userId) throw badRequest('/me request is only valid with delegated authentication flow.', 'BadRequest');
            requirePermission(state, principal, read.me, false);
            return single('users', graphUser(findUser(principal.userId)), 'user');
        }
        case 'users': {
            // Calendar and mailbox-settings paths need only their own permissions (Calendars.*, MailboxSettings.*).
            if (relation !== 'calendar' && relation !== 'mailboxSettings') requirePermission(state, principal, read.users, false);
            if (!id) return ok(listCollection(request, mapped(state.users.values(), graphUser), userRules));
            if (id === '$count') return countOnly(request, state.users.size);
            const user = findUser(id);
            if (!relation) return single('users', graphUser(user), 'user');
            if (relation === 'memberOf' || relation === 'transitiveMemberOf') return ok(listMemberOf(ctx, request, user.id, relation, cast, memberRules));
            if (relation === 'calendar' && cast === 'calendarPermissions' && segments[5]) {
                return single(`users('${user.id}')/calendar/calendarPermissions`, getCalendarPermission(ctx, request, user.id, segments[5]));
            }
            if (relation === 'calendar' && cast === 'events' && !segments[5]) return ok(listEvents(ctx, request, user.id));
            if (relation === 'calendar' && cast === 'calendarPermissions') {
                return ok({ '@odata.context': `${request.url.origin}/graph/v1.0/$metadata#users('${user.id}')/calendar/calendarPermissions`, value: listCalendarPermissions(ctx, request, user.id) });
            }
            if (relation === 'mailboxSettings') return ok({ '@odata.context': `${request.url.origin}/graph/v1.0/$metadata#users('${user.id}')/mailboxSettings`, ...mailboxSettings(ctx, request, user.id) });
            if (relation === 'licenseDetails') {
                return ok({ '@odata.context': `${request.url.origin}/graph/v1.0/$metadata#users('${user.id}')/licenseDetails`, value: user.assignedLicenses.map(l => {
                    const sku = state.skus.find(s => s.skuId === l.skuId);
                    return { id: `${l.skuId}`, skuId: l.skuId, skuPartNumber: sku?.skuPartNumber ?? null, servicePlans: (sku?.servicePlans ?? []).map(p => ({ ...p, provisioningStatus: l.disabledPlans.includes(p.servicePlanId) ? 'Disabled' : 'Success' })) };
                }) });
            }
            throw notFound(`${id}/${relation}`);
        }
        case 'groups': {
            requirePermission(state, principal, read.groups, false);
            if (!id) return ok(listCollection(request, mapped(state.groups.values(), graphGroup), groupRules));
            const group = state.groups.get(id);
            if (!group) throw notFound(id);
            if (!relation) return single('groups', graphGroup(group), 'group');
            if (relation === 'members' || relation === 'transitiveMembers') {
                const ids = relation === 'members' ? group.members : transitiveMembers(state, group.id);
                let objects = ids.map(m => graphDirectoryObject(state, m)).filter((o): o is Record<string, unknown> => o !== undefined);
                if (cast === 'microsoft.graph.user') objects = objects.filter(o => o['@odata.type'] === '#microsoft.graph.user');
                else if (cast === 'microsoft.graph.group') objects = objects.filter(o => o['@odata.type'] === '#microsoft.graph.group');
                return ok(listCollection(request, objects, memberRules('directoryObjects')));
            }
            throw notFound(`${id}/${relation}`);
        }
        case 'directoryRoles': {
            requirePermission(state, principal, read.roles, false);
            // Activated roles: those that have at least one member, each with its own id beside the template id.
            const active = state.roleDefinitions.filter(r => state.roleAssignments.some(a => a.roleDefinitionId === r.id));
            const shape = (r: (typeof active)[number]) => ({ id: directoryRoleId(r.templateId), displayName: r.displayName, description: r.description, roleTemplateId: r.templateId });
            if (!id) return ok({ '@odata.context': `${request.url.origin}/graph/v1.0/$metadata#directoryRoles`, value: active.map(shape) });
            const role = active.find(r => directoryRoleId(r.templateId) === id || r.templateId === id);
            if (!role) throw notFound(id);
            if (relation === 'members') {
                const members = state.roleAssignments.filter(a => a.roleDefinitionId === role.id).map(a => graphDirectoryObject(state, a.principalId)).filter((o): o is Record<string, unknown> => o !== undefined);
                return ok(listCollection(request, members, memberRules('directoryObjects')));
            }
            return single('directoryRoles', shape(role));
        }
        case 'directoryRoleTemplates':
            requirePermission(state, principal, read.roles, false);
            return ok({ '@odata.context': `${request.url.origin}/graph/v1.0/$metadata#directoryRoleTemplates`, value: state.roleDefinitions.map(r => ({ id: r.templateId, displayName: r.displayName, description: r.description })) });
        case 'directory': {
            if (id !== 'deletedItems' || cast) throw notFound(path);
            if (!relation || relation.startsWith('microsoft.graph.')) return ok(listDeletedItems(ctx, request, relation));
            const item = getDeletedItem(ctx, request, relation);
            return ok({ '@odata.context': `${request.url.origin}/graph/v1.0/$metadata#directoryObjects/$entity`, ...(select ? project(item, select) : { ...project(item, undefined), deletedDateTime: item.deletedDateTime }) });
        }
        case 'policies':
            if (id === 'identitySecurityDefaultsEnforcementPolicy' && !relation) return ok(securityDefaultsPolicy(ctx, request));
            throw notFound(path);
        case 'identity':
            if (id === 'conditionalAccess' && relation === 'policies' && !cast) return ok(conditionalAccessPolicies(ctx, request));
            throw notFound(path);
        case 'organization':
            requirePermission(state, principal, read.organization, false);
            return ok({ '@odata.context': `${request.url.origin}/graph/v1.0/$metadata#organization`, value: [graphOrganization(state)] });
        case 'domains':
            requirePermission(state, principal, read.domains, false);
            return ok({ '@odata.context': `${request.url.origin}/graph/v1.0/$metadata#domains`, value: state.domains.map(d => ({ ...d, isAdminManaged: true, isRoot: true })) });
        case 'subscribedSkus':
            requirePermission(state, principal, read.skus, false);
            if (request.url.searchParams.has('$filter')) throw badRequest('Query option \'$filter\' is not allowed. To allow it, set the \'AllowedQueryOptions\' property on EnableQueryAttribute or QueryValidationSettings.', 'BadRequest');
            return ok({ '@odata.context': `${request.url.origin}/graph/v1.0/$metadata#subscribedSkus`, value: state.skus.map(sku => graphSku(sku, state.organization.displayName)) });
        case 'roleManagement': {
            requirePermission(state, principal, read.roles, false);
            const what = segments[3];
            if (segments[2] !== 'directory') throw notFound(path);
            if (what === 'roleDefinitions') {
                if (segments[4]) {
                    const role = state.roleDefinitions.find(r => r.id === segments[4] || r.templateId === segments[4]);
                    if (!role) throw notFound(segments[4]);
                    return single('roleManagement/directory/roleDefinitions', graphRoleDefinition(role));
                }
                return ok(listCollection(request, state.roleDefinitions.map(graphRoleDefinition), simpleRules('roleManagement/directory/roleDefinitions')));
            }
            if (what === 'roleAssignments') {
                // $expand=principal and/or roleDefinition, as Graph allows on unifiedRoleAssignment (one request for a role's members).
                const expand = new Set((request.url.searchParams.get('$expand') ?? '').split(',').map(s => s.trim()).filter(Boolean));
                for (const e of expand) if (!['principal', 'roleDefinition', '*'].includes(e)) throw badRequest(`Could not find a property named '${e}' on type 'microsoft.graph.unifiedRoleAssignment'.`, 'BadRequest');
                const all = expand.has('*');
                return ok(listCollection(request, state.roleAssignments.map(a => {
                    const role = state.roleDefinitions.find(r => r.id === a.roleDefinitionId);
                    return {
                        id: a.id, principalId: a.principalId, roleDefinitionId: a.roleDefinitionId, directoryScopeId: a.directoryScopeId,
                        ...(all || expand.has('principal') ? { principal: expandedPrincipal(state, a.principalId) } : {}),
                        ...(all || expand.has('roleDefinition') ? { roleDefinition: role ? graphRoleDefinition(role) : null } : {}),
                    };
                }), simpleRules('roleManagement/directory/roleAssignments')));
            }
            throw notFound(path);
        }
        default:
            throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${collection ?? ''}'.`);
    }
}

/**
 * `$expand=principal` without a nested `$select`: the principal with its type's default properties, as any entity
 * read without `$select` (user-get.md); a role member's accountEnabled or licences are not in it.
 */
function expandedPrincipal(state: SandboxContext['state'], id: string): Record<string, unknown> | null {
    const object = graphDirectoryObject(state, id);
    return object ? project(object, undefined) : null;
}

function* mapped<T>(items: Iterable<T>, shape: (item: T) => Record<string, unknown>): Iterable<Record<string, unknown>> {
    for (const item of items) yield shape(item);
}

/** Members of a group and of every group nested in it, each once. */
export function transitiveMembers(state: SandboxContext['state'], groupId: string): string[] {
    const seen = new Set<string>();
    const visit = (id: string) => {
        for (const member of state.groups.get(id)?.members ?? []) {
            if (seen.has(member)) continue;
            seen.add(member);
            if (state.groups.has(member)) visit(member);
        }
    };
    visit(groupId);
    return [...seen];
}

/** GET /users/$count; without ConsistencyLevel: eventual the request never gets here (advancedQueries.ts). */
function countOnly(request: SandboxRequest, count: number): SandboxResponse {
    return { status: 200, headers: { 'content-type': 'text/plain;charset=utf-8', 'request-id': request.requestId }, body: String(count) };
}
