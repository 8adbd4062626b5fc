import type { SandboxContext, SandboxRequest } from '../contracts';
import { findDeletedUser, purgeDeletedUser, restoreDeletedUser } from '../tenant/deletedItems';
import type { CollectionRules } from './collections';
import { listCollection } from './collections';
import { badRequest, denied, notFound } from './errors';
import { read, requirePermission } from './permissions';
import { graphUser, project } from './shapes';
import { requireSensitiveActionRights, write } from './writes';

/**
 * `/directory/deletedItems` for users (microsoft-graph-docs-contrib api-reference/v1.0/api/directory-deleteditems-list.md,
 * -get.md, -restore.md, -delete.md). Deleted groups are not kept by the sandbox: Graph deletes security groups for
 * good ("Deleted security groups are deleted permanently"), and the groups the extension makes are security groups.
 */
const deletedUserRules: CollectionRules = {
    context: 'users',
    filterable: new Set(['id', 'displayName', 'userPrincipalName', 'mail', 'mailNickname', 'employeeType']),
    searchable: new Set(['displayName', 'userPrincipalName', 'mail']),
    // deletedDateTime, displayName and userPrincipalName (list page); ordering on deletedDateTime needs advanced queries.
    orderable: new Set(['displayName', 'userPrincipalName']),
    // Projected here, not in listCollection, so that deletedDateTime joins the user's default set (see listDeletedItems).
    itemType: undefined,
    maxTop: 999,
    defaultTop: 100,
    advancedQueries: false,
};

/** A deleted user as the list and get pages show it: a user with its `deletedDateTime`. */
function deletedShape(ctx: SandboxContext, id: string): Record<string, unknown> | undefined {
    const item = findDeletedUser(ctx.state, id);
    return item ? { ...graphUser(item.user, ctx.state), deletedDateTime: item.deletedDateTime } : undefined;
}

/**
 * GET /directory/deletedItems/microsoft.graph.user. "The OData cast type is a required part of the URI and calling
 * GET /directory/deleteditems without a type is not supported." (list page; the refusal's text is A43.)
 */
export function listDeletedItems(ctx: SandboxContext, request: SandboxRequest, cast: string | undefined): Record<string, unknown> {
    if (!cast) throw badRequest('The OData cast type is a required part of the URI: GET /directory/deletedItems/microsoft.graph.user (or another type).', 'Request_BadRequest');
    if (cast === 'microsoft.graph.group') {
        requirePermission(ctx.state, request.principal, read.groups, false);
        return listCollection(request, [], { ...deletedUserRules, context: 'groups', itemType: 'group' });
    }
    if (cast !== 'microsoft.graph.user') throw badRequest(`The sandbox keeps deleted users only, not '${cast}'.`, 'Request_BadRequest');
    requirePermission(ctx.state, request.principal, read.users, false);
    const items = (ctx.state.deletedUsers ?? []).map(d => deletedShape(ctx, d.user.id)).filter((u): u is Record<string, unknown> => u !== undefined);
    const body = listCollection(request, items, deletedUserRules);
    if (request.url.searchParams.has('$select')) return body;
    // Without $select: the user's default set, and when it was deleted (what an admin needs to pick one to restore).
    return { ...body, value: (body.value as Record<string, unknown>[]).map(u => ({ ...project(u, undefined, 'user'), deletedDateTime: u.deletedDateTime })) };
}

/** GET /directory/deletedItems/{id}. */
export function getDeletedItem(ctx: SandboxContext, request: SandboxRequest, id: string): Record<string, unknown> {
    requirePermission(ctx.state, request.principal, read.users, false);
    const shape = deletedShape(ctx, id);
    if (!shape) throw notFound(id);
    return { '@odata.type': '#microsoft.graph.user', ...shape };
}

/**
 * POST /directory/deletedItems/{id}/restore: 200 with the restored object (restore page). Restoring a user who held
 * a directory role is as sensitive as deleting one (same page: "User.ReadWrite.All … isn't enough privilege to restore
 * deleted users with administrator roles"). A live user with the same UPN blocks it (A43).
 */
export function restoreDeletedItem(ctx: SandboxContext, request: SandboxRequest, id: string): Record<string, unknown> {
    requirePermission(ctx.state, request.principal, write.users, true);
    const item = findDeletedUser(ctx.state, id);
    if (!item) throw notFound(id);
    requireSensitiveActionRights(ctx, request, item.user, item.roleAssignments.map(a => a.roleDefinitionId));
    const outcome = restoreDeletedUser(ctx.state, id);
    if ('conflictingUserPrincipalName' in outcome) throw badRequest('Another object with the same value for property userPrincipalName already exists.', 'Request_BadRequest');
    if ('notFound' in outcome) throw notFound(id);
    return { '@odata.type': '#microsoft.graph.user', ...project(graphUser(outcome.restored, ctx.state), undefined, 'user') };
}

/**
 * DELETE /directory/deletedItems/{id}: 204, and the user cannot come back. For users the delete page lists
 * User.ReadWrite.All delegated and "Not supported." for application permissions: an app-only caller is refused.
 */
export function purgeDeletedItem(ctx: SandboxContext, request: SandboxRequest, id: string): void {
    if (request.principal.kind === 'application') throw denied();
    requirePermission(ctx.state, request.principal, ['User.ReadWrite.All'], true);
    if (!purgeDeletedUser(ctx.state, id)) throw notFound(id);
}
