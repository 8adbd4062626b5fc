import type { ExchangeErrorForm } from './knobs/knobs';

/**
 * The contracts between the sandbox tenant's parts: the HTTP front door (server.ts, identity/), the tenant model
 * (tenant/), Microsoft Graph (graph/) and the Exchange admin API (exchange/). Each part owns its own files and talks
 * to the others only through these types, so they can be built and tested separately.
 */

/** A parsed request as the front door hands it to an API after the bearer token was checked. */
export interface SandboxRequest {
    method: string;
    /** Full URL; the API's own prefix (`/graph`, `/exchange`) is already stripped from `path`. */
    url: URL;
    /** Path below the API's prefix, e.g. `/v1.0/users` or `/adminapi/beta/{tenantId}/InvokeCommand`. */
    path: string;
    /** Header names in lower case. */
    headers: Readonly<Record<string, string | undefined>>;
    /** Parsed JSON body (undefined when there is none or it is not JSON). */
    body: unknown;
    rawBody: Buffer;
    /** Who is calling, from the validated access token. */
    principal: Principal;
    /** The request id the front door generated; echoed in `request-id` and in error `innerError`. */
    requestId: string;
    /** Aborted when the client goes away. */
    signal: AbortSignal;
}

export interface SandboxResponse {
    status: number;
    headers?: Record<string, string>;
    /** Serialised as JSON unless it is a string or a Buffer. */
    body?: unknown;
}

export type RequestHandler = (request: SandboxRequest) => Promise<SandboxResponse>;

/** The caller, from a validated access token. */
export interface Principal {
    tenantId: string;
    /** Client id of the calling app (`appid`/`azp`). */
    appId: string;
    kind: 'delegated' | 'application';
    /** Object id of the signed-in user (delegated only). */
    userId?: string;
    /**
     * The token's `oid`: the signed-in user (delegated) or the app's service principal (app-only). Exchange's RBAC for
     * Applications matches an assignment's service principal by it (exchange/appAuthorization.ts).
     */
    objectId?: string;
    userPrincipalName?: string;
    /** Delegated permissions (`scp`), e.g. `User.Read.All`; without resource prefix. */
    scopes: readonly string[];
    /** Application permissions (`roles`), e.g. `User.ReadWrite.All`, `Exchange.ManageAsApp`. */
    roles: readonly string[];
    /** Which API the token was issued for. */
    audience: 'graph' | 'exchange';
}

/** Knob values the APIs read at request time (the front door applies latency, throttling and faults itself). */
export interface SandboxKnobs {
    /** A new directory object is invisible to Exchange until this long after it was created. */
    replicationLagMs: number;
    /** How Exchange error bodies carry the exception (sandbox/src/exchange/errors.ts); `mixed` picks per error. */
    exchangeErrorForm: ExchangeErrorForm;
}

/** Everything an API needs besides the request. */
export interface SandboxContext {
    state: TenantState;
    knobs: SandboxKnobs;
    /** Milliseconds since the epoch; tests may move the clock. */
    now(): number;
    /** A new random GUID. */
    newId(): string;
    /**
     * The next draw in [0, 1) from this tenant's stream of that name, derived from the sandbox's one seed (knob
     * `faultSeed`), so a run's chances repeat when it is replayed with the same seed.
     */
    chance(stream: string): number;
    /**
     * Charges one more command of a `$batch` (beyond its first, which the front door charged with the HTTP request)
     * against the calling app's throttle: 0 when it may run, else the seconds it must wait (knobs/throttle.ts).
     */
    chargeBatchCommand?(api: 'graph' | 'exchange', appId: string): number;
}

// ---------------------------------------------------------------------------------------------------------------
// The tenant model: one organisation, shared by identity, Graph and Exchange. Plain data (JSON-serialisable
// through the arrays/maps below) so the front door can save and load it.
// ---------------------------------------------------------------------------------------------------------------

export interface TenantState {
    tenantId: string;
    organization: Organization;
    domains: Domain[];
    /** Keyed by object id. */
    users: Map<string, DirectoryUser>;
    /** Keyed by object id. Includes mail-enabled security groups created through Exchange. */
    groups: Map<string, DirectoryGroup>;
    skus: SubscribedSku[];
    roleDefinitions: RoleDefinition[];
    roleAssignments: RoleAssignment[];
    /** Keyed by the owning user's object id (user and shared mailboxes). */
    mailboxes: Map<string, Mailbox>;
    roleGroups: ExchangeRoleGroup[];
    /** App registrations with their service principals in this tenant. */
    apps: AppRegistration[];
    /**
     * Service principals: one per app registration that has one in this tenant (same id as its `servicePrincipalId`),
     * and the resource APIs' own (Microsoft Graph, Office 365 Exchange Online; identity/permissionCatalogue.ts).
     * Absent in state files written before issue 17: tenant/applications.ts fills it in on load.
     */
    servicePrincipals?: ServicePrincipal[];
    /** Application permissions granted (admin consent to app roles): the one source of a token's `roles`. */
    appRoleAssignments?: AppRoleAssignmentRecord[];
    /** Delegated permissions granted (admin or user consent): the one source of a delegated token's `scp`. */
    oauth2PermissionGrants?: OAuth2PermissionGrantRecord[];
    /** Conditional Access policies as Graph returns them (`conditionalAccessPolicy`); none while security defaults are on. */
    conditionalAccessPolicies?: Record<string, unknown>[];
    /**
     * Users in Entra's deleted items (`DELETE /users/{id}` moves them here; tenant/deletedItems.ts): restorable for 30
     * days, then purged. Absent in state files written before soft deletion existed, which load as "none deleted".
     */
    deletedUsers?: DeletedUser[];
    /**
     * Exchange's RBAC for Applications (exchange/appRbac.ts): the service principal pointers New-ServicePrincipal made,
     * the management scopes and the role assignments to apps. Absent in older state files, which load as "none".
     */
    exchangeServicePrincipals?: ExchangeServicePrincipal[];
    managementScopes?: ManagementScope[];
    exchangeAppRoleAssignments?: ExchangeAppRoleAssignment[];
    /** The organisation's EWS settings (Get-OrganizationConfig). Absent = never set, as Microsoft leaves a new tenant. */
    exchangeOrganizationConfig?: ExchangeOrganizationConfig;
}

/** Exchange's pointer to an Entra service principal (New-ServicePrincipal). */
export interface ExchangeServicePrincipal {
    /** The app's client id. */
    appId: string;
    /** The Entra service principal's object id (the token's `oid` for app-only calls). */
    objectId: string;
    displayName: string;
    /** Exchange's own id for the pointer (Identity and Guid in the cmdlets' output). */
    identity: string;
}

/** A management scope (New-ManagementScope): a recipient filter in OPATH; only recipient scopes are modelled. */
export interface ManagementScope {
    id: string;
    name: string;
    recipientRestrictionFilter: string;
}

/** `New-ManagementRoleAssignment -App`: an "Application …" role for one service principal, optionally scoped. */
export interface ExchangeAppRoleAssignment {
    id: string;
    name: string;
    /** The role's name, e.g. `Application Calendars.ReadWrite`. */
    role: string;
    /** ExchangeServicePrincipal.identity of the assignee. */
    servicePrincipal: string;
    /** ManagementScope.name; absent = the whole organisation. */
    customResourceScope?: string;
}

/**
 * The EWS settings of Set-OrganizationConfig. `null` is "not configured" (`$null`, the default: office-docs-powershell
 * Set-OrganizationConfig.md, -EwsEnabled); after 1 October 2026 a tenant left unconfigured has EWS off (MC1227454).
 */
export interface ExchangeOrganizationConfig {
    ewsEnabled: boolean | null;
    ewsApplicationAccessPolicy: 'EnforceAllowList' | 'EnforceBlockList' | null;
    ewsAllowList: string[] | null;
    ewsBlockList: string[] | null;
}

/** A calendar event as Graph's event resource shows it (the subset the sandbox keeps). */
export interface CalendarEvent {
    id: string;
    subject: string;
    start: { dateTime: string; timeZone: string };
    end: { dateTime: string; timeZone: string };
    organizer: { emailAddress: { name: string; address: string } };
    createdDateTime: string;
    lastModifiedDateTime: string;
}

/**
 * A deleted user and what it held, kept together as Entra keeps them for 30 days ("user resources, including their
 * mailbox and license assignments, are moved to a temporary container and if the user is restored within 30 days,
 * these objects are restored to them. The user is also restored to any groups they were a member of": Graph's "Delete
 * a user" page). The licences stay in `user.assignedLicenses` and still count as consumed until the purge.
 */
export interface DeletedUser {
    user: DirectoryUser;
    /** ISO date-time of the deletion; the user is purged 30 days later. */
    deletedDateTime: string;
    /** The user's mailbox, soft-deleted with it: Exchange does not see it until the user is restored. */
    mailbox?: Mailbox;
    /** Ids of the groups (Entra and Exchange groups) the user was a direct member of, and owned. */
    memberOf: string[];
    ownerOf: string[];
    /** Directory role assignments held while deleted, given back on restore (an assumption: FIDELITY.md A41). */
    roleAssignments: RoleAssignment[];
    /** Ids of the Exchange role groups the user was a member of (also an assumption, A41). */
    roleGroups: string[];
}

export interface Organization {
    id: string;
    displayName: string;
    countryLetterCode: string;
    /** Security defaults block non-interactive sign-in of accounts without MFA. */
    securityDefaultsEnabled: boolean;
    createdDateTime: string;
}

export interface Domain {
    id: string;
    isVerified: boolean;
    isDefault: boolean;
    isInitial: boolean;
    authenticationType: 'Managed' | 'Federated';
    supportedServices: string[];
}

export interface AssignedLicense {
    skuId: string;
    disabledPlans: string[];
}

export interface DirectoryUser {
    id: string;
    userPrincipalName: string;
    displayName: string;
    givenName?: string;
    surname?: string;
    mail?: string;
    mailNickname: string;
    jobTitle?: string;
    department?: string;
    officeLocation?: string;
    usageLocation?: string;
    accountEnabled: boolean;
    userType: 'Member' | 'Guest';
    passwordPolicies?: string;
    /** Never returned by Graph; used by the sign-in page and kept only in the sandbox. */
    password?: string;
    forceChangePasswordNextSignIn?: boolean;
    assignedLicenses: AssignedLicense[];
    /** ISO date-time. Exchange sees the user only after this plus the replication lag. */
    createdDateTime: string;
    /**
     * Sandbox-side attributes Graph shows as properties: `employeeType` is how the extension marks service accounts
     * (set to `serviceAccountEmployeeType`), and Graph returns it as the user's `employeeType`.
     */
    extensionAttributes?: Record<string, string>;
    /** Admin accounts offered on the sandbox sign-in page. */
    canSignIn?: boolean;
}

/** The `employeeType` that marks a service account: the extension sets it on the accounts it creates. */
export const serviceAccountEmployeeType = 'ServiceAccount';

export interface DirectoryGroup {
    id: string;
    displayName: string;
    description?: string;
    mailNickname: string;
    mail?: string;
    mailEnabled: boolean;
    securityEnabled: boolean;
    /** `Unified` for Microsoft 365 groups. */
    groupTypes: string[];
    /** Member object ids: users or groups (nested). */
    members: string[];
    owners: string[];
    createdDateTime: string;
    /** Present when Exchange manages the group (distribution or mail-enabled security group). */
    exchange?: ExchangeGroupSettings;
}

export interface ExchangeGroupSettings {
    /**
     * Made in Exchange (New-DistributionGroup): Exchange masters it and sees it at once; only Entra ID gets it after the
     * replication lag. Groups made in Entra ID reach Exchange after the lag.
     */
    createdInExchange?: boolean;
    name: string;
    primarySmtpAddress: string;
    /** `Universal` or `Universal, SecurityEnabled`. */
    groupType: string;
    memberJoinRestriction: 'Open' | 'Closed' | 'ApprovalRequired';
    memberDepartRestriction: 'Open' | 'Closed';
    hiddenFromAddressListsEnabled: boolean;
    /** Object ids of senders (users or groups) allowed to mail the group; empty = anyone. */
    acceptMessagesOnlyFromSendersOrMembers: string[];
    managedBy: string[];
}

export interface ServicePlanInfo {
    servicePlanId: string;
    servicePlanName: string;
    provisioningStatus: string;
    appliesTo: 'User' | 'Company';
}

export interface SubscribedSku {
    id: string;
    skuId: string;
    skuPartNumber: string;
    capabilityStatus: 'Enabled' | 'Warning' | 'Suspended' | 'Deleted' | 'LockedOut';
    consumedUnits: number;
    prepaidUnits: { enabled: number; suspended: number; warning: number; lockedOut: number };
    servicePlans: ServicePlanInfo[];
    appliesTo: 'User' | 'Company';
}

export interface RoleDefinition {
    id: string;
    templateId: string;
    displayName: string;
    description: string;
    isBuiltIn: boolean;
    isEnabled: boolean;
    /** Sandbox-only: counted as privileged in the explorer and by the wizard. */
    isPrivileged: boolean;
    allowedResourceActions: string[];
}

export interface RoleAssignment {
    id: string;
    roleDefinitionId: string;
    principalId: string;
    directoryScopeId: string;
    createdDateTime: string;
}

export type MailboxType = 'UserMailbox' | 'SharedMailbox' | 'RoomMailbox';

export interface MailboxFolderPermissionEntry {
    /** `Default`, `Anonymous`, or the object id of a user or mail-enabled group. */
    principal: string;
    accessRights: string[];
    sharingPermissionFlags?: string;
}

export interface Mailbox {
    /** The owning user's object id (shared mailboxes are unlicensed disabled users). */
    userId: string;
    recipientTypeDetails: MailboxType;
    primarySmtpAddress: string;
    alias: string;
    /** When the mailbox was provisioned; Exchange sees it after this plus the replication lag. */
    createdDateTime: string;
    /** Localised name of the calendar folder, e.g. `Calendar`, `Kalender`, `Calendrier`. */
    calendarFolderName: string;
    calendarPermissions: MailboxFolderPermissionEntry[];
    /** Mailbox settings changed through Graph (time zone, formats); unset ones take the defaults. */
    settings?: Record<string, unknown>;
    /** Events in the default calendar (graph/calendarEvents.ts); absent = none. */
    calendarEvents?: CalendarEvent[];
}

export interface ExchangeRoleGroup {
    id: string;
    name: string;
    displayName: string;
    description: string;
    roles: string[];
    /** Object ids of member users or groups. */
    members: string[];
}

/** A client secret's metadata as Graph shows it (passwordCredential); the secret itself is kept only as a hash. */
export interface AppSecret {
    /** The credential's keyId (older state files call it `id`). */
    id: string;
    /** First three characters of the secret, as Entra shows them. */
    hint: string;
    sha256: string;
    expiresDateTime: string;
    displayName?: string;
    startDateTime?: string;
}

/** A certificate's metadata as Graph shows it (keyCredential), with the public key that checks client assertions. */
export interface AppCertificate {
    /** base64url SHA-1 thumbprint (`x5t`); Graph shows it as customKeyIdentifier (hex, upper case). */
    thumbprint: string;
    thumbprint256?: string;
    publicKeyPem: string;
    expiresDateTime: string;
    keyId?: string;
    displayName?: string;
    startDateTime?: string;
    /** The certificate itself (base64 DER), as PATCH keyCredentials sent it; Graph never returns it (`key: null`). */
    certificateDer?: string;
}

/** An app role or delegated scope a resource service principal offers (appRole / permissionScope in Graph). */
export interface ResourcePermission {
    id: string;
    value: string;
    displayName: string;
}

export interface ServicePrincipal {
    id: string;
    appId: string;
    displayName: string;
    servicePrincipalType: 'Application';
    accountEnabled: boolean;
    /** Tenant id of the app's home tenant (Microsoft's for first-party and resource apps). */
    appOwnerOrganizationId: string;
    createdDateTime: string;
    /** App roles it offers (resource SPs only); allowedMemberTypes is always ['Application'] in the sandbox. */
    appRoles: ResourcePermission[];
    /** Delegated permissions it offers (resource SPs only). */
    oauth2PermissionScopes: ResourcePermission[];
}

/** appRoleAssignment: the client SP `principalId` holds app role `appRoleId` of resource SP `resourceId`. */
export interface AppRoleAssignmentRecord {
    id: string;
    principalId: string;
    principalDisplayName: string;
    principalType: 'ServicePrincipal';
    resourceId: string;
    resourceDisplayName: string;
    appRoleId: string;
    createdDateTime: string;
}

/** oAuth2PermissionGrant: `scope` (space-separated) of resource SP `resourceId` for client SP `clientId`. */
export interface OAuth2PermissionGrantRecord {
    id: string;
    clientId: string;
    consentType: 'AllPrincipals' | 'Principal';
    /** The user, for consentType Principal; null for AllPrincipals. */
    principalId: string | null;
    resourceId: string;
    scope: string;
}

export interface AppRegistration {
    appId: string;
    displayName: string;
    /**
     * "Allow public client flows" on the registration's Authentication page (manifest `allowPublicClient`): device code
     * and other flows without a client secret are refused with AADSTS7000218 when it is off.
     */
    isPublicClient: boolean;
    /**
     * Redirect URIs by platform: `publicClient` = "Mobile and desktop applications" (no secret needed to redeem a code),
     * `web` = "Web" (a confidential client: redeeming a code needs a secret). None registered: no browser sign-in.
     */
    redirectUris?: { publicClient: string[]; web: string[] };
    /**
     * Only in state files written before issue 17 and in tests that register an app by hand: delegated permissions
     * consented to (without resource prefix). tenant/applications.ts turns them into oauth2PermissionGrants and
     * deletes the field; the grants are the one source of truth.
     */
    consentedScopes?: string[];
    /** Likewise legacy: application permissions, turned into appRoleAssignments and deleted. */
    appRoles?: string[];
    /** Client secrets (passwordCredentials): only a hash is kept. */
    secrets: AppSecret[];
    /** Certificates (keyCredentials): base64url SHA-1 thumbprint (`x5t`), SHA-256 thumbprint (`x5t#S256`) and PEM public key. */
    certificates: AppCertificate[];
    /** Object id of the app's service principal here (state.servicePrincipals); empty until one is created (POST /servicePrincipals), and without one the app gets no tokens. */
    servicePrincipalId: string;
    /** The application object's id (Graph `id`), distinct from appId. Absent in older state files: derived on load. */
    id?: string;
    signInAudience?: 'AzureADMyOrg' | 'AzureADMultipleOrgs';
    createdDateTime?: string;
    /** Object ids of the owners (users). */
    owners?: string[];
    /** requiredResourceAccess as Graph shows it: which permissions the app asks for (consent is separate). */
    requiredResourceAccess?: { resourceAppId: string; resourceAccess: { id: string; type: 'Scope' | 'Role' }[] }[];
    /** `isFallbackPublicClient` in Graph; mirrors isPublicClient. */
    isFallbackPublicClient?: boolean;
}
