import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import type { AppCertificate, AppRegistration, SandboxContext, SandboxRequest, SandboxResponse, TenantState } from '../contracts';
import { appRoleAssignments, isTenantsOwnApplication, permissionGrants, servicePrincipalOf, servicePrincipals } from '../tenant/applications';
import { decodeJwt, verifySignature } from '../identity/jwt';
import { alternateKey, answer, bodyOf, type Body } from './answers';
import { appPermissions, requireAppAdmin, requireAppRead } from './appPermissions';
import { listCollection, type CollectionRules } from './collections';
import { badRequest, GraphError, notFound } from './errors';
import { applicationDefaults, applicationReadOnly, publisherDomain, refuseUnmodelledChanges } from './fixedProperties';
import { graphDirectoryObject, project } from './shapes';

/**
 * /applications: app registrations as Microsoft Graph v1.0 serves them (microsoftgraph/microsoft-graph-docs-contrib:
 * api-reference/v1.0/api/application-list.md, application-get.md, application-post-applications.md,
 * application-update.md, application-delete.md, application-addpassword.md, application-removepassword.md,
 * application-addkey.md, application-removekey.md, application-list-owners.md, application-post-owners.md).
 */

const rules: CollectionRules = {
    context: 'applications',
    filterable: new Set(['id', 'appId', 'displayName', 'signInAudience']),
    searchable: new Set(),
    orderable: new Set(['displayName']),
    maxTop: 999,
    defaultTop: 100,
    advancedQueries: false,
};

const hex = (thumbprint: string) => Buffer.from(thumbprint, 'base64url').toString('hex').toUpperCase();

/**
 * The application resource's properties the sandbox keeps, and those it shows with a new app's values without modelling
 * them (fixedProperties.ts), so that the answer has the shape application-post-applications.md documents.
 */
export function graphApplication(state: TenantState, app: AppRegistration, withKeys = false): Body {
    return {
        ...applicationDefaults,
        applicationTemplateId: null,
        publisherDomain: publisherDomain(state),
        id: app.id,
        appId: app.appId,
        displayName: app.displayName,
        signInAudience: app.signInAudience ?? 'AzureADMyOrg',
        createdDateTime: app.createdDateTime ?? null,
        deletedDateTime: null,
        isFallbackPublicClient: app.isFallbackPublicClient ?? app.isPublicClient,
        publicClient: { redirectUris: app.redirectUris?.publicClient ?? [] },
        web: { redirectUris: app.redirectUris?.web ?? [], implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false } },
        requiredResourceAccess: app.requiredResourceAccess ?? [],
        // passwordCredential: secretText is only ever in addPassword's answer (application-addpassword.md).
        passwordCredentials: app.secrets.map(s => ({ customKeyIdentifier: null, displayName: s.displayName ?? null, endDateTime: s.expiresDateTime, hint: s.hint, keyId: s.id, secretText: null, startDateTime: s.startDateTime ?? app.createdDateTime ?? null })),
        // keyCredential: `key` is "returned only on $select for a single object, that is, GET
        // applications/{applicationId}?$select=keyCredentials …; otherwise, it is always null" (keycredential.md), so a
        // client can PATCH the list back with a new certificate added; customKeyIdentifier is the SHA-1 thumbprint.
        keyCredentials: app.certificates.map(c => ({ customKeyIdentifier: hex(c.thumbprint), displayName: c.displayName ?? null, endDateTime: c.expiresDateTime, key: withKeys ? c.certificateDer ?? null : null, keyId: c.keyId ?? null, startDateTime: c.startDateTime ?? null, type: 'AsymmetricX509Cert', usage: 'Verify' })),
    };
}

export function findApplication(ctx: SandboxContext, key: string): AppRegistration {
    const byAppId = alternateKey(key, 'applications');
    const app = ctx.state.apps.filter(isTenantsOwnApplication).find(a => (byAppId !== undefined ? a.appId === byAppId : a.id === key));
    if (!app) throw notFound(byAppId ?? key);
    return app;
}

/** Handles /applications…; undefined when the path is not one of these. */
export function applicationRoutes(ctx: SandboxContext, request: SandboxRequest, segments: readonly string[]): SandboxResponse | undefined {
    const [collection, id, relation, ref] = segments.slice(1);
    const byAppId = alternateKey(collection, 'applications') !== undefined;
    if (collection !== 'applications' && !byAppId) return undefined;
    const key = byAppId ? collection : id;
    const action = byAppId ? id : relation;
    const m = request.method;
    const { state } = ctx;
    const principal = request.principal;
    if (m === 'GET') requireAppRead(state, principal, appPermissions.readApps);
    if (!key) {
        if (m === 'GET') return answer(request, 200, listCollection(request, state.apps.filter(isTenantsOwnApplication).map(a => graphApplication(state, a)), rules));
        if (m === 'POST') return answer(request, 201, graphApplication(state, createApplication(ctx, request)), 'applications/$entity');
        throw new GraphError(405, 'Request_BadRequest', `${m} is not supported on /applications.`);
    }
    const app = findApplication(ctx, key);
    if (!action) {
        if (m === 'GET') return answer(request, 200, project(graphApplication(state, app, selected(request)?.includes('keyCredentials')), selected(request)), 'applications/$entity');
        requireOwnerOrAdmin(ctx, request, app);
        if (m === 'PATCH') { updateApplication(ctx, request, app); return answer(request, 204); }
        if (m === 'DELETE') { deleteApplication(ctx, app); return answer(request, 204); }
    }
    if (action === 'owners') {
        if (m === 'GET' && !ref) return answer(request, 200, listCollection(request, (app.owners ?? []).map(o => graphDirectoryObject(state, o)).filter((o): o is Body => o !== undefined), { ...rules, context: 'directoryObjects', filterable: new Set(['id']) }));
        if (m === 'POST' && ref === '$ref') { requireOwnerOrAdmin(ctx, request, app); addOwner(ctx, request, app); return answer(request, 204); }
    }
    if (m === 'POST' && !ref) {
        requireOwnerOrAdmin(ctx, request, app);
        if (action === 'addPassword') return answer(request, 200, addPassword(ctx, request, app), 'microsoft.graph.passwordCredential');
        if (action === 'removePassword') { removeCredential(app, bodyOf(request).keyId, 'password'); return answer(request, 204); }
        if (action === 'addKey') return answer(request, 200, addKey(ctx, request, app), 'microsoft.graph.keyCredential');
        if (action === 'removeKey') { checkProof(ctx, app, bodyOf(request).proof); removeCredential(app, bodyOf(request).keyId, 'key'); return answer(request, 204); }
    }
    throw notFound(segments.slice(1).join('/'));
}

function selected(request: SandboxRequest): string[] | undefined {
    return request.url.searchParams.get('$select')?.split(',').map(s => s.trim()).filter(Boolean);
}

/** Application.ReadWrite.OwnedBy reaches only the apps the caller owns (permissions-reference.md). */
function requireOwnerOrAdmin(ctx: SandboxContext, request: SandboxRequest, app: AppRegistration): void {
    const p = request.principal;
    requireAppAdmin(ctx.state, p, appPermissions.writeApps);
    if (p.kind === 'application' && !p.roles.includes('Application.ReadWrite.All')) {
        const caller = servicePrincipalOf(ctx.state, p.appId)?.id;
        if (!caller || !(app.owners ?? []).includes(caller)) throw new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    }
}

function createApplication(ctx: SandboxContext, request: SandboxRequest): AppRegistration {
    requireAppAdmin(ctx.state, request.principal, appPermissions.writeApps);
    const body = bodyOf(request);
    if (typeof body.displayName !== 'string' || !body.displayName.trim()) {
        throw badRequest("Property 'displayName' is required but has no value.", 'Request_BadRequest');
    }
    const audience = body.signInAudience ?? 'AzureADMyOrg';
    // The sandbox registers single-tenant apps only (what the extension makes); stricter than Entra (FIDELITY.md A49).
    if (audience !== 'AzureADMyOrg') throw badRequest(`Property 'signInAudience' value '${JSON.stringify(audience)}' is not supported in this tenant.`, 'Request_BadRequest');
    const now = new Date(ctx.now()).toISOString();
    const p = request.principal;
    // The caller becomes an owner: the signed-in user, or the calling app's service principal (which is how
    // Application.ReadWrite.OwnedBy reaches what it made: permissions-reference.md).
    const owner = p.kind === 'delegated' ? p.userId : servicePrincipalOf(ctx.state, p.appId)?.id;
    const app: AppRegistration = {
        id: ctx.newId(),
        appId: ctx.newId(),
        displayName: body.displayName,
        signInAudience: 'AzureADMyOrg',
        createdDateTime: now,
        owners: owner ? [owner] : [],
        isPublicClient: false,
        secrets: [],
        certificates: [],
        servicePrincipalId: '',
    };
    applyChanges(ctx, app, body);
    ctx.state.apps.push(app);
    return app;
}

function updateApplication(ctx: SandboxContext, request: SandboxRequest, app: AppRegistration): void {
    const body = bodyOf(request);
    for (const name of ['id', 'appId', 'createdDateTime', 'passwordCredentials']) {
        if (name in body) throw badRequest(`Property '${name}' is read-only and cannot be set.`, 'Request_BadRequest');
    }
    if (typeof body.displayName === 'string' && !body.displayName.trim()) throw badRequest("Property 'displayName' cannot be empty.", 'Request_BadRequest');
    applyChanges(ctx, app, body);
}

/** The writable properties the sandbox models; PATCH keyCredentials replaces the whole collection (application-update.md). */
function applyChanges(ctx: SandboxContext, app: AppRegistration, body: Body): void {
    for (const name of applicationReadOnly) {
        if (name in body) throw badRequest(`Property '${name}' is read-only and cannot be set.`, 'Request_BadRequest');
    }
    refuseUnmodelledChanges(body, applicationDefaults, 'Application');
    if (typeof body.displayName === 'string') app.displayName = body.displayName;
    if (typeof body.isFallbackPublicClient === 'boolean') {
        app.isFallbackPublicClient = body.isFallbackPublicClient;
        app.isPublicClient = body.isFallbackPublicClient;
    }
    const uris = (value: unknown, where: string): string[] | undefined => {
        const list = (value as { redirectUris?: unknown } | undefined)?.redirectUris;
        if (list === undefined) return undefined;
        if (!Array.isArray(list) || list.some(u => typeof u !== 'string' || !/^(https:\/\/|http:\/\/localhost)/.test(u))) {
            throw badRequest(`Invalid value specified for property 'redirectUris' of resource '${where}'.`, 'Request_BadRequest');
        }
        return list as string[];
    };
    const publicUris = uris(body.publicClient, 'PublicClientApplication');
    const webUris = uris(body.web, 'WebApplication');
    if (publicUris || webUris) app.redirectUris = { publicClient: publicUris ?? app.redirectUris?.publicClient ?? [], web: webUris ?? app.redirectUris?.web ?? [] };
    if (body.requiredResourceAccess !== undefined) {
        if (!Array.isArray(body.requiredResourceAccess)) throw badRequest("Invalid value specified for property 'requiredResourceAccess' of resource 'Application'.", 'Request_BadRequest');
        app.requiredResourceAccess = (body.requiredResourceAccess as { resourceAppId?: unknown; resourceAccess?: unknown }[]).map(r => {
            if (typeof r.resourceAppId !== 'string' || !Array.isArray(r.resourceAccess)) throw badRequest("Invalid value specified for property 'requiredResourceAccess' of resource 'Application'.", 'Request_BadRequest');
            return { resourceAppId: r.resourceAppId, resourceAccess: (r.resourceAccess as { id?: unknown; type?: unknown }[]).map(a => {
                if (typeof a.id !== 'string' || (a.type !== 'Scope' && a.type !== 'Role')) throw badRequest("Invalid value specified for property 'resourceAccess' of resource 'RequiredResourceAccess'.", 'Request_BadRequest');
                return { id: a.id, type: a.type };
            }) };
        });
    }
    if (body.keyCredentials !== undefined) {
        if (!Array.isArray(body.keyCredentials)) throw badRequest("Invalid value specified for property 'keyCredentials' of resource 'Application'.", 'Request_BadRequest');
        app.certificates = (body.keyCredentials as Body[]).map(k => certificateFrom(ctx, k));
    }
}

/**
 * A keyCredential with its certificate (`key`, base64 DER): the thumbprints come from the certificate itself, the dates
 * from it unless given. Without `key` the entry cannot be kept (a PATCH replaces all keys; stricter: A50).
 */
function certificateFrom(ctx: SandboxContext, k: Body): AppCertificate {
    if (k.type !== 'AsymmetricX509Cert' || k.usage !== 'Verify') throw badRequest("Invalid value specified for property 'type' or 'usage' of resource 'KeyCredential'. Expected AsymmetricX509Cert and Verify.", 'Request_BadRequest');
    if (typeof k.key !== 'string' || !k.key) throw badRequest("Property 'key' of resource 'KeyCredential' is required: a keyCredential is written with its certificate.", 'Request_BadRequest');
    let cert: X509Certificate;
    try {
        cert = new X509Certificate(Buffer.from(k.key, 'base64'));
    } catch {
        throw badRequest('Key credential key is invalid: not a base64-encoded X.509 certificate.', 'Request_BadRequest');
    }
    const der = cert.raw;
    return {
        thumbprint: createHash('sha1').update(der).digest('base64url'),
        thumbprint256: createHash('sha256').update(der).digest('base64url'),
        publicKeyPem: cert.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        startDateTime: typeof k.startDateTime === 'string' ? k.startDateTime : new Date(cert.validFrom).toISOString(),
        expiresDateTime: typeof k.endDateTime === 'string' ? k.endDateTime : new Date(cert.validTo).toISOString(),
        keyId: typeof k.keyId === 'string' ? k.keyId : ctx.newId(),
        ...(typeof k.displayName === 'string' ? { displayName: k.displayName } : { displayName: cert.subject.replace(/\n/g, ', ') }),
        certificateDer: der.toString('base64'),
    };
}

/**
 * addPassword: Entra makes the secret and returns it this once (secretText); only its hash and first three characters
 * (hint) are kept: passwordcredential.md ("secretText … only returned during the initial POST request to addPassword";
 * "hint … the first three characters"). Without endDateTime the secret lasts two years, as the Entra admin center's
 * longest default; no page states Graph's default (FIDELITY.md A55).
 */
function addPassword(ctx: SandboxContext, request: SandboxRequest, app: AppRegistration): Body {
    const given = (bodyOf(request).passwordCredential ?? {}) as Body;
    const start = typeof given.startDateTime === 'string' ? given.startDateTime : new Date(ctx.now()).toISOString();
    const end = typeof given.endDateTime === 'string' ? given.endDateTime : new Date(Date.parse(start) + 2 * 365 * 86_400_000).toISOString();
    if (Number.isNaN(Date.parse(start)) || Number.isNaN(Date.parse(end)) || Date.parse(end) <= Date.parse(start)) {
        throw badRequest('Invalid value specified for property \'endDateTime\' of resource \'PasswordCredential\'.', 'Request_BadRequest');
    }
    const secretText = randomBytes(30).toString('base64url').replace(/[-_]/g, '~').slice(0, 40);
    const keyId = ctx.newId();
    const displayName = typeof given.displayName === 'string' ? given.displayName : undefined;
    app.secrets.push({ id: keyId, hint: secretText.slice(0, 3), sha256: createHash('sha256').update(secretText).digest('hex'), expiresDateTime: end, startDateTime: start, ...(displayName ? { displayName } : {}) });
    return { customKeyIdentifier: null, displayName: displayName ?? null, endDateTime: end, hint: secretText.slice(0, 3), keyId, secretText, startDateTime: start };
}

function removeCredential(app: AppRegistration, keyId: unknown, kind: 'password' | 'key'): void {
    const list: { id?: string; keyId?: string }[] = kind === 'password' ? app.secrets : app.certificates;
    const index = list.findIndex(c => (kind === 'password' ? c.id : c.keyId) === keyId);
    // No page gives the answer for an unknown keyId: 404 as for any missing object (FIDELITY.md A51).
    if (index < 0) throw notFound(String(keyId));
    list.splice(index, 1);
}

/**
 * addKey: only an app that already has a valid certificate may add one, proving it holds that certificate's private
 * key with a signed JWT (`proof`: aud 00000002-0000-0000-c000-000000000000, iss = the application's object id, at most
 * 10 minutes valid: microsoftgraph/microsoft-graph-docs-contrib:concepts/application-rollkey-prooftoken.md). "Applications that don't have any existing valid certificates … won't be able to use this service
 * action. You can use the Update application operation to perform an update instead." (application-addkey.md)
 */
function addKey(ctx: SandboxContext, request: SandboxRequest, app: AppRegistration): Body {
    const body = bodyOf(request);
    checkProof(ctx, app, body.proof);
    const cert = certificateFrom(ctx, (body.keyCredential ?? {}) as Body);
    if (app.certificates.some(c => c.thumbprint === cert.thumbprint)) throw badRequest('Key credential with the same thumbprint already exists on the application.', 'Request_BadRequest');
    app.certificates.push(cert);
    return { customKeyIdentifier: hex(cert.thumbprint), displayName: cert.displayName ?? null, endDateTime: cert.expiresDateTime, key: null, keyId: cert.keyId ?? null, startDateTime: cert.startDateTime ?? null, type: 'AsymmetricX509Cert', usage: 'Verify' };
}

function checkProof(ctx: SandboxContext, app: AppRegistration, proof: unknown): void {
    const now = ctx.now();
    const valid = app.certificates.filter(c => Date.parse(c.expiresDateTime) > now);
    // No page names the error: 400 Request_BadRequest with what the page says (FIDELITY.md A52).
    if (!valid.length) throw badRequest('The application has no valid certificate to sign the proof with: add the first one with PATCH keyCredentials (Update application).', 'Request_BadRequest');
    const jwt = typeof proof === 'string' ? decodeJwt(proof) : undefined;
    if (!jwt) throw badRequest("Property 'proof' is required: a JWT signed with one of the application's existing certificates.", 'Request_BadRequest');
    const seconds = now / 1000;
    const { aud, iss, nbf, exp } = jwt.claims;
    const signer = valid.find(c => verifySignature(jwt, c.publicKeyPem));
    if (!signer || aud !== '00000002-0000-0000-c000-000000000000' || iss !== app.id || typeof nbf !== 'number' || typeof exp !== 'number' || nbf > seconds + 300 || exp < seconds || exp - nbf > 600) {
        throw new GraphError(401, 'Authentication_MissingOrMalformed', 'Proof of possession is invalid: it must be a JWT signed with an existing valid certificate of the application, aud 00000002-0000-0000-c000-000000000000, iss the application\'s object id, valid for at most 10 minutes.');
    }
}

function addOwner(ctx: SandboxContext, request: SandboxRequest, app: AppRegistration): void {
    const ref = bodyOf(request)['@odata.id'];
    const ownerId = typeof ref === 'string' ? ref.split('/').pop()?.replace(/^directoryObjects\('?|'?\)$/g, '') ?? '' : '';
    if (!ctx.state.users.has(ownerId) && !servicePrincipals(ctx.state).some(sp => sp.id === ownerId)) throw notFound(ownerId);
    app.owners ??= [];
    if (app.owners.includes(ownerId)) throw badRequest('One or more added object references already exist for the following modified properties: \'owners\'.', 'Request_BadRequest');
    app.owners.push(ownerId);
}

/**
 * DELETE /applications/{id}: Entra moves the app to deleted items (application-delete.md); the sandbox removes it with
 * its service principal and everything granted to that (app role assignments, delegated grants) at once, without a
 * restorable copy (FIDELITY.md A53).
 */
function deleteApplication(ctx: SandboxContext, app: AppRegistration): void {
    const { state } = ctx;
    const sp = servicePrincipalOf(state, app.appId);
    if (sp) removeServicePrincipalRecords(ctx, sp.id);
    state.apps.splice(state.apps.indexOf(app), 1);
}

/** Removes a service principal and what it holds or was granted (used by both DELETE routes). */
export function removeServicePrincipalRecords(ctx: SandboxContext, spId: string): void {
    const { state } = ctx;
    state.appRoleAssignments = appRoleAssignments(state).filter(a => a.principalId !== spId && a.resourceId !== spId);
    state.oauth2PermissionGrants = permissionGrants(state).filter(g => g.clientId !== spId && g.resourceId !== spId);
    state.roleAssignments = state.roleAssignments.filter(a => a.principalId !== spId);
    state.servicePrincipals = servicePrincipals(state).filter(sp => sp.id !== spId);
    for (const app of state.apps) if (app.servicePrincipalId === spId) app.servicePrincipalId = '';
}
