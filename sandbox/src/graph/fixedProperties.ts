import { isDeepStrictEqual } from 'node:util';
import type { TenantState } from '../contracts';
import type { Body } from './answers';
import { badRequest } from './errors';

/*
 * Properties of applications and service principals that the sandbox does not model but still shows, with the value
 * Entra gives a new object, so that answers have the documented shape. A write that would change one is refused
 * (stricter than Entra, FIDELITY.md rule): accepting it would make a later read show a value that was never kept.
 */

/**
 * A new application as application-post-applications.md answers it (microsoftgraph/microsoft-graph-docs-contrib:
 * api-reference/v1.0/api/application-post-applications.md, Response), for the single-tenant apps the sandbox makes:
 * `api.requestedAccessTokenVersion` is null, which means 1; only AzureADandPersonalMicrosoftAccount apps must have 2
 * (resources/apiapplication.md).
 */
export const applicationDefaults: Readonly<Body> = {
    addIns: [],
    api: { acceptMappedClaims: null, knownClientApplications: [], oauth2PermissionScopes: [], preAuthorizedApplications: [], requestedAccessTokenVersion: null },
    appRoles: [],
    groupMembershipClaims: null,
    identifierUris: [],
    info: { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null },
    isDeviceOnlyAuthSupported: null,
    optionalClaims: null,
    parentalControlSettings: { countriesBlockedForMinors: [], legalAgeGroupRule: 'Allow' },
    tags: [],
    tokenEncryptionKeyId: null,
};

/** Read-only: set by Entra, never by a request (resources/application.md). */
export const applicationReadOnly = ['applicationTemplateId', 'publisherDomain'];

/**
 * An application's publisher domain: "If the app has tenant-verified domains, the app's publisher domain defaults to
 * the primary verified domain of the tenant" (MicrosoftDocs/entra-docs: docs/identity-platform/howto-configure-publisher-domain.md).
 * The sandbox reads it from the tenant's domains now rather than keeping the value of the day the app was made.
 */
export function publisherDomain(state: TenantState): string | null {
    return state.domains.find(d => d.isDefault && d.isVerified)?.id ?? state.domains.find(d => d.isInitial)?.id ?? null;
}

/**
 * A service principal's properties as serviceprincipal-post-serviceprincipals.md answers them for a new one
 * (api-reference/v1.0/api/serviceprincipal-post-serviceprincipals.md, Response): appRoleAssignmentRequired "The default
 * value is false" (resources/serviceprincipal.md), so every app may get tokens and every user may sign in, as the
 * sandbox does. Its own keyCredentials and passwordCredentials are empty: the sandbox has no routes to add them.
 */
export const servicePrincipalDefaults: Readonly<Body> = {
    addIns: [],
    appRoleAssignmentRequired: false,
    homepage: null,
    info: { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null },
    keyCredentials: [],
    logoutUrl: null,
    passwordCredentials: [],
    tags: [],
};

/** Refuses a body that would set one of these properties to anything but the value the sandbox shows. */
export function refuseUnmodelledChanges(body: Body, defaults: Readonly<Body>, resource: string): void {
    for (const [name, value] of Object.entries(defaults)) {
        if (name in body && !isDeepStrictEqual(body[name], value)) {
            throw badRequest(`Property '${name}' of resource '${resource}' cannot be changed in the sandbox tenant: it keeps the value a new ${resource.toLowerCase()} has.`, 'Request_BadRequest');
        }
    }
}
