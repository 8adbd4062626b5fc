import { AsyncLocalStorage } from 'node:async_hooks';

/** One write a client sent while a trail was open: enough for an audit line and for Microsoft support. */
export interface TrailedWrite {
    api: 'graph' | 'exchange';
    /** `POST /users`, `Add-MailboxFolderPermission`: the request, never its body or headers. */
    request: string;
    status: number;
    /** The answer's `request-id` header (Graph and the Exchange admin API both send one), when there was one. */
    requestId?: string;
    /** Object ids the write named or made: GUIDs in the Graph path, the new object's `id`, Exchange's object id. */
    objectIds: string[];
}

/**
 * The writes made while one change runs: what the audit line of that change records (the last write's request id, the
 * object ids involved), on success as well as on failure. Each change opens its own trail (`recordWrites`); the
 * clients add to the trail of the change that called them, found through the async context, so two changes running
 * at once (an apply and a command) never mix their writes. Reads are not recorded.
 */
export class WriteTrail {
    readonly writes: TrailedWrite[] = [];

    /** The request id of the last write that has one: the one to quote to Microsoft about this change. */
    get lastRequestId(): string | undefined {
        for (let i = this.writes.length - 1; i >= 0; i--) if (this.writes[i].requestId) return this.writes[i].requestId;
        return undefined;
    }

    /** Every object id the writes named or made, once each, in order; at most `limit` (a bulk step touches hundreds). */
    objectIds(limit = 20): string[] {
        return [...new Set(this.writes.flatMap(w => w.objectIds))].slice(0, limit);
    }
}

const current = new AsyncLocalStorage<WriteTrail>();

/** Runs `change` with a trail of its own (nested: the inner change's writes go to both). */
export async function recordWrites<T>(change: (trail: WriteTrail) => Promise<T>, trail = new WriteTrail()): Promise<T> {
    const outer = current.getStore();
    return current.run(trail, async () => {
        try {
            return await change(trail);
        } finally {
            if (outer && outer !== trail) outer.writes.push(...trail.writes);
        }
    });
}

/** Called by the clients after a write was answered (not inside the request queue, whose context is another's). */
export function noteWrite(write: TrailedWrite): void {
    current.getStore()?.writes.push(write);
}

const guid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Object ids in a Graph path: `/users/{id}/assignLicense`, `/groups/{id}/members/{id}/$ref`. */
export function guidsIn(text: string): string[] {
    return (text.match(guid) ?? []).map(g => g.toLowerCase());
}
