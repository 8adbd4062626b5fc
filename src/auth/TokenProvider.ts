/** Which API a token is for; each has its own resource (audience) in every cloud. */
export type ApiResource = 'graph' | 'exchange';

export interface TokenRequest {
    resource: ApiResource;
    /**
     * Permissions the call needs, without resource prefix (`User.Read.All`, `Exchange.Manage`). Delegated sign-in asks
     * for exactly these (incremental consent); app-only sign-in ignores them and uses the app's `.default` grant.
     */
    scopes: readonly string[];
    signal?: AbortSignal;
    /**
     * For optional reads (a warning, not the action): never prompt; a missing permission throws SignInError
     * `consentRequired` instead, so one action does not ask for consent twice.
     */
    silentOnly?: boolean;
}

/**
 * What the Graph and Exchange clients get instead of msal: an access token for a resource and the scopes a call needs.
 * Implementations acquire silently first and fall back to interaction (or throw a typed sign-in error).
 */
export interface TokenProvider {
    getAccessToken(request: TokenRequest): Promise<string>;
}
