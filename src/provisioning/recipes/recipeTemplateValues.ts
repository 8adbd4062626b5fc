// What the setup wizard fills in, shared by the templates, the live checks and the wizard's messages (which the
// browser bundle also compiles): so this file imports only plain data (the calendar engine's list of rights).

import type { CalendarAccessRight } from '../calendar/calendarAccessRights';

export { calendarAccessRights, type CalendarAccessRight } from '../calendar/calendarAccessRights';

/**
 * The setup wizard's starting points: the two vendor guides as they are written (a user account with a password), the
 * same two the modern way (an app registration signing in app-only, issue 17), and an empty account.
 */
export type RecipeTemplateId = 'reporting' | 'calendar' | 'reportingAppOnly' | 'calendarAppOnly' | 'blank';
export const recipeTemplateIds: readonly RecipeTemplateId[] = ['reporting', 'calendar', 'reportingAppOnly', 'calendarAppOnly', 'blank'];

/** The templates whose integration signs in as an app registration, with no user account and no password. */
export const appOnlyTemplates: readonly RecipeTemplateId[] = ['reportingAppOnly', 'calendarAppOnly'];
export const isAppOnlyTemplate = (template: RecipeTemplateId): boolean => appOnlyTemplates.includes(template);

/** How the app proves who it is (the recipe's application credential types). */
export type AppCredentialType = 'certificate' | 'clientSecret';
export const appCredentialTypes: readonly AppCredentialType[] = ['certificate', 'clientSecret'];

/**
 * Exchange's application roles for RBAC for Applications, as the recipe schema lists them (media/m365recipe.schema.json,
 * mailboxAccess.role): each is limited to the mailboxes of a management scope.
 */
export const mailboxRoles = [
    'Application Calendars.Read', 'Application Calendars.ReadWrite', 'Application Mail.Read', 'Application Mail.ReadBasic', 'Application Mail.ReadWrite',
    'Application Mail.Send', 'Application MailboxSettings.Read', 'Application MailboxSettings.ReadWrite', 'Application Contacts.Read', 'Application Contacts.ReadWrite',
    'Application EWS.AccessAsApp',
] as const;
export type MailboxRole = (typeof mailboxRoles)[number];

/**
 * What the admin fills in the wizard. An empty string (or list) leaves that part out of the recipe: no licence, no
 * mail-enabled group, no calendar grant.
 */
export interface RecipeTemplateValues {
    /** The recipe's name, e.g. "MyTimetable calendar integration"; also gives the file its name. */
    recipeName: string;
    description: string;
    /** The part of the user principal name before @. */
    accountName: string;
    /** One of the tenant's verified domains. */
    domain: string;
    displayName: string;
    usageLocation: string;
    directoryRoles: string[];
    exchangeRoleGroups: string[];
    /** Part number (ENTERPRISEPACK) or the admin-centre name; '' for no licence. */
    licenceSku: string;
    licencePlans: string[] | 'all';
    /** The mail-enabled security group holding the account; '' for none. */
    groupName: string;
    /** Its address; '' gives `<account>-secgroup@<domain>` when there is a group name. */
    groupAddress: string;
    hiddenFromAddressLists: boolean;
    /** The group whose members' calendars are shared; '' for no calendar grant. */
    calendarGroup: string;
    accessRight: CalendarAccessRight;
    /** App-only templates: the app registration's name; '' for no application. */
    appName: string;
    credentialType: AppCredentialType;
    /** Days the credential is valid (the recipe's credential.validDays). */
    credentialDays: number;
    /** Microsoft Graph application permissions, tenant-wide (e.g. User.Read.All). */
    graphPermissions: string[];
    /** The app may run Exchange admin cmdlets (Exchange.ManageAsApp); it also needs a directory role. */
    exchangeManagement: boolean;
    /** Entra directory roles for the app's service principal, e.g. Global Reader. */
    appDirectoryRoles: string[];
    /** An Exchange application role limited to the members of `calendarGroup` (RBAC for Applications); '' for none. */
    mailboxRole: MailboxRole | '';
}

/** What the live field checks read (the group's address already derived when the admin left it empty). */
export type RecipeCheckedValues = Pick<RecipeTemplateValues, 'accountName' | 'domain' | 'directoryRoles' | 'exchangeRoleGroups' | 'licenceSku' | 'licencePlans' | 'groupName' | 'groupAddress' | 'calendarGroup'>
    & Partial<Pick<RecipeTemplateValues, 'appName' | 'graphPermissions' | 'appDirectoryRoles'>>;

/** The account's user principal name: its name before @ and the chosen domain. */
export const userPrincipalNameOf = (v: Pick<RecipeTemplateValues, 'accountName' | 'domain'>) => `${v.accountName.trim()}@${v.domain.trim()}`;

/** The group's address as typed, else the guide's pattern: the account's name with -secgroup. */
export const groupAddressOf = (v: Pick<RecipeTemplateValues, 'groupAddress' | 'accountName' | 'domain'>) => v.groupAddress.trim() || `${v.accountName.trim()}-secgroup@${v.domain.trim()}`;
