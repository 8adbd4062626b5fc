import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import type { ListPage, PageRequest } from './directoryPages';
import type { GraphClient } from './GraphClient';
import { filterEquals, filterParam } from './odata';

/**
 * App registrations, their service principals, credentials and consent, one typed function per Graph call (issue 17).
 * The steps, the Applications folder and "Register M365 Provisioner in This Tenant…" all go through these, so each
 * request and the permission it needs is written once. Sources: microsoft-graph-docs-contrib
 * `api-reference/v1.0/api/application-*.md`, `serviceprincipal-*.md`, `oauth2permissiongrant-*.md`.
 */
type Options = { signal?: AbortSignal };

/** Reading registrations and service principals (application-list.md, serviceprincipal-list.md: least privileged). */
export const readApplicationsScopes = ['Application.Read.All'] as const;
/** Creating and changing registrations, their credentials and owners (application-post-applications.md). */
export const writeApplicationsScopes = ['Application.ReadWrite.All'] as const;
/** Admin consent to application permissions (serviceprincipal-post-approleassignments.md). */
export const grantAppRolesScopes = ['AppRoleAssignment.ReadWrite.All', 'Application.Read.All'] as const;
/** Admin consent to delegated permissions (oauth2permissiongrant-post.md). */
export const grantDelegatedScopes = ['DelegatedPermissionGrant.ReadWrite.All', 'Application.Read.All'] as const;

/** Microsoft Graph's and Exchange Online's application ids: the same in every tenant (their service principals are not). */
export const microsoftGraphAppId = '00000003-0000-0000-c000-000000000000';
export const exchangeOnlineAppId = '00000002-0000-0ff1-ce00-000000000000';

/**
 * How the Applications folder knows the registrations M365 Provisioner made. The application's `tags` ("Custom strings
 * that can be used to categorize and identify the application": microsoft-graph-docs-contrib
 * api-reference/v1.0/resources/application.md) would be the clean mark, and an app carrying this tag is recognised;
 * but the sandbox tenant keeps no tags and refuses a write of them (docs/FIDELITY.md A56), so nothing sets it yet, and
 * our own registrations are known by their names.
 */
export const madeByProvisionerTag = 'M365Provisioner';
/** The display names of the extension's own registrations (ownRegistration.ts). */
export const ownRegistrationNames = ['M365 Provisioner', 'M365 Provisioner (app-only)'] as const;

const applicationFields = 'id,appId,displayName,createdDateTime,signInAudience,isFallbackPublicClient,publicClient,web,requiredResourceAccess,passwordCredentials,keyCredentials,tags';
const servicePrincipalFields = 'id,appId,displayName,servicePrincipalType,accountEnabled,appRoles,oauth2PermissionScopes';

/** Registrations with this display name (names are not unique in Entra: the caller decides what two mean). */
export async function applicationsNamed(graph: GraphClient, displayName: string, o: Options = {}): Promise<MicrosoftGraph.Application[]> {
    return (await graph.get<{ value: MicrosoftGraph.Application[] }>(`/applications?${filterParam(filterEquals('displayName', displayName))}&$select=${applicationFields}`, { scopes: readApplicationsScopes, ...o })).value;
}

/** True for a registration M365 Provisioner made (its tag, or one of its own by name). */
export function isMadeByProvisioner(app: MicrosoftGraph.Application): boolean {
    return (app.tags ?? []).includes(madeByProvisionerTag) || (ownRegistrationNames as readonly string[]).includes(app.displayName ?? '');
}

/** What the Applications folder lists: what M365 Provisioner made, and any app with a secret or certificate (whatever made it). */
export function isShownInApplicationsFolder(app: MicrosoftGraph.Application): boolean {
    return isMadeByProvisioner(app) || (app.passwordCredentials?.length ?? 0) > 0 || (app.keyCredentials?.length ?? 0) > 0;
}

/**
 * One page of the Applications folder: one request per page (100 registrations), of which the page keeps the ones
 * `isShownInApplicationsFolder` accepts. Graph cannot filter on "has a credential" (application.md: passwordCredentials
 * and keyCredentials support no `$filter` on their dates' presence), so the page is narrowed here; "Load more" still
 * costs one request.
 */
export async function applicationsFolderPage(graph: GraphClient, request: PageRequest = {}): Promise<ListPage<MicrosoftGraph.Application>> {
    const o = { scopes: readApplicationsScopes, ...(request.signal ? { signal: request.signal } : {}) };
    const page = await graph.get<{ value: MicrosoftGraph.Application[]; '@odata.nextLink'?: string }>(request.nextLink ?? `/applications?$select=${applicationFields}&$top=100`, o);
    const items = page.value.filter(isShownInApplicationsFolder).sort((a, b) => (a.displayName ?? '').localeCompare(b.displayName ?? ''));
    return { items, ...(page['@odata.nextLink'] ? { nextLink: page['@odata.nextLink'] } : {}) };
}

/** One registration by its object id, read again (after a credential was added or removed). */
export async function applicationById(graph: GraphClient, id: string, o: Options = {}): Promise<MicrosoftGraph.Application> {
    return graph.get<MicrosoftGraph.Application>(`/applications/${encodeURIComponent(id)}?$select=${applicationFields}`, { scopes: readApplicationsScopes, ...o });
}

/**
 * The registration's certificates with their `key` (base64 DER): Graph returns `key` only when keyCredentials is
 * selected on a single object (keycredential.md: "Returned only on $select for a single object … otherwise, it is
 * always null"). A PATCH of keyCredentials replaces them all, so keeping one means sending its key back.
 */
export async function certificatesWithKeys(graph: GraphClient, id: string, o: Options = {}): Promise<MicrosoftGraph.KeyCredential[]> {
    return (await graph.get<MicrosoftGraph.Application>(`/applications/${encodeURIComponent(id)}?$select=keyCredentials`, { scopes: readApplicationsScopes, ...o })).keyCredentials ?? [];
}

export async function createApplication(graph: GraphClient, body: MicrosoftGraph.Application, o: Options = {}): Promise<MicrosoftGraph.Application> {
    return graph.post<MicrosoftGraph.Application>('/applications', body, { scopes: writeApplicationsScopes, ...o });
}

export async function updateApplication(graph: GraphClient, id: string, change: MicrosoftGraph.Application, o: Options = {}): Promise<void> {
    await graph.patch(`/applications/${encodeURIComponent(id)}`, change, { scopes: writeApplicationsScopes, ...o });
}

/** Deletes the registration (Entra keeps it in deleted items for 30 days) and, with it, its service principal. */
export async function deleteApplication(graph: GraphClient, id: string, o: Options = {}): Promise<void> {
    await graph.delete(`/applications/${encodeURIComponent(id)}`, { scopes: writeApplicationsScopes, ...o });
}

/** A new client secret; `secretText` is in this answer only (application-addpassword.md). */
export async function addClientSecret(graph: GraphClient, id: string, displayName: string, endDateTime: Date, o: Options = {}): Promise<MicrosoftGraph.PasswordCredential> {
    return graph.post<MicrosoftGraph.PasswordCredential>(`/applications/${encodeURIComponent(id)}/addPassword`, { passwordCredential: { displayName, endDateTime: endDateTime.toISOString() } }, { scopes: writeApplicationsScopes, ...o });
}

export async function removeClientSecret(graph: GraphClient, id: string, keyId: string, o: Options = {}): Promise<void> {
    await graph.post(`/applications/${encodeURIComponent(id)}/removePassword`, { keyId }, { scopes: writeApplicationsScopes, ...o });
}

/**
 * Sets the registration's certificates. `addKey` needs a proof signed by a certificate the app already has, which an
 * app's first certificate cannot give and we never keep; so certificates are written with PATCH keyCredentials
 * (application-addkey.md: "Applications that don't have any existing valid certificates … use the Update application
 * operation"). The list replaces the registration's certificates: give the ones to keep with their `key`.
 */
export async function setCertificates(graph: GraphClient, id: string, keyCredentials: MicrosoftGraph.KeyCredential[], o: Options = {}): Promise<void> {
    await updateApplication(graph, id, { keyCredentials }, o);
}

export async function applicationOwners(graph: GraphClient, id: string, o: Options = {}): Promise<MicrosoftGraph.DirectoryObject[]> {
    return (await graph.get<{ value: MicrosoftGraph.DirectoryObject[] }>(`/applications/${encodeURIComponent(id)}/owners?$select=id,userPrincipalName,displayName`, { scopes: readApplicationsScopes, ...o })).value;
}

export async function addApplicationOwner(graph: GraphClient, id: string, userId: string, o: Options = {}): Promise<void> {
    await graph.post(`/applications/${encodeURIComponent(id)}/owners/$ref`, { '@odata.id': graph.directoryObjectUrl(userId) }, { scopes: writeApplicationsScopes, ...o });
}

/** The service principal of an application id (the tenant's own apps, Microsoft Graph, Exchange Online), or undefined. */
export async function servicePrincipalOf(graph: GraphClient, appId: string, o: Options = {}): Promise<MicrosoftGraph.ServicePrincipal | undefined> {
    return (await graph.get<{ value: MicrosoftGraph.ServicePrincipal[] }>(`/servicePrincipals?${filterParam(filterEquals('appId', appId))}&$select=${servicePrincipalFields}`, { scopes: readApplicationsScopes, ...o })).value[0];
}

/** A service principal by its object id, with the permissions its API offers (to name an app role assignment's role). */
export async function servicePrincipalById(graph: GraphClient, id: string, o: Options = {}): Promise<MicrosoftGraph.ServicePrincipal> {
    return graph.get<MicrosoftGraph.ServicePrincipal>(`/servicePrincipals/${encodeURIComponent(id)}?$select=${servicePrincipalFields}`, { scopes: readApplicationsScopes, ...o });
}

export async function createServicePrincipal(graph: GraphClient, appId: string, o: Options = {}): Promise<MicrosoftGraph.ServicePrincipal> {
    return graph.post<MicrosoftGraph.ServicePrincipal>('/servicePrincipals', { appId }, { scopes: writeApplicationsScopes, ...o });
}

/** Application permissions granted to a service principal (on any API). */
export async function appRoleAssignmentsOf(graph: GraphClient, servicePrincipalId: string, o: Options = {}): Promise<MicrosoftGraph.AppRoleAssignment[]> {
    const all: MicrosoftGraph.AppRoleAssignment[] = [];
    for await (const page of graph.pages<MicrosoftGraph.AppRoleAssignment>(`/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/appRoleAssignments`, { scopes: readApplicationsScopes, ...o })) all.push(...page);
    return all;
}

/** Grants an application permission with admin consent: `resourceId` is the API's service principal, `appRoleId` the permission's id there. */
export async function grantAppRole(graph: GraphClient, servicePrincipalId: string, resourceId: string, appRoleId: string, o: Options = {}): Promise<MicrosoftGraph.AppRoleAssignment> {
    return graph.post<MicrosoftGraph.AppRoleAssignment>(`/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/appRoleAssignments`, { principalId: servicePrincipalId, resourceId, appRoleId }, { scopes: grantAppRolesScopes, ...o });
}

export async function revokeAppRole(graph: GraphClient, servicePrincipalId: string, assignmentId: string, o: Options = {}): Promise<void> {
    await graph.delete(`/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/appRoleAssignments/${encodeURIComponent(assignmentId)}`, { scopes: grantAppRolesScopes, ...o });
}

/** Listing delegated grants: Directory.Read.All is the least privileged (oauth2permissiongrant-list.md); Application.Read.All does not reach them. */
const readGrantsScopes = ['Directory.Read.All'] as const;

/** Delegated permissions consented for a client (its service principal id), on every API. */
export async function delegatedGrantsOf(graph: GraphClient, clientServicePrincipalId: string, o: Options = {}): Promise<MicrosoftGraph.OAuth2PermissionGrant[]> {
    return (await graph.get<{ value: MicrosoftGraph.OAuth2PermissionGrant[] }>(`/oauth2PermissionGrants?${filterParam(filterEquals('clientId', clientServicePrincipalId))}`, { scopes: readGrantsScopes, ...o })).value;
}

/** Admin consent for every user ("AllPrincipals") to delegated permissions of one API. */
export async function grantDelegatedForEveryone(graph: GraphClient, clientServicePrincipalId: string, resourceId: string, scopes: readonly string[], o: Options = {}): Promise<MicrosoftGraph.OAuth2PermissionGrant> {
    return graph.post<MicrosoftGraph.OAuth2PermissionGrant>('/oauth2PermissionGrants', { clientId: clientServicePrincipalId, consentType: 'AllPrincipals', resourceId, scope: scopes.join(' ') }, { scopes: grantDelegatedScopes, ...o });
}

export async function updateDelegatedGrant(graph: GraphClient, grantId: string, scopes: readonly string[], o: Options = {}): Promise<void> {
    await graph.patch(`/oauth2PermissionGrants/${encodeURIComponent(grantId)}`, { scope: scopes.join(' ') }, { scopes: grantDelegatedScopes, ...o });
}

/** A permission an app holds, by name: an application permission (app role) or a consented delegated one. */
export interface GrantedPermission { api: string; permission: string; kind: 'application' | 'delegated'; consent: 'admin' | 'user' }

/**
 * What an app may do, named: its service principal's app role assignments, each resolved through the API's service
 * principal `appRoles` (an assignment carries only the role's id: approleassignment.md), and its delegated grants
 * (oauth2PermissionGrant.scope is already names). An app without a service principal holds nothing. Requests: the
 * app's service principal, its assignments, its grants, and one read per API named.
 */
export async function grantedPermissions(graph: GraphClient, appId: string, o: Options = {}): Promise<GrantedPermission[]> {
    const sp = await servicePrincipalOf(graph, appId, o);
    if (!sp?.id) return [];
    const [assignments, grants] = await Promise.all([appRoleAssignmentsOf(graph, sp.id, o), delegatedGrantsOf(graph, sp.id, o)]);
    const apis = new Map<string, Promise<MicrosoftGraph.ServicePrincipal>>();
    const api = (id: string) => {
        if (!apis.has(id)) apis.set(id, servicePrincipalById(graph, id, o));
        return apis.get(id) as Promise<MicrosoftGraph.ServicePrincipal>;
    };
    const application = await Promise.all(assignments.map(async (a): Promise<GrantedPermission> => {
        const resource = await api(a.resourceId ?? '');
        const role = resource.appRoles?.find(r => r.id === a.appRoleId);
        return { api: resource.displayName ?? a.resourceDisplayName ?? '', permission: role?.value ?? a.appRoleId ?? '', kind: 'application', consent: 'admin' };
    }));
    const delegated = await Promise.all(grants.map(async g => {
        const resource = await api(g.resourceId ?? '');
        return (g.scope ?? '').split(' ').filter(Boolean).map((s): GrantedPermission => ({ api: resource.displayName ?? '', permission: s, kind: 'delegated', consent: g.consentType === 'AllPrincipals' ? 'admin' : 'user' }));
    }));
    return [...application, ...delegated.flat()].sort((a, b) => a.api.localeCompare(b.api) || a.kind.localeCompare(b.kind) || a.permission.localeCompare(b.permission));
}

/**
 * Adds a certificate (public part only) to a registration and keeps the ones it has: PATCH keyCredentials with each
 * existing certificate's key read back (certificatesWithKeys). When Graph gives a certificate back without its key, a
 * PATCH would drop it, so nothing is written and the admin is told (addKey would need a proof signed by one of the
 * app's private keys, which we never hold: application-addkey.md).
 */
export async function addCertificate(graph: GraphClient, id: string, certificate: { derBase64: string; displayName: string; startDateTime?: string; endDateTime?: string }, o: Options = {}): Promise<void> {
    const existing = await certificatesWithKeys(graph, id, o);
    if (existing.some(k => !k.key)) throw new CertificatesNotReturnedError('Graph did not return the registration\'s existing certificates, so adding one here would remove them. Add the certificate in the Entra admin centre (Certificates & secrets → Upload certificate) instead.');
    await setCertificates(graph, id, [...existing.map(keptCertificate), { type: 'AsymmetricX509Cert', usage: 'Verify', key: certificate.derBase64, displayName: certificate.displayName, ...(certificate.startDateTime ? { startDateTime: certificate.startDateTime } : {}), ...(certificate.endDateTime ? { endDateTime: certificate.endDateTime } : {}) }], o);
}

/** Graph gave a registration's certificates back without their keys: a PATCH would drop them, so nothing was written. */
export class CertificatesNotReturnedError extends Error {}

/** A certificate as read, sent back in a PATCH: the writable properties only (customKeyIdentifier is Entra's to set). */
function keptCertificate(k: MicrosoftGraph.KeyCredential): MicrosoftGraph.KeyCredential {
    return { type: k.type ?? 'AsymmetricX509Cert', usage: k.usage ?? 'Verify', key: k.key ?? null, ...(k.keyId ? { keyId: k.keyId } : {}), ...(k.displayName ? { displayName: k.displayName } : {}), ...(k.startDateTime ? { startDateTime: k.startDateTime } : {}), ...(k.endDateTime ? { endDateTime: k.endDateTime } : {}) };
}

/** Removes one certificate by its keyId, keeping the others (with their keys, as addCertificate does). */
export async function removeCertificate(graph: GraphClient, id: string, keyId: string, o: Options = {}): Promise<void> {
    const existing = await certificatesWithKeys(graph, id, o);
    const others = existing.filter(k => k.keyId !== keyId);
    if (others.length === existing.length) throw new Error('The registration no longer has that certificate.');
    if (others.some(k => !k.key)) throw new Error('Graph did not return the registration\'s other certificates, so removing one here would remove them too. Remove it in the Entra admin centre (Certificates & secrets) instead.');
    await setCertificates(graph, id, others.map(keptCertificate), o);
}
