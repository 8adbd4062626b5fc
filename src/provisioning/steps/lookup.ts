import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import { groupSelect, userSelect } from '../../graph/directory';
import type { GraphClient } from '../../graph/GraphClient';
import { GraphRequestError } from '../../graph/GraphRequestError';
import { advancedQueryHeaders, filterEquals, filterParam } from '../../graph/odata';
import { AmbiguousNameError, ProvisioningInputError } from '../errors';

type Signal = { signal?: AbortSignal };

/**
 * A user by UPN or object id, or by exact display name. Nobody → an error saying so; several people with that name
 * → AmbiguousNameError with all of them, for the caller to ask (never a guess).
 */
export async function resolveUser(graph: GraphClient, typed: string, o: Signal = {}): Promise<MicrosoftGraph.User> {
    const key = typed.trim();
    if (!key) throw new ProvisioningInputError('Enter a user: a user principal name such as adelev@contoso.com, or a display name.', 'user');
    if (key.includes('@') || /^[0-9a-f-]{36}$/i.test(key)) {
        const user = await userIfAny(graph, key, o);
        if (!user) throw new ProvisioningInputError(`There is no user ${key} in this tenant. Check the spelling, or search by name.`, 'user');
        return user;
    }
    const found = await graph.get<{ value: MicrosoftGraph.User[] }>(`/users?${filterParam(filterEquals('displayName', key))}&$select=${userSelect}&$top=20`, { scopes: ['User.Read.All'], ...o });
    if (found.value.length === 1) return found.value[0];
    if (found.value.length > 1) throw new AmbiguousNameError(key, found.value, 'users');
    throw new ProvisioningInputError(`No user is called "${key}". Use the user principal name, or search for the person in the Directory view.`, 'user');
}

/** The user with this UPN or object id, or undefined when there is none (Graph answers 404). */
export async function userIfAny(graph: GraphClient, upnOrId: string, o: Signal = {}): Promise<MicrosoftGraph.User | undefined> {
    try {
        return await graph.get<MicrosoftGraph.User>(`/users/${encodeURIComponent(upnOrId.trim())}?$select=${userSelect}`, { scopes: ['User.Read.All'], ...o });
    } catch (error) {
        if (error instanceof GraphRequestError && error.isNotFound) return undefined;
        throw error;
    }
}

/** A group by object id or exact display name, with the same rules as resolveUser. */
export async function resolveGroup(graph: GraphClient, typed: string, o: Signal = {}): Promise<MicrosoftGraph.Group> {
    const key = typed.trim();
    if (!key) throw new ProvisioningInputError('Enter a group name, such as Staff.', 'group');
    if (/^[0-9a-f-]{36}$/i.test(key)) {
        try {
            return await graph.get<MicrosoftGraph.Group>(`/groups/${key}?$select=${groupSelect}`, { scopes: ['Group.Read.All'], ...o });
        } catch (error) {
            if (error instanceof GraphRequestError && error.isNotFound) throw new ProvisioningInputError(`There is no group with id ${key}.`, 'group');
            throw error;
        }
    }
    const found = await graph.get<{ value: MicrosoftGraph.Group[] }>(`/groups?${filterParam(filterEquals('displayName', key))}&$select=${groupSelect}&$top=20`, { scopes: ['Group.Read.All'], ...o });
    if (found.value.length === 1) return found.value[0];
    if (found.value.length > 1) throw new AmbiguousNameError(key, found.value, 'groups');
    throw new ProvisioningInputError(`No group is called "${key}". Check the name in the Directory view's Groups folder.`, 'group');
}

/**
 * The users in a group and its nested groups, each counted once, and how many of them have a mail address. The
 * `microsoft.graph.user` cast is an advanced query: Graph refuses it without ConsistencyLevel: eventual and
 * $count=true (group-list-transitivemembers.md).
 */
export async function countTransitiveUsers(graph: GraphClient, groupId: string, o: Signal = {}): Promise<{ users: number; withMail: number }> {
    const users = new Set<string>();
    const withMail = new Set<string>();
    for await (const page of graph.pages<Pick<MicrosoftGraph.User, 'id' | 'mail'>>(`/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user?$select=id,mail&$top=999&$count=true`, { scopes: ['Group.Read.All'], headers: advancedQueryHeaders, ...o })) {
        for (const user of page) {
            if (!user.id) continue;
            users.add(user.id);
            if (user.mail) withMail.add(user.id);
        }
    }
    return { users: users.size, withMail: withMail.size };
}
