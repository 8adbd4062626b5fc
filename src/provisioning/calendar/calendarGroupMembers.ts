// The mailboxes a grant works on: the users in a group and in every group nested in it, read from Graph.

import type { GraphClient } from '../../graph/GraphClient';
import type { CalendarGrantMember } from './calendarGrantTypes';

// Group.Read.All (asked for at sign-in) also reads transitive members: a grant asks for no extra Graph consent.
export const groupReadScopes = ['Group.Read.All'];

/**
 * Users in the group and in every group nested in it, each once, handed on a page at a time (with the total Graph
 * counted, on the first page). The `microsoft.graph.user` cast is an advanced query: Graph refuses it without
 * ConsistencyLevel: eventual and $count=true (group-list-transitivemembers.md).
 */
export async function listMembers(graph: GraphClient, groupId: string, signal: AbortSignal | undefined, count: () => void, onPage: (members: CalendarGrantMember[], total: number | undefined) => void): Promise<void> {
    await listPages(graph, `/groups/${encodeURIComponent(groupId.trim())}/transitiveMembers/microsoft.graph.user?$select=id,displayName,userPrincipalName,mail&$top=999&$count=true`, signal, count, onPage);
}

/**
 * Every user with a mail address who is NOT in the group or a group nested in it: the group's members are read first
 * (their ids only), then the tenant's users page by page. A user without a mail address has no calendar to look at.
 */
export async function listOutsideMembers(graph: GraphClient, groupId: string, signal: AbortSignal | undefined, count: () => void, onPage: (members: CalendarGrantMember[], total: number | undefined) => void): Promise<void> {
    const inside = new Set<string>();
    await listMembers(graph, groupId, signal, count, page => { for (const m of page) inside.add(m.userId); });
    await listPages(graph, '/users?$select=id,displayName,userPrincipalName,mail&$top=999', signal, count, page => onPage(page, undefined), false, user => Boolean(user.mail) && !inside.has(user.id));
}

/** `advanced`: the transitive-member cast, which needs ConsistencyLevel; `keep`: which users of a page are wanted. */
async function listPages(graph: GraphClient, first: string, signal: AbortSignal | undefined, count: () => void, onPage: (members: CalendarGrantMember[], total: number | undefined) => void, advanced = true, keep: (user: { id: string; mail?: string | null }) => boolean = () => true): Promise<void> {
    type Page = { value: { id: string; displayName?: string | null; userPrincipalName?: string | null; mail?: string | null }[]; '@odata.nextLink'?: string; '@odata.count'?: number };
    const seen = new Set<string>();
    const call = { scopes: advanced ? groupReadScopes : ['User.Read.All'], ...(advanced ? { headers: { ConsistencyLevel: 'eventual' } } : {}), ...(signal ? { signal } : {}) };
    let next: string | undefined = first;
    while (next) {
        count();
        const page: Page = await graph.get<Page>(next, call);
        const fresh = page.value.filter(user => keep(user) && !seen.has(user.id) && seen.add(user.id));
        onPage(fresh.map(user => ({ userId: user.id, userPrincipalName: user.userPrincipalName ?? user.mail ?? '', displayName: user.displayName ?? user.userPrincipalName ?? user.id, ...(user.mail ? { mail: user.mail } : {}) })), page['@odata.count']);
        next = page['@odata.nextLink'];
    }
}

/**
 * The members listed page by page WHILE the first mailboxes are worked on: a group of 100,000 is a hundred Graph
 * pages, and waiting for all of them would hold every Exchange command back for that long. `arrival` settles when
 * a page (or the end) arrives; `stop` ends the listing when the run stops early (its pages would be read for nothing).
 */
export class BackgroundMemberListing {
    /** Every page has been read (a stopped listing never is). */
    listed = false;
    /** Why the listing failed, when it did (not set for a stop). */
    error: Error | undefined;
    readonly done: Promise<void>;
    private readonly stopper = new AbortController();
    private arrived: () => void = () => undefined;
    private next = this.nextArrival();

    constructor(
        graph: GraphClient,
        groupId: string,
        outsideGroup: boolean,
        signal: AbortSignal | undefined,
        countRequest: () => void,
        onPage: (members: CalendarGrantMember[], total: number | undefined) => void,
        onEnd: () => void,
    ) {
        const listingSignal = signal ? AbortSignal.any([signal, this.stopper.signal]) : this.stopper.signal;
        this.done = (outsideGroup ? listOutsideMembers : listMembers)(graph, groupId, listingSignal, countRequest, (page, total) => {
            onPage(page, total);
            this.announce();
        })
            .catch((error: unknown) => {
                if (!this.stopper.signal.aborted) this.error = error instanceof Error ? error : new Error(String(error));
            })
            .finally(() => {
                if (!this.stopper.signal.aborted) this.listed = true;
                onEnd();
                this.arrived();
            });
    }

    /** Settles when the next page arrives or the listing ends. */
    get arrival(): Promise<void> {
        return this.next;
    }

    stop(): void {
        this.stopper.abort();
    }

    private announce(): void {
        this.arrived();
        this.next = this.nextArrival();
    }

    private nextArrival(): Promise<void> {
        return new Promise<void>(resolve => (this.arrived = resolve));
    }
}
