/**
 * What an admin needs to run each Exchange cmdlet the extension uses: the management role that holds the cmdlet and the
 * built-in role groups that have it. Exchange answers a missing role with 403 and sometimes no text at all (an empty or
 * NUL-filled body), so the extension has to say this itself.
 *
 * The cmdlet pages only say "You need to be assigned permissions before you can run this cmdlet" and point to "Find the
 * permissions required to run any Exchange cmdlet" (office-docs-powershell exchange/docs-conceptual/
 * find-exchange-cmdlet-permissions.md), which tells you to ask Exchange: `Get-ManagementRole -Cmdlet <name>`. The roles
 * below are what that gives in Exchange Online to our knowledge; docs/FIDELITY.md lists them as an assumption an admin
 * can check in a minute with that command.
 */
interface Needs { role: string; roleGroups: string[] }

const readRecipients: Needs = { role: 'View-Only Recipients', roleGroups: ['View-Only Organization Management', 'Recipient Management', 'Organization Management'] };
const distributionGroups: Needs = { role: 'Distribution Groups', roleGroups: ['Recipient Management', 'Organization Management'] };
const folderPermissions: Needs = { role: 'Mail Recipients', roleGroups: ['Recipient Management', 'Organization Management'] };
const roleManagement: Needs = { role: 'Role Management', roleGroups: ['Organization Management'] };
const readRoleGroups: Needs = { role: 'View-Only Configuration', roleGroups: ['View-Only Organization Management', 'Organization Management'] };
/** RBAC for Applications: its role assignments, scopes and pointers are Role Management cmdlets (to our knowledge, as A24). */
const appRbac: Needs = roleManagement;

const needs: Record<string, Needs> = {
    'Get-Mailbox': readRecipients,
    'Get-User': readRecipients,
    'Get-Recipient': readRecipients,
    'Get-DistributionGroup': readRecipients,
    'Get-DistributionGroupMember': readRecipients,
    'Get-MailboxFolderStatistics': readRecipients,
    'Get-MailboxFolderPermission': readRecipients,
    'New-DistributionGroup': distributionGroups,
    'Set-DistributionGroup': distributionGroups,
    'Remove-DistributionGroup': distributionGroups,
    'Add-DistributionGroupMember': distributionGroups,
    'Remove-DistributionGroupMember': distributionGroups,
    'Add-MailboxFolderPermission': folderPermissions,
    'Set-MailboxFolderPermission': folderPermissions,
    'Remove-MailboxFolderPermission': folderPermissions,
    'Get-AcceptedDomain': readRoleGroups,
    'Get-RoleGroup': readRoleGroups,
    'Get-RoleGroupMember': readRoleGroups,
    'Add-RoleGroupMember': roleManagement,
    'Remove-RoleGroupMember': roleManagement,
    'Get-ServicePrincipal': appRbac,
    'New-ServicePrincipal': appRbac,
    'Remove-ServicePrincipal': appRbac,
    'Get-ManagementScope': appRbac,
    'New-ManagementScope': appRbac,
    'Remove-ManagementScope': appRbac,
    'Get-ManagementRoleAssignment': appRbac,
    'New-ManagementRoleAssignment': appRbac,
    'Remove-ManagementRoleAssignment': appRbac,
    'Test-ServicePrincipalAuthorization': appRbac,
    'Get-OrganizationConfig': readRoleGroups,
};

/** The admin's next step when Exchange refused `cmdlet` without saying why. */
export function missingRoleMessage(cmdlet: string, status: number): string {
    const need = needs[cmdlet];
    const who = need
        ? `It needs the Exchange management role "${need.role}", which the role groups ${need.roleGroups.map(g => `"${g}"`).join(', ')} have (or the Entra role Exchange Administrator).`
        : 'Check the account\'s Exchange role groups (the Entra role Exchange Administrator covers every cmdlet).';
    return `The signed-in account lacks the Exchange permission for ${cmdlet} (Exchange answered ${status} without details). ${who} Run Get-ManagementRole -Cmdlet ${cmdlet} to see every role that allows it.`;
}
