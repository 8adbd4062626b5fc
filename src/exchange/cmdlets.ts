/**
 * The cmdlets product code runs for a whole answer or a change, one typed function each (names and parameters as in
 * ExchangeOnlineManagement). With `exchangePages.ts` (one page per request, for the Directory view and the pickers)
 * these are the only places that spell a cmdlet; callers never do. The calendar engine's `$batch` commands are built
 * there, since a batch is data, not a call. A cmdlet nothing calls has no function: add it with its first caller.
 */
import type { ExchangeAdminClient } from './ExchangeAdminClient';

export interface MailboxSummary { Identity: string; Alias: string; DisplayName: string; PrimarySmtpAddress: string; UserPrincipalName: string; RecipientTypeDetails: string; ExternalDirectoryObjectId: string }
export interface RecipientSummary {
    Identity: string;
    DisplayName: string;
    PrimarySmtpAddress: string;
    RecipientTypeDetails: string;
    ExternalDirectoryObjectId: string;
    /** `UserMailbox`, `MailUniversalSecurityGroup`…: what kind of recipient, without the mailbox's details. */
    RecipientType?: string;
    /** Set on Get-User's answer; a group member's answer may lack it. */
    UserPrincipalName?: string;
    /** A mail-enabled group's distinguished name: what a management scope's MemberOfGroup filter compares with. */
    DistinguishedName?: string;
}
export interface RoleGroupSummary { Name: string; DisplayName: string; Description: string; Members: string[]; Roles: string[] }
export interface DistributionGroupSummary { Name: string; DisplayName: string; PrimarySmtpAddress: string; GroupType: string; MemberJoinRestriction: string; MemberDepartRestriction: string; HiddenFromAddressListsEnabled: boolean; AcceptMessagesOnlyFromSendersOrMembers: string[]; ExternalDirectoryObjectId: string }
export interface FolderPermission { Identity: string; FolderName: string; User: { DisplayName: string }; AccessRights: string[] }
export interface FolderStatistics { Name: string; FolderPath: string; FolderType: string }
export interface AcceptedDomain { DomainName: string }

/** What a new mail-enabled security group is created with (New-DistributionGroup). */
export interface NewDistributionGroup { Name: string; DisplayName?: string; PrimarySmtpAddress: string; Type: 'Security' | 'Distribution'; MemberJoinRestriction?: string; MemberDepartRestriction?: string }
/** The settings of a mail-enabled group a step changes (Set-DistributionGroup). */
export interface DistributionGroupSettings { HiddenFromAddressListsEnabled?: boolean; AcceptMessagesOnlyFromSendersOrMembers?: string[] }

type Options = { signal?: AbortSignal };

/** Every role group: they are few (a few dozen at most), and Get-RoleGroup takes no -Anr. */
export async function listRoleGroups(exo: ExchangeAdminClient, o: Options = {}): Promise<RoleGroupSummary[]> {
    return (await exo.invoke<RoleGroupSummary>('Get-RoleGroup', {}, o)).value;
}

export async function listRoleGroupMembers(exo: ExchangeAdminClient, roleGroup: string, o: Options = {}): Promise<RecipientSummary[]> {
    return (await exo.invoke<RecipientSummary>('Get-RoleGroupMember', { Identity: roleGroup }, o)).value;
}

// Role-group and mail-group membership changes bypass the group's managers check: the admin running them is an
// Exchange admin, not necessarily listed as the group's manager.
export async function addRoleGroupMember(exo: ExchangeAdminClient, roleGroup: string, member: string, o: Options = {}): Promise<void> {
    await exo.invoke('Add-RoleGroupMember', { Identity: roleGroup, Member: member, BypassSecurityGroupManagerCheck: true }, o);
}

export async function removeRoleGroupMember(exo: ExchangeAdminClient, roleGroup: string, member: string, o: Options = {}): Promise<void> {
    await exo.invoke('Remove-RoleGroupMember', { Identity: roleGroup, Member: member, BypassSecurityGroupManagerCheck: true, Confirm: false }, o);
}

/** The user as Exchange sees it; throws ExchangeCommandError (isNotFound) until a new account has reached Exchange. */
export async function getUser(exo: ExchangeAdminClient, identity: string, o: Options = {}): Promise<RecipientSummary | undefined> {
    return (await exo.invoke<RecipientSummary>('Get-User', { Identity: identity }, o)).value[0];
}

/** Any recipient (mailbox, group, contact) by name or address; throws ExchangeCommandError (isNotFound) when none. */
export async function getRecipient(exo: ExchangeAdminClient, identity: string, o: Options = {}): Promise<RecipientSummary | undefined> {
    return (await exo.invoke<RecipientSummary>('Get-Recipient', { Identity: identity }, o)).value[0];
}

/** The domains Exchange accepts mail for: a group's address must be in one. */
export async function listAcceptedDomains(exo: ExchangeAdminClient, o: Options = {}): Promise<AcceptedDomain[]> {
    return (await exo.invoke<AcceptedDomain>('Get-AcceptedDomain', {}, o)).value;
}

export async function getDistributionGroup(exo: ExchangeAdminClient, identity: string, o: Options = {}): Promise<DistributionGroupSummary | undefined> {
    return (await exo.invoke<DistributionGroupSummary>('Get-DistributionGroup', { Identity: identity }, o)).value[0];
}

export async function newDistributionGroup(exo: ExchangeAdminClient, group: NewDistributionGroup, o: Options = {}): Promise<DistributionGroupSummary | undefined> {
    return (await exo.invoke<DistributionGroupSummary>('New-DistributionGroup', { ...group }, o)).value[0];
}

export async function setDistributionGroup(exo: ExchangeAdminClient, identity: string, settings: DistributionGroupSettings, o: Options = {}): Promise<void> {
    await exo.invoke('Set-DistributionGroup', { Identity: identity, ...settings }, o);
}

/** Every member of a mail-enabled group (all pages). */
export async function listDistributionGroupMembers(exo: ExchangeAdminClient, identity: string, o: Options = {}): Promise<RecipientSummary[]> {
    return (await exo.invoke<RecipientSummary>('Get-DistributionGroupMember', { Identity: identity, ResultSize: 'Unlimited' }, o)).value;
}

export async function addDistributionGroupMember(exo: ExchangeAdminClient, identity: string, member: string, o: Options = {}): Promise<void> {
    await exo.invoke('Add-DistributionGroupMember', { Identity: identity, Member: member, BypassSecurityGroupManagerCheck: true }, o);
}

export async function removeDistributionGroupMember(exo: ExchangeAdminClient, identity: string, member: string, o: Options = {}): Promise<void> {
    await exo.invoke('Remove-DistributionGroupMember', { Identity: identity, Member: member, BypassSecurityGroupManagerCheck: true, Confirm: false }, o);
}

/**
 * Removes a mail-enabled group. Exchange refuses anyone but the group's owners (ManagedBy) without
 * -BypassSecurityGroupManagerCheck (Remove-DistributionGroup.md), and an admin or app is rarely an owner.
 */
export async function removeDistributionGroup(exo: ExchangeAdminClient, identity: string, o: Options = {}): Promise<void> {
    await exo.invoke('Remove-DistributionGroup', { Identity: identity, BypassSecurityGroupManagerCheck: true, Confirm: false }, o);
}
