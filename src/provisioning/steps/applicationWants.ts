import type { Ensure } from './contract';

/**
 * What each application step asks for (issue 17), one entry of a recipe's `applications` each. The steps
 * (applications.ts, appCredentials.ts, appPermissions.ts, appDirectoryRoles.ts, mailboxAccess.ts), their export writers
 * and `recipeEntries` share these shapes. `application` names the registration by its display name, as the recipe does.
 */

/**
 * The registration (single tenant) and its service principal, with its owners. `permissions`: the application
 * permissions the recipe grants, listed in the registration's requiredResourceAccess so the admin centre's "API
 * permissions" page shows them as configured (the grants themselves are AppPermissionWant steps).
 */
export interface AppRegistrationWant { displayName: string; owners?: string[]; permissions?: { api: PermissionApi; permission: string }[]; ensure?: Ensure }

/** A credential of the registration: a certificate (private key to the admin's file, once) or a client secret (shown once). */
export interface AppCredentialWant { application: string; type: 'certificate' | 'clientSecret'; validDays: number; ensure?: Ensure }

/** The APIs an application permission can be on: Microsoft Graph, or Exchange Online (Exchange.ManageAsApp). */
export type PermissionApi = 'Microsoft Graph' | 'Office 365 Exchange Online';

/** An application permission granted with admin consent (an app role assignment on the API's service principal). */
export interface AppPermissionWant { application: string; api: PermissionApi; permission: string; ensure?: Ensure }

/** An Entra directory role for the app's service principal, for the whole tenant. */
export interface AppDirectoryRoleWant { application: string; role: string; ensure?: Ensure }

/**
 * Exchange RBAC for Applications: the app's service principal in Exchange, a management scope of a group's members,
 * and an "Application …" role assigned with that scope.
 */
export interface MailboxAccessWant { application: string; role: string; membersOf: string; ensure?: Ensure }

/** Default lifetimes when the recipe gives none: a year for a certificate, 90 days for a secret (short-lived: it is a password). */
export const defaultValidDays = { certificate: 365, clientSecret: 90 } as const;
