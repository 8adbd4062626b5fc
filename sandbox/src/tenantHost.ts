import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { makeAppCertificate, type AppCertificate } from './certificates';
import type { RequestHandler, SandboxContext, TenantState } from './contracts';
import { createExchangeApi } from './exchange/api';
import { createGraphApi, type GraphRequestObserver } from './graph/api';
import { EntraId } from './identity/EntraId';
import type { Signer } from './identity/tokens';
import type { Knobs } from './knobs/knobs';
import type { Organisation } from './tenant/organisations';

/** One tenant the sandbox serves: its directory, its Entra ID, its Graph and Exchange, and its app-only app's keys. */
export interface TenantHost {
    organisation: Organisation;
    state(): TenantState;
    /** Replaces the tenant (reset, or a test's prebuilt one) and registers the app-only app's credentials in it. */
    replace(state: TenantState): void;
    identity: EntraId;
    apis: Record<'graph' | 'exchange', RequestHandler>;
    /** The app-only app's client id, its secret (fresh each start) and its certificate with the key. */
    confidentialClient: { clientId: string; secret: string; certificatePem: string; privateKeyPem: string };
}

export interface TenantHostOptions {
    organisation: Organisation;
    state: TenantState;
    origin: string;
    signer: Signer;
    now: () => number;
    knobs: () => Knobs;
    /** The next draw from this tenant's named stream of the sandbox's seeded chances (knobs/seed.ts). */
    chance: (stream: string) => number;
    /** Charges a `$batch` command against the throttle bucket named by the key (knobs/throttle.ts). */
    chargeBatchCommand: (api: 'graph' | 'exchange', key: string) => number;
    deviceCodeIntervalSeconds: number;
    onGraphRequest?: GraphRequestObserver;
}

/**
 * The throttle bucket of an app in a tenant: Graph's limits are counted "per app per tenant" (and per tenant for all
 * apps, which the sandbox does not model) — microsoftgraph/microsoft-graph-docs-contrib: concepts/throttling-limits.md.
 * Microsoft's own clients have one app id in every tenant, so the tenant must be part of the key.
 */
export function throttleKey(tenantId: string, appId: string): string {
    return `${tenantId}|${appId}`;
}

/** Builds one tenant. */
export function createTenantHost(options: TenantHostOptions): TenantHost {
    const org = options.organisation;
    // The app-only app gets a new secret and certificate each start; only hashes and public parts stay in the tenant.
    const secret = `sbx~${randomBytes(24).toString('base64url')}`;
    const expires = new Date(Date.now() + 365 * 86_400_000).toISOString();
    // The certificate is made when someone first asks for it (a 2048-bit key takes 100-200 ms, too long for 20
    // tenants at start). No client can present it before asking, so the tenant learns it in time.
    let appCert: AppCertificate | undefined;
    const certificate = (): AppCertificate => {
        if (!appCert) {
            appCert = makeAppCertificate(`${org.name} Provisioning Automation`);
            addCertificate(state);
        }
        return appCert;
    };
    let state = options.state;
    const app = (s: TenantState) => s.apps.find(a => a.appId === org.confidentialClientId);
    const addCertificate = (s: TenantState) => {
        const registered = app(s);
        if (!registered) return;
        registered.certificates = appCert ? [{ thumbprint: appCert.sha1Thumbprint.toString('base64url'), thumbprint256: appCert.sha256Thumbprint.toString('base64url'), publicKeyPem: appCert.publicKeyPem, expiresDateTime: expires }] : [];
    };
    const addCredentials = (s: TenantState) => {
        const registered = app(s);
        if (!registered) return;
        registered.secrets = [{ id: randomUUID(), hint: secret.slice(0, 3), sha256: createHash('sha256').update(secret).digest('hex'), expiresDateTime: expires }];
        addCertificate(s);
    };
    addCredentials(state);
    const context: SandboxContext = {
        get state() { return state; },
        get knobs() { const k = options.knobs(); return { replicationLagMs: k.replicationLagMs, exchangeErrorForm: k.exchangeErrorForm }; },
        now: options.now,
        newId: randomUUID,
        chance: options.chance,
        chargeBatchCommand: (api, appId) => options.chargeBatchCommand(api, throttleKey(state.tenantId, appId)),
    };
    const identity = new EntraId({
        origin: options.origin,
        state: () => state,
        signer: options.signer,
        nowMs: options.now,
        tokenLifetimeSeconds: () => options.knobs().tokenLifetimeSeconds,
        deviceCodeIntervalSeconds: options.deviceCodeIntervalSeconds,
    });
    return {
        organisation: org,
        state: () => state,
        replace: next => {
            state = next;
            addCredentials(state);
        },
        identity,
        apis: { graph: createGraphApi(context, options.onGraphRequest), exchange: createExchangeApi(context) },
        confidentialClient: {
            clientId: org.confidentialClientId,
            secret,
            get certificatePem() { return certificate().certificatePem; },
            get privateKeyPem() { return certificate().privateKeyPem; },
        },
    };
}
