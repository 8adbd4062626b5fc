import type { DirectoryGroup, DirectoryUser, Mailbox, Principal, SandboxContext } from '../contracts';
import { markDirectoryChanged } from '../tenant/directory';
import { ExchangeError, invalidParameter, notFound } from './errors';
import { capped, groupNames, listOptions, namesOf, userNames } from './listing';
import { appRbacCmdlets, appRbacParameters } from './appRbac';
import { getOrganizationConfig } from './organizationConfig';
import { groupDistinguishedName } from './distinguishedNames';
import { displayNameOf, groupReplicated, mailboxShape, principalResolves, recipientId, recipientShape, replicated, resolveRecipient, unresolvedSid } from './recipients';

export type Parameters = Record<string, unknown>;
export interface CmdletResult { value: Record<string, unknown>[]; warnings?: string[] }
/** `caller` is who runs the cmdlet (from the access token), for the checks that depend on it (group managers). */
type Cmdlet = (ctx: SandboxContext, p: Parameters, caller?: Principal) => CmdletResult;

const accessRightValues = ['None', 'Owner', 'PublishingEditor', 'Editor', 'PublishingAuthor', 'Author', 'NonEditingAuthor', 'Reviewer', 'Contributor', 'AvailabilityOnly', 'LimitedDetails'];

const str = (p: Parameters, name: string): string | undefined => (typeof p[name] === 'string' ? (p[name]) : undefined);
const need = (p: Parameters, name: string, cmdlet: string): string => {
    const value = str(p, name);
    if (!value) throw invalidParameter(`Cannot process argument transformation on parameter '${name}' of ${cmdlet}: a value is required.`);
    return value;
};
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(',').map(s => s.trim()).filter(Boolean) : []);
const bool = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : value === 'true' || value === '$true' ? true : value === 'false' || value === '$false' ? false : undefined);

/** `user@contoso.com:\Calendar` → the mailbox and the folder name asked for. */
function folder(ctx: SandboxContext, identity: string): { mailbox: Mailbox; name: string } {
    const [owner, path] = identity.split(':\\');
    const recipient = resolveRecipient(ctx, owner, 'user');
    if (recipient.kind !== 'user' || !recipient.mailbox) throw notFound(owner);
    const name = path ?? '';
    // Only the mailbox's own (possibly localised) folder name resolves: `:\Calendar` is not found on a German mailbox.
    // A missing folder is told apart from a missing mailbox (notFound above, Configuration.Tasks) by its exception type
    // (StoreTasks) and by naming the folder path rather than the mailbox.
    if (name.toLowerCase() !== recipient.mailbox.calendarFolderName.toLowerCase()) {
        throw new ExchangeError(404, 'Microsoft.Exchange.Management.StoreTasks.ManagementObjectNotFoundException', `The operation couldn't be performed because '${identity}' couldn't be found.`);
    }
    return { mailbox: recipient.mailbox, name: recipient.mailbox.calendarFolderName };
}

function permissionShape(ctx: SandboxContext, mailbox: Mailbox, folderName: string, entry: Mailbox['calendarPermissions'][number]): Record<string, unknown> {
    const special = entry.principal === 'Default' || entry.principal === 'Anonymous';
    // A grantee that was deleted stays on the folder, shown by its unresolved SID with UserType Unknown (recipients.ts).
    const resolved = !special && principalResolves(ctx, entry.principal);
    const name = special ? entry.principal : resolved ? displayNameOf(ctx, entry.principal) : unresolvedSid(entry.principal);
    return {
        Identity: `${mailbox.alias}:\\${folderName}`,
        FolderName: folderName,
        User: { DisplayName: name, UserType: special ? entry.principal : resolved ? 'Internal' : 'Unknown', RecipientPrincipal: resolved ? { Guid: entry.principal } : null },
        AccessRights: entry.accessRights,
        SharingPermissionFlags: entry.sharingPermissionFlags ?? null,
    };
}

const entryNotFound = (user: string) => new ExchangeError(404, 'Microsoft.Exchange.Management.StoreTasks.UserNotFoundInPermissionEntryException', `There is no existing permission entry found for user: ${user}.`);

/**
 * The principal of the entry `-User` names on a folder: `Default`, `Anonymous` (where allowed), the unresolved SID
 * of a deleted grantee exactly as Get-MailboxFolderPermission shows it (public scripts remove orphans so:
 * `Remove-MailboxFolderPermission <mailbox> -User 'NT:S-1-5-21-…'`), or a recipient Exchange can find.
 */
function entryPrincipal(ctx: SandboxContext, mailbox: Mailbox, user: string, specials: boolean): string {
    if (specials && (user === 'Default' || user === 'Anonymous')) return user;
    if (/^NT:S-1-5-/i.test(user)) {
        const orphan = mailbox.calendarPermissions.find(e => !principalResolves(ctx, e.principal) && unresolvedSid(e.principal).toLowerCase() === user.toLowerCase());
        if (!orphan) throw entryNotFound(user);
        return orphan.principal;
    }
    return recipientId(resolveRecipient(ctx, user, 'any', 'parameter'));
}

function rightsOf(p: Parameters): string[] {
    const rights = list(p.AccessRights);
    if (!rights.length) throw invalidParameter("Cannot bind argument to parameter 'AccessRights' because it is null.");
    for (const right of rights) {
        if (!accessRightValues.some(v => v.toLowerCase() === right.toLowerCase())) {
            throw invalidParameter(`Cannot process argument transformation on parameter 'AccessRights'. Cannot convert value "${right}" to type "Microsoft.Exchange.Management.StoreTasks.MailboxFolderAccessRight". The possible enumeration values are "${accessRightValues.join(', ')}".`);
        }
    }
    return rights.map(r => accessRightValues.find(v => v.toLowerCase() === r.toLowerCase()) ?? r);
}

function distributionGroup(ctx: SandboxContext, identity: string): DirectoryGroup {
    const recipient = resolveRecipient(ctx, identity, 'group');
    if (recipient.kind !== 'group' || !recipient.group.mailEnabled || recipient.group.groupTypes.includes('Unified')) throw notFound(identity);
    return recipient.group;
}

/** DistinguishedName is what a management scope's `MemberOfGroup` filter names (distinguishedNames.ts). */
function groupShape(ctx: SandboxContext, group: DirectoryGroup): Record<string, unknown> {
    const x = group.exchange;
    return {
        Identity: x?.name ?? group.displayName,
        Name: x?.name ?? group.displayName,
        DisplayName: group.displayName,
        Alias: group.mailNickname,
        PrimarySmtpAddress: x?.primarySmtpAddress ?? group.mail ?? '',
        GroupType: x?.groupType ?? (group.securityEnabled ? 'Universal, SecurityEnabled' : 'Universal'),
        RecipientTypeDetails: group.securityEnabled ? 'MailUniversalSecurityGroup' : 'MailUniversalDistributionGroup',
        MemberJoinRestriction: x?.memberJoinRestriction ?? 'Closed',
        MemberDepartRestriction: x?.memberDepartRestriction ?? 'Closed',
        HiddenFromAddressListsEnabled: x?.hiddenFromAddressListsEnabled ?? false,
        AcceptMessagesOnlyFromSendersOrMembers: x?.acceptMessagesOnlyFromSendersOrMembers ?? [],
        ManagedBy: x?.managedBy ?? [],
        DistinguishedName: groupDistinguishedName(ctx.state, group),
        ExternalDirectoryObjectId: group.id,
        Guid: group.id,
    };
}

/**
 * "If you aren't defined in the ManagedBy property of the group, you need to use this switch [BypassSecurityGroupManagerCheck]
 * in commands that modify or delete the group" (Remove-DistributionGroup.md). Without it Exchange Online answers "You
 * don't have sufficient permissions. This operation can only be performed by a manager of the group." (the text:
 * Microsoft365DSC/Microsoft365DSC#6435, removing a mail-enabled security group; its exception type is A44). An app
 * is never in ManagedBy, so app-only callers always need the switch.
 */
function requireGroupManager(ctx: SandboxContext, group: DirectoryGroup, p: Parameters, caller: Principal | undefined): void {
    if (p.BypassSecurityGroupManagerCheck !== undefined && bool(p.BypassSecurityGroupManagerCheck) !== false) return;
    const callerId = caller?.kind === 'delegated' ? caller.userId : undefined;
    const managers = (group.exchange?.managedBy ?? []).map(m => {
        try {
            return recipientId(resolveRecipient(ctx, m, 'any', 'parameter'));
        } catch {
            return m;
        }
    });
    if (callerId && managers.includes(callerId)) return;
    throw new ExchangeError(400, 'Microsoft.Exchange.Management.Tasks.RecipientTaskException', "You don't have sufficient permissions. This operation can only be performed by a manager of the group.");
}

function roleGroup(ctx: SandboxContext, identity: string) {
    const key = identity.toLowerCase();
    const found = ctx.state.roleGroups.find(g => [g.id, g.name, g.displayName].some(v => v.toLowerCase() === key));
    if (!found) throw notFound(identity);
    return found;
}

/** A user as Get-User shows it. */
function userShape(ctx: SandboxContext, u: DirectoryUser): Record<string, unknown> {
    return { ...recipientShape(ctx, u.id), UserPrincipalName: u.userPrincipalName, FirstName: u.givenName ?? '', LastName: u.surname ?? '', Department: u.department ?? '', Title: u.jobTitle ?? '', AccountDisabled: !u.accountEnabled };
}

export const cmdlets: Record<string, Cmdlet> = {
    // The list cmdlets read -Anr, -Filter, -RecipientTypeDetails and -ResultSize through listOptions (listing.ts).
    'Get-Mailbox': (ctx, p) => {
        const narrow = listOptions(p);
        const identity = str(p, 'Identity');
        let mailboxes = [...ctx.state.mailboxes.values()].filter(m => replicated(ctx, m.createdDateTime));
        if (identity) {
            const recipient = resolveRecipient(ctx, identity, 'user');
            if (recipient.kind !== 'user' || !recipient.mailbox) throw notFound(identity);
            mailboxes = [recipient.mailbox];
        }
        return narrow(mailboxes.map(m => ({ shape: mailboxShape(ctx, m), names: namesOf(ctx, m.userId) })));
    },
    'Get-User': (ctx, p) => {
        const narrow = listOptions(p);
        const identity = str(p, 'Identity');
        const users = identity ? [resolveRecipient(ctx, identity, 'user')].map(r => (r.kind === 'user' ? r.user : undefined)).filter(u => u !== undefined) : [...ctx.state.users.values()].filter(u => replicated(ctx, u.createdDateTime));
        return narrow(users.map(u => ({ shape: userShape(ctx, u), names: userNames(u, ctx.state.mailboxes.get(u.id)) })));
    },
    /**
     * "This cmdlet returns all mail-enabled objects (for example, mailboxes, mail users, mail contacts, and distribution
     * groups)" and "to return Microsoft 365 Groups, you need to use the RecipientTypeDetails parameter with the value
     * GroupMailbox" (office-docs-powershell Get-Recipient.md; its -RecipientTypeDetails list has no User and no plain
     * security group). So a user without a mailbox and a security group that is not mail-enabled are not recipients:
     * not listed, and "couldn't be found" by -Identity, as any unknown name.
     */
    'Get-Recipient': (ctx, p) => {
        const narrow = listOptions(p);
        const identity = str(p, 'Identity');
        const asked = (Array.isArray(p.RecipientTypeDetails) ? p.RecipientTypeDetails.map(String) : typeof p.RecipientTypeDetails === 'string' ? p.RecipientTypeDetails.split(',') : []).map(t => t.trim().toLowerCase());
        const groupMailboxes = asked.includes('groupmailbox');
        let ids: string[];
        if (identity) {
            const recipient = resolveRecipient(ctx, identity);
            const mailEnabled = recipient.kind === 'user' ? recipient.mailbox !== undefined : recipient.group.mailEnabled;
            if (!mailEnabled) throw notFound(identity);
            ids = [recipientId(recipient)];
        } else {
            ids = [
                ...[...ctx.state.mailboxes.values()].filter(m => replicated(ctx, m.createdDateTime) && ctx.state.users.has(m.userId)).map(m => m.userId),
                ...[...ctx.state.groups.values()].filter(g => g.mailEnabled && groupReplicated(ctx, g) && (groupMailboxes || !g.groupTypes.includes('Unified'))).map(g => g.id),
            ];
        }
        return narrow(ids.map(id => ({ shape: recipientShape(ctx, id), names: namesOf(ctx, id) })));
    },
    /**
     * The organisation's accepted domains: Exchange Online adds each verified domain of the tenant as Authoritative
     * (office-docs-powershell Get-AcceptedDomain.md: DomainName, DomainType, Default).
     */
    'Get-AcceptedDomain': (ctx, p) =>
        capped(ctx.state.domains.filter(d => d.isVerified && d.supportedServices.includes('Email')).map(d => ({ Identity: d.id, Name: d.id, DomainName: d.id, DomainType: 'Authoritative', Default: d.isDefault })), p.ResultSize),
    'Get-RoleGroup': (ctx, p) => {
        const identity = str(p, 'Identity');
        const groups = identity ? [roleGroup(ctx, identity)] : ctx.state.roleGroups;
        return capped(groups.map(g => ({ Identity: g.name, Name: g.name, DisplayName: g.displayName, Description: g.description, Roles: g.roles, Members: g.members.map(m => displayNameOf(ctx, m)), ManagedBy: ['Organization Management'], RoleGroupType: 'Standard', Guid: g.id })), p.ResultSize);
    },
    'Get-RoleGroupMember': (ctx, p) => {
        const group = roleGroup(ctx, need(p, 'Identity', 'Get-RoleGroupMember'));
        return capped(group.members.map(m => recipientShape(ctx, m)), p.ResultSize);
    },
    'Add-RoleGroupMember': (ctx, p) => {
        const group = roleGroup(ctx, need(p, 'Identity', 'Add-RoleGroupMember'));
        const member = recipientId(resolveRecipient(ctx, need(p, 'Member', 'Add-RoleGroupMember'), 'any', 'parameter'));
        if (group.members.includes(member)) {
            throw new ExchangeError(400, 'Microsoft.Exchange.Management.Tasks.MemberAlreadyExistsException', `The recipient "${displayNameOf(ctx, member)}" is already a member of the group "${group.displayName}".`);
        }
        group.members.push(member);
        return { value: [] };
    },
    'Remove-RoleGroupMember': (ctx, p) => {
        const group = roleGroup(ctx, need(p, 'Identity', 'Remove-RoleGroupMember'));
        const member = recipientId(resolveRecipient(ctx, need(p, 'Member', 'Remove-RoleGroupMember'), 'any', 'parameter'));
        if (!group.members.includes(member)) {
            throw new ExchangeError(400, 'Microsoft.Exchange.Management.Tasks.MemberNotFoundException', `The recipient "${displayNameOf(ctx, member)}" isn't a member of the group "${group.displayName}".`);
        }
        group.members = group.members.filter(m => m !== member);
        return { value: [] };
    },
    'New-DistributionGroup': (ctx, p, caller) => {
        const name = need(p, 'Name', 'New-DistributionGroup');
        const security = (str(p, 'Type') ?? 'Distribution').toLowerCase() === 'security';
        const domain = ctx.state.domains.find(d => d.isDefault)?.id ?? 'contoso.com';
        const alias = str(p, 'Alias') ?? name.replace(/[^A-Za-z0-9._-]/g, '');
        const smtp = str(p, 'PrimarySmtpAddress') ?? `${alias}@${domain}`;
        const smtpDomain = smtp.split('@')[1]?.toLowerCase();
        if (!ctx.state.domains.some(d => d.isVerified && d.id === smtpDomain)) {
            throw invalidParameter(`The domain '${smtpDomain ?? ''}' isn't an accepted domain for your organization. Use one of the accepted domains.`);
        }
        const taken = [...ctx.state.users.values()].some(u => (u.mail ?? u.userPrincipalName).toLowerCase() === smtp.toLowerCase()) || [...ctx.state.groups.values()].some(g => [g.mail, g.exchange?.primarySmtpAddress].some(a => a?.toLowerCase() === smtp.toLowerCase()));
        if (taken) throw new ExchangeError(400, 'Microsoft.Exchange.Data.Directory.ADObjectAlreadyExistsException', `The proxy address "SMTP:${smtp}" is already being used by the proxy addresses or LegacyExchangeDN. Please choose another proxy address.`);
        if ([...ctx.state.groups.values()].some(g => g.exchange?.name.toLowerCase() === name.toLowerCase() || (g.mailEnabled && g.mailNickname.toLowerCase() === alias.toLowerCase()))) {
            throw new ExchangeError(400, 'Microsoft.Exchange.Data.Directory.ADObjectAlreadyExistsException', `The name "${name}" or alias "${alias}" is already being used. Please choose another name.`);
        }
        const members = list(p.Members).map(m => recipientId(resolveRecipient(ctx, m, 'any', 'parameter')));
        const group: DirectoryGroup = {
            id: ctx.newId(),
            displayName: str(p, 'DisplayName') ?? name,
            mailNickname: alias,
            mail: smtp,
            mailEnabled: true,
            securityEnabled: security,
            groupTypes: [],
            members,
            owners: [],
            createdDateTime: new Date(ctx.now()).toISOString(),
            exchange: {
                createdInExchange: true,
                name,
                primarySmtpAddress: smtp,
                groupType: security ? 'Universal, SecurityEnabled' : 'Universal',
                memberJoinRestriction: (str(p, 'MemberJoinRestriction') as 'Open' | 'Closed' | 'ApprovalRequired' | undefined) ?? 'Closed',
                memberDepartRestriction: (str(p, 'MemberDepartRestriction') as 'Open' | 'Closed' | undefined) ?? 'Closed',
                hiddenFromAddressListsEnabled: false,
                acceptMessagesOnlyFromSendersOrMembers: [],
                // "If you don't use this parameter to specify the owner when you create the group, the user account that
                // created the group is the owner" (New-DistributionGroup.md, -ManagedBy); an app is no user account.
                managedBy: p.ManagedBy !== undefined ? list(p.ManagedBy) : caller?.kind === 'delegated' && caller.userId ? [caller.userPrincipalName ?? caller.userId] : [],
            },
        };
        ctx.state.groups.set(group.id, group);
        return { value: [groupShape(ctx, group)] };
    },
    'Get-DistributionGroup': (ctx, p) => {
        const narrow = listOptions(p);
        const identity = str(p, 'Identity');
        const groups = identity ? [distributionGroup(ctx, identity)] : [...ctx.state.groups.values()].filter(g => g.mailEnabled && !g.groupTypes.includes('Unified') && groupReplicated(ctx, g));
        return narrow(groups.map(g => ({ shape: groupShape(ctx, g), names: groupNames(g) })));
    },
    'Set-DistributionGroup': (ctx, p) => {
        const group = distributionGroup(ctx, need(p, 'Identity', 'Set-DistributionGroup'));
        const x = (group.exchange ??= { name: group.displayName, primarySmtpAddress: group.mail ?? '', groupType: group.securityEnabled ? 'Universal, SecurityEnabled' : 'Universal', memberJoinRestriction: 'Closed', memberDepartRestriction: 'Closed', hiddenFromAddressListsEnabled: false, acceptMessagesOnlyFromSendersOrMembers: [], managedBy: [] });
        const before = JSON.stringify({ x, name: group.displayName });
        const hidden = bool(p.HiddenFromAddressListsEnabled);
        if (hidden !== undefined) x.hiddenFromAddressListsEnabled = hidden;
        const senders = p.AcceptMessagesOnlyFromSendersOrMembers ?? p.AcceptMessagesOnlyFrom;
        if (senders !== undefined) x.acceptMessagesOnlyFromSendersOrMembers = list(senders).map(s => recipientId(resolveRecipient(ctx, s, 'any', 'parameter')));
        if (str(p, 'DisplayName')) group.displayName = str(p, 'DisplayName') ?? group.displayName;
        if (str(p, 'MemberJoinRestriction')) x.memberJoinRestriction = str(p, 'MemberJoinRestriction') as 'Open' | 'Closed' | 'ApprovalRequired';
        if (str(p, 'MemberDepartRestriction')) x.memberDepartRestriction = str(p, 'MemberDepartRestriction') as 'Open' | 'Closed';
        const unchanged = before === JSON.stringify({ x, name: group.displayName });
        return { value: [], ...(unchanged ? { warnings: [`The command completed successfully but no settings of '${x.name}' have been modified.`] } : {}) };
    },
    /**
     * Removes a distribution group or mail-enabled security group for good (Graph does not keep deleted security groups:
     * directory-deleteditems-list.md). Unknown: ManagementObjectNotFoundException, as any -Identity (errors.ts). Its
     * memberships go with it; folder permissions granted to it stay behind as unresolved SIDs (recipients.ts), which
     * is why a recipe revokes a group's calendar access before removing the group.
     */
    'Remove-DistributionGroup': (ctx, p, caller) => {
        const group = distributionGroup(ctx, need(p, 'Identity', 'Remove-DistributionGroup'));
        requireGroupManager(ctx, group, p, caller);
        ctx.state.groups.delete(group.id);
        for (const other of ctx.state.groups.values()) {
            if (other.members.includes(group.id)) other.members = other.members.filter(m => m !== group.id);
            if (other.exchange?.acceptMessagesOnlyFromSendersOrMembers.includes(group.id)) other.exchange.acceptMessagesOnlyFromSendersOrMembers = other.exchange.acceptMessagesOnlyFromSendersOrMembers.filter(m => m !== group.id);
        }
        for (const roleGroup of ctx.state.roleGroups) roleGroup.members = roleGroup.members.filter(m => m !== group.id);
        ctx.state.roleAssignments = ctx.state.roleAssignments.filter(a => a.principalId !== group.id);
        markDirectoryChanged(ctx.state);
        return { value: [] };
    },
    'Get-DistributionGroupMember': (ctx, p) => {
        const group = distributionGroup(ctx, need(p, 'Identity', 'Get-DistributionGroupMember'));
        return capped(group.members.map(m => recipientShape(ctx, m)), p.ResultSize);
    },
    'Add-DistributionGroupMember': (ctx, p) => {
        const group = distributionGroup(ctx, need(p, 'Identity', 'Add-DistributionGroupMember'));
        const member = recipientId(resolveRecipient(ctx, need(p, 'Member', 'Add-DistributionGroupMember'), 'any', 'parameter'));
        if (group.members.includes(member)) {
            throw new ExchangeError(400, 'Microsoft.Exchange.Management.Tasks.MemberAlreadyExistsException', `The recipient "${displayNameOf(ctx, member)}" is already a member of the group "${group.displayName}".`);
        }
        group.members.push(member);
        return { value: [] };
    },
    'Remove-DistributionGroupMember': (ctx, p) => {
        const group = distributionGroup(ctx, need(p, 'Identity', 'Remove-DistributionGroupMember'));
        const member = recipientId(resolveRecipient(ctx, need(p, 'Member', 'Remove-DistributionGroupMember'), 'any', 'parameter'));
        if (!group.members.includes(member)) {
            throw new ExchangeError(400, 'Microsoft.Exchange.Management.Tasks.MemberNotFoundException', `The recipient "${displayNameOf(ctx, member)}" isn't a member of the group "${group.displayName}".`);
        }
        group.members = group.members.filter(m => m !== member);
        return { value: [] };
    },
    'Get-MailboxFolderStatistics': (ctx, p) => {
        const identity = need(p, 'Identity', 'Get-MailboxFolderStatistics');
        const recipient = resolveRecipient(ctx, identity, 'user');
        if (recipient.kind !== 'user' || !recipient.mailbox) throw notFound(identity);
        const scope = (str(p, 'FolderScope') ?? 'All').toLowerCase();
        const calendar = { Name: recipient.mailbox.calendarFolderName, FolderPath: `/${recipient.mailbox.calendarFolderName}`, FolderType: 'Calendar', Identity: `${recipient.mailbox.alias}\\${recipient.mailbox.calendarFolderName}`, ItemsInFolder: 0 };
        const inbox = { Name: 'Inbox', FolderPath: '/Inbox', FolderType: 'Inbox', Identity: `${recipient.mailbox.alias}\\Inbox`, ItemsInFolder: 0 };
        // -ResultSize exists here too in Exchange Online (default 1000, Get-MailboxFolderStatistics.md); two folders never reach it.
        return capped(scope === 'calendar' ? [calendar] : [inbox, calendar], p.ResultSize);
    },
    'Get-MailboxFolderPermission': (ctx, p) => {
        const { mailbox, name } = folder(ctx, need(p, 'Identity', 'Get-MailboxFolderPermission'));
        const userParam = str(p, 'User');
        if (userParam) {
            // -User narrows the answer to that principal's entry; no entry is an error, as in Exchange.
            const id = entryPrincipal(ctx, mailbox, userParam, true);
            const entry = mailbox.calendarPermissions.find(e => e.principal === id);
            if (!entry) throw entryNotFound(displayNameOf(ctx, id));
            return { value: [permissionShape(ctx, mailbox, name, entry)] };
        }
        return { value: mailbox.calendarPermissions.map(e => permissionShape(ctx, mailbox, name, e)) };
    },
    'Add-MailboxFolderPermission': (ctx, p) => {
        const { mailbox, name } = folder(ctx, need(p, 'Identity', 'Add-MailboxFolderPermission'));
        const grantee = resolveRecipient(ctx, need(p, 'User', 'Add-MailboxFolderPermission'), 'any', 'parameter');
        if (grantee.kind === 'group' && (!grantee.group.securityEnabled || !grantee.group.mailEnabled)) {
            throw invalidParameter(`The user "${grantee.group.displayName}" is either not valid SMTP address, or there is no matching information. Only mail-enabled security groups can be granted folder permissions.`);
        }
        const id = recipientId(grantee);
        const rights = rightsOf(p);
        if (mailbox.calendarPermissions.some(e => e.principal === id)) {
            throw new ExchangeError(400, 'Microsoft.Exchange.Management.StoreTasks.UserAlreadyExistsInPermissionEntryException', `An existing permission entry was found for user: ${displayNameOf(ctx, id)}.`);
        }
        const entry = { principal: id, accessRights: rights };
        mailbox.calendarPermissions.push(entry);
        return { value: [permissionShape(ctx, mailbox, name, entry)] };
    },
    'Set-MailboxFolderPermission': (ctx, p) => {
        const { mailbox, name } = folder(ctx, need(p, 'Identity', 'Set-MailboxFolderPermission'));
        const userParam = need(p, 'User', 'Set-MailboxFolderPermission');
        const id = entryPrincipal(ctx, mailbox, userParam, true);
        const entry = mailbox.calendarPermissions.find(e => e.principal === id);
        if (!entry) throw entryNotFound(displayNameOf(ctx, id));
        const rights = rightsOf(p);
        const unchanged = JSON.stringify(entry.accessRights) === JSON.stringify(rights);
        entry.accessRights = rights;
        return { value: [], ...(unchanged ? { warnings: [`The command completed successfully but no settings of '${mailbox.alias}:\\${name}' have been modified.`] } : {}) };
    },
    'Remove-MailboxFolderPermission': (ctx, p) => {
        const { mailbox } = folder(ctx, need(p, 'Identity', 'Remove-MailboxFolderPermission'));
        const id = entryPrincipal(ctx, mailbox, need(p, 'User', 'Remove-MailboxFolderPermission'), false);
        if (!mailbox.calendarPermissions.some(e => e.principal === id)) throw entryNotFound(displayNameOf(ctx, id));
        mailbox.calendarPermissions = mailbox.calendarPermissions.filter(e => e.principal !== id);
        return { value: [] };
    },
    // RBAC for Applications (appRbac.ts) and the organisation's EWS settings (organizationConfig.ts).
    ...appRbacCmdlets,
    'Get-OrganizationConfig': getOrganizationConfig,
};

/** The parameters each cmdlet accepts (PowerShell refuses any other name). */
export const knownParameters: Record<string, string[]> = {
    'Get-Mailbox': ['Identity', 'Anr', 'RecipientTypeDetails', 'ResultSize', 'Filter'],
    'Get-User': ['Identity', 'Anr', 'ResultSize', 'Filter', 'RecipientTypeDetails'],
    'Get-Recipient': ['Identity', 'Anr', 'RecipientTypeDetails', 'ResultSize', 'Filter'],
    'Get-AcceptedDomain': ['Identity', 'ResultSize'],
    'Get-RoleGroup': ['Identity', 'ResultSize'],
    'Get-RoleGroupMember': ['Identity', 'ResultSize'],
    'Add-RoleGroupMember': ['Identity', 'Member', 'BypassSecurityGroupManagerCheck', 'Confirm'],
    'Remove-RoleGroupMember': ['Identity', 'Member', 'BypassSecurityGroupManagerCheck', 'Confirm'],
    'New-DistributionGroup': ['Name', 'DisplayName', 'Alias', 'PrimarySmtpAddress', 'Type', 'MemberJoinRestriction', 'MemberDepartRestriction', 'Members', 'ManagedBy'],
    'Get-DistributionGroup': ['Identity', 'Anr', 'RecipientTypeDetails', 'ResultSize', 'Filter'],
    'Set-DistributionGroup': ['Identity', 'HiddenFromAddressListsEnabled', 'AcceptMessagesOnlyFromSendersOrMembers', 'AcceptMessagesOnlyFrom', 'DisplayName', 'MemberJoinRestriction', 'MemberDepartRestriction', 'BypassSecurityGroupManagerCheck'],
    'Remove-DistributionGroup': ['Identity', 'BypassSecurityGroupManagerCheck', 'Confirm'],
    'Get-DistributionGroupMember': ['Identity', 'ResultSize'],
    'Add-DistributionGroupMember': ['Identity', 'Member', 'BypassSecurityGroupManagerCheck'],
    'Remove-DistributionGroupMember': ['Identity', 'Member', 'BypassSecurityGroupManagerCheck', 'Confirm'],
    'Get-MailboxFolderStatistics': ['Identity', 'FolderScope', 'ResultSize'],
    'Get-MailboxFolderPermission': ['Identity', 'User'],
    'Add-MailboxFolderPermission': ['Identity', 'User', 'AccessRights', 'SendNotificationToUser', 'SharingPermissionFlags'],
    'Set-MailboxFolderPermission': ['Identity', 'User', 'AccessRights', 'SendNotificationToUser', 'SharingPermissionFlags'],
    'Remove-MailboxFolderPermission': ['Identity', 'User', 'Confirm'],
    ...appRbacParameters,
    'Get-OrganizationConfig': ['Identity'],
};
