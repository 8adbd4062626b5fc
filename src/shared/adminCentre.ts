import type { CloudEndpoints } from '../auth/clouds';

export interface AdminCentreTarget {
    kind: 'user' | 'group' | 'role' | 'licence' | 'roleGroup' | 'distributionGroup' | 'mailbox' | 'tenant' | 'application';
    /** The object id; for an application, its application (client) id (the blade opens by appId). */
    id: string;
}

/**
 * Where the cloud's own admin centre shows an object: Entra for users, groups and roles, the Microsoft 365 admin
 * centre for licences, the Exchange admin centre for Exchange objects. Deep links are the portals' own blade paths.
 */
export function adminCentreUrl(cloud: CloudEndpoints, target: AdminCentreTarget): string {
    const id = encodeURIComponent(target.id);
    switch (target.kind) {
        case 'user':
            return `${cloud.entraPortal}/#view/Microsoft_AAD_UsersAndTenants/UserProfileMenuBlade/~/overview/userId/${id}`;
        case 'group':
            return `${cloud.entraPortal}/#view/Microsoft_AAD_IAM/GroupDetailsMenuBlade/~/Overview/groupId/${id}`;
        case 'role':
            return `${cloud.entraPortal}/#view/Microsoft_AAD_IAM/RoleMenuBlade/~/RoleMembers/objectId/${id}`;
        case 'licence':
            return `${cloud.m365AdminPortal}/#/licenses`;
        case 'roleGroup':
            return `${cloud.exchangeAdminPortal}/#/adminRoles`;
        case 'distributionGroup':
            return `${cloud.exchangeAdminPortal}/#/groups`;
        case 'mailbox':
            return `${cloud.exchangeAdminPortal}/#/mailboxes`;
        case 'application':
            return `${cloud.entraPortal}/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/${id}`;
        case 'tenant':
            return `${cloud.entraPortal}/#view/Microsoft_AAD_IAM/TenantOverview.ReactView`;
    }
}
