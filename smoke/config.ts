import type { CloudName } from '../src/auth/clouds';

/** Microsoft Graph Command Line Tools: the client Connect-MgGraph signs in with, pre-authorised for Graph. */
export const graphCommandLineTools = '14d82eec-204b-4c2f-b7e8-296a70dab67e';
/** Exchange Online PowerShell: the client Connect-ExchangeOnline signs in with, pre-authorised for Exchange Online. */
export const exchangeOnlinePowerShell = 'fb78d390-0c51-40cd-8e17-fdbfab77341b';

/** Where the smoke run signs in, read from the environment (see smoke/run.ts for the variables). */
export interface SmokeTarget {
    cloud: Exclude<CloudName, 'Custom'>;
    /** A tenant id or a verified domain such as contoso.onmicrosoft.com. */
    tenant: string;
    graphClientId: string;
    exchangeClientId: string;
}

const clouds: readonly SmokeTarget['cloud'][] = ['Global', 'USGovernment', 'USGovernmentDoD', 'China'];
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The target from the environment; throws one sentence naming the variable that is missing or wrong. */
export function targetFromEnvironment(env: NodeJS.ProcessEnv = process.env): SmokeTarget {
    const tenant = env.M365P_SMOKE_TENANT?.trim();
    if (!tenant) throw new Error('Set M365P_SMOKE_TENANT to your tenant id or domain (e.g. contoso.onmicrosoft.com), or run with --sandbox.');
    if (tenant === 'organizations' || tenant === 'common') throw new Error('M365P_SMOKE_TENANT must name one tenant (its id or domain), not "organizations" or "common".');
    const cloud = (env.M365P_SMOKE_CLOUD?.trim() || 'Global') as SmokeTarget['cloud'];
    if (!clouds.includes(cloud)) throw new Error(`M365P_SMOKE_CLOUD must be one of ${clouds.join(', ')} (it is "${cloud}").`);
    return { cloud, tenant, graphClientId: clientId(env, 'M365P_SMOKE_GRAPH_CLIENT_ID', graphCommandLineTools), exchangeClientId: clientId(env, 'M365P_SMOKE_EXCHANGE_CLIENT_ID', exchangeOnlinePowerShell) };
}

/** A client id from the environment, or the default; the sandbox run uses the same variables and defaults. */
export function clientId(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
    const value = env[name]?.trim();
    if (!value) return fallback;
    if (!guid.test(value)) throw new Error(`${name} must be an application (client) id, a GUID (it is "${value}").`);
    return value;
}
