import type { ApiResource } from './TokenProvider';

/**
 * Microsoft Graph Command Line Tools: Microsoft's public client that Connect-MgGraph uses, present in every tenant. The
 * default `m365Provisioner.clientId`. It may get Microsoft Graph tokens only: Entra refuses it any other resource with
 * AADSTS65002, because Microsoft's own apps get tokens only for the APIs their owners pre-authorised them for.
 */
export const graphCommandLineToolsClientId = '14d82eec-204b-4c2f-b7e8-296a70dab67e';

/**
 * Microsoft's Exchange Online PowerShell client ("Microsoft Exchange REST API Based Powershell"), the one
 * Connect-ExchangeOnline signs in with: pre-authorised for Office 365 Exchange Online, so it needs no consent.
 */
export const exchangeOnlinePowerShellClientId = 'fb78d390-0c51-40cd-8e17-fdbfab77341b';

/**
 * The client that gets tokens for a resource. With the default (Microsoft Graph Command Line Tools), Exchange tokens
 * come from the Exchange Online PowerShell client, as tools that use the Graph client do; an admin's own registration
 * is used for both (its API permissions name both APIs).
 */
export function clientFor(resource: ApiResource, configuredClientId: string): string {
    if (resource === 'exchange' && configuredClientId.toLowerCase() === graphCommandLineToolsClientId) return exchangeOnlinePowerShellClientId;
    return configuredClientId;
}

/**
 * The permissions to ask a client for. The Exchange Online PowerShell client asks for `.default` (its pre-authorised
 * permissions), as Connect-ExchangeOnline does with https://outlook.office365.com/.default; every other client asks
 * for exactly what the call needs (incremental consent).
 */
export function scopesFor(clientId: string, scopes: readonly string[]): readonly string[] {
    return clientId === exchangeOnlinePowerShellClientId ? ['.default'] : scopes;
}

/** Names for messages: which app a sign-in is with. */
export function clientName(clientId: string): string {
    if (clientId === graphCommandLineToolsClientId) return 'Microsoft Graph Command Line Tools';
    if (clientId === exchangeOnlinePowerShellClientId) return 'Exchange Online PowerShell';
    return `app ${clientId}`;
}
