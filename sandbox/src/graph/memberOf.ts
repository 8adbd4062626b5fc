import type { SandboxContext, SandboxRequest } from '../contracts';
import { groupsWithMember, groupsWithTransitiveMember } from '../tenant/directory';
import { listCollection, type CollectionRules } from './collections';
import { badRequest } from './errors';
import { graphGroup } from './shapes';

/**
 * `GET /users/{id}/memberOf` (the groups that list the user directly) and `/transitiveMemberOf` (also the groups that
 * contain those, at any depth, each once), optionally cast with `/microsoft.graph.group`.
 *
 * Real Graph also lists, in both, the `#microsoft.graph.directoryRole` objects of the activated roles the user holds.
 * The sandbox leaves them out on purpose: the extension reads roles through roleManagement/directory/roleAssignments,
 * and a second view of the same assignments would be one more thing to keep in step. For the same reason a
 * `/microsoft.graph.directoryRole` cast is refused (400) rather than answered with an empty, misleading list.
 */
export function listMemberOf(ctx: SandboxContext, request: SandboxRequest, userId: string, relation: 'memberOf' | 'transitiveMemberOf', cast: string | undefined, rules: (context: string) => CollectionRules): Record<string, unknown> {
    if (cast !== undefined && cast !== 'microsoft.graph.group') throw badRequest(`Resource not found for the segment '${cast}'.`, 'BadRequest');
    const groups = relation === 'memberOf' ? groupsWithMember(ctx.state, userId) : groupsWithTransitiveMember(ctx.state, userId);
    // Cast to groups, the collection's own type needs no @odata.type (OData minimal metadata); uncast, each
    // directoryObject says what it is.
    const objects = groups.map(g => (cast ? graphGroup(g) : { '@odata.type': '#microsoft.graph.group', ...graphGroup(g) }));
    return listCollection(request, objects, rules(cast ? 'groups' : 'directoryObjects'));
}
