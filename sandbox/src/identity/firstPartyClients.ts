import type { ApiAudience } from './tokens';

/**
 * Microsoft-owned (first-party) public clients the sandbox knows. They exist in every tenant without being registered
 * there, and Entra gives them tokens only for the resources their owners pre-authorised them for: anything else is
 * AADSTS65002 ("applications owned and operated by Microsoft must get approval from the API owner before requesting
 * tokens for that API"; MicrosoftDocs/entra-docs:docs/identity-platform/reference-error-codes.md). Reports of it for
 * other first-party clients: AzureAD/microsoft-authentication-library-for-dotnet#668, Azure-Samples/DSRegTool#1.
 */
export interface FirstPartyClient {
    appId: string;
    displayName: string;
    /**
     * The resources it may get tokens for. `consent`: the delegated permissions the user or an admin consents to (the
     * consent page appears as for a tenant's own app). A list: permissions its owner pre-authorised, granted without any
     * consent prompt (`.default` gives them all).
     */
    resources: Partial<Record<ApiAudience, 'consent' | readonly string[]>>;
    /** Its public-client (mobile and desktop) redirect URIs; Entra ignores the port of a localhost one. */
    redirectUris: readonly string[];
    /** Where we learnt what it may do. */
    source: string;
}

/** Microsoft's resource application ids, as AADSTS65002 names them. */
export const resourceAppIds: Record<ApiAudience, string> = {
    graph: '00000003-0000-0000-c000-000000000000',
    exchange: '00000002-0000-0ff1-ce00-000000000000',
};

export const graphCommandLineToolsId = '14d82eec-204b-4c2f-b7e8-296a70dab67e';
export const exchangeOnlinePowerShellId = 'fb78d390-0c51-40cd-8e17-fdbfab77341b';

export const firstPartyClients: readonly FirstPartyClient[] = [
    {
        appId: graphCommandLineToolsId,
        displayName: 'Microsoft Graph Command Line Tools',
        // Connect-MgGraph -Scopes asks for consent to each Graph permission it names; it has no Exchange permission.
        resources: { graph: 'consent' },
        redirectUris: ['http://localhost'],
        source: 'MicrosoftDocs/microsoftgraph-docs-powershell:microsoftgraph/docs-conceptual/authentication-commands.md (Connect-MgGraph -Scopes, -UseDeviceAuthentication; "Globally registered apps don\'t replicate to Azure China"); its id in AADSTS700016 reports from China: microsoftgraph/msgraph-sdk-powershell#1735',
    },
    {
        appId: exchangeOnlinePowerShellId,
        displayName: 'Microsoft Exchange REST API Based Powershell',
        // Connect-ExchangeOnline signs in with this client and https://outlook.office365.com/.default, with no consent
        // prompt: Exchange Online pre-authorised it. Which permissions the token carries is not documented; the sandbox's
        // Exchange admin API checks Exchange.Manage, so that is what it grants.
        resources: { exchange: ['Exchange.Manage'] },
        redirectUris: ['http://localhost', 'https://login.microsoftonline.com/organizations/oauth2/nativeclient'],
        source: 'MicrosoftDocs/office-docs-powershell:exchange/docs-conceptual/connect-to-exchange-online-powershell.md (Connect-ExchangeOnline, -Device); public clients: PingCastle O365Api (fb78d390…, https://outlook.office365.com/.default), MSAL.NET WithDefaultRedirectUri',
    },
];

export function firstPartyClient(appId: string): FirstPartyClient | undefined {
    return firstPartyClients.find(c => c.appId === appId);
}

/** Microsoft's AADSTS65002 text, for a first-party client asking for a resource it is not pre-authorised for. */
export function notPreAuthorisedText(appId: string, audience: ApiAudience): string {
    return `Consent between first party application '${appId}' and first party resource '${resourceAppIds[audience]}' must be configured via preauthorization - applications owned and operated by Microsoft must get approval from the API owner before requesting tokens for that API.`;
}

/**
 * Whether a first-party client may get a token for these permissions of this resource: undefined when it may, else the
 * AADSTS65002 text. A pre-authorised list is the whole of what it may ask for (`.default` stands for the list); being
 * stricter than Entra here (which may accept other scopes of a pre-authorised resource) keeps our client honest.
 */
export function firstPartyRefusal(client: FirstPartyClient, audience: ApiAudience, permissions: readonly string[]): string | undefined {
    const allowed = client.resources[audience];
    if (!allowed) return notPreAuthorisedText(client.appId, audience);
    if (allowed === 'consent') return undefined;
    return permissions.every(p => p === '.default' || allowed.includes(p)) ? undefined : notPreAuthorisedText(client.appId, audience);
}
