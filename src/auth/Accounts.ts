import type { INetworkModule } from '@azure/msal-node';
import type { Logger } from '../shared/logger';
import type { AppCredential, AppOnlySignIn } from './AppOnlySignIn';
import { clientFor, clientName, scopesFor } from './clients';
import { cloudEndpoints, type CloudEndpoints, type CloudName, type CustomCloudSettings } from './clouds';
import type { AuthenticationResult } from '@azure/msal-node';
import type { DelegatedSignIn, ShowDeviceCode } from './DelegatedSignIn';
import type { SecretStore, StateStore } from './SecretStore';
import { SignInError, type SignInProblem } from './signInErrors';
import { intentScopes, signInIntent, widerIntentFor, type SignInIntentId } from './signInIntents';
import type { ApiResource, TokenProvider, TokenRequest } from './TokenProvider';

/** A signed-in identity as the Accounts view lists it. Holds no secret: tokens and credentials are in SecretStorage. */
export interface SignedInAccount {
    /** Delegated: msal's homeAccountId. App-only: `app:<clientId>@<tenantId>`. */
    id: string;
    kind: 'delegated' | 'application';
    cloud: CloudName;
    /** The custom cloud's URLs when `cloud` is Custom, captured at sign-in so a settings change does not break it. */
    customCloud?: CustomCloudSettings;
    tenantId: string;
    clientId: string;
    /** UPN for users; the app's client id for apps. */
    username: string;
    displayName: string;
    /** App-only: how the app authenticates. */
    credentialKind?: AppCredential['kind'];
    /** Delegated: what the admin said they will do, so what sign-in asked for (signInIntents.ts). Absent = "browse". */
    intent?: SignInIntentId;
}

/** Where to sign in: the settings at the time of sign-in. */
export interface SignInTarget {
    cloud: CloudName;
    customCloud?: CustomCloudSettings;
    clientId: string;
    tenant: string;
}

/**
 * The answer to "sign in again?": true = for what the call needs; `widen` = also for everything of the next intent that
 * covers it (the account's intent is widened, so what comes after needs no prompt either); false = no.
 */
export type SignInAgainAnswer = boolean | 'widen';

/** Which part of a sign-in runs now, when one sign-in takes two (Exchange with Microsoft's apps), and why. */
export interface SignInStep {
    step: number;
    of: number;
    /** One line, for the admin. */
    why: string;
}

/** What the VS Code layer does for a sign-in: open the browser, show a device code, ask before extra consent. */
export interface SignInInteraction {
    openBrowser(url: string): Promise<void>;
    showDeviceCode: ShowDeviceCode;
    /**
     * Asked when a token needs the user: a permission not yet granted (`consentRequired`), an expired or revoked session
     * (`sessionRevoked`), MFA / Conditional Access (`interactionRequired`), or the first token from the second client
     * an API needs (`secondClientSignIn`: Exchange with the default client).
     */
    confirmSignInAgain(account: SignedInAccount, why: SignInProblem, resource: ApiResource, scopes: readonly string[]): Promise<SignInAgainAnswer>;
    /** Told before each part of a sign-in that takes more than one. */
    signInStep?(step: SignInStep): void;
    /** Which delegated flow to use for a consent prompt: the browser unless it cannot work here. */
    preferDeviceCode(): boolean;
    /**
     * Wraps a sign-in that happens in the middle of an action (after confirmSignInAgain), so the UI can show it as
     * one piece of progress that ends when the sign-in does (a device code then disappears with it).
     */
    whileSigningIn?<T>(work: (signal?: AbortSignal) => Promise<T>): Promise<T>;
}

/** Token problems a new interactive sign-in solves. */
const userCanFix = new Set<SignInProblem>(['consentRequired', 'interactionRequired', 'sessionRevoked', 'secondClientSignIn']);

const accountsKey = 'm365Provisioner.accounts';
const activeKey = 'm365Provisioner.activeAccount';
const credentialKey = (id: string) => `m365Provisioner.appCredential.${id}`;

/**
 * The signed-in accounts (several tenants and clouds at once), which one is active, and a TokenProvider for each.
 * The list and the active id are in globalState; tokens and app credentials only in SecretStorage.
 */
export class Accounts {
    private readonly listeners = new Set<() => void>();
    private readonly delegatedApps = new Map<string, Promise<DelegatedSignIn>>();

    constructor(
        private readonly state: StateStore,
        private readonly secrets: SecretStore,
        private readonly networkFor: (cloud: CloudEndpoints) => INetworkModule,
        private readonly logger: Logger,
    ) {}

    onDidChange(listener: () => void): { dispose(): void } {
        this.listeners.add(listener);
        return { dispose: () => this.listeners.delete(listener) };
    }

    list(): SignedInAccount[] {
        return this.state.get<SignedInAccount[]>(accountsKey) ?? [];
    }

    active(): SignedInAccount | undefined {
        const id = this.state.get<string>(activeKey);
        const accounts = this.list();
        return accounts.find(a => a.id === id) ?? accounts[0];
    }

    async setActive(id: string): Promise<void> {
        if (!this.list().some(a => a.id === id)) throw new Error(`No signed-in account has id ${id}.`);
        await this.state.update(activeKey, id);
        this.changed();
    }

    /**
     * Signs a user in for an intent: one Graph request with all the intent's Graph scopes, then, when the intent includes
     * Exchange, its token straight away (step 2 of 2), so no action later stops for a sign-in. The account is remembered
     * after step 1: should step 2 fail, the Exchange sign-in is asked for again when an Exchange folder opens.
     */
    async signInDelegated(target: SignInTarget, method: 'browser' | 'deviceCode', interaction: SignInInteraction, options: { intent: SignInIntentId; signal?: AbortSignal }): Promise<SignedInAccount> {
        const { signal } = options;
        const intent = signInIntent(options.intent);
        const session = await this.delegated(target.cloud, target.customCloud, target.clientId, target.tenant);
        const steps = intent.exchange.length ? 2 : 1;
        if (steps > 1) interaction.signInStep?.({ step: 1, of: steps, why: 'Microsoft Graph, for the directory; Exchange Online follows as step 2.' });
        const request = { resource: 'graph' as const, scopes: intent.graph, ...(signal ? { signal } : {}) };
        const result = method === 'browser'
            ? await session.signInWithBrowser(url => interaction.openBrowser(url), request)
            : await session.signInWithDeviceCode(interaction.showDeviceCode, request);
        const account = result.account;
        if (!account) throw new SignInError('other', 'Sign-in returned no account.');
        const signedIn: SignedInAccount = {
            id: account.homeAccountId,
            kind: 'delegated',
            cloud: target.cloud,
            ...(target.customCloud ? { customCloud: target.customCloud } : {}),
            tenantId: account.tenantId,
            clientId: target.clientId,
            username: account.username,
            displayName: account.name ?? account.username,
            intent: intent.id,
        };
        await this.remember(signedIn);
        this.logger.info(`[Auth] signed in ${signedIn.username} to tenant ${signedIn.tenantId} (${signedIn.cloud}) to ${intent.label.toLowerCase()}`);
        if (steps > 1) await this.signInToExchange(signedIn, method, interaction, { step: 2, of: steps }, signal);
        return signedIn;
    }

    /**
     * Gets the account's first Exchange token now, silently when it can (an own registration the admin consented to:
     * Entra's refresh token serves every resource consented to), else by a sign-in. With Microsoft Graph Command Line
     * Tools that is a sign-in to the Exchange Online PowerShell app (clients.ts): Microsoft pre-authorises its own apps
     * per API, so it is a sign-in, not a consent, and the browser usually completes it from the login hint.
     */
    private async signInToExchange(account: SignedInAccount, method: 'browser' | 'deviceCode', interaction: SignInInteraction, step: { step: number; of: number }, signal?: AbortSignal): Promise<void> {
        const clientId = clientFor('exchange', account.clientId);
        const session = await this.delegated(account.cloud, account.customCloud, clientId, account.tenantId);
        const scopes = scopesFor(clientId, intentScopes(account.intent, 'exchange'));
        if (await session.account(account.id)) {
            try {
                await session.acquireSilently(account.id, 'exchange', scopes);
                return;
            } catch (error) {
                if (!(error instanceof SignInError) || !userCanFix.has(error.problem)) throw error;
            }
        }
        interaction.signInStep?.({
            ...step,
            why: clientId === account.clientId
                ? 'Exchange Online: each API is consented to in its own request.'
                : `Exchange Online: Microsoft lets only its ${clientName(clientId)} app get Exchange tokens, so that app signs you in once too (no new permission).`,
        });
        const request = { resource: 'exchange' as const, scopes, ...(signal ? { signal } : {}) };
        const result = method === 'browser'
            ? await session.signInWithBrowser(url => interaction.openBrowser(url), { ...request, loginHint: account.username })
            : await session.signInWithDeviceCode(interaction.showDeviceCode, request);
        this.checkSameAccount(account, result);
        this.logger.info(`[Auth] ${account.username} signed in to ${clientName(clientId)} for Exchange Online`);
    }

    private checkSameAccount(account: SignedInAccount, result: AuthenticationResult): void {
        if (result.account && result.account.homeAccountId !== account.id) {
            // Another account was picked: its tokens (cached under its own id) must not stand in for this account's.
            throw new SignInError('cancelled', `That sign-in was as ${result.account.username}, not ${account.username}. Sign in again as ${account.username}.`);
        }
    }

    /** Checks the credential by getting a Graph token before anything is saved. */
    async signInApp(target: SignInTarget, credential: AppCredential): Promise<SignedInAccount> {
        const cloud = cloudEndpoints(target.cloud, target.customCloud);
        const { AppOnlySignIn } = await import('./AppOnlySignIn');
        const app = new AppOnlySignIn(this.msalOptions(cloud, target.clientId, target.tenant), credential);
        const token = await app.acquire('graph');
        const tenantId = tenantOfToken(token) ?? target.tenant;
        const id = `app:${target.clientId}@${tenantId}`;
        await this.secrets.store(credentialKey(id), JSON.stringify(credential));
        const signedIn: SignedInAccount = {
            id,
            kind: 'application',
            cloud: target.cloud,
            ...(target.customCloud ? { customCloud: target.customCloud } : {}),
            tenantId,
            clientId: target.clientId,
            username: target.clientId,
            displayName: `App ${target.clientId}`,
            credentialKind: credential.kind,
        };
        await this.remember(signedIn);
        this.logger.info(`[Auth] signed in app ${target.clientId} to tenant ${tenantId} (${target.cloud}) with a ${credential.kind}`);
        return signedIn;
    }

    /** Forgets the account and clears its cached tokens (and an app's stored credential). */
    async signOut(id: string): Promise<void> {
        const account = this.list().find(a => a.id === id);
        if (!account) return;
        if (account.kind === 'delegated') {
            // Tokens from the second client (Exchange with the default client) go too.
            for (const clientId of new Set([account.clientId, clientFor('exchange', account.clientId)])) {
                await (await this.delegated(account.cloud, account.customCloud, clientId, account.tenantId)).signOut(id);
            }
        } else {
            await this.secrets.delete(credentialKey(id));
            await this.secrets.delete(`m365Provisioner.msal.app.${account.cloud}.${account.tenantId}.${account.clientId}`);
        }
        await this.state.update(accountsKey, this.list().filter(a => a.id !== id));
        if (this.state.get<string>(activeKey) === id) await this.state.update(activeKey, undefined);
        this.logger.info(`[Auth] signed out ${account.username}`);
        this.changed();
    }

    /** Tokens for one account: silent first; for a missing permission, ask, then sign in again for it. */
    tokenProvider(account: SignedInAccount, interaction: SignInInteraction): TokenProvider {
        if (account.kind === 'application') {
            let app: AppOnlySignIn | undefined;
            return {
                getAccessToken: async request => {
                    // App tokens carry the app's granted permissions; per-call scopes do not apply.
                    app ??= await this.appSession(account);
                    return app.acquire(request.resource);
                },
            };
        }
        // Requests in flight together that lack the same permission (a picker's searches, a batch) share one prompt.
        const prompts = new Map<string, Promise<string>>();
        const acquireApp = async (request: TokenRequest) => {
            // msal keeps one token cache per client id: a second client has its own sign-in of the same account.
            const clientId = clientFor(request.resource, account.clientId);
            const session = await this.delegated(account.cloud, account.customCloud, clientId, account.tenantId);
            const scopes = scopesFor(clientId, request.scopes);
            try {
                if (clientId !== account.clientId && !(await session.account(account.id))) {
                    throw new SignInError('secondClientSignIn', `${account.username} has not yet signed in to ${clientName(clientId)}, which gets the ${request.resource === 'exchange' ? 'Exchange Online' : 'Microsoft Graph'} tokens.`);
                }
                return (await session.acquireSilently(account.id, request.resource, scopes)).accessToken;
            } catch (error) {
                if (!(error instanceof SignInError) || !userCanFix.has(error.problem) || request.silentOnly) throw error;
                const key = `${request.resource}|${[...request.scopes].sort().join(' ')}`;
                let prompt = prompts.get(key);
                if (!prompt) {
                    prompt = this.signInAgain(account, session, interaction, { ...request, scopes }, error).finally(() => prompts.delete(key));
                    prompts.set(key, prompt);
                }
                return prompt;
            }
        };
        return { getAccessToken: acquireApp };
    }

    /**
     * Asks the person, then signs in again for the permissions the request needs; returns the new token. When they choose
     * to widen their intent, the sign-in asks for the wider intent's scopes of that API too, and the account keeps the
     * wider intent.
     */
    private async signInAgain(account: SignedInAccount, session: DelegatedSignIn, interaction: SignInInteraction, request: TokenRequest, error: SignInError): Promise<string> {
        const answer = await interaction.confirmSignInAgain(account, error.problem, request.resource, request.scopes);
        if (!answer) {
            throw new SignInError('cancelled', error.problem === 'consentRequired' ? `The action needs ${request.scopes.join(', ')}, which was not granted.` : error.message);
        }
        const wider = answer === 'widen' && error.problem === 'consentRequired' ? widerIntentFor(account.intent, request.resource, request.scopes) : undefined;
        const scopes = wider ? [...new Set([...intentScopes(wider.id, request.resource), ...request.scopes])] : request.scopes;
        // Not tied to the first requester's AbortSignal: others may be waiting on this sign-in too; the progress's own
        // Cancel (whileSigningIn's signal) stops it.
        const signIn = (signal?: AbortSignal) => {
            const options = { resource: request.resource, scopes, ...(signal ? { signal } : {}) };
            return interaction.preferDeviceCode()
                ? session.signInWithDeviceCode(interaction.showDeviceCode, options)
                : session.signInWithBrowser(url => interaction.openBrowser(url), { ...options, loginHint: account.username });
        };
        const result = await (interaction.whileSigningIn ? interaction.whileSigningIn(signIn) : signIn());
        this.checkSameAccount(account, result);
        if (wider) await this.widenIntent(account, wider.id);
        return result.accessToken;
    }

    /** Keeps the wider intent with the account (its tooltip says it; later prompts compare against it). */
    private async widenIntent(account: SignedInAccount, intent: SignInIntentId): Promise<void> {
        const stored = this.list().find(a => a.id === account.id);
        if (!stored) return;
        account.intent = intent;
        await this.state.update(accountsKey, this.list().map(a => (a.id === account.id ? { ...a, intent } : a)));
        this.logger.info(`[Auth] ${account.username} now signed in to ${signInIntent(intent).label.toLowerCase()}`);
        this.changed();
    }

    private async appSession(account: SignedInAccount): Promise<AppOnlySignIn> {
        const stored = await this.secrets.get(credentialKey(account.id));
        if (!stored) throw new SignInError('badClientCredential', `The credential of app ${account.clientId} is no longer stored. Sign in as the app again.`);
        const cloud = cloudEndpoints(account.cloud, account.customCloud);
        const { AppOnlySignIn } = await import('./AppOnlySignIn');
        return new AppOnlySignIn(this.msalOptions(cloud, account.clientId, account.tenantId), JSON.parse(stored) as AppCredential);
    }

    /** msal is loaded on first use, not at activation: it is the heaviest part of the bundle. */
    private delegated(cloudName: CloudName, custom: CustomCloudSettings | undefined, clientId: string, tenant: string): Promise<DelegatedSignIn> {
        const key = `${cloudName}|${custom?.authority ?? ''}|${clientId}|${tenant}`;
        let session = this.delegatedApps.get(key);
        if (!session) {
            const options = this.msalOptions(cloudEndpoints(cloudName, custom), clientId, tenant);
            session = import('./DelegatedSignIn').then(m => new m.DelegatedSignIn(options));
            this.delegatedApps.set(key, session);
        }
        return session;
    }

    private msalOptions(cloud: CloudEndpoints, clientId: string, tenant: string) {
        return { cloud, clientId, tenant, secrets: this.secrets, network: this.networkFor(cloud), logger: this.logger };
    }

    private async remember(account: SignedInAccount): Promise<void> {
        await this.state.update(accountsKey, [...this.list().filter(a => a.id !== account.id), account]);
        await this.state.update(activeKey, account.id);
        this.changed();
    }

    private changed(): void {
        for (const listener of this.listeners) listener();
    }
}

/** The tenant id claim of an access token (read only to label the account; the token is not verified or kept). */
function tenantOfToken(token: string): string | undefined {
    try {
        const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { tid?: string };
        return payload.tid;
    } catch {
        return undefined;
    }
}
