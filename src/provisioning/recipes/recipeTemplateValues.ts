// What the setup wizard fills in, shared by the templates, the live checks and the wizard's messages (which the
// browser bundle also compiles): so this file imports only plain data (the calendar engine's list of rights).

import type { CalendarAccessRight } from '../calendar/calendarAccessRights';

export { calendarAccessRights, type CalendarAccessRight } from '../calendar/calendarAccessRights';

/** The setup wizard's starting points: the two vendor guides, and an empty account. */
export type RecipeTemplateId = 'reporting' | 'calendar' | 'blank';
export const recipeTemplateIds: readonly RecipeTemplateId[] = ['reporting', 'calendar', 'blank'];

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
}

/** What the live field checks read (the group's address already derived when the admin left it empty). */
export type RecipeCheckedValues = Pick<RecipeTemplateValues, 'accountName' | 'domain' | 'directoryRoles' | 'exchangeRoleGroups' | 'licenceSku' | 'licencePlans' | 'groupName' | 'groupAddress' | 'calendarGroup'>;

/** The account's user principal name: its name before @ and the chosen domain. */
export const userPrincipalNameOf = (v: Pick<RecipeTemplateValues, 'accountName' | 'domain'>) => `${v.accountName.trim()}@${v.domain.trim()}`;

/** The group's address as typed, else the guide's pattern: the account's name with -secgroup. */
export const groupAddressOf = (v: Pick<RecipeTemplateValues, 'groupAddress' | 'accountName' | 'domain'>) => v.groupAddress.trim() || `${v.accountName.trim()}-secgroup@${v.domain.trim()}`;
