import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import { newAppCertificate, type NewAppCertificate } from '../auth/appCertificate';
import { signInIntent } from '../auth/signInIntents';
import {
    applicationsNamed, certificatesWithKeys, createApplication, createServicePrincipal, delegatedGrantsOf, exchangeOnlineAppId, grantAppRole,
    grantDelegatedForEveryone, madeByProvisionerTag, microsoftGraphAppId, ownRegistrationNames, appRoleAssignmentsOf, servicePrincipalOf, setCertificates, updateApplication,
    updateDelegatedGrant,
} from '../graph/applications';
import type { GraphClient } from '../graph/GraphClient';
import { GraphRequestError } from '../graph/GraphRequestError';

/**
 * "Register M365 Provisioner in This Tenant…" and its app-only variant, without VS Code: what the registration must
 * have, what the tenant already has of it, and the writes that complete it, in order (registration, its service
 * principal, then consent). Running it again finds the registration by its name and tag and writes only what is
 * missing. Sources: microsoft-graph-docs-contrib api-reference/v1.0/api/application-post-applications.md,
 * serviceprincipal-post-serviceprincipals.md, oauth2permissiongrant-post.md (delegated admin consent, AllPrincipals),
 * serviceprincipal-post-approleassignments.md (application permissions' admin consent).
 */

/** The registration the admin signs in with (delegated, public client). */
export const ownAppName = ownRegistrationNames[0];
/** The confidential registration the command-line tool and app-only sign-in use. */
export const ownAppOnlyName = ownRegistrationNames[1];

/**
 * The delegated permissions our registration is given: exactly what a "Provision" sign-in asks for
 * (src/auth/signInIntents.ts, which a unit test keeps covering every scope the code asks for), so signing in with our
 * own app for "Provision" finds everything consented and prompts for nothing.
 */
export const delegatedGraphPermissions = signInIntent('provision').graph;
/** Office 365 Exchange Online's delegated permission for the admin API (ExchangeAdminClient.ts exchangeScopes). */
export const delegatedExchangePermissions = signInIntent('provision').exchange;

/**
 * The application permissions of the command-line tool's jobs (docs/CLI.md "--tenant"): plan, apply, verify and export
 * of recipes. Exchange.ManageAsApp lets the app call Exchange; Exchange still wants a role for it (an Entra role such
 * as Exchange Administrator, or RBAC for Applications): office-docs-powershell app-only-auth-powershell-v2.md.
 */
export const appOnlyGraphPermissions = ['User.ReadWrite.All', 'Group.ReadWrite.All', 'RoleManagement.ReadWrite.Directory', 'Organization.Read.All', 'Domain.Read.All'] as const;
export const appOnlyExchangePermissions = ['Exchange.ManageAsApp'] as const;

/** Who may grant tenant-wide admin consent to Microsoft Graph permissions (entra-docs grant-admin-consent.md, Prerequisites). */
export const consentRoles = 'a Global Administrator or a Privileged Role Administrator';

export type OwnRegistrationKind = 'delegated' | 'appOnly';

export interface OwnRegistrationResult {
    /** The registration's object id and application (client) id. */
    id: string;
    appId: string;
    displayName: string;
    /** What this run wrote, in the admin's words; empty when the tenant already had all of it. */
    done: string[];
    /** Granted (now or before), or what to ask whom when the signed-in admin may not consent. */
    consent: { granted: true } | { granted: false; message: string };
    /** The app-only variant's new certificate, when this run made one: its private key is the caller's to write once. */
    certificate?: NewAppCertificate;
}

type Options = {
    signal?: AbortSignal;
    now?: Date;
    /**
     * Called with a new certificate before Entra is given it, to write its private key where the admin chose: a
     * failure here stops the run with the certificate not added, so no certificate exists whose key was lost.
     */
    keepPrivateKey?: (certificate: NewAppCertificate) => Promise<void>;
};

interface Api { appId: string; name: string; sp: MicrosoftGraph.ServicePrincipal; permissions: readonly string[] }

/** The permission ids of one API, by name; a name the API does not offer is a mistake here, said plainly. */
function permissionIds(api: Api, kind: OwnRegistrationKind): { id: string; value: string }[] {
    const offered = (kind === 'delegated' ? api.sp.oauth2PermissionScopes : api.sp.appRoles) ?? [];
    return api.permissions.map(value => {
        const found = offered.find(p => p.value === value);
        if (!found?.id) throw new Error(`${api.name} in this tenant offers no ${kind === 'delegated' ? 'delegated' : 'application'} permission ${value}.`);
        return { id: found.id, value };
    });
}

/** Whether a Graph error is "you may not do this" (the signed-in admin's roles), not a failure of the request. */
function isDenied(error: unknown): boolean {
    return error instanceof GraphRequestError && (error.status === 403 || error.code === 'Authorization_RequestDenied');
}

/**
 * Creates or completes the registration of `kind`. Each write happens only when the tenant lacks it: the registration
 * (tagged, single tenant), its API permissions (added to whatever the admin added), public client flows with the
 * redirect URI http://localhost (delegated), a certificate (app-only, only while it has no valid one), the service
 * principal, and admin consent. When the admin may not consent, everything else is still done and `consent` says
 * whom to ask.
 */
export async function registerOwnApp(graph: GraphClient, kind: OwnRegistrationKind, o: Options = {}): Promise<OwnRegistrationResult> {
    const call = o.signal ? { signal: o.signal } : {};
    const now = o.now ?? new Date();
    const displayName = kind === 'delegated' ? ownAppName : ownAppOnlyName;
    const [graphSp, exchangeSp] = await Promise.all([servicePrincipalOf(graph, microsoftGraphAppId, call), servicePrincipalOf(graph, exchangeOnlineAppId, call)]);
    if (!graphSp?.id) throw new Error('This tenant has no service principal for Microsoft Graph; it cannot grant its permissions.');
    const apis: Api[] = [{ appId: microsoftGraphAppId, name: 'Microsoft Graph', sp: graphSp, permissions: kind === 'delegated' ? delegatedGraphPermissions : appOnlyGraphPermissions }];
    if (exchangeSp?.id) apis.push({ appId: exchangeOnlineAppId, name: 'Office 365 Exchange Online', sp: exchangeSp, permissions: kind === 'delegated' ? delegatedExchangePermissions : appOnlyExchangePermissions });
    const type = kind === 'delegated' ? 'Scope' : 'Role';
    const wanted: MicrosoftGraph.RequiredResourceAccess[] = apis.map(api => ({ resourceAppId: api.appId, resourceAccess: permissionIds(api, kind).map(p => ({ id: p.id, type })) }));
    const done: string[] = [];

    // The registration: ours by name (the tagged one first, should someone have tagged it; applications.ts says why
    // nothing tags it yet).
    const named = await applicationsNamed(graph, displayName, call);
    let app = named.find(a => (a.tags ?? []).includes(madeByProvisionerTag)) ?? named[0];
    if (!app) {
        app = await createApplication(graph, {
            displayName,
            signInAudience: 'AzureADMyOrg',
            requiredResourceAccess: wanted,
            // "Allow public client flows" (device code) and the loopback redirect the browser sign-in answers on.
            ...(kind === 'delegated' ? { isFallbackPublicClient: true, publicClient: { redirectUris: ['http://localhost'] } } : {}),
        }, call).catch((error: unknown) => {
            if (isDenied(error)) throw new Error(`You may not register applications in this tenant. Ask an Application Administrator, a Cloud Application Administrator or a Global Administrator to run "Register ${displayName} in This Tenant…" (the consent afterwards needs ${consentRoles}).`);
            throw error;
        });
        done.push(`registered ${displayName} (single tenant)`);
    } else {
        const change = missingSettings(app, kind, wanted);
        if (change.body) {
            await updateApplication(graph, app.id ?? '', change.body, call);
            done.push(...change.what);
        }
    }
    const appId = app.appId ?? '';
    const id = app.id ?? '';

    let certificate: NewAppCertificate | undefined;
    if (kind === 'appOnly' && !(app.keyCredentials ?? []).some(k => k.endDateTime && Date.parse(String(k.endDateTime)) > now.getTime())) {
        certificate = newAppCertificate(displayName, 365, now);
        await o.keepPrivateKey?.(certificate);
        // The app has no valid certificate, so addKey (which needs a proof signed by one) cannot be used: PATCH, keeping
        // any expired ones whose key Graph gives back (application-addkey.md).
        const kept = (await certificatesWithKeys(graph, id, call)).filter(k => k.key);
        await setCertificates(graph, id, [...kept, { type: 'AsymmetricX509Cert', usage: 'Verify', key: certificate.derBase64, displayName: `CN=${displayName}` }], call);
        done.push(`added a certificate (thumbprint ${certificate.thumbprint}, valid until ${certificate.notAfter.toISOString().slice(0, 10)})`);
    }

    let sp = await servicePrincipalOf(graph, appId, call);
    if (!sp) {
        sp = await createServicePrincipal(graph, appId, call);
        done.push('created its service principal');
    }
    const spId = sp.id ?? '';

    let consent: OwnRegistrationResult['consent'];
    try {
        done.push(...(kind === 'delegated' ? await consentDelegated(graph, spId, apis, call) : await consentApplication(graph, spId, apis, call)));
        consent = { granted: true };
    } catch (error) {
        if (!isDenied(error)) throw error;
        const what = kind === 'delegated' ? 'delegated permissions' : 'application permissions';
        consent = { granted: false, message: `You may not grant admin consent to ${displayName}'s ${what}. Ask ${consentRoles} to open Enterprise applications → ${displayName} → Permissions in the Entra admin centre and choose "Grant admin consent", or to run this command.` };
    }
    return { id, appId, displayName, done, consent, ...(certificate ? { certificate } : {}) };
}

/** What an existing registration lacks of the settings this command makes; permissions the admin added stay. */
function missingSettings(app: MicrosoftGraph.Application, kind: OwnRegistrationKind, wanted: MicrosoftGraph.RequiredResourceAccess[]): { body?: MicrosoftGraph.Application; what: string[] } {
    const body: MicrosoftGraph.Application = {};
    const what: string[] = [];
    const have = app.requiredResourceAccess ?? [];
    const merged = have.map(r => ({ resourceAppId: r.resourceAppId, resourceAccess: [...(r.resourceAccess ?? [])] }));
    let added = 0;
    for (const w of wanted) {
        let entry = merged.find(r => r.resourceAppId === w.resourceAppId);
        if (!entry) merged.push((entry = { resourceAppId: w.resourceAppId, resourceAccess: [] }));
        for (const access of w.resourceAccess ?? []) {
            if (!entry.resourceAccess.some(a => a.id === access.id && a.type === access.type)) {
                entry.resourceAccess.push(access);
                added++;
            }
        }
    }
    if (added) {
        body.requiredResourceAccess = merged;
        what.push(`added ${added} API permission${added === 1 ? '' : 's'}`);
    }
    if (kind === 'delegated') {
        if (app.isFallbackPublicClient !== true) {
            body.isFallbackPublicClient = true;
            what.push('turned on public client flows');
        }
        const uris = app.publicClient?.redirectUris ?? [];
        if (!uris.includes('http://localhost')) {
            body.publicClient = { redirectUris: [...uris, 'http://localhost'] };
            what.push('added the redirect URI http://localhost');
        }
    }
    return what.length ? { body, what } : { what };
}

/** Tenant-wide (AllPrincipals) consent per API, adding the missing scopes to a grant that already exists. */
async function consentDelegated(graph: GraphClient, spId: string, apis: Api[], call: { signal?: AbortSignal }): Promise<string[]> {
    const grants = await delegatedGrantsOf(graph, spId, call);
    const done: string[] = [];
    for (const api of apis) {
        const resourceId = api.sp.id ?? '';
        const grant = grants.find(g => g.resourceId === resourceId && g.consentType === 'AllPrincipals');
        const have = (grant?.scope ?? '').split(' ').filter(Boolean);
        const missing = api.permissions.filter(p => !have.includes(p));
        if (!missing.length) continue;
        if (grant?.id) await updateDelegatedGrant(graph, grant.id, [...have, ...missing], call);
        else await grantDelegatedForEveryone(graph, spId, resourceId, api.permissions, call);
        done.push(`granted admin consent to ${missing.join(', ')} on ${api.name}`);
    }
    return done;
}

/** Admin consent to application permissions: one app role assignment per permission not yet granted. */
async function consentApplication(graph: GraphClient, spId: string, apis: Api[], call: { signal?: AbortSignal }): Promise<string[]> {
    const assigned = await appRoleAssignmentsOf(graph, spId, call);
    const done: string[] = [];
    for (const api of apis) {
        const resourceId = api.sp.id ?? '';
        const missing = permissionIds(api, 'appOnly').filter(p => !assigned.some(a => a.resourceId === resourceId && a.appRoleId === p.id));
        for (const p of missing) await grantAppRole(graph, spId, resourceId, p.id, call);
        if (missing.length) done.push(`granted admin consent to ${missing.map(p => p.value).join(', ')} on ${api.name}`);
    }
    return done;
}
