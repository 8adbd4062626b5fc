import * as fs from 'node:fs';
import * as path from 'node:path';
import { OpenAPIBackend, type Document } from 'openapi-backend';
import addFormats from 'ajv-formats';

/**
 * Validates Graph requests and responses against Microsoft's published Graph v1.0 description (../shared/graph-reference).
 * openapi-backend loses the `{group-id}` parameter on `.../members/$ref` paths because `$` is not escaped, so the
 * literal `/$ref` segment is renamed to `/_ref` in the document and in the paths checked (the reference README's advice).
 */
const referencePath = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'graph-reference', 'graph-v1.0-subset.json');

let backend: OpenAPIBackend | undefined;

async function api(): Promise<OpenAPIBackend> {
    if (backend) return backend;
    const text = fs.readFileSync(referencePath, 'utf8').replace(/\/\$ref"/g, '/_ref"');
    const definition = JSON.parse(text) as Document;
    const created = new OpenAPIBackend({
        definition,
        quick: false,
        validate: true,
        strict: false,
        customizeAjv: ajv => {
            addFormats(ajv);
            for (const format of ['base64url', 'uint8', 'int8', 'int16', 'decimal']) ajv.addFormat(format, true);
            return ajv;
        },
    });
    await created.init();
    backend = created;
    return created;
}

function normalise(pathWithQuery: string): { path: string; query: string } {
    const url = new URL(pathWithQuery, 'https://graph.microsoft.com');
    // /me is Graph's alias for the signed-in user; the reference describes the /users/{user-id} form.
    const p = url.pathname.replace(/^\/graph/, '').replace(/^\/v1\.0/, '').replace(/^\/me\//, '/users/me/').replace(/\/\$ref$/, '/_ref');
    return { path: p, query: url.search.slice(1) };
}

export interface Conformance {
    operationId?: string;
    errors: string[];
}

/** Validates a response body for the operation that `method pathWithQuery` routes to. */
export async function validateGraphResponse(method: string, pathWithQuery: string, status: number, body: unknown): Promise<Conformance> {
    const b = await api();
    const { path: p, query } = normalise(pathWithQuery);
    const operation = b.router.matchOperation({ method, path: p, query, headers: {} });
    if (!operation) return { errors: [`no operation in the reference for ${method} ${p}`] };
    const result = b.validator.validateResponse(body, operation, status);
    return { operationId: operation.operationId, errors: (result.errors ?? []).map(e => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`) };
}

/** Validates a request (path, query and body) against the reference. */
export async function validateGraphRequest(method: string, pathWithQuery: string, body: unknown, headers: Record<string, string> = {}): Promise<Conformance> {
    const b = await api();
    const { path: p, query } = normalise(pathWithQuery);
    const request = { method, path: p, query, headers: { 'content-type': 'application/json', ...headers }, body };
    const operation = b.router.matchOperation(request);
    if (!operation) return { errors: [`no operation in the reference for ${method} ${p}`] };
    const result = b.validator.validateRequest(request, operation);
    return { operationId: operation.operationId, errors: (result.errors ?? []).map(e => `${e.instancePath} ${e.message ?? ''}`) };
}
