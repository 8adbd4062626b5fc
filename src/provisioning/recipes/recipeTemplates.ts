import { groupAddressOf, userPrincipalNameOf, type RecipeTemplateId, type RecipeTemplateValues } from './recipeTemplateValues';
import type { Recipe, RecipeServiceAccount } from './recipe';

export { groupAddressOf, recipeTemplateIds, userPrincipalNameOf, type RecipeTemplateId, type RecipeTemplateValues } from './recipeTemplateValues';

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
    };
}

/** The values a template starts with, on the tenant's (default) domain. */
export function templateDefaults(template: RecipeTemplateId, domain: string): RecipeTemplateValues {
    return template === 'reporting' ? reportingDefaults(domain) : template === 'calendar' ? calendarDefaults(domain) : blankDefaults(domain);
}

/**
 * The recipe for a template and what the admin changed: the template's defaults, overridden by every value given.
 * Trims what was typed; parts left empty are left out.
 */
export function recipeFromTemplate(template: RecipeTemplateId, given: Partial<RecipeTemplateValues>): Recipe {
    const v: RecipeTemplateValues = { ...templateDefaults(template, given.domain?.trim() || 'contoso.com'), ...given };
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

/** A file name from the recipe's name: lower case, words joined by dashes, e.g. mytimetable-calendar-integration. */
export function recipeSlug(name: string): string {
    return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '') || 'service-account';
}

const names = (list: string[]) => [...new Set(list.map(n => n.trim()).filter(Boolean))];
