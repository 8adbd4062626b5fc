/** A Graph error answer, typed: what failed, Graph's code and message, and the request id support asks for. */
export class GraphRequestError extends Error {
    constructor(
        readonly status: number,
        readonly code: string,
        message: string,
        readonly requestId: string | undefined,
        readonly method: string,
        readonly path: string,
    ) {
        super(message);
        this.name = 'GraphRequestError';
    }

    /** 403 Authorization_RequestDenied: the token lacks the permission, or the signed-in admin's role does. */
    get isInsufficientPrivileges(): boolean {
        return this.status === 403 && this.code === 'Authorization_RequestDenied';
    }

    get isNotFound(): boolean {
        return this.status === 404;
    }

    get isThrottled(): boolean {
        return this.status === 429;
    }
}

/** Reads Graph's `{ error: { code, message, innerError: { request-id } } }` body into a typed error. */
export function graphErrorFrom(status: number, body: unknown, requestIdHeader: string | undefined, method: string, path: string): GraphRequestError {
    const error = (body as { error?: { code?: string; message?: string; innerError?: Record<string, string> } } | undefined)?.error;
    const requestId = error?.innerError?.['request-id'] ?? requestIdHeader;
    return new GraphRequestError(status, error?.code ?? `Http${status}`, error?.message ?? `Microsoft Graph answered ${status}.`, requestId, method, path);
}
