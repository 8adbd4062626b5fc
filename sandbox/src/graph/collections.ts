import type { SandboxRequest } from '../contracts';
import { badRequest } from './errors';
import { countRequested } from './advancedQueries';
import { compileFilter, compileSearch, FilterError } from './odata';
import { project } from './shapes';

export interface CollectionRules {
    /** `@odata.context` suffix, e.g. `users`. */
    context: string;
    filterable: ReadonlySet<string>;
    searchable: ReadonlySet<string>;
    orderable: ReadonlySet<string>;
    /** The items' type (`user`) when they carry no `@odata.type`: without `$select`, its default properties come back. */
    itemType?: string;
    maxTop: number;
    defaultTop: number;
    /**
     * Directory objects: `$count=true` counts only with ConsistencyLevel: eventual (without it Graph ignores it). The
     * other advanced-query rules are checked for every request before it gets here (advancedQueries.ts).
     */
    advancedQueries: boolean;
}

/**
 * Answers a GET on a collection the way Graph does: $filter, $search and $count (with ConsistencyLevel: eventual),
 * $orderby where allowed, $select, $top and an opaque skiptoken in @odata.nextLink.
 */
export function listCollection(request: SandboxRequest, items: Iterable<Record<string, unknown>>, rules: CollectionRules): Record<string, unknown> {
    const q = request.url.searchParams;
    const top = q.has('$top') ? Number(q.get('$top')) : rules.defaultTop;
    if (!Number.isInteger(top) || top < 1 || top > rules.maxTop) {
        throw badRequest(`Invalid page size specified: '${q.get('$top') ?? ''}'. Must be between 1 and ${rules.maxTop} inclusive.`, 'Request_UnsupportedQuery');
    }
    let predicate: ((item: Record<string, unknown>) => boolean) | undefined;
    try {
        const filter = q.get('$filter');
        const search = q.get('$search');
        const f = filter ? compileFilter(filter, rules.filterable) : undefined;
        const s = search ? compileSearch(search, rules.searchable) : undefined;
        predicate = f && s ? item => f(item) && s(item) : (f ?? s);
    } catch (error) {
        if (error instanceof FilterError) throw badRequest(`Invalid filter clause: ${error.message}`, 'BadRequest');
        throw error;
    }
    const orderBy = q.get('$orderby');
    let ordered: Record<string, unknown>[] | undefined;
    if (orderBy) {
        const [prop, dir] = orderBy.trim().split(/\s+/);
        if (!rules.orderable.has(prop)) throw badRequest('Sorting not supported for current query.', 'Request_UnsupportedQuery');
        const sign = dir?.toLowerCase() === 'desc' ? -1 : 1;
        // Graph does not document its collation; case-insensitive order is what its answers show. Keys are made once
        // per item and compared as plain strings: a locale-aware compare takes seconds on a 100,000-user tenant, and
        // the Users folder sorts every page.
        const keyed = [...items].filter(i => !predicate || predicate(i)).map(item => ({ item, key: typeof item[prop] === 'string' ? item[prop].toLowerCase() : '' }));
        keyed.sort((a, b) => sign * (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        ordered = keyed.map(k => k.item);
    }
    // The skiptoken is the position in the (stable) result order, base64url-wrapped so clients treat it as opaque.
    const skip = q.has('$skiptoken') ? decodeSkipToken(q.get('$skiptoken') ?? '') : 0;
    const page: Record<string, unknown>[] = [];
    let matched = 0;
    let more = false;
    let total = 0;
    // aad-advanced-queries.md, "Error handling": without the header Graph "silently ignores the $count query parameter".
    const wantCount = rules.advancedQueries ? countRequested(q, request.headers) : q.get('$count') === 'true';
    for (const item of ordered ?? items) {
        if (predicate && !ordered && !predicate(item)) continue;
        if (matched >= skip && page.length < top) page.push(item);
        else if (matched >= skip + top) {
            more = true;
            if (!wantCount) break;
        }
        matched++;
        total = matched;
    }
    const select = q.get('$select')?.split(',').map(s => s.trim()).filter(Boolean);
    const origin = request.url.origin;
    const body: Record<string, unknown> = { '@odata.context': `${origin}/graph/v1.0/$metadata#${rules.context}${q.has('$select') ? `(${q.get('$select') ?? ''})` : ''}` };
    if (wantCount) body['@odata.count'] = total;
    if (more) {
        const next = new URL(request.url.href);
        next.searchParams.set('$skiptoken', encodeSkipToken(skip + top));
        body['@odata.nextLink'] = next.href;
    }
    body.value = page.map(item => project(item, select, rules.itemType));
    return body;
}

function encodeSkipToken(position: number): string {
    return Buffer.from(`RFNwdAIAAQAAAB:${position}:sandbox`).toString('base64url');
}

function decodeSkipToken(token: string): number {
    const match = /:(\d+):sandbox$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!match) throw badRequest("Invalid value for '$skiptoken' query parameter.", 'Request_UnsupportedQuery');
    return Number(match[1]);
}
