import { checkDisplayName, checkUsageLocation, checkUserPrincipalName } from '../../provisioning/fields';
import { userPrincipalNameOf } from '../../provisioning/recipes/recipeTemplateValues';
import type { WizardField, WizardValues } from '../../webviews/setupWizard/protocol';
import type { ShownCheck } from './liveChecks';

/** The fields that show a check line (a check of several fields shows under the first, e.g. account name + domain). */
export type CheckKey = 'recipeName' | 'accountName' | 'displayName' | 'usageLocation' | 'directoryRoles' | 'exchangeRoleGroups' | 'licenceSku' | 'groupAddress' | 'calendarGroup'
    | 'appName' | 'graphPermissions' | 'appDirectoryRoles';

/** Which checks a changed field makes stale: the UPN feeds the licence check and the group's default address. */
const dependents: Record<WizardField, CheckKey[]> = {
    recipeName: ['recipeName'],
    description: [],
    accountName: ['accountName', 'licenceSku', 'groupAddress'],
    domain: ['accountName', 'licenceSku', 'groupAddress'],
    displayName: ['displayName'],
    usageLocation: ['usageLocation'],
    directoryRoles: ['directoryRoles'],
    exchangeRoleGroups: ['exchangeRoleGroups'],
    licenceSku: ['licenceSku'],
    licencePlans: ['licenceSku'],
    groupName: ['groupAddress'],
    groupAddress: ['groupAddress'],
    hiddenFromAddressLists: [],
    calendarGroup: ['calendarGroup'],
    accessRight: [],
    appName: ['appName'],
    credentialType: [],
    credentialDays: [],
    graphPermissions: ['graphPermissions'],
    exchangeManagement: [],
    appDirectoryRoles: ['appDirectoryRoles'],
    mailboxRole: ['calendarGroup'],
};

export const checkKeysFor = (field: WizardField): CheckKey[] => dependents[field];

const error = (message: string): ShownCheck => ({ state: 'error', message });

/**
 * The checks made here, without the tenant: a value's form (the same rules the actions apply). Returns the answer,
 * null when the form is fine and there is nothing more to ask, or undefined when the tenant must be asked.
 */
export function localCheck(key: CheckKey, v: WizardValues): ShownCheck | null | undefined {
    switch (key) {
        case 'recipeName':
            return v.recipeName.trim() ? null : error('Give the recipe a name, e.g. "MyTimetable calendar integration".');
        case 'displayName': {
            const problem = checkDisplayName(v.displayName);
            return problem ? error(problem) : null;
        }
        case 'usageLocation': {
            const problem = checkUsageLocation(v.usageLocation);
            return problem ? error(problem) : null;
        }
        case 'accountName': {
            if (!v.accountName.trim()) return error('Enter the account\'s name, the part before @.');
            const problem = checkUserPrincipalName(userPrincipalNameOf(v));
            return problem ? error(problem) : undefined;
        }
        case 'appName':
            // The schema's bound (media/m365recipe.schema.json, application.displayName): the admin centre's 120.
            if (!v.appName.trim()) return error('Name the app registration, e.g. "MyTimetable Calendar Integration".');
            return [...v.appName.trim()].length > 120 ? error('The app registration\'s name is at most 120 characters.') : undefined;
        default:
            return undefined;
    }
}
