import type { ApiResource } from './TokenProvider';

/**
 * What the admin says they will do in a tenant when they sign in. One sign-in (and one consent) covers the whole set,
 * so the first hour is not a string of prompts: Graph gets one request with every scope of the intent; Exchange, when
 * the intent includes it, is signed in to straight after, in the same progress.
 */
export type SignInIntentId = 'browse' | 'browseExchange' | 'provision';

export interface SignInIntent {
    id: SignInIntentId;
    /** The quick pick's label, in the admin's words. */
    label: string;
    /** A few words next to the label: what it lets the admin do. */
    summary: string;
    /** One short line: what it asks Microsoft for, in plain words (each permission's own words: permissionDescriptions). */
    asks: string;
    /** Delegated Microsoft Graph permissions asked for at sign-in, in one request. */
    graph: readonly string[];
    /** Delegated Exchange Online permissions asked for at sign-in (a second token request: one resource per token). */
    exchange: readonly string[];
}

/** Read permissions the Directory view's folders need (Users, Groups, Directory roles, Licences, the tenant's name). */
const directoryReads = ['User.Read.All', 'Group.Read.All', 'Directory.Read.All', 'RoleManagement.Read.Directory', 'Organization.Read.All', 'Domain.Read.All'] as const;

/**
 * Every Graph permission the code asks for anywhere (reads, each step's writeScopes/removeScopes, the applications'
 * and our own registration's calls). test/unit/auth/signInIntents.test.ts reads them off the source and fails when a
 * call asks for one this list lacks, so "Provision" never leads to a second consent in Apply.
 */
const provisioningGraph = [
    ...directoryReads,
    'User.ReadWrite.All', 'RoleManagement.ReadWrite.Directory', 'LicenseAssignment.ReadWrite.All', 'Policy.Read.All',
    'Application.Read.All', 'Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All',
] as const;

/** The Exchange admin API (InvokeCommand) checks this one permission (ExchangeAdminClient.ts exchangeScopes). */
const exchangeAdmin = ['Exchange.Manage'] as const;

export const signInIntents: readonly SignInIntent[] = [
    {
        id: 'browse', label: 'Browse the directory', graph: directoryReads, exchange: [],
        summary: 'look around; a change asks for its permission the first time',
        asks: 'Asks to read users, groups, admin roles, licences and the organisation (read only).',
    },
    {
        id: 'browseExchange', label: 'Browse, including Exchange', graph: directoryReads, exchange: exchangeAdmin,
        summary: 'plus role groups, mail-enabled groups and mailboxes',
        asks: 'Asks for the same reads, and to manage Exchange (needed even to read it).',
    },
    {
        id: 'provision', label: 'Provision', graph: provisioningGraph, exchange: exchangeAdmin,
        summary: 'browse and make changes, with no further prompt',
        asks: 'Asks to create and change users, licences, admin roles, app registrations, Exchange.',
    },
];

/** The intent of an account signed in before intents existed: what sign-in asked for then (the directory reads). */
export const defaultIntentOfOldAccounts: SignInIntentId = 'browse';

export function signInIntent(id: SignInIntentId | undefined): SignInIntent {
    return signInIntents.find(i => i.id === (id ?? defaultIntentOfOldAccounts)) ?? signInIntents[0];
}

/** The scopes an intent asks for from one API. */
export function intentScopes(id: SignInIntentId | undefined, resource: ApiResource): readonly string[] {
    const intent = signInIntent(id);
    return resource === 'graph' ? intent.graph : intent.exchange;
}

/** Of the permissions a call needs, those the account's intent did not ask for at sign-in. */
export function notCoveredBy(id: SignInIntentId | undefined, resource: ApiResource, scopes: readonly string[]): string[] {
    const covered = new Set(intentScopes(id, resource).map(s => s.toLowerCase()));
    return scopes.filter(s => !covered.has(s.toLowerCase()));
}

/** The narrowest intent that covers these permissions as well as everything the current one does; undefined if none. */
export function widerIntentFor(id: SignInIntentId | undefined, resource: ApiResource, scopes: readonly string[]): SignInIntent | undefined {
    const current = signInIntents.indexOf(signInIntent(id));
    return signInIntents.slice(current + 1).find(i => notCoveredBy(i.id, resource, scopes).length === 0);
}

/**
 * What each permission lets M365 Provisioner do, in plain words. Worded after the delegated permissions' descriptions
 * in Microsoft's "Microsoft Graph permissions reference" (microsoft-graph-docs-contrib: concepts/permissions-reference.md)
 * and, for Exchange.Manage, Office 365 Exchange Online's "Manage Exchange configurations" (the admin API's permission).
 */
export const permissionDescriptions: Readonly<Record<string, string>> = {
    'User.Read.All': 'read every user\'s profile',
    'User.ReadWrite.All': 'create and change users, their passwords and licences, and delete users',
    'Group.Read.All': 'read every group and its members',
    'Directory.Read.All': 'read the directory: users, groups, apps, roles and licences',
    'RoleManagement.Read.Directory': 'read who holds which Entra admin role',
    'RoleManagement.ReadWrite.Directory': 'assign and remove Entra admin roles',
    'Organization.Read.All': 'read the organisation\'s name, domains and subscriptions',
    'Domain.Read.All': 'read the tenant\'s domains',
    'LicenseAssignment.ReadWrite.All': 'assign and remove licences',
    'Policy.Read.All': 'read sign-in and Conditional Access policies (to warn before they block an account)',
    'Application.Read.All': 'read app registrations and enterprise apps',
    'Application.ReadWrite.All': 'create and change app registrations and their credentials',
    'AppRoleAssignment.ReadWrite.All': 'grant and remove apps\' application permissions (admin consent)',
    'DelegatedPermissionGrant.ReadWrite.All': 'grant and remove apps\' delegated permissions (admin consent)',
    'Exchange.Manage': 'manage Exchange: role groups, mail-enabled groups and calendar permissions',
};

/** "User.ReadWrite.All: create and change users…", for prompts; a permission we have no words for is shown as is. */
export function describePermission(scope: string): string {
    const words = Object.entries(permissionDescriptions).find(([name]) => name.toLowerCase() === scope.toLowerCase())?.[1];
    return words ? `${scope}: ${words}` : scope;
}

/** Every permission an intent asks for, one described per line (a tooltip, the log). */
export function describeIntentPermissions(intent: SignInIntent): string[] {
    return [...intent.graph, ...intent.exchange].map(describePermission);
}
