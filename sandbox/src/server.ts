import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { principalFromToken, TokenRejected } from './accessTokens';
import { defaultCacheDir, ensureCertificates } from './certificates';
import type { SandboxRequest, SandboxResponse, TenantState } from './contracts';
import type { GraphRequestObserver } from './graph/api';
import { graphErrorResponse } from './graph/errors';
import { defaultKnobs, updateKnobs, type Knobs } from './knobs/knobs';
import { SeededChances, startingSeed } from './knobs/seed';
import { chargeBatchCommand, Throttle } from './knobs/throttle';
import { maxTenants, organisation } from './tenant/organisations';
import { deserializeTenants, serializeTenant, serializeTenants } from './tenant/persistence';
import { createDefaultTenant, exchangeClientId, ownRegistrationClientId, publicClientId } from './tenant/seed';
import { createTenantHost, throttleKey, type TenantHost } from './tenantHost';
import { exchangeTenant, graphTenant, identityTenant, tenantNamed } from './tenantRouting';

export interface SandboxOptions {
    /** 0 (default) picks a free port. */
    port?: number;
    /**
     * How many tenants to serve (default 1; at most 100): 1 Contoso, 2 Fabrikam, 3 Northwind Traders, then other
     * organisations, each with its own directory, domains, Exchange and app-only app.
     */
    tenants?: number;
    users?: number;
    seed?: string;
    /**
     * Load the tenants from this file if it exists, and save them there on changes and on stop. One tenant is saved in
     * the one-tenant form (`sandbox-tenant/1`), several as `sandbox-tenants/1` (tenant/persistence.ts).
     */
    stateFile?: string;
    /** `faultSeed` among them fixes the sandbox's chances; without it M365P_SANDBOX_SEED does, else a new seed. */
    knobs?: Partial<Knobs>;
    cacheDir?: string;
    /** A prebuilt tenant 1 (tests). */
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

/** One tenant of a running sandbox, as a client needs it to sign in there. */
export interface SandboxTenant {
    tenantId: string;
    /** The organisation's display name (Contoso, Fabrikam, Northwind Traders, …). */
    name: string;
    defaultDomain: string;
    /** `${origin}/${tenantId}`; `${origin}/${defaultDomain}` works too. */
    authority: string;
    ownRegistrationClientId: string;
    adminAccounts: { upn: string; role: string }[];
    /** The tenant's own app-only app: a fresh secret every start, and a certificate with its key. */
    confidentialClient: { clientId: string; secret: string; certificatePem: string; privateKeyPem: string };
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
    /** Every tenant served, tenant 1 (the fields above) first. */
    tenants: SandboxTenant[];
    /** A tenant's state by id or verified domain; tenant 1 without one. */
    state(tenantId?: string): TenantState;
    /** The knobs now, `faultSeed` (the seed this sandbox's faults, jitter and error forms are drawn from) among them. */
    knobs(): Knobs;
    /** Changes knobs; a `faultSeed` in the update, even the same one, starts every draw again from the beginning. */
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
    /** Puts every tenant back as it started, empties the throttle and starts the seeded draws again from the beginning. */
    reset(): void;
    stop(): Promise<void>;
}

/** Starts the sandbox on 127.0.0.1 over HTTPS, serving `options.tenants` tenants (Contoso first). */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
    const certs = ensureCertificates(options.cacheDir ?? defaultCacheDir());
    const saved = options.stateFile && existsSync(options.stateFile) ? deserializeTenants(readFileSync(options.stateFile, 'utf8')) : [];
    // A state file with more tenants than asked for keeps them all: nothing saved is dropped by the next save.
    const count = Math.max(tenantCount(options.tenants), saved.length);
    const fresh = (index: number): TenantState => {
        if (index === 1 && options.tenant) return options.tenant;
        const org = organisation(index);
        // Another --seed gives other organisations; tenant 1 takes it as it is, so one tenant behaves as before.
        const seed = options.seed === undefined ? undefined : index === 1 ? options.seed : `${options.seed}/${org.seed}`;
        return createDefaultTenant({ organisation: org, ...(options.users ? { users: options.users } : {}), ...(seed !== undefined ? { seed } : {}) });
    };
    let knobs = updateKnobs(defaultKnobs, { ...options.knobs, faultSeed: startingSeed(options.knobs?.faultSeed) });
    // One seed for every chance this sandbox takes, so a failed run replays with it; each tenant draws from streams of
    // its own ('tenant-2/faults'), so a fleet run's interleaving does not move one tenant's faults onto another.
    const chances = new SeededChances(knobs.faultSeed);
    const tenantChance = (index: number) => (stream: string) => chances.next(`tenant-${index}/${stream}`);
    const changeKnobs = (update: Record<string, unknown>): Knobs => {
        knobs = updateKnobs(knobs, update);
        if ('faultSeed' in update) chances.restart(knobs.faultSeed);
        return knobs;
    };
    let clockOffsetMs = 0;
    const answerLosses: { method: string; path: RegExp }[] = [];
    const now = () => Date.now() + clockOffsetMs;
    const throttle = new Throttle();
    const chargeBatch = chargeBatchCommand(throttle, () => knobs, now);
    const stats = { graph: { requests: 0, throttled: 0, faults: 0 }, exchange: { requests: 0, throttled: 0, faults: 0 }, identity: { requests: 0, throttled: 0, faults: 0 } };

    const server = https.createServer({ cert: certs.serverCertPem, key: certs.serverKeyPem });
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const origin = `https://127.0.0.1:${port}`;
    const hosts: TenantHost[] = Array.from({ length: count }, (_, i) => createTenantHost({
        organisation: organisation(i + 1),
        state: saved[i] ?? fresh(i + 1),
        origin,
        signer: { keyPem: certs.signingKeyPem, publicKeyPem: certs.signingPublicKeyPem, kid: certs.signingKid },
        now,
        knobs: () => knobs,
        chance: tenantChance(i + 1),
        chargeBatchCommand: chargeBatch,
        deviceCodeIntervalSeconds: options.deviceCodeIntervalSeconds ?? 5,
        ...(options.onGraphRequest ? { onGraphRequest: options.onGraphRequest } : {}),
    }));
    const first = hosts[0];
    const hostNamed = (name: string): TenantHost => {
        const host = tenantNamed(hosts, name);
        if (!host) throw new Error(`The sandbox serves no tenant ${name}. It serves: ${hosts.map(h => `${h.state().tenantId} (${h.organisation.name})`).join(', ')}.`);
        return host;
    };
    const failing = (host: TenantHost) => knobs.failingTenants.some(name => tenantNamed([host], name) !== undefined);

    let saveTimer: NodeJS.Timeout | undefined;
    const saveNow = () => { if (options.stateFile) writeFileSync(options.stateFile, serializeTenants(hosts.map(h => h.state()))); };
    const save = () => {
        if (!options.stateFile) return;
        clearTimeout(saveTimer);
        saveTimer = setTimeout(saveNow, 200);
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
            // /devicelogin is one page for every tenant, as microsoft.com/devicelogin is: the code says whose it is.
            const code = url.pathname === '/devicelogin' ? params.get('otc') ?? '' : '';
            const host = code ? hosts.find(h => h.identity.hasPendingUserCode(code)) ?? first : identityTenant(hosts, url.pathname);
            const answer = host.identity.handle({ method, url, params });
            return answer ?? { status: 404, body: { error: { code: 'NotFound', message: `No sandbox endpoint at ${url.pathname}.` } } };
        }
        stats[api].requests++;
        const requestId = randomUUID();
        const base = { requestId, headers };
        const path = url.pathname.slice(api.length + 1);
        const host = api === 'graph' ? graphTenant(hosts, headers.authorization) : exchangeTenant(hosts, path);
        const chance = tenantChance(hosts.indexOf(host) + 1);
        if ((knobs.faultRatio > 0 && chance('faults') < knobs.faultRatio) || failing(host)) {
            stats[api].faults++;
            if (!failing(host) && chance('faults') < 0.5) {
                drop();
                return 'dropped';
            }
            const answer = graphErrorResponse(base, 503, 'serviceNotAvailable', 'The service is temporarily unavailable. Please retry later.', now());
            return { ...answer, headers: { ...answer.headers, 'Retry-After': '1' } };
        }
        const state = host.state();
        let principal;
        try {
            principal = principalFromToken(headers.authorization, api, origin, state, certs.signingPublicKeyPem, now());
        } catch (error) {
            if (!(error instanceof TokenRejected)) throw error;
            const answer = graphErrorResponse(base, 401, 'InvalidAuthenticationToken', error.message, now());
            return { ...answer, headers: { ...answer.headers, 'WWW-Authenticate': `Bearer realm="", authorization_uri="${origin}/${state.tenantId}/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"` } };
        }
        const rate = api === 'graph' ? knobs.throttleGraphPerSecond : knobs.throttleExchangePerSecond;
        const wait = throttle.take(`${api}|${throttleKey(state.tenantId, principal.appId)}`, rate, knobs.throttleBurst, now());
        if (wait > 0) {
            stats[api].throttled++;
            const answer = graphErrorResponse(base, 429, api === 'graph' ? 'TooManyRequests' : 'ServerBusy', api === 'graph' ? 'Too many requests.' : 'The server is busy. Please retry after some time.', now());
            return { ...answer, headers: { ...answer.headers, 'Retry-After': String(wait) } };
        }
        const delay = knobs.latencyMs + (knobs.jitterMs > 0 ? chance('jitter') * knobs.jitterMs : 0);
        if (delay > 0) await new Promise(r => setTimeout(r, delay));
        const controller = new AbortController();
        let body: unknown;
        try {
            body = rawBody.length ? JSON.parse(rawBody.toString('utf8')) : undefined;
        } catch {
            return graphErrorResponse(base, 400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.', now());
        }
        const request: SandboxRequest = { method, url, path, headers, body, rawBody, principal, requestId, signal: controller.signal };
        const answer = await host.apis[api](request);
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
            if (route === 'PUT /_sandbox/knobs') return { status: 200, body: changeKnobs(json()) };
            if (route === 'GET /_sandbox/stats') return { status: 200, body: stats };
            // A whole tenant as saved to a state file (tenant 1, or ?tenant=ID|DOMAIN): tests outside this process
            // compare it before and after.
            if (route === 'GET /_sandbox/state') return { status: 200, body: JSON.parse(serializeTenant(running.state(url.searchParams.get('tenant') ?? undefined))) as unknown };
            if (route === 'GET /_sandbox/tenants') return { status: 200, body: running.tenants.map(({ confidentialClient, ...t }) => ({ ...t, clientId: confidentialClient.clientId })) };
            if (route === 'POST /_sandbox/reset') { running.reset(); return { status: 204 }; }
            if (route === 'POST /_sandbox/clock') { clockOffsetMs += Number(json().advanceMs ?? 0); return { status: 200, body: { now: new Date(now()).toISOString() } }; }
            const revoke = /^POST \/_sandbox\/users\/([^/]+)\/revokeSessions$/.exec(route);
            if (revoke) return { status: 200, body: { revoked: running.revokeSessions(decodeURIComponent(revoke[1])) } };
            const disable = /^POST \/_sandbox\/users\/([^/]+)\/disable$/.exec(route);
            if (disable) {
                const { user } = findUser(decodeURIComponent(disable[1]));
                user.accountEnabled = false;
                return { status: 200, body: { disabled: user.userPrincipalName } };
            }
            return { status: 404, body: { error: `No admin endpoint ${route}. Known: GET/PUT /_sandbox/knobs, GET /_sandbox/stats, GET /_sandbox/state[?tenant=], GET /_sandbox/tenants, POST /_sandbox/reset, POST /_sandbox/clock, POST /_sandbox/users/{upn}/revokeSessions, POST /_sandbox/users/{upn}/disable` } };
        } catch (error) {
            return { status: 400, body: { error: error instanceof Error ? error.message : String(error) } };
        }
    }

    /** A user of any tenant by UPN or id (UPNs carry the tenant's domain, so they do not collide). */
    function findUser(upn: string) {
        for (const host of hosts) {
            const user = [...host.state().users.values()].find(u => u.userPrincipalName.toLowerCase() === upn.toLowerCase() || u.id === upn);
            if (user) return { host, user };
        }
        throw new Error(`No user ${upn} in the sandbox tenant${hosts.length > 1 ? 's' : ''}.`);
    }

    const running: RunningSandbox = {
        origin,
        port,
        tenantId: first.state().tenantId,
        authority: `${origin}/${first.state().tenantId}`,
        graphUrl: `${origin}/graph`,
        exchangeUrl: `${origin}/exchange`,
        caPath: certs.caPath,
        caPem: certs.caPem,
        publicClientId,
        exchangeClientId,
        ownRegistrationClientId,
        confidentialClient: first.confidentialClient,
        adminAccounts: [{ upn: 'admin@contoso.com', role: 'Global Administrator' }, { upn: 'helpdesk@contoso.com', role: 'Global Reader' }],
        tenants: hosts.map(h => ({
            tenantId: h.state().tenantId,
            name: h.state().organization.displayName,
            defaultDomain: h.state().domains.find(d => d.isDefault)?.id ?? h.organisation.domain,
            authority: `${origin}/${h.state().tenantId}`,
            ownRegistrationClientId: h.organisation.ownRegistrationClientId,
            adminAccounts: [{ upn: `admin@${h.organisation.domain}`, role: 'Global Administrator' }, { upn: `helpdesk@${h.organisation.domain}`, role: 'Global Reader' }],
            confidentialClient: h.confidentialClient,
        })),
        state: tenantId => (tenantId === undefined ? first : hostNamed(tenantId)).state(),
        knobs: () => knobs,
        setKnobs: update => changeKnobs(update),
        loseAnswerOnce: (method, path) => { answerLosses.push({ method: method.toUpperCase(), path }); },
        stats: () => stats,
        advanceClock: ms => { clockOffsetMs += ms; },
        revokeSessions: upn => {
            const { host, user } = findUser(upn);
            return host.identity.revokeSessions(user.id);
        },
        issuedSecrets: () => hosts.flatMap(h => [...h.identity.issuedSecrets(), h.confidentialClient.secret]),
        reset: () => {
            hosts.forEach((h, i) => h.replace(fresh(i + 1)));
            throttle.reset();
            chances.restart(knobs.faultSeed);
        },
        stop: async () => {
            clearTimeout(saveTimer);
            saveNow();
            server.closeAllConnections();
            await new Promise<void>(resolve => server.close(() => resolve()));
        },
    };
    return running;
}

/** `tenants` as asked (default 1), refusing what is not a whole number in 1..maxTenants. */
function tenantCount(tenants: number | undefined): number {
    const n = tenants ?? 1;
    if (!Number.isInteger(n) || n < 1 || n > maxTenants) throw new Error(`tenants must be a whole number from 1 to ${maxTenants} (got ${String(tenants)}).`);
    return n;
}

function lowerHeaders(headers: NodeJS.Dict<string | string[]>): Record<string, string | undefined> {
    const out: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    return out;
}
