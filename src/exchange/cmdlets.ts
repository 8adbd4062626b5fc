import type { CommandResult, ExchangeAdminClient } from './ExchangeAdminClient';

/** Typed wrappers for the cmdlets the provisioning steps use; names and parameters as in ExchangeOnlineManagement. */
export interface MailboxSummary { Identity: string; Alias: string; DisplayName: string; PrimarySmtpAddress: string; UserPrincipalName: string; RecipientTypeDetails: string; ExternalDirectoryObjectId: string }
export interface RecipientSummary { Identity: string; DisplayName: string; PrimarySmtpAddress: string; RecipientTypeDetails: string; ExternalDirectoryObjectId: string }
export interface RoleGroupSummary { Name: string; DisplayName: string; Description: string; Members: string[]; Roles: string[] }
export interface DistributionGroupSummary { Name: string; DisplayName: string; PrimarySmtpAddress: string; GroupType: string; MemberJoinRestriction: string; MemberDepartRestriction: string; HiddenFromAddressListsEnabled: boolean; AcceptMessagesOnlyFromSendersOrMembers: string[]; ExternalDirectoryObjectId: string }
export interface FolderPermission { Identity: string; FolderName: string; User: { DisplayName: string }; AccessRights: string[] }
export interface FolderStatistics { Name: string; FolderPath: string; FolderType: string }

type Signal = { signal?: AbortSignal };
const first = <T>(result: CommandResult<T>) => result.value[0];

export const exchangeCommands = (exo: ExchangeAdminClient) => ({
    getMailbox: (identity: string, o: Signal = {}) => exo.invoke<MailboxSummary>('Get-Mailbox', { Identity: identity }, o).then(first),
    listMailboxes: (recipientTypeDetails?: string, o: Signal = {}) => exo.invoke<MailboxSummary>('Get-Mailbox', { ResultSize: 'Unlimited', ...(recipientTypeDetails ? { RecipientTypeDetails: recipientTypeDetails } : {}) }, o),
    getUser: (identity: string, o: Signal = {}) => exo.invoke<RecipientSummary>('Get-User', { Identity: identity }, o).then(first),
    getRecipient: (identity: string, o: Signal = {}) => exo.invoke<RecipientSummary>('Get-Recipient', { Identity: identity }, o).then(first),
    listRoleGroups: (o: Signal = {}) => exo.invoke<RoleGroupSummary>('Get-RoleGroup', {}, o),
    getRoleGroupMembers: (roleGroup: string, o: Signal = {}) => exo.invoke<RecipientSummary>('Get-RoleGroupMember', { Identity: roleGroup }, o),
    addRoleGroupMember: (roleGroup: string, member: string, o: Signal = {}) => exo.invoke('Add-RoleGroupMember', { Identity: roleGroup, Member: member, BypassSecurityGroupManagerCheck: true }, o),
    removeRoleGroupMember: (roleGroup: string, member: string, o: Signal = {}) => exo.invoke('Remove-RoleGroupMember', { Identity: roleGroup, Member: member, BypassSecurityGroupManagerCheck: true, Confirm: false }, o),
    newDistributionGroup: (p: { Name: string; DisplayName?: string; PrimarySmtpAddress: string; Type: 'Security' | 'Distribution'; MemberJoinRestriction?: string; MemberDepartRestriction?: string }, o: Signal = {}) => exo.invoke<DistributionGroupSummary>('New-DistributionGroup', p, o).then(first),
    setDistributionGroup: (identity: string, p: { HiddenFromAddressListsEnabled?: boolean; AcceptMessagesOnlyFromSendersOrMembers?: string[] }, o: Signal = {}) => exo.invoke('Set-DistributionGroup', { Identity: identity, ...p }, o),
    getDistributionGroup: (identity: string, o: Signal = {}) => exo.invoke<DistributionGroupSummary>('Get-DistributionGroup', { Identity: identity }, o).then(first),
    listDistributionGroups: (o: Signal = {}) => exo.invoke<DistributionGroupSummary>('Get-DistributionGroup', { ResultSize: 'Unlimited' }, o),
    removeDistributionGroup: (identity: string, o: Signal = {}) => exo.invoke('Remove-DistributionGroup', { Identity: identity, Confirm: false }, o),
    getDistributionGroupMembers: (identity: string, o: Signal = {}) => exo.invoke<RecipientSummary>('Get-DistributionGroupMember', { Identity: identity, ResultSize: 'Unlimited' }, o),
    addDistributionGroupMember: (identity: string, member: string, o: Signal = {}) => exo.invoke('Add-DistributionGroupMember', { Identity: identity, Member: member, BypassSecurityGroupManagerCheck: true }, o),
    removeDistributionGroupMember: (identity: string, member: string, o: Signal = {}) => exo.invoke('Remove-DistributionGroupMember', { Identity: identity, Member: member, BypassSecurityGroupManagerCheck: true, Confirm: false }, o),
    getCalendarFolder: (mailbox: string, o: Signal = {}) => exo.invoke<FolderStatistics>('Get-MailboxFolderStatistics', { Identity: mailbox, FolderScope: 'Calendar' }, o).then(first),
    getFolderPermissions: (folder: string, o: Signal = {}) => exo.invoke<FolderPermission>('Get-MailboxFolderPermission', { Identity: folder }, o),
    addFolderPermission: (folder: string, user: string, accessRights: string[], o: Signal = {}) => exo.invoke('Add-MailboxFolderPermission', { Identity: folder, User: user, AccessRights: accessRights }, o),
    setFolderPermission: (folder: string, user: string, accessRights: string[], o: Signal = {}) => exo.invoke('Set-MailboxFolderPermission', { Identity: folder, User: user, AccessRights: accessRights }, o),
    removeFolderPermission: (folder: string, user: string, o: Signal = {}) => exo.invoke('Remove-MailboxFolderPermission', { Identity: folder, User: user, Confirm: false }, o),
});
