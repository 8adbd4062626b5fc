import type { SandboxRequest, SandboxResponse } from '../contracts';
import { graphContentType } from './errors';

/** Graph's answers with its headers: a JSON body (with `@odata.context` when given), or 204 with none. */
export function answer(request: SandboxRequest, status: number, body?: Record<string, unknown>, context?: string): SandboxResponse {
    if (status === 204 || body === undefined) return { status: 204, headers: { 'request-id': request.requestId } };
    const headers = { 'content-type': graphContentType, 'request-id': request.requestId, 'client-request-id': request.headers['client-request-id'] ?? request.requestId };
    return { status, headers, body: context ? { '@odata.context': `${request.url.origin}/graph/v1.0/$metadata#${context}`, ...body } : body };
}

export type Body = Record<string, unknown>;

export const bodyOf = (request: SandboxRequest): Body => (request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Body) : {});

/** `applications(appId='…')` → the appId; undefined for any other segment. */
export function alternateKey(segment: string | undefined, name: string): string | undefined {
    const match = new RegExp(`^${name}\\(appId='([^']*)'\\)$`).exec(segment ?? '');
    return match ? match[1] : undefined;
}
