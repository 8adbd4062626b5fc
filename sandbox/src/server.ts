import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { principalFromToken, TokenRejected } from './accessTokens';
import { defaultCacheDir, ensureCertificates, makeAppCertificate } from './certificates';
import type { RequestHandler, SandboxContext, SandboxRequest, SandboxResponse, TenantState } from './contracts';
import { createExchangeApi } from './exchange/api';
import { createGraphApi, type GraphRequestObserver } from './graph/api';
import { graphErrorResponse } from './graph/errors';
import { EntraId } from './identity/EntraId';
import { defaultKnobs, updateKnobs, type Knobs } from './knobs/knobs';
import { chargeBatchCommand, Throttle } from './knobs/throttle';
import { deserializeTenant, serializeTenant } from './tenant/persistence';
import { confidentialClientId, createDefaultTenant, exchangeClientId, ownRegistrationClientId, publicClientId } from './tenant/seed';

export interface SandboxOptions {
    /** 0 (default) picks a free port. */
    port?: number;
    users?: number;
    seed?: string;
    /** Load the tenant from this file if it exists, and save it there on changes and on stop. */
    stateFile?: string;
    knobs?: Partial<Knobs>;
    cacheDir?: string;
    /** A prebuilt tenant (tests). */
    tenant?: TenantState;
    /** How often msal polls a device code (Entra: 5 s). */
    deviceCodeIntervalSeconds?: number;
    /** Sees every Graph request, each `$batch` item too (the suites validate them against the reference). */
    onGraphRequest?: GraphRequestObserver;
}

export interface ApiStats {
    requests: number;
    throttled: number;
    faults: number;
}

export interface RunningSandbox {
    origin: string;
    port: number;
    tenantId: string;
    /** The authority for msal: `${origin}/${tenantId}`. */
    authority: string;
    graphUrl: string;
    exchangeUrl: string;
    caPath: string;
    caPem: string;
    /** Microsoft Graph Command Line Tools: Microsoft's client, pre-authorised for Graph only. */
    publicClientId: string;
    /** The Exchange Online PowerShell client: Microsoft's client, pre-authorised for Exchange only. */
    exchangeClientId: string;
    /** The tenant's own registration (public client flows on, http://localhost, Graph and Exchange consented). */
    ownRegistrationClientId: string;
    /** The app-only app: a fresh secret every start, and a certificate with its key. */
    confidentialClient: { clientId: string; secret: string; certificatePem: string; privateKeyPem: string };
    adminAccounts: { upn: string; role: string }[];
    state(): TenantState;
    knobs(): Knobs;
    setKnobs(update: Partial<Knobs>): Knobs;
    /**
     * The next Graph or Exchange request with this method whose path (after /graph or /exchange) matches is carried
     * out, then its connection is dropped before the answer: the client cannot know the change was made.
     */
    loseAnswerOnce(method: string, path: RegExp): void;
    stats(): Record<'graph' | 'exchange' | 'identity', ApiStats>;
    /** Moves the sandbox's clock (token expiry, replication lag). */
    advanceClock(ms: number): void;
    revokeSessions(upn: string): number;
    /** Tokens and refresh tokens issued so far (the newest 500), for tests that check nothing leaks into logs. */
    issuedSecrets(): readonly string[];
    reset(): void;
    stop(): Promise<void>;
}

/** Starts the sandbox tenant on 127.0.0.1 over HTTPS. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
    const certs = ensureCertificates(options.cacheDir ?? defaultCacheDir());
    const fresh = () => options.tenant ?? createDefaultTenant({ ...(options.users ? { users: options.users } : {}), ...(options.seed ? { seed: options.seed } : {}) });
    let state = options.stateFile && existsSync(options.stateFile) ? deserializeTenant(readFileSync(options.stateFile, 'utf8')) : fresh();
    let knobs = updateKnobs(defaultKnobs, options.knobs ?? {});
    let clockOffsetMs = 0;
    const answerLosses: { method: string; path: RegExp }[] = [];
    const now = () => Date.now() + clockOffsetMs;
    const throttle = new Throttle();
    const stats = { graph: { requests: 0, throttled: 0, faults: 0 }, exchange: { requests: 0, throttled: 0, faults: 0 }, identity: { requests: 0, throttled: 0, faults: 0 } };

    // The app-only app gets a new secret and certificate each start; only hashes and public parts stay in the tenant.
    const secret = `sbx~${randomBytes(24).toString('base64url')}`;
    const appCert = makeAppCertificate('Contoso Provisioning Automation');
    const addCredentials = (s: TenantState) => {
        const app = s.apps.find(a => a.appId === confidentialClientId);
        if (!app) return;
        const expires = new Date(Date.now() + 365 * 86_400_000).toISOString();
        app.secrets = [{ id: randomUUID(), hint: secret.slice(0, 3), sha256: createHash('sha256').update(secret).digest('hex'), expiresDateTime: expires }];
        app.certificates = [{ thumbprint: appCert.sha1Thumbprint.toString('base64url'), thumbprint256: appCert.sha256Thumbprint.toString('base64url'), publicKeyPem: appCert.publicKeyPem, expiresDateTime: expires }];
    };
    addCredentials(state);

    const server = https.createServer({ cert: certs.serverCertPem, key: certs.serverKeyPem });
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const origin = `https://127.0.0.1:${port}`;
    const context: SandboxContext = { get state() { return state; }, get knobs() { return { replicationLagMs: knobs.replicationLagMs, exchangeErrorForm: knobs.exchangeErrorForm, exchangeErrorSeed: knobs.exchangeErrorSeed }; }, now, newId: randomUUID, chargeBatchCommand: chargeBatchCommand(throttle, () => knobs, now) };
    const identity = new EntraId({
        origin,
        state: () => state,
        signer: { keyPem: certs.signingKeyPem, publicKeyPem: certs.signingPublicKeyPem, kid: certs.signingKid },
        nowMs: now,
        tokenLifetimeSeconds: () => knobs.tokenLifetimeSeconds,
        deviceCodeIntervalSeconds: options.deviceCodeIntervalSeconds ?? 5,
    });
    const apis: Record<'graph' | 'exchange', RequestHandler> = {
        graph: createGraphApi(context, options.onGraphRequest),
        exchange: createExchangeApi(context),
    };

    let saveTimer: NodeJS.Timeout | undefined;
    const save = () => {
        if (!options.stateFile) return;
        clearTimeout(saveTimer);
        saveTimer = setTimeout(() => writeFileSync(options.stateFile ?? '', serializeTenant(state)), 200);
    };

    server.on('request', (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
            const rawBody = Buffer.concat(chunks);
            handle(req.method ?? 'GET', new URL(req.url ?? '/', origin), lowerHeaders(req.headers), rawBody, req.socket.destroy.bind(req.socket))
                .then(answer => {
                    if (answer === 'dropped') return;
                    const body = answer.body === undefined ? '' : typeof answer.body === 'string' || Buffer.isBuffer(answer.body) ? answer.body : JSON.stringify(answer.body);
                    const isJson = answer.body !== undefined && typeof answer.body === 'object' && !Buffer.isBuffer(answer.body);
                    res.writeHead(answer.status, { ...(isJson ? { 'content-type': 'application/json; charset=utf-8' } : {}), ...(answer.headers ?? {}) });
                    res.end(body);
                })
                .catch((error: unknown) => {
                    res.writeHead(500, { 'content-type': 'application/json' });
                    res.end(JSON.stringify({ error: { code: 'InternalServerError', message: error instanceof Error ? error.message : String(error) } }));
                });
        });
    });

    async function handle(method: string, url: URL, headers: Record<string, string | undefined>, rawBody: Buffer, drop: () => void): Promise<SandboxResponse | 'dropped'> {
        if (url.pathname.startsWith('/_sandbox/')) return admin(method, url, rawBody);
        const api = url.pathname.startsWith('/graph/') ? 'graph' : url.pathname.startsWith('/exchange/') ? 'exchange' : undefined;
        if (!api) {
            stats.identity.requests++;
            const params = method === 'POST' ? new URLSearchParams(rawBody.toString('utf8')) : url.searchParams;
            const answer = identity.handle({ method, url, params });
            return answer ?? { status: 404, body: { error: { code: 'NotFound', message: `No sandbox endpoint at ${url.pathname}.` } } };
        }
        stats[api].requests++;
        const requestId = randomUUID();
        const base = { requestId, headers };
        if (knobs.faultRatio > 0 && Math.random() < knobs.faultRatio) {
            stats[api].faults++;
            if (Math.random() < 0.5) {
                drop();
                return 'dropped';
            }
            const answer = graphErrorResponse(base, 503, 'serviceNotAvailable', 'The service is temporarily unavailable. Please retry later.', now());
            return { ...answer, headers: { ...answer.headers, 'Retry-After': '1' } };
        }
        let principal;
        try {
            principal = principalFromToken(headers.authorization, api, origin, state, certs.signingPublicKeyPem, now());
        } catch (error) {
            if (!(error instanceof TokenRejected)) throw error;
            const answer = graphErrorResponse(base, 401, 'InvalidAuthenticationToken', error.message, now());
            return { ...answer, headers: { ...answer.headers, 'WWW-Authenticate': `Bearer realm="", authorization_uri="${origin}/${state.tenantId}/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"` } };
        }
        const rate = api === 'graph' ? knobs.throttleGraphPerSecond : knobs.throttleExchangePerSecond;
        const wait = throttle.take(`${api}|${principal.appId}`, rate, knobs.throttleBurst, now());
        if (wait > 0) {
            stats[api].throttled++;
            const answer = graphErrorResponse(base, 429, api === 'graph' ? 'TooManyRequests' : 'ServerBusy', api === 'graph' ? 'Too many requests.' : 'The server is busy. Please retry after some time.', now());
            return { ...answer, headers: { ...answer.headers, 'Retry-After': String(wait) } };
        }
        const delay = knobs.latencyMs + Math.random() * knobs.jitterMs;
        if (delay > 0) await new Promise(r => setTimeout(r, delay));
        const controller = new AbortController();
        let body: unknown;
        try {
            body = rawBody.length ? JSON.parse(rawBody.toString('utf8')) : undefined;
        } catch {
            return graphErrorResponse(base, 400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.', now());
        }
        const request: SandboxRequest = { method, url, path: url.pathname.slice(api.length + 1), headers, body, rawBody, principal, requestId, signal: controller.signal };
        const answer = await apis[api](request);
        if (method !== 'GET') save();
        // The change is made, but its answer never arrives (a timeout or reset after commit): what a client must survive
        // without repeating the change.
        const lose = answerLosses.findIndex(l => l.method === method && l.path.test(request.path));
        if (lose >= 0) {
            answerLosses.splice(lose, 1);
            stats[api].faults++;
            drop();
            return 'dropped';
        }
        return answer;
    }

    function admin(method: string, url: URL, rawBody: Buffer): SandboxResponse {
        const json = () => (rawBody.length ? (JSON.parse(rawBody.toString('utf8')) as Record<string, unknown>) : {});
        try {
            const route = `${method} ${url.pathname}`;
            if (route === 'GET /_sandbox/knobs') return { status: 200, body: knobs };
            if (route === 'PUT /_sandbox/knobs') return { status: 200, body: (knobs = updateKnobs(knobs, json())) };
            if (route === 'GET /_sandbox/stats') return { status: 200, body: stats };
            // The whole tenant as saved to a state file: tests outside this process compare it before and after.
            if (route === 'GET /_sandbox/state') return { status: 200, body: JSON.parse(serializeTenant(state)) as unknown };
            if (route === 'POST /_sandbox/reset') { running.reset(); return { status: 204 }; }
            if (route === 'POST /_sandbox/clock') { clockOffsetMs += Number(json().advanceMs ?? 0); return { status: 200, body: { now: new Date(now()).toISOString() } }; }
            const revoke = /^POST \/_sandbox\/users\/([^/]+)\/revokeSessions$/.exec(route);
            if (revoke) return { status: 200, body: { revoked: running.revokeSessions(decodeURIComponent(revoke[1])) } };
            const disable = /^POST \/_sandbox\/users\/([^/]+)\/disable$/.exec(route);
            if (disable) {
                const user = findUser(decodeURIComponent(disable[1]));
                user.accountEnabled = false;
                return { status: 200, body: { disabled: user.userPrincipalName } };
            }
            return { status: 404, body: { error: `No admin endpoint ${route}. Known: GET/PUT /_sandbox/knobs, GET /_sandbox/stats, GET /_sandbox/state, POST /_sandbox/reset, POST /_sandbox/clock, POST /_sandbox/users/{upn}/revokeSessions, POST /_sandbox/users/{upn}/disable` } };
        } catch (error) {
            return { status: 400, body: { error: error instanceof Error ? error.message : String(error) } };
        }
    }

    function findUser(upn: string) {
        const user = [...state.users.values()].find(u => u.userPrincipalName.toLowerCase() === upn.toLowerCase() || u.id === upn);
        if (!user) throw new Error(`No user ${upn} in the sandbox tenant.`);
        return user;
    }

    const running: RunningSandbox = {
        origin,
        port,
        tenantId: state.tenantId,
        authority: `${origin}/${state.tenantId}`,
        graphUrl: `${origin}/graph`,
        exchangeUrl: `${origin}/exchange`,
        caPath: certs.caPath,
        caPem: certs.caPem,
        publicClientId,
        exchangeClientId,
        ownRegistrationClientId,
        confidentialClient: { clientId: confidentialClientId, secret, certificatePem: appCert.certificatePem, privateKeyPem: appCert.privateKeyPem },
        adminAccounts: [{ upn: 'admin@contoso.com', role: 'Global Administrator' }, { upn: 'helpdesk@contoso.com', role: 'Global Reader' }],
        state: () => state,
        knobs: () => knobs,
        setKnobs: update => (knobs = updateKnobs(knobs, update)),
        loseAnswerOnce: (method, path) => { answerLosses.push({ method: method.toUpperCase(), path }); },
        stats: () => stats,
        advanceClock: ms => { clockOffsetMs += ms; },
        revokeSessions: upn => identity.revokeSessions(findUser(upn).id),
        issuedSecrets: () => [...identity.issuedSecrets(), secret],
        reset: () => {
            state = fresh();
            addCredentials(state);
            throttle.reset();
        },
        stop: async () => {
            clearTimeout(saveTimer);
            if (options.stateFile) writeFileSync(options.stateFile, serializeTenant(state));
            server.closeAllConnections();
            await new Promise<void>(resolve => server.close(() => resolve()));
        },
    };
    return running;
}

function lowerHeaders(headers: NodeJS.Dict<string | string[]>): Record<string, string | undefined> {
    const out: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    return out;
}
