import type { CloudEndpoints } from '../src/auth/clouds';
import type { DelegatedSignIn, DeviceCodePrompt } from '../src/auth/DelegatedSignIn';
import { signInGraphScopes } from '../src/auth/DelegatedSignIn';
import { msalNetworkModule } from '../src/auth/msalNetwork';
import { inMemorySecrets } from '../src/auth/SecretStore';
import type { ApiResource, TokenProvider } from '../src/auth/TokenProvider';
import { exchangeScopes } from '../src/exchange/ExchangeAdminClient';
import type { HttpTransport } from '../src/net/HttpTransport';
import type { Logger } from '../src/shared/logger';
import type { SignInFindings } from './context';

// The smoke run's only use of src/auth: DelegatedSignIn (device code, then silent tokens) per client id, with msal's
// cache in memory for the run. Kept to this file so a change to how the extension picks clients merges in one place.

export interface SmokeSignIn {
    tokens: TokenProvider;
    /** False when no client could get an Exchange token (findings.exchangeSignInError says why). */
    hasExchange: boolean;
    tenantId: string;
    username: string;
    findings: SignInFindings;
}

export interface SignInSetup {
    cloud: CloudEndpoints;
    tenant: string;
    graphClientId: string;
    exchangeClientId: string;
    transport: Pick<HttpTransport, 'send'>;
    logger: Logger;
    /** Shows Entra's device-code prompt (the person's only step); the sandbox run approves it itself. */
    showDeviceCode(prompt: DeviceCodePrompt): void;
    /** Sandbox only: the client to use for Exchange when the Exchange client cannot sign in there. */
    exchangeFallbackClientId?: string;
}

/** A session that got a token for a resource, and the scopes it got (when they are not what the clients ask for). */
interface SignedIn {
    session: DelegatedSignIn;
    homeAccountId: string;
    scopes?: readonly string[];
}


/** One line for the report: Entra's AADSTS code first when there is one (the checks compare it), then the text. */
const messageOf = (error: unknown) => {
    const text = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    const aadsts = (error as { aadsts?: string }).aadsts;
    return aadsts && !text.includes(aadsts) ? `${aadsts}: ${text}` : text;
};

/**
 * Signs in by device code for Graph with the Graph client, then for Exchange with the Exchange client (a second
 * device code when the two differ: Microsoft's first-party clients are each pre-authorised for their own API), and
 * asks Entra once, silently, whether the Graph client may have an Exchange token too.
 */
export async function signInForSmoke(setup: SignInSetup): Promise<SmokeSignIn> {
    const { DelegatedSignIn } = await import('../src/auth/DelegatedSignIn');
    const secrets = inMemorySecrets();
    const network = msalNetworkModule(request => setup.transport.send(request));
    const session = (clientId: string): DelegatedSignIn => new DelegatedSignIn({ cloud: setup.cloud, clientId, tenant: setup.tenant, secrets, network, logger: setup.logger });

    // msal has been seen to call back with Entra's error answer (no code in it) before it throws: show only real codes.
    const showDeviceCode = (prompt: DeviceCodePrompt) => {
        if (prompt.userCode) setup.showDeviceCode(prompt);
    };
    const graphSession = session(setup.graphClientId);
    const graphResult = await graphSession.signInWithDeviceCode(showDeviceCode, { resource: 'graph', scopes: signInGraphScopes });
    const account = graphResult.account;
    if (!account) throw new Error('The Graph sign-in returned no account.');

    const graphClientForExchange = await graphSession.acquireSilently(account.homeAccountId, 'exchange', exchangeScopes).then(
        () => ({ gotToken: true }),
        (error: unknown) => ({ gotToken: false, error: messageOf(error) }),
    );

    const findings: SignInFindings = { graphClientId: setup.graphClientId, exchangeClientId: setup.exchangeClientId, graphClientForExchange };
    let exchange: SignedIn | undefined;
    const signInExchange = async (clientId: string): Promise<SignedIn> => {
        // One client for both (an own registration): its Graph sign-in may already cover Exchange, else one more code.
        const same = clientId === setup.graphClientId;
        if (same && graphClientForExchange.gotToken) return { session: graphSession, homeAccountId: account.homeAccountId };
        const exchangeSession = same ? graphSession : session(clientId);
        const attempt = async (scopes: readonly string[]): Promise<SignedIn> => {
            const result = await exchangeSession.signInWithDeviceCode(showDeviceCode, { resource: 'exchange', scopes });
            if (!result.account) throw new Error('The Exchange sign-in returned no account.');
            return { session: exchangeSession, homeAccountId: result.account.homeAccountId, scopes };
        };
        try {
            return await attempt(exchangeScopes);
        } catch (error) {
            if ((error as { problem?: string }).problem === 'cancelled') throw error;
            // Exchange.Manage (what the extension asks for) refused: try `.default`, what Connect-ExchangeOnline asks
            // for, so the Exchange checks still run and the report says which one the client may have.
            const refused = messageOf(error);
            const fallback = await attempt(['.default']).catch(() => undefined);
            if (!fallback) throw error;
            findings.exchangeScopeRefused = `Exchange.Manage refused (${refused}); .default worked`;
            return fallback;
        }
    };
    try {
        exchange = await signInExchange(setup.exchangeClientId);
    } catch (error) {
        findings.exchangeSignInError = messageOf(error);
        if (setup.exchangeFallbackClientId) {
            findings.exchangeFallback = `Exchange checks ran with client ${setup.exchangeFallbackClientId}: ${setup.exchangeClientId} could not sign in.`;
            exchange = await signInExchange(setup.exchangeFallbackClientId).catch(() => undefined);
        }
    }

    const sessions: Record<ApiResource, SignedIn | undefined> = { graph: { session: graphSession, homeAccountId: account.homeAccountId }, exchange };
    const tokens: TokenProvider = {
        getAccessToken: async request => {
            const signedIn = sessions[request.resource];
            if (!signedIn) throw new Error(`No ${request.resource} token: ${findings.exchangeSignInError ?? 'not signed in'}`);
            return (await signedIn.session.acquireSilently(signedIn.homeAccountId, request.resource, signedIn.scopes ?? request.scopes)).accessToken;
        },
    };
    return { tokens, hasExchange: exchange !== undefined, tenantId: account.tenantId, username: account.username, findings };
}
