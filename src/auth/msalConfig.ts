import { LogLevel, type Configuration, type INetworkModule } from '@azure/msal-node';
import type { Logger } from '../shared/logger';
import type { ApiResource } from './TokenProvider';
import type { CloudEndpoints } from './clouds';
import { secretCachePlugin } from './secretCachePlugin';
import type { SecretStore } from './SecretStore';

export interface MsalAppOptions {
    cloud: CloudEndpoints;
    clientId: string;
    /** Tenant id, domain, `organizations` or `common`. */
    tenant: string;
    secrets: SecretStore;
    network: INetworkModule;
    logger: Logger;
}

/** The authority URL msal signs in against: the cloud's host plus the tenant. */
export function authorityUrl(cloud: CloudEndpoints, tenant: string): string {
    return `${cloud.authorityHost}/${encodeURIComponent(tenant)}`;
}

/** A fully-qualified scope: `https://graph.microsoft.com/User.Read.All`. */
export function resourceScope(cloud: CloudEndpoints, resource: ApiResource, scope: string): string {
    const base = resource === 'graph' ? cloud.graphResource : cloud.exchangeResource;
    return `${base}/${scope}`;
}

/** msal configuration shared by the public (delegated) and confidential (app-only) applications. */
export function msalConfiguration(options: MsalAppOptions, cacheKey: string, auth: Partial<Configuration['auth']> = {}): Configuration {
    const known = options.cloud.name === 'Custom' ? [new URL(options.cloud.authorityHost).host] : [];
    return {
        auth: {
            clientId: options.clientId,
            authority: authorityUrl(options.cloud, options.tenant),
            // A custom authority is trusted as given, so msal makes no instance-discovery call to Microsoft.
            ...(known.length ? { knownAuthorities: known } : {}),
            ...auth,
        },
        cache: { cachePlugin: secretCachePlugin(options.secrets, cacheKey) },
        system: {
            networkClient: options.network,
            loggerOptions: {
                piiLoggingEnabled: false,
                logLevel: LogLevel.Warning,
                loggerCallback: (level, message) => {
                    if (level <= LogLevel.Error) options.logger.error(`[Auth] msal: ${message}`);
                    else options.logger.debug(`[Auth] msal: ${message}`);
                },
            },
        },
    };
}
