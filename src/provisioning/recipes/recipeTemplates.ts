import { groupAddressOf, isAppOnlyTemplate, userPrincipalNameOf, type RecipeTemplateId, type RecipeTemplateValues } from './recipeTemplateValues';
import type { Recipe, RecipeApplication, RecipeServiceAccount } from './recipe';

export { groupAddressOf, isAppOnlyTemplate, recipeTemplateIds, userPrincipalNameOf, type RecipeTemplateId, type RecipeTemplateValues } from './recipeTemplateValues';

/**
 * The first guide (Sam360): an account that reads company, user and licence information, and Exchange users and
 * devices. It names the role "Service Support Administrator" and the Exchange role group "View-Only Organization
 * Management", and says the account needs no licence.
 */
function reportingDefaults(domain: string): RecipeTemplateValues {
    return {
        ...blankDefaults(domain),
        recipeName: 'Sam360 reporting and inventory',
        description: 'Sam360 imports user, licence entitlement, licence allocation and usage data on a schedule; the account reads, it changes nothing.',
        accountName: 'Sam360Reports',
        displayName: 'Sam360 Reports Service Account',
        directoryRoles: ['Service Support Administrator'],
        exchangeRoleGroups: ['View-Only Organization Management'],
    };
}

/**
 * The second guide (MyTimetable): an account with only Exchange Online switched on in its licence, in a mail-enabled
 * security group hidden from the address lists; the group, not the account, gets Editor on the calendars of a group's
 * members, so more accounts can be added later to spread Exchange's per-account throttling.
 */
function calendarDefaults(domain: string): RecipeTemplateValues {
    return {
        ...blankDefaults(domain),
        recipeName: 'MyTimetable calendar integration',
        description: 'MyTimetable writes timetable events into the calendars of staff, through a service account in a mail-enabled security group.',
        accountName: 'sa-mytt-exch',
        displayName: 'MyTimetable Exchange Service Account',
        usageLocation: 'NL',
        licenceSku: 'ENTERPRISEPACK',
        licencePlans: ['EXCHANGE_S_ENTERPRISE'],
        groupName: 'Service Accounts MyTimetable Exchange',
        // Left empty, the address follows the account's name: sa-mytt-exch-secgroup@<domain>, as in the guide.
        groupAddress: '',
        hiddenFromAddressLists: true,
        calendarGroup: 'Staff',
        accessRight: 'Editor',
    };
}

/**
 * The second guide the modern way: an app registration with a certificate, whose Microsoft Graph calendar access
 * Exchange RBAC for Applications limits to the members of one group ("Application Calendars.ReadWrite" with a
 * management scope). No user account, no password, no EWS: Message Center MC1227454 blocks EWS in Exchange Online from
 * 1 October 2026 unless the tenant allow-lists the app, and turns it off for good on 1 April 2027.
 *
 * The scope names a mail-enabled security group by its distinguished name and follows its direct members only
 * (OfficeDocs-Exchange application-rbac.md; the mailbox access step refuses any other group), so the template makes
 * one for the purpose, hidden from the address lists: the admin puts in it the staff whose calendars the app writes.
 */
function calendarAppOnlyDefaults(domain: string): RecipeTemplateValues {
    return {
        ...blankDefaults(domain),
        recipeName: 'MyTimetable calendar integration (app-only)',
        description: 'MyTimetable writes timetable events into the calendars of staff through Microsoft Graph, as an app registration with a certificate; Exchange RBAC for Applications limits it to the mailboxes of the direct members of the MyTimetable Calendars group (add the staff there). It replaces the service account, its password and EWS, which Exchange Online blocks from 1 October 2026 (MC1227454).',
        appName: 'MyTimetable Calendar Integration',
        credentialType: 'certificate',
        credentialDays: 365,
        groupName: 'MyTimetable Calendars',
        groupAddress: `mytimetable-calendars@${domain}`,
        hiddenFromAddressLists: true,
        mailboxRole: 'Application Calendars.ReadWrite',
    };
}

/**
 * The first guide the modern way: an app registration that reads users, licences and usage reports through Microsoft
 * Graph application permissions, and Exchange through its admin cmdlets app-only (Exchange.ManageAsApp) with the
 * Global Reader role: read-only everywhere, no user account to sign in with and no password to keep.
 */
function reportingAppOnlyDefaults(domain: string): RecipeTemplateValues {
    return {
        ...blankDefaults(domain),
        recipeName: 'Sam360 reporting and inventory (app-only)',
        description: 'Sam360 reads users, licences and usage reports through Microsoft Graph, and Exchange users and devices through Exchange\'s admin cmdlets, as an app registration with a certificate and the Global Reader role: read-only everywhere. It replaces the reporting service account and its password.',
        appName: 'Sam360 Reporting',
        credentialType: 'certificate',
        credentialDays: 365,
        // User.Read.All: users; Organization.Read.All: the tenant's licences (subscribedSkus); Reports.Read.All: usage reports.
        graphPermissions: ['User.Read.All', 'Organization.Read.All', 'Reports.Read.All'],
        exchangeManagement: true,
        appDirectoryRoles: ['Global Reader'],
    };
}

function blankDefaults(domain: string): RecipeTemplateValues {
    return {
        recipeName: 'Service account',
        description: '',
        accountName: '',
        domain,
        displayName: '',
        usageLocation: 'US',
        directoryRoles: [],
        exchangeRoleGroups: [],
        licenceSku: '',
        licencePlans: 'all',
        groupName: '',
        groupAddress: '',
        hiddenFromAddressLists: true,
        calendarGroup: '',
        accessRight: 'Editor',
        appName: '',
        credentialType: 'certificate',
        credentialDays: 365,
        graphPermissions: [],
        exchangeManagement: false,
        appDirectoryRoles: [],
        mailboxRole: '',
    };
}

const defaultsOf: Record<RecipeTemplateId, (domain: string) => RecipeTemplateValues> = {
    reporting: reportingDefaults,
    calendar: calendarDefaults,
    reportingAppOnly: reportingAppOnlyDefaults,
    calendarAppOnly: calendarAppOnlyDefaults,
    blank: blankDefaults,
};

/** The values a template starts with, on the tenant's (default) domain. */
export function templateDefaults(template: RecipeTemplateId, domain: string): RecipeTemplateValues {
    return defaultsOf[template](domain);
}

/**
 * The recipe for a template and what the admin changed: the template's defaults, overridden by every value given.
 * Trims what was typed; parts left empty are left out.
 */
export function recipeFromTemplate(template: RecipeTemplateId, given: Partial<RecipeTemplateValues>): Recipe {
    const v: RecipeTemplateValues = { ...templateDefaults(template, given.domain?.trim() || 'contoso.com'), ...given };
    if (isAppOnlyTemplate(template)) return appOnlyRecipe(v);
    const upn = userPrincipalNameOf(v);
    const account: RecipeServiceAccount = { userPrincipalName: upn, displayName: v.displayName.trim(), usageLocation: v.usageLocation.trim().toUpperCase() };
    const roles = names(v.directoryRoles);
    const roleGroups = names(v.exchangeRoleGroups);
    if (roles.length) account.directoryRoles = roles;
    if (roleGroups.length) account.exchangeRoleGroups = roleGroups;
    if (v.licenceSku.trim()) account.licence = { sku: v.licenceSku.trim(), enabledPlans: v.licencePlans === 'all' || !names(v.licencePlans).length ? 'all' : names(v.licencePlans) };
    const recipe: Recipe = { name: v.recipeName.trim(), ...(v.description.trim() ? { description: v.description.trim() } : {}), serviceAccounts: [account] };
    const groupAddress = groupAddressOf(v);
    if (v.groupName.trim()) {
        recipe.mailEnabledGroups = [{ name: v.groupName.trim(), primarySmtpAddress: groupAddress, hiddenFromAddressLists: v.hiddenFromAddressLists, members: [upn] }];
    }
    if (v.calendarGroup.trim()) {
        // The guide gives the access to the group holding the account; without a group, to the account itself.
        recipe.calendarGrants = [{ membersOf: v.calendarGroup.trim(), grantee: v.groupName.trim() ? groupAddress : upn, accessRight: v.accessRight }];
    }
    return recipe;
}

/**
 * An app-only template's recipe: one application, no service account. The mailbox access's scope (RBAC for
 * Applications) is the group the recipe makes (by its address), else an existing mail-enabled group the admin names.
 */
function appOnlyRecipe(v: RecipeTemplateValues): Recipe {
    const app: RecipeApplication = { displayName: v.appName.trim(), credential: { type: v.credentialType, validDays: v.credentialDays } };
    const permissions = names(v.graphPermissions);
    const roles = names(v.appDirectoryRoles);
    const groupAddress = v.groupAddress.trim() || `${recipeSlug(v.groupName)}@${v.domain.trim()}`;
    const scopeGroup = v.groupName.trim() ? groupAddress : v.calendarGroup.trim();
    if (permissions.length) app.graphPermissions = permissions;
    if (v.exchangeManagement) app.exchangeManagement = true;
    if (v.mailboxRole && scopeGroup) app.mailboxAccess = [{ role: v.mailboxRole, membersOf: scopeGroup }];
    if (roles.length) app.directoryRoles = roles;
    const recipe: Recipe = { name: v.recipeName.trim(), ...(v.description.trim() ? { description: v.description.trim() } : {}), serviceAccounts: [], applications: [app] };
    // No members listed: the admin keeps the group's membership (the recipe adds none and, without "exact", removes none).
    if (v.groupName.trim()) recipe.mailEnabledGroups = [{ name: v.groupName.trim(), primarySmtpAddress: groupAddress, hiddenFromAddressLists: v.hiddenFromAddressLists }];
    return recipe;
}

/**
 * The recipe as the file the wizard writes: an app-only recipe leaves "serviceAccounts" out rather than writing an
 * empty list (the schema lets a recipe list accounts, applications or both).
 */
export function recipeFileText(recipe: Recipe): string {
    const { serviceAccounts, ...rest } = recipe;
    return `${JSON.stringify(serviceAccounts.length || !recipe.applications?.length ? recipe : rest, null, 4)}\n`;
}

/** A file name from the recipe's name: lower case, words joined by dashes, e.g. mytimetable-calendar-integration. */
export function recipeSlug(name: string): string {
    return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '') || 'service-account';
}

const names = (list: string[]) => [...new Set(list.map(n => n.trim()).filter(Boolean))];
