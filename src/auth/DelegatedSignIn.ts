import { PublicClientApplication, type AccountInfo, type AuthenticationResult } from '@azure/msal-node';
import type { ApiResource } from './TokenProvider';
import { msalConfiguration, resourceScope, type MsalAppOptions } from './msalConfig';
import { SignInError, toSignInError } from './signInErrors';
import { intentScopes } from './signInIntents';

export interface DeviceCodePrompt {
    /** What Entra tells the user to do, e.g. "To sign in, use a web browser to open … and enter the code …". */
    message: string;
    userCode: string;
    verificationUri: string;
}

/**
 * Graph scopes of a sign-in that names none: the "Browse the directory" reads (signInIntents.ts); write scopes are then
 * asked for when an action needs them (incremental consent).
 */
export const signInGraphScopes: readonly string[] = intentScopes('browse', 'graph');

/**
 * Shows a device code. It may answer later: false when the person declined (the sign-in then stops polling and
 * fails as cancelled), anything else to go on waiting.
 */
export type ShowDeviceCode = (prompt: DeviceCodePrompt) => void | Promise<boolean | void>;

/**
 * Delegated sign-in for one cloud + app registration + tenant: browser (auth code + PKCE on a loopback port) or device
 * code, then silent tokens from the SecretStorage-backed cache. Knows nothing of VS Code: the caller opens the browser
 * and shows the device code.
 */
export class DelegatedSignIn {
    private readonly app: PublicClientApplication;
    /**
     * What a `.default` request was granted, per API, from the last answer. msal finds a cached token only by the scopes
     * Entra returned, which need not include `.default`; asking for these instead finds it without a network call.
     */
    private readonly defaultGrants = new Map<ApiResource, string[]>();

    constructor(private readonly options: MsalAppOptions) {
        const cacheKey = `m365Provisioner.msal.delegated.${options.cloud.name}.${options.clientId}`;
        this.app = new PublicClientApplication(msalConfiguration(options, cacheKey));
    }

    private scopes(resource: ApiResource, scopes: readonly string[]): string[] {
        return scopes.map(s => resourceScope(this.options.cloud, resource, s));
    }

    /** Remembers what `.default` gave (the API's permissions in the answer), for the next silent request. */
    private learn(resource: ApiResource, requested: readonly string[], result: AuthenticationResult): AuthenticationResult {
        if (requested.length === 1 && requested[0] === '.default') {
            const prefix = resourceScope(this.options.cloud, resource, '');
            const granted = result.scopes.filter(s => s.toLowerCase().startsWith(prefix.toLowerCase())).map(s => s.slice(prefix.length)).filter(Boolean);
            if (granted.length) this.defaultGrants.set(resource, granted);
        }
        return result;
    }

    private silentScopes(resource: ApiResource, requested: readonly string[]): readonly string[] {
        return requested.length === 1 && requested[0] === '.default' ? (this.defaultGrants.get(resource) ?? requested) : requested;
    }

    async signInWithBrowser(openBrowser: (url: string) => Promise<void>, request: { resource?: ApiResource; scopes?: readonly string[]; loginHint?: string; signal?: AbortSignal } = {}): Promise<AuthenticationResult> {
        const scopes = this.scopes(request.resource ?? 'graph', request.scopes ?? signInGraphScopes);
        try {
            const result = await abortable(
                this.app.acquireTokenInteractive({ scopes, openBrowser, ...(request.loginHint ? { loginHint: request.loginHint } : {}), successTemplate: successPage, errorTemplate: errorPage }),
                request.signal,
            );
            return this.learn(request.resource ?? 'graph', request.scopes ?? signInGraphScopes, result);
        } catch (error) {
            throw toSignInError(error, this.options.tenant);
        }
    }

    async signInWithDeviceCode(onCode: ShowDeviceCode, request: { resource?: ApiResource; scopes?: readonly string[]; signal?: AbortSignal } = {}): Promise<AuthenticationResult> {
        let declined = false;
        const deviceRequest = {
            scopes: this.scopes(request.resource ?? 'graph', request.scopes ?? signInGraphScopes),
            deviceCodeCallback: (r: { message: string; userCode: string; verificationUri: string }) => {
                const answer = onCode({ message: r.message, userCode: r.userCode, verificationUri: r.verificationUri });
                // The prompt's Cancel stops msal's polling as the progress notification's Cancel does.
                if (answer) void answer.then(go => { if (go === false) { declined = true; deviceRequest.cancel = true; } }, () => { declined = true; deviceRequest.cancel = true; });
            },
            cancel: false,
        };
        // msal polls the token endpoint and stops when `cancel` turns true.
        const onAbort = () => (deviceRequest.cancel = true);
        request.signal?.addEventListener('abort', onAbort, { once: true });
        try {
            const result = await this.app.acquireTokenByDeviceCode(deviceRequest);
            if (!result) throw new SignInError('cancelled', 'Sign-in was cancelled.');
            return this.learn(request.resource ?? 'graph', request.scopes ?? signInGraphScopes, result);
        } catch (error) {
            throw request.signal?.aborted || declined ? new SignInError('cancelled', 'Sign-in was cancelled.') : toSignInError(error, this.options.tenant);
        } finally {
            request.signal?.removeEventListener('abort', onAbort);
        }
    }

    /** A token from the cache (refreshed silently when needed); throws SignInError when the user must act. */
    async acquireSilently(homeAccountId: string, resource: ApiResource, scopes: readonly string[], forceRefresh = false): Promise<AuthenticationResult> {
        const account = await this.account(homeAccountId);
        if (!account) {
            throw new SignInError('interactionRequired', 'This account is no longer signed in. Sign in again.');
        }
        try {
            const result = await this.app.acquireTokenSilent({ account, scopes: this.scopes(resource, this.silentScopes(resource, scopes)), forceRefresh });
            return this.learn(resource, scopes, result);
        } catch (error) {
            throw toSignInError(error, this.options.tenant);
        }
    }

    async account(homeAccountId: string): Promise<AccountInfo | null> {
        return this.app.getTokenCache().getAccountByHomeId(homeAccountId);
    }

    async accounts(): Promise<AccountInfo[]> {
        return this.app.getTokenCache().getAllAccounts();
    }

    /** Removes the account and all its tokens from the cache (and so from SecretStorage). */
    async signOut(homeAccountId: string): Promise<void> {
        const account = await this.account(homeAccountId);
        if (account) {
            await this.app.getTokenCache().removeAccount(account);
        }
    }
}

function abortable<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
    if (!signal) return work;
    return new Promise<T>((resolve, reject) => {
        const onAbort = () => reject(new SignInError('cancelled', 'Sign-in was cancelled.'));
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
}

const page = (title: string, text: string) =>
    `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:system-ui;margin:4em"><h1>${title}</h1><p>${text}</p></body></html>`;
const successPage = page('Signed in', 'You are signed in to M365 Provisioner. You can close this tab and return to VS Code.');
const errorPage = page('Sign-in failed', 'Return to VS Code: it says what went wrong and what to do.');
