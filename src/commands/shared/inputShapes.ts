import { fields } from '../../provisioning/fields';

/**
 * What each provisioning command takes as its input object, field by field (checked by `givenInput` with the same
 * field checks as every other entry point). Kept apart from the commands, which import `vscode`, so the plain unit
 * tests drive the very shapes the commands use.
 */
export const inputShapes = {
    createServiceAccount: { displayName: fields.displayName, userPrincipalName: fields.userPrincipalName, usageLocation: fields.usageLocation },
    createMailGroup: { name: fields.groupName, primarySmtpAddress: fields.groupAddress, hiddenFromAddressLists: 'boolean', acceptMessagesOnlyFrom: fields.senders },
    addMailGroupMember: { group: fields.mailGroup, member: fields.member },
    assignRole: { role: fields.roleName },
    addToRoleGroup: { roleGroup: fields.roleGroupName, member: fields.member },
    assignLicence: { sku: fields.licence, plans: fields.plans },
    grantCalendarAccess: { grantee: fields.grantee, accessRight: fields.accessRight },
    revokeCalendarAccess: { grantee: fields.grantee },
} as const;
