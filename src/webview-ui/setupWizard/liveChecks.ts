import { RequestCancelledError, type PendingRequest } from '../shared/rpcClient';
import type { FieldCheck } from '../../webviews/setupWizard/protocol';

/** A field's check as the form shows it: waiting for the tenant, or its answer. */
export type ShownCheck = { state: 'pending'; message: string } | { state: 'ok' | 'warning' | 'error'; message: string };

export const shown = (check: FieldCheck): ShownCheck => ({ state: !check.ok ? 'error' : check.warning ? 'warning' : 'ok', message: check.message });

/** How long typing must pause before the tenant is asked: a check per word, not per key. */
const debounceMs = 350;

/**
 * Live checks, one line of answer per key: each new value waits for typing to pause, then cancels the check still
 * running for an older value (its answer would be stale) and asks the host.
 */
export class LiveChecks<K extends string> {
    private readonly timers = new Map<K, ReturnType<typeof setTimeout>>();
    private readonly running = new Map<K, PendingRequest<FieldCheck>>();

    constructor(private readonly onChange: (key: K, check: ShownCheck | undefined) => void) {}

    /** Checks `key` soon; `run` undefined clears it (the field is not in use). */
    schedule(key: K, run: (() => PendingRequest<FieldCheck>) | undefined, immediately = false): void {
        clearTimeout(this.timers.get(key));
        this.running.get(key)?.cancel();
        this.running.delete(key);
        if (!run) {
            this.onChange(key, undefined);
            return;
        }
        this.onChange(key, { state: 'pending', message: 'Checking against the tenant…' });
        const start = () => {
            this.timers.delete(key);
            const request = run();
            this.running.set(key, request);
            request.result.then(
                check => {
                    if (this.running.get(key) !== request) return;
                    this.running.delete(key);
                    this.onChange(key, shown(check));
                },
                (error: unknown) => {
                    if (error instanceof RequestCancelledError || this.running.get(key) !== request) return;
                    this.running.delete(key);
                    this.onChange(key, { state: 'error', message: `Could not check: ${error instanceof Error ? error.message : String(error)}` });
                },
            );
        };
        if (immediately) start();
        else this.timers.set(key, setTimeout(start, debounceMs));
    }
}
