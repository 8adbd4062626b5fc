// The wire between a webview panel and its host, shared by both sides (so no `vscode` and no Node here).
//   webview → host: {kind:'ready'} once loaded; {kind:'req',id,method,params}; {kind:'cancel',id} for a stale request
//   host → webview: {kind:'res',id,ok:true,result} | {kind:'res',id,ok:false,error}; {kind:'evt',method,params}

/** A panel's requests: method → the params it takes and the result it answers with. */
export type RequestMap = Record<string, { params: unknown; result: unknown }>;
/** A panel's notifications from the host: method → params. */
export type EventMap = Record<string, unknown>;

/** One type guard per method: the host runs it on every request before a handler touches the tenant. */
export type ParamValidators<R extends RequestMap> = { [M in keyof R]: (params: unknown) => params is R[M]['params'] };

export type ToHost = { kind: 'ready' } | { kind: 'req'; id: number; method: string; params: unknown } | { kind: 'cancel'; id: number };
export type ToWebview = { kind: 'res'; id: number; ok: true; result: unknown } | { kind: 'res'; id: number; ok: false; error: string } | { kind: 'evt'; method: string; params: unknown };

/** The longest method name any panel uses; anything longer is not ours. */
const maxMethodLength = 64;

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** True when `value` is an object with only these keys (some may be absent). */
export function hasOnlyKeys(value: unknown, keys: readonly string[]): value is Record<string, unknown> {
    return isRecord(value) && Object.keys(value).every(k => keys.includes(k));
}

const isId = (id: unknown): id is number => typeof id === 'number' && Number.isSafeInteger(id) && id >= 0;

/** The envelope of a message from the webview, or undefined when it is not one (then it is dropped). */
export function parseToHost(message: unknown): ToHost | undefined {
    if (!isRecord(message)) return undefined;
    switch (message.kind) {
        case 'ready':
            return hasOnlyKeys(message, ['kind']) ? { kind: 'ready' } : undefined;
        case 'cancel':
            return hasOnlyKeys(message, ['kind', 'id']) && isId(message.id) ? { kind: 'cancel', id: message.id } : undefined;
        case 'req':
            if (!hasOnlyKeys(message, ['kind', 'id', 'method', 'params']) || !isId(message.id)) return undefined;
            if (typeof message.method !== 'string' || !message.method || message.method.length > maxMethodLength) return undefined;
            return { kind: 'req', id: message.id, method: message.method, params: message.params };
        default:
            return undefined;
    }
}

/** The envelope of a message from the host (the webview checks it too: it is the only sender, but cheap to be sure). */
export function parseToWebview(message: unknown): ToWebview | undefined {
    if (!isRecord(message)) return undefined;
    if (message.kind === 'evt' && typeof message.method === 'string') return { kind: 'evt', method: message.method, params: message.params };
    if (message.kind !== 'res' || !isId(message.id)) return undefined;
    if (message.ok === true) return { kind: 'res', id: message.id, ok: true, result: message.result };
    return { kind: 'res', id: message.id, ok: false, error: typeof message.error === 'string' ? message.error : 'The request failed.' };
}

/** Refused before any handler ran: the method is not one of the panel's, or its params have the wrong shape. */
export class RequestRefusedError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'RequestRefusedError';
    }
}

/**
 * Checks a request and runs its handler: the one path every request takes, from the webview or from a command's
 * input (the wizard's `submit`), so both get the same checks.
 */
export async function dispatchRequest<R extends RequestMap>(
    validators: ParamValidators<R>,
    handlers: { [M in keyof R]: (params: R[M]['params'], signal: AbortSignal) => Promise<R[M]['result']> },
    method: string,
    params: unknown,
    signal: AbortSignal,
): Promise<unknown> {
    if (!Object.prototype.hasOwnProperty.call(validators, method)) throw new RequestRefusedError(`Unknown request "${method.slice(0, maxMethodLength)}".`);
    const m = method as keyof R & string;
    if (!validators[m](params)) throw new RequestRefusedError(`The request "${m}" has malformed parameters.`);
    return handlers[m](params, signal);
}
