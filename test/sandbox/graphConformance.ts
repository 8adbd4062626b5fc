import * as fs from 'node:fs';
import * as path from 'node:path';
import { OpenAPIBackend, type Document } from 'openapi-backend';
import addFormats from 'ajv-formats';
import { advancedQueryViolations as advancedQueryRules } from '../../sandbox/src/graph/advancedQueries';

/*
 * Validates Graph requests and responses against Microsoft's published Graph v1.0 description, kept in the repository
 * (test/reference/graph: the subset built from Microsoft's metadata, plus the supplement written from the docs pages).
 * openapi-backend loses the `{group-id}` parameter on `.../members/$ref` paths because `$` is not escaped, so the
 * literal `/$ref` segment is renamed to `/_ref` in the document and in the paths checked (the reference README's advice).
 * Its path templates are also read as regular expressions, so an alternate key in parentheses
 * (`/applications(appId='{appId}')`) never matches; it is rewritten to `/applications_appId={appId}` on both sides.
 */
/**
 * `/servicePrincipals(appId='…')` → `/servicePrincipals_appId=…` (the quotes may arrive percent-encoded). The rewritten
 * form has no `/` where the key was, so it cannot be mistaken for `/servicePrincipals/{servicePrincipal-id}`, and a
 * segment after it (`…(appId='…')/addPassword`) routes to nothing the reference describes.
 */
export function alternateKeyForm(p: string): string {
    return p.replace(/\((\w+)=(?:'|%27)(.*?)(?:'|%27)\)/g, '_$1=$2');
}

/** The project's copy of the Graph reference (out/test/sandbox → repository root → test/reference/graph). */
export const graphReferenceDir = path.resolve(__dirname, '..', '..', '..', 'test', 'reference', 'graph');

/** The subset with the supplement's paths and schemas merged in; a name in both is an error, not a silent override. */
export function loadGraphReference(): Document {
    const read = (file: string) => JSON.parse(fs.readFileSync(path.join(graphReferenceDir, file), 'utf8').replace(/\/\$ref"/g, '/_ref"')) as Document;
    const subset = read('graph-v1.0-subset.json');
    const supplement = read('graph-v1.0-supplement.json');
    const paths = (subset.paths ??= {});
    for (const [p, item] of Object.entries(supplement.paths ?? {})) {
        if (paths[p]) throw new Error(`the supplement repeats ${p}, which the subset already describes`);
        paths[p] = item;
    }
    for (const p of Object.keys(paths)) {
        const rewritten = alternateKeyForm(p);
        if (rewritten === p) continue;
        paths[rewritten] = paths[p];
        delete paths[p];
    }
    const schemas = (subset.components ??= {}).schemas ??= {};
    for (const name of Object.keys(supplement.components?.schemas ?? {})) {
        if (schemas[name]) throw new Error(`the supplement repeats the schema ${name}`);
        schemas[name] = supplement.components!.schemas![name];
    }
    return subset;
}

let backend: OpenAPIBackend | undefined;

async function api(): Promise<OpenAPIBackend> {
    if (backend) return backend;
    const definition = loadGraphReference();
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
    const p = alternateKeyForm(url.pathname.replace(/^\/graph/, '').replace(/^\/v1\.0/, '').replace(/^\/me\//, '/users/me/').replace(/\/\$ref$/, '/_ref'));
    return { path: p, query: url.search.slice(1) };
}

export interface Conformance {
    operationId?: string;
    errors: string[];
}

/** The operationId the reference gives `method` on a path template as the reference writes it (`/groups/{group-id}/members/$ref`). */
export async function operationIdAt(method: string, pathTemplate: string): Promise<string | undefined> {
    const item = (await api()).definition.paths?.[alternateKeyForm(pathTemplate.replace(/\/\$ref$/, '/_ref'))];
    const operation = item?.[method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'];
    return operation?.operationId;
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
    const errors = (result.errors ?? []).map(e => `${e.instancePath} ${e.message ?? ''}`);
    return { operationId: operation.operationId, errors: [...errors, ...advancedQueryViolations(method, pathWithQuery, headers)] };
}

/**
 * Graph's advanced-query rules (concepts/aad-advanced-queries.md), which the OpenAPI description cannot say: a GET on
 * a directory list that needs `ConsistencyLevel: eventual` (and `$count=true`) and lacks it. The table is the one
 * the sandbox answers by (sandbox/src/graph/advancedQueries.ts), so the client is held to the same rules on both sides.
 */
export function advancedQueryViolations(method: string, pathWithQuery: string, headers: Record<string, string> = {}): string[] {
    const url = new URL(pathWithQuery, 'https://graph.microsoft.com');
    return advancedQueryRules(method, url.pathname, url.searchParams, headers)
        .map(v => `advanced query: ${v.rule} needs ${v.needs === 'header' ? 'the ConsistencyLevel: eventual header' : 'the ConsistencyLevel: eventual header and $count=true'} (Graph answers ${v.status} ${v.code} "${v.message}")`);
}
