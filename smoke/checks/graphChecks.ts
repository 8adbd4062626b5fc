import type { GraphRequestError } from '../../src/graph/GraphRequestError';
import type { ListPage } from '../../src/graph/directoryPages';
import { agrees, differs, notChecked, type SmokeCheck, type SmokeContext, type Verdict } from '../context';

const eventual = { ConsistencyLevel: 'eventual' };

/** A folder's first page as the Directory view reads it (src/graph/directoryPages.ts). */
const folder = (name: string, read: (ctx: SmokeContext) => Promise<ListPage<unknown>>): SmokeCheck => ({
    ref: 'GQ1',
    name: `${name} folder: first page`,
    run: async ctx => {
        const page = await ctx.observe(`folder:${name}`, () => read(ctx));
        return agrees(`${page.items.length} items${page.nextLink ? ', and a next link' : ''}`);
    },
});

/** Graph's answer to a GET, as status and error code, whatever it was. */
async function answer(ctx: SmokeContext, path: string, scopes: string[], headers: Record<string, string> = {}): Promise<{ status: number; code?: string; message?: string; body?: Record<string, unknown> }> {
    try {
        return { status: 200, body: await ctx.graph.get<Record<string, unknown>>(path, { scopes, headers }) };
    } catch (error) {
        const e = error as GraphRequestError;
        if (typeof e.status !== 'number') throw error;
        return { status: e.status, code: e.code, message: e.message };
    }
}

/** A group to run the member queries on: the first of the groups folder's page. */
async function someGroup(ctx: SmokeContext): Promise<string | undefined> {
    const page = await ctx.observe('folder:Groups', () => ctx.directory.groups());
    return (page.items[0] as { id?: string } | undefined)?.id;
}

const refused = (a: { status: number; code?: string; message?: string }, what: string): Verdict =>
    a.status === 400 && a.code === 'Request_UnsupportedQuery' ? agrees(`400 Request_UnsupportedQuery: ${a.message ?? ''}`) : differs(`${what} answered ${a.status}${a.code ? ` ${a.code}` : ''}${a.message ? `: ${a.message}` : ''}`);

/** user-get.md / user-list.md: without $select, these and only these. */
const defaultUserProperties = ['businessPhones', 'displayName', 'givenName', 'id', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName'];

export const graphChecks: SmokeCheck[] = [
    folder('Users', ctx => ctx.directory.users()),
    folder('Groups', ctx => ctx.directory.groups()),
    folder('Directory roles', ctx => ctx.directory.roleDefinitions()),
    folder('Licences', ctx => ctx.directory.subscribedSkus()),
    {
        ref: 'GQ2',
        name: 'a user without $select has the default property set',
        run: async ctx => {
            const a = await answer(ctx, '/users?$top=1', ['User.Read.All']);
            const user = (a.body?.value as Record<string, unknown>[] | undefined)?.[0];
            if (!user) return a.status === 200 ? notChecked('the tenant listed no user') : differs(`GET /users?$top=1 answered ${a.status}`);
            const keys = Object.keys(user).filter(k => !k.startsWith('@'));
            const extra = keys.filter(k => !defaultUserProperties.includes(k));
            const missing = defaultUserProperties.filter(k => !keys.includes(k));
            return extra.length || missing.length ? differs(`${extra.length ? `extra: ${extra.join(', ')}` : ''}${extra.length && missing.length ? '; ' : ''}${missing.length ? `missing: ${missing.join(', ')}` : ''}`) : agrees(defaultUserProperties.join(', '));
        },
    },
    {
        ref: 'GQ2b',
        name: "a group's members carry only their own type's properties (with and without $select)",
        run: async ctx => {
            const groups = (await ctx.observe('folder:Groups', () => ctx.directory.groups())).items as { id: string }[];
            // The first few groups, until one has a nested group among its first members: a mixed collection to look at.
            for (const group of groups.slice(0, 5)) {
                const a = await answer(ctx, `/groups/${group.id}/members?$top=20`, ['Group.Read.All']);
                const items = (a.body?.value ?? []) as Record<string, unknown>[];
                const nested = items.filter(i => i['@odata.type'] === '#microsoft.graph.group');
                if (!nested.length) continue;
                // And with a $select naming a user-only property: Graph leaves it out of group items rather than send null.
                const selected = await answer(ctx, `/groups/${group.id}/members?$top=20&$select=id,displayName,userPrincipalName`, ['Group.Read.All']);
                const selectedGroups = ((selected.body?.value ?? []) as Record<string, unknown>[]).filter(i => i['@odata.type'] === '#microsoft.graph.group');
                const userOnly = [...nested, ...selectedGroups].flatMap(i => Object.keys(i).filter(k => ['userPrincipalName', 'givenName', 'surname', 'jobTitle', 'mobilePhone', 'officeLocation', 'businessPhones'].includes(k)));
                return userOnly.length ? differs(`group items carry ${[...new Set(userOnly)].join(', ')}`) : agrees(`${nested.length} group items without user properties, with and without $select`);
            }
            return notChecked('none of the first five groups has a group among its first members');
        },
    },
    {
        ref: 'GQ3',
        name: 'transitiveMembers/microsoft.graph.user with ConsistencyLevel and $count',
        run: async ctx => {
            const group = await someGroup(ctx);
            if (!group) return notChecked('the tenant listed no group');
            const a = await answer(ctx, `/groups/${group}/transitiveMembers/microsoft.graph.user?$count=true&$select=id&$top=5`, ['Group.Read.All'], eventual);
            if (a.status !== 200) return differs(`answered ${a.status} ${a.code ?? ''}: ${a.message ?? ''}`);
            return typeof a.body?.['@odata.count'] === 'number' ? agrees(`200, @odata.count ${String(a.body['@odata.count'])}`) : differs('200 without @odata.count');
        },
    },
    {
        ref: 'GQ4',
        name: 'the same cast without ConsistencyLevel and $count is refused',
        run: async ctx => {
            const group = await someGroup(ctx);
            if (!group) return notChecked('the tenant listed no group');
            return refused(await answer(ctx, `/groups/${group}/transitiveMembers/microsoft.graph.user?$select=id&$top=5`, ['Group.Read.All']), 'the cast without the advanced parameters');
        },
    },
    {
        ref: 'GQ5',
        name: 'a ne filter without ConsistencyLevel and $count is refused',
        run: async ctx => refused(await answer(ctx, `/users?$filter=${encodeURIComponent('accountEnabled ne false')}&$select=id&$top=1`, ['User.Read.All']), 'ne without the advanced parameters'),
    },
    {
        ref: 'GQ7',
        name: '$search without ConsistencyLevel is refused with Graph\'s text',
        run: async ctx => {
            const a = await answer(ctx, `/users?$search=${encodeURIComponent('"displayName:a"')}&$select=id&$top=1`, ['User.Read.All']);
            const text = "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'";
            return a.status === 400 && a.code === 'Request_UnsupportedQuery' && a.message === text ? agrees(`400 Request_UnsupportedQuery: ${text}`) : differs(`answered ${a.status} ${a.code ?? ''}: ${a.message ?? ''}`);
        },
    },
    {
        ref: 'GQ6',
        name: '$count=true without ConsistencyLevel is ignored, not refused',
        run: async ctx => {
            const a = await answer(ctx, '/users?$count=true&$select=id&$top=1', ['User.Read.All']);
            return a.status === 200 ? agrees(`200${a.body?.['@odata.count'] === undefined ? ', no @odata.count' : ', with @odata.count'}`) : differs(`answered ${a.status} ${a.code ?? ''}: ${a.message ?? ''}`);
        },
    },
];
