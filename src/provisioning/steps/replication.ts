import { abortableSleep } from '../../net/RequestPolicy';

export interface ReplicationWait {
    /** What is being waited for, in the admin's words: "Exchange to see svc@contoso.com". */
    what: string;
    /** Longest wait before giving up; the guides say Exchange may take up to 30 minutes. */
    timeoutMs?: number;
    signal?: AbortSignal;
    /** Called before each pause, so the UI can say how long it has waited. */
    onWait?: (message: string) => void;
    sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Tries `attempt` until it no longer fails with a "not there yet" error, backing off 2, 4, 8… seconds up to a minute
 * between tries. A new object reaches role management and Exchange minutes after Graph has it (DESIGN.md §1).
 * Exchange's "not found" for a new object reads exactly like the one for a missing object, so `notYet` is the
 * caller's judgement from what it knows (it has just created the object, or just seen it), not a text to match.
 */
export async function waitForReplication<T>(attempt: () => Promise<T>, notYet: (error: unknown) => boolean, wait: ReplicationWait): Promise<T> {
    const started = Date.now();
    const sleep = wait.sleep ?? abortableSleep;
    for (let n = 1; ; n++) {
        try {
            return await attempt();
        } catch (error) {
            const waited = Date.now() - started;
            if (!notYet(error) || waited >= (wait.timeoutMs ?? 30 * 60_000)) throw error;
            const pause = Math.min(60_000, 1000 * 2 ** n);
            wait.onWait?.(`Waiting for ${wait.what} (replication; ${Math.round(waited / 1000)} s so far, next try in ${pause / 1000} s)…`);
            await sleep(pause, wait.signal);
        }
    }
}
