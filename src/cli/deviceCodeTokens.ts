import type { INetworkModule } from '@azure/msal-node';
import { clientFor, clientName, graphCommandLineToolsClientId, scopesFor } from '../auth/clients';
import type { CloudEndpoints } from '../auth/clouds';
import { DelegatedSignIn, signInGraphScopes, type DeviceCodePrompt } from '../auth/DelegatedSignIn';
import type { SecretStore } from '../auth/SecretStore';
import { SignInError } from '../auth/signInErrors';
import type { TokenProvider, TokenRequest } from '../auth/TokenProvider';
import type { Logger } from '../shared/logger';

/**
 * A person's sign-in for the command line: a device code (the one flow a terminal without a browser, or a pipeline
 * agent someone watches, can do), then silent tokens from msal's in-memory cache for the rest of the run. The clients
 * are the extension's (`clientFor`): with Microsoft Graph Command Line Tools, Exchange tokens come from the Exchange
 * Online PowerShell client, so a run that reads Exchange asks for a second code once. A permission the first code did
 * not cover asks again, saying which.
 */
export function deviceCodeTokens(o: { cloud: CloudEndpoints; tenant: string; clientId?: string; network: INetworkModule; secrets: SecretStore; logger: Logger; showCode: (prompt: DeviceCodePrompt, why: string) => void }): TokenProvider {
    const configured = o.clientId ?? graphCommandLineToolsClientId;
    const perClient = new Map<string, { signIn: DelegatedSignIn; homeAccountId?: string; busy: Promise<unknown> }>();
    const entry = (clientId: string) => {
        let found = perClient.get(clientId);
        if (!found) {
            found = { signIn: new DelegatedSignIn({ cloud: o.cloud, clientId, tenant: o.tenant, secrets: o.secrets, network: o.network, logger: o.logger }), busy: Promise.resolve() };
            perClient.set(clientId, found);
        }
        return found;
    };
    const acquire = async (request: TokenRequest): Promise<string> => {
        const clientId = clientFor(request.resource, configured);
        const client = entry(clientId);
        const scopes = scopesFor(clientId, request.scopes);
        if (client.homeAccountId) {
            try {
                return (await client.signIn.acquireSilently(client.homeAccountId, request.resource, scopes)).accessToken;
            } catch (error) {
                if (!(error instanceof SignInError) || request.silentOnly) throw error;
            }
        }
        if (request.silentOnly) throw new SignInError('consentRequired', `${request.scopes.join(', ')} is not granted to this sign-in yet.`);
        // The first code asks for the reads every command needs as well, so most runs need one code per client.
        const wanted = clientId === configured && request.resource === 'graph' && !client.homeAccountId ? [...new Set([...signInGraphScopes, ...scopes])] : [...scopes];
        const why = client.homeAccountId ? `${request.scopes.join(', ')} for ${clientName(clientId)}` : `${request.resource === 'graph' ? 'Microsoft Graph' : 'Exchange Online'} with ${clientName(clientId)}`;
        const result = await client.signIn.signInWithDeviceCode(prompt => o.showCode(prompt, why), { resource: request.resource, scopes: wanted, ...(request.signal ? { signal: request.signal } : {}) });
        client.homeAccountId = result.account?.homeAccountId;
        return result.accessToken;
    };
    return {
        // One sign-in at a time per client: parallel requests of the same run wait for the first code, not ask for more.
        getAccessToken: request => {
            const client = entry(clientFor(request.resource, configured));
            const next = client.busy.then(() => acquire(request), () => acquire(request));
            client.busy = next.catch(() => undefined);
            return next;
        },
    };
}
