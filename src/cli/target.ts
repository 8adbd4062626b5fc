import { readFile } from 'node:fs/promises';
import { AppOnlySignIn, type AppCredential } from '../auth/AppOnlySignIn';
import { builtInCloudNames, cloudEndpoints, type CloudEndpoints, type CloudName, type CustomCloudSettings } from '../auth/clouds';
import { msalNetworkModule } from '../auth/msalNetwork';
import { inMemorySecrets } from '../auth/SecretStore';
import type { TokenProvider } from '../auth/TokenProvider';
import { ExchangeAdminClient } from '../exchange/ExchangeAdminClient';
import { GraphClient } from '../graph/GraphClient';
import { GraphRequestError } from '../graph/GraphRequestError';
import { organisationName } from '../graph/organisation';
import { HttpTransport } from '../net/HttpTransport';
import type { Logger } from '../shared/logger';
import type { DeviceCodePrompt } from '../auth/DelegatedSignIn';
import { UsageError, type CliArgs } from './args';
import { deviceCodeTokens } from './deviceCodeTokens';

/** A tenant the CLI works on: its clients, how to name it, and what to do at the end. */
export interface CliTenant {
    id: string;
    /** The organisation's name and default domain, where they could be read. */
    displayName?: string;
    defaultDomain?: string;
    cloud: CloudName;
    graph: GraphClient;
    exchange: ExchangeAdminClient;
    close(): Promise<void>;
}

/** A built-in cloud named on the command line (`--cloud`), Global when none is. */
export function cloudFlag(value: string | undefined): CloudName {
    const cloud = (value ?? 'Global') as CloudName;
    if (!(builtInCloudNames as readonly CloudName[]).includes(cloud)) throw new UsageError(`--cloud takes ${builtInCloudNames.join(', ')} (not "${value ?? ''}").`);
    return cloud;
}

/**
 * Where a command runs: an in-process sandbox (its state kept in a file, when one is named), or a real tenant signed in
 * app-only. Credentials are named, never written here: a certificate file, or environment variables.
 */
export type TenantSpec =
    | { kind: 'sandbox'; stateFile: string; name?: string }
    | { kind: 'app'; tenant: string; cloud: CloudName; name?: string; clientId?: string; clientIdEnv?: string; certificateFile?: string; certificateEnv?: string; clientSecretEnv?: string; custom?: CustomCloudSettings; deviceCode?: boolean };

/** The single tenant the command line names (`--sandbox` or `--tenant`). */
export function tenantSpecOf(args: CliArgs): TenantSpec {
    if (args.sandbox !== undefined) return { kind: 'sandbox', stateFile: args.sandbox };
    const cloud = cloudFlag(args.cloud);
    if (args.deviceCode) return { kind: 'app', tenant: args.tenant ?? '', cloud, deviceCode: true, ...(args.clientId ? { clientId: args.clientId } : {}) };
    return { kind: 'app', tenant: args.tenant ?? '', cloud, clientIdEnv: 'M365P_CLIENT_ID', certificateEnv: 'M365P_CERTIFICATE_PEM', clientSecretEnv: 'M365P_CLIENT_SECRET', ...(args.clientId ? { clientId: args.clientId } : {}), ...(args.certificate ? { certificateFile: args.certificate } : {}) };
}

/**
 * Opens the tenant a spec names. Credentials are read here and kept only in memory; msal's token cache is in memory
 * too (a pipeline run is short).
 */
export async function openTenant(spec: TenantSpec, env: NodeJS.ProcessEnv, logger: Logger, showCode?: (prompt: DeviceCodePrompt, why: string) => void): Promise<CliTenant> {
    if (spec.kind === 'sandbox') return openSandboxTenant(spec.stateFile, logger);
    if (spec.deviceCode) {
        if (!showCode) throw new UsageError(`A person's sign-in${spec.name ? ` to ${spec.name}` : ''} needs a device code shown to them; this run cannot show one.`);
        const cloud = cloudEndpoints(spec.cloud, spec.custom);
        const transport = await transportFor(cloud.caFile);
        const tokens = deviceCodeTokens({ cloud, tenant: spec.tenant, ...(spec.clientId ? { clientId: spec.clientId } : {}), network: msalNetworkModule(r => transport.send(r)), secrets: inMemorySecrets(), logger, showCode: (prompt, why) => showCode(prompt, `${spec.name ?? spec.tenant}: ${why}`) });
        return withOrganisation({ id: spec.tenant, cloud: spec.cloud, ...clients(cloud, spec.tenant, tokens, transport, logger), close: () => Promise.resolve() });
    }
    const clientId = spec.clientId ?? (spec.clientIdEnv ? env[spec.clientIdEnv] : undefined);
    if (!clientId) throw new UsageError(`App-only sign-in${spec.name ? ` to ${spec.name}` : ''} needs the app registration's client id: ${spec.clientIdEnv === 'M365P_CLIENT_ID' ? '--client-id ID, or M365P_CLIENT_ID in the environment' : `"clientId", or "clientIdEnv" naming a variable that is set${spec.clientIdEnv ? ` (${spec.clientIdEnv} is not)` : ''}`} (docs/CLI.md: registering the app).`);
    const credential = await appCredential(spec, env);
    const cloud = cloudEndpoints(spec.cloud, spec.custom);
    const transport = await transportFor(cloud.caFile);
    const signIn = new AppOnlySignIn({ cloud, clientId, tenant: spec.tenant, secrets: inMemorySecrets(), network: msalNetworkModule(r => transport.send(r)), logger }, credential);
    const tokens: TokenProvider = { getAccessToken: request => signIn.acquire(request.resource) };
    return withOrganisation({ id: spec.tenant, cloud: spec.cloud, ...clients(cloud, spec.tenant, tokens, transport, logger), close: () => Promise.resolve() });
}

async function appCredential(spec: Extract<TenantSpec, { kind: 'app' }>, env: NodeJS.ProcessEnv): Promise<AppCredential> {
    const file = spec.certificateFile;
    const pem = file
        ? await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
              throw new UsageError(`Cannot read the certificate file ${file}: ${error.code === 'ENOENT' ? 'it does not exist' : error.message}.`);
          })
        : spec.certificateEnv
          ? env[spec.certificateEnv]
          : undefined;
    if (pem) {
        const certificatePem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
        const privateKeyPem = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(pem)?.[0];
        if (!certificatePem || !privateKeyPem) throw new UsageError(`The certificate ${file ? `file ${file}` : `in ${spec.certificateEnv ?? ''}`} must hold both the certificate and its private key, in PEM (-----BEGIN CERTIFICATE----- and -----BEGIN PRIVATE KEY-----).`);
        return { kind: 'certificate', certificatePem, privateKeyPem };
    }
    const secret = spec.clientSecretEnv ? env[spec.clientSecretEnv] : undefined;
    if (secret) return { kind: 'secret', secret };
    throw new UsageError(spec.clientSecretEnv === 'M365P_CLIENT_SECRET'
        ? 'App-only sign-in needs a credential: --certificate FILE (or M365P_CERTIFICATE_PEM), or a client secret in M365P_CLIENT_SECRET.'
        : `App-only sign-in to ${spec.name ?? spec.tenant} needs a credential: "certificateFile", or "certificateEnv" / "clientSecretEnv" naming a variable that is set.`);
}

async function openSandboxTenant(stateFile: string, logger: Logger): Promise<CliTenant> {
    // Loaded only for --sandbox: the sandbox is a test tenant, not part of a run against a real one.
    const { startSandbox } = await import('../../sandbox/src/server');
    const sandbox = await startSandbox({ port: 0, ...(stateFile ? { stateFile } : {}) });
    const cloud = cloudEndpoints('Custom', { authority: sandbox.origin, graphEndpoint: sandbox.graphUrl, exchangeEndpoint: sandbox.exchangeUrl });
    const transport = new HttpTransport({ ca: sandbox.caPem });
    const { clientId, secret } = sandbox.confidentialClient;
    const signIn = new AppOnlySignIn({ cloud, clientId, tenant: sandbox.tenantId, secrets: inMemorySecrets(), network: msalNetworkModule(r => transport.send(r)), logger }, { kind: 'secret', secret });
    const tokens: TokenProvider = { getAccessToken: request => signIn.acquire(request.resource) };
    return withOrganisation({ id: sandbox.tenantId, cloud: 'Custom', ...clients(cloud, sandbox.tenantId, tokens, transport, logger), close: () => sandbox.stop() });
}

/**
 * One transport per CA for the whole run: the tenants of a fleet share its kept-alive connections to the cloud's hosts
 * and its TLS context. A custom cloud (a sovereign deployment, or a sandbox tenant) may be served under a CA of its own.
 */
const transports = new Map<string, Promise<HttpTransport>>();
function transportFor(caFile: string | undefined): Promise<HttpTransport> {
    const key = caFile ?? '';
    let transport = transports.get(key);
    if (!transport) {
        transport = caFile ? readFile(caFile, 'utf8').then(ca => new HttpTransport({ ca })) : Promise.resolve(new HttpTransport({}));
        transports.set(key, transport);
    }
    return transport;
}

function clients(cloud: CloudEndpoints, tenantId: string, tokens: TokenProvider, transport: HttpTransport, logger: Logger): Pick<CliTenant, 'graph' | 'exchange'> {
    return { graph: new GraphClient({ cloud, tokens, transport, logger }), exchange: new ExchangeAdminClient({ cloud, tenantId, tokens, transport, logger }) };
}

/** Names the tenant by its organisation (what an admin recognises), when the app may read it; its id otherwise. */
async function withOrganisation(tenant: CliTenant): Promise<CliTenant> {
    try {
        const organisation = await organisationName(tenant.graph);
        return organisation ? { ...tenant, ...organisation } : tenant;
    } catch (error) {
        // An app without Organization.Read.All is still fine for the job; a failed sign-in is said now, not later.
        if (error instanceof GraphRequestError && error.status === 403) return tenant;
        throw error;
    }
}

