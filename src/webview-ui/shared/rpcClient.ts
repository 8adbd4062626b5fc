import { parseToWebview, type EventMap, type RequestMap, type ToHost } from '../../webviews/rpc';
import type { VsCodeApi } from './vscodeApi';

/** A request on its way: its answer, and a way to say it is no longer wanted (the host aborts it). */
export interface PendingRequest<T> {
    readonly result: Promise<T>;
    cancel(): void;
}

/** Thrown into a cancelled request's promise; callers that cancelled ignore it. */
export class RequestCancelledError extends Error {
    constructor() {
        super('Cancelled');
        this.name = 'RequestCancelledError';
    }
}

/**
 * The page's side of the typed protocol: requests matched to answers by id, notifications by method. Says `ready`
 * once listening, so the host knows its messages will be received.
 */
export class RpcClient<R extends RequestMap, E extends EventMap> {
    private nextId = 1;
    private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
    private readonly listeners: { [M in keyof E]?: ((params: E[M]) => void)[] } = {};

    constructor(private readonly api: VsCodeApi<unknown>) {
        window.addEventListener('message', (event: MessageEvent) => this.receive(event.data));
        this.post({ kind: 'ready' });
    }

    request<M extends keyof R & string>(method: M, params: R[M]['params']): PendingRequest<R[M]['result']> {
        const id = this.nextId++;
        const result = new Promise<R[M]['result']>((resolve, reject) => {
            this.pending.set(id, { resolve, reject });
        });
        this.post({ kind: 'req', id, method, params });
        return {
            result,
            cancel: () => {
                const waiting = this.pending.get(id);
                if (!waiting) return;
                this.pending.delete(id);
                this.post({ kind: 'cancel', id });
                waiting.reject(new RequestCancelledError());
            },
        };
    }

    on<M extends keyof E>(method: M, listener: (params: E[M]) => void): void {
        (this.listeners[method] ??= []).push(listener);
    }

    private post(message: ToHost): void {
        this.api.postMessage(message);
    }

    private receive(data: unknown): void {
        const message = parseToWebview(data);
        if (!message) return;
        if (message.kind === 'evt') {
            for (const listener of this.listeners[message.method as keyof E] ?? []) listener(message.params as E[keyof E]);
            return;
        }
        const waiting = this.pending.get(message.id);
        if (!waiting) return;
        this.pending.delete(message.id);
        if (message.ok) waiting.resolve(message.result);
        else waiting.reject(new Error(message.error));
    }
}
