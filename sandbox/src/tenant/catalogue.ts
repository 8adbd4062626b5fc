import type { RoleDefinition, SubscribedSku } from '../contracts';

/** Microsoft's service plans in Office 365 E3, by the names the second guide lists, with their real ids. */
const e3Plans: [string, string][] = [
    ['EXCHANGE_S_ENTERPRISE', 'efb87545-963c-4e0d-99df-69c6916d9eb0'],
    ['SHAREPOINTENTERPRISE', '5dbe027f-2339-4123-9542-606e4d348a72'],
    ['SHAREPOINTWAC', 'e95bec33-7c88-4a70-8e19-b10bd9d0c014'],
    ['MCOSTANDARD', '0feaeb32-d00e-4d66-bd5a-43b5b83db82c'],
    ['OFFICESUBSCRIPTION', '43de0ff5-c92c-492b-9116-175376d08c38'],
    ['RMS_S_ENTERPRISE', 'bea4c11e-220a-4e6d-8eb8-8ea15d019f90'],
    ['YAMMER_ENTERPRISE', '7547a3fe-08ee-4ccb-b430-5077c5041653'],
    ['INTUNE_O365', '882e1d05-acd1-4ccb-8708-6ee03664b117'],
];

export const skuIds = { e3: '6fd2c87f-b296-42f0-b197-1e91e994b900', developer: '189a915c-fe4f-4ffa-bde4-85b9628d07a0' };
/** Exchange Online plans: a user whose licences enable one of these gets a mailbox. */
export const exchangePlanIds: ReadonlySet<string> = new Set(['efb87545-963c-4e0d-99df-69c6916d9eb0']);
export const servicePlanIds = Object.fromEntries(e3Plans) as Record<string, string>;

/**
 * ENTERPRISEPACK (Office 365 E3) and DEVELOPERPACK (Office 365 E3 Developer) with the service plans the second guide
 * lists. The developer subscription has one seat, as in the guide's `Get-MsolAccountSku` output, so it is full.
 * `consumedUnits` is set by the seed from the users that hold each SKU.
 */
export function subscribedSkus(tenantId: string, e3Units: number): SubscribedSku[] {
    const sku = (skuId: string, skuPartNumber: string, enabled: number): SubscribedSku => ({
        id: `${tenantId}_${skuId}`,
        skuId,
        skuPartNumber,
        capabilityStatus: 'Enabled',
        consumedUnits: 0,
        prepaidUnits: { enabled, suspended: 0, warning: 0, lockedOut: 0 },
        servicePlans: e3Plans.map(([servicePlanName, servicePlanId]) => ({ servicePlanId, servicePlanName, provisioningStatus: 'Success', appliesTo: 'User' as const })),
        appliesTo: 'User',
    });
    return [sku(skuIds.e3, 'ENTERPRISEPACK', e3Units), sku(skuIds.developer, 'DEVELOPERPACK', 1)];
}

type RoleSeed = [displayName: string, templateId: string, privileged: boolean, description: string];

/** Built-in Entra roles with Microsoft's template ids (for built-in roles, id = templateId). */
const roles: RoleSeed[] = [
    ['Global Administrator', '62e90394-69f5-4237-9190-012177145e10', true, 'Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.'],
    ['Global Reader', 'f2ef992c-3afb-46b9-b7cf-a126ee74c451', true, 'Can read everything that a Global Administrator can, but not update anything.'],
    ['Service Support Administrator', 'f023fd81-a637-4b56-95fd-791ac0226033', false, 'Can read service health information and manage support tickets.'],
    ['Exchange Administrator', '29232cdf-9323-42fd-ade2-1d097af3e4de', false, 'Can manage all aspects of the Exchange product.'],
    ['User Administrator', 'fe930be7-5e62-47db-91af-98c3a49a38b1', true, 'Can manage all aspects of users and groups, including resetting passwords for limited admins.'],
    ['Groups Administrator', 'fdd7a751-b60b-444a-984c-02652fe8fa1c', false, 'Members of this role can create/manage groups, create/manage groups settings like naming and expiration policies, and view groups activity and audit reports.'],
    ['License Administrator', '4d6ac14f-3453-41d0-bef9-a3e0c569773a', false, 'Can manage product licenses on users and groups.'],
    ['Helpdesk Administrator', '729827e3-9c14-49f7-bb1b-9608f156bbb8', true, 'Can reset passwords for non-administrators and Helpdesk Administrators.'],
    ['Privileged Role Administrator', 'e8611ab8-c189-46e8-94e1-60213ab1f814', true, 'Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management.'],
    ['Security Administrator', '194ae4cb-b126-40b2-bd5b-6091b380977d', true, 'Can read security information and reports, and manage configuration in Microsoft Entra ID and Office 365.'],
    ['Reports Reader', '4a5d8f65-41da-4de4-8968-e035b65339cf', false, 'Can read sign-in and audit reports.'],
    ['Directory Readers', '88d8e3e3-8f55-4a1e-953a-9b9898b8876b', false, 'Can read basic directory information. Commonly used to grant directory read access to applications and guests.'],
    ['Application Administrator', '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3', true, 'Can create and manage all aspects of app registrations and enterprise apps.'],
    ['Billing Administrator', 'b0f54661-2d74-4c50-afa3-1ec803f12efe', false, 'Can perform common billing related tasks like updating payment information.'],
    ['Teams Administrator', '69091246-20e8-4a56-aa4d-066075b2a7a8', false, 'Can manage the Microsoft Teams service.'],
    ['SharePoint Administrator', 'f28a1f50-f6e7-4571-818b-6a12f2af6b6c', false, 'Can manage all aspects of the SharePoint service.'],
    ['Compliance Administrator', '17315797-102d-40b4-93e0-432062caca18', false, 'Can read and manage compliance configuration and reports in Microsoft Entra ID and Microsoft 365.'],
];

export function roleDefinitions(): RoleDefinition[] {
    return roles.map(([displayName, templateId, isPrivileged, description]) => ({
        id: templateId,
        templateId,
        displayName,
        description,
        isBuiltIn: true,
        isEnabled: true,
        isPrivileged,
        allowedResourceActions: resourceActions[displayName] ?? [],
    }));
}

/** A few of each role's actions as Entra lists them (enough for the explorer to show what a role can do). */
const resourceActions: Record<string, string[]> = {
    'Global Administrator': ['microsoft.directory/allEntities/allProperties/allTasks'],
    'Global Reader': ['microsoft.directory/allEntities/allProperties/read'],
    'Service Support Administrator': ['microsoft.office365.serviceHealth/allEntities/allTasks', 'microsoft.office365.supportTickets/allEntities/allTasks', 'microsoft.office365.webPortal/allEntities/standard/read'],
    'Exchange Administrator': ['microsoft.office365.exchange/allEntities/basic/allTasks', 'microsoft.directory/groups.unified/create', 'microsoft.office365.serviceHealth/allEntities/allTasks'],
    'User Administrator': ['microsoft.directory/users/create', 'microsoft.directory/users/delete', 'microsoft.directory/users/basic/update', 'microsoft.directory/users/assignLicense', 'microsoft.directory/groups/create', 'microsoft.directory/groups/members/update'],
    'Groups Administrator': ['microsoft.directory/groups/create', 'microsoft.directory/groups/delete', 'microsoft.directory/groups/members/update', 'microsoft.directory/groups/owners/update'],
    'License Administrator': ['microsoft.directory/users/assignLicense', 'microsoft.directory/users/usageLocation/update', 'microsoft.directory/groups/assignLicense'],
    'Helpdesk Administrator': ['microsoft.directory/users/password/update', 'microsoft.directory/users/invalidateAllRefreshTokens', 'microsoft.office365.supportTickets/allEntities/allTasks'],
    'Privileged Role Administrator': ['microsoft.directory/roleAssignments/allProperties/allTasks', 'microsoft.directory/roleDefinitions/allProperties/allTasks', 'microsoft.directory/privilegedIdentityManagement/allProperties/allTasks'],
    'Security Administrator': ['microsoft.directory/conditionalAccessPolicies/create', 'microsoft.directory/identityProtection/allProperties/update', 'microsoft.office365.protectionCenter/allEntities/allProperties/allTasks'],
    'Reports Reader': ['microsoft.directory/auditLogs/allProperties/read', 'microsoft.directory/signInReports/allProperties/read', 'microsoft.office365.usageReports/allEntities/allProperties/read'],
    'Directory Readers': ['microsoft.directory/users/standard/read', 'microsoft.directory/groups/standard/read', 'microsoft.directory/domains/standard/read'],
    'Application Administrator': ['microsoft.directory/applications/create', 'microsoft.directory/applications/credentials/update', 'microsoft.directory/servicePrincipals/create'],
    'Billing Administrator': ['microsoft.commerce.billing/allEntities/allProperties/allTasks', 'microsoft.directory/organization/basic/update'],
    'Teams Administrator': ['microsoft.teams/allEntities/allProperties/allTasks', 'microsoft.directory/groups.unified/create'],
    'SharePoint Administrator': ['microsoft.office365.sharePoint/allEntities/allTasks', 'microsoft.directory/groups.unified/create'],
    'Compliance Administrator': ['microsoft.office365.complianceManager/allEntities/allTasks', 'microsoft.office365.protectionCenter/allEntities/allProperties/allTasks'],
};

export const roleIds = Object.fromEntries(roles.map(([name, id]) => [name, id])) as Record<string, string>;

export const exchangeRoleGroups: [name: string, description: string, roles: string[]][] = [
    ['Organization Management', 'Members of this management role group have permissions to manage Exchange objects and their properties in the Exchange organization.', ['Organization Configuration', 'Recipient Policies', 'Role Management', 'Mail Recipients', 'Distribution Groups']],
    ['View-Only Organization Management', 'Members of this management role group can view recipient and configuration objects and their properties in the Exchange organization.', ['View-Only Configuration', 'View-Only Recipients']],
    ['Recipient Management', 'Members of this management role group have rights to create, manage, and remove Exchange recipient objects in the Exchange organization.', ['Mail Recipients', 'Distribution Groups', 'Mail Recipient Creation', 'Move Mailboxes']],
    ['Help Desk', 'Members of this management role group can view and manage the configuration for individual recipients and view recipients in an Exchange organization.', ['User Options', 'View-Only Recipients', 'Reset Password']],
    ['Compliance Management', 'This role group will allow a specified user, responsible for compliance, to properly configure and manage compliance settings within Exchange.', ['Data Loss Prevention', 'Journaling', 'Message Tracking', 'Retention Management']],
    ['Discovery Management', 'Members of this management role group can perform searches of mailboxes in the Exchange organization for data that meets specific criteria.', ['Legal Hold', 'Mailbox Search']],
    ['Records Management', 'Members of this management role group can configure compliance features such as retention policy tags, message classifications, and transport rules.', ['Audit Logs', 'Journaling', 'Message Tracking', 'Retention Management', 'Transport Rules']],
    ['Hygiene Management', 'Members of this management role group can manage Exchange anti-spam features and grant permissions for antivirus products to integrate with Exchange.', ['Transport Hygiene', 'View-Only Configuration', 'View-Only Recipients']],
];
