import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import type { SecretStore } from './SecretStore';

/**
 * msal's token cache kept in SecretStorage (one JSON blob per msal application), never in files or settings, so
 * sign-ins survive restarts of VS Code and the extension host.
 */
export function secretCachePlugin(secrets: SecretStore, key: string): ICachePlugin {
    return {
        async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
            const blob = await secrets.get(key);
            if (blob) {
                context.tokenCache.deserialize(blob);
            }
        },
        async afterCacheAccess(context: TokenCacheContext): Promise<void> {
            if (context.cacheHasChanged) {
                await secrets.store(key, context.tokenCache.serialize());
            }
        },
    };
}
