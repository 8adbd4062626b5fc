import type { SandboxRequest, SandboxResponse } from '../contracts';

/** Graph's JSON content type, as Graph sends it. */
export const graphContentType = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export class GraphError extends Error {
    constructor(readonly status: number, readonly code: string, message: string) {
        super(message);
    }
}

/** Graph's error body: code, message and innerError with the request id and date. */
export function graphErrorResponse(request: Pick<SandboxRequest, 'requestId' | 'headers'>, status: number, code: string, message: string, nowMs: number): SandboxResponse {
    const clientRequestId = request.headers['client-request-id'] ?? request.requestId;
    return {
        status,
        headers: { 'content-type': graphContentType, 'request-id': request.requestId, 'client-request-id': clientRequestId },
        body: { error: { code, message, innerError: { date: new Date(nowMs).toISOString().replace(/\.\d+Z$/, ''), 'request-id': request.requestId, 'client-request-id': clientRequestId } } },
    };
}

export const notFound = (id: string) => new GraphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
export const denied = () => new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
export const badRequest = (message: string, code = 'BadRequest') => new GraphError(400, code, message);
