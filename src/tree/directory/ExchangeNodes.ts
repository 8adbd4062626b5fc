import * as vscode from 'vscode';
import type { DistributionGroupSummary, FolderPermission, MailboxSummary, RecipientSummary, RoleGroupSummary } from '../../exchange/cmdlets';
import { ExchangeCommandError } from '../../exchange/ExchangeCommandError';
import type { ListPage, PageRequest } from '../../graph/directoryPages';
import { contextValue } from '../contextValues';
import { FolderNode, FolderNotice } from './FolderNode';
import { tooltip, TreeNode, type DirectoryContext, type DirectoryEntity } from './TreeNode';

/** An Exchange role group (Organization Management, View-Only Organization Management, …); rows are its members. */
export class RoleGroupNode extends FolderNode<RecipientSummary> {
    constructor(parent: TreeNode, context: DirectoryContext, readonly roleGroup: RoleGroupSummary) {
        super(parent, roleGroup.Name, context, { label: roleGroup.DisplayName || roleGroup.Name, icon: 'shield', noun: 'members', filterable: false, load: r => context.session.exchangePages.roleGroupMembers(roleGroup.Name, r), child: (f, m) => new RecipientNode(f, m) });
    }

    override get entity(): DirectoryEntity {
        return { kind: 'roleGroup', id: this.roleGroup.Name, displayName: this.roleGroup.DisplayName || this.roleGroup.Name };
    }

    override getTreeItem(): vscode.TreeItem {
        const g = this.roleGroup;
        const members = g.Members?.length ?? 0;
        const item = new vscode.TreeItem(g.DisplayName || g.Name, members ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = this.id;
        item.description = members === 1 ? '1 member' : `${members || 'no'} members`;
        item.iconPath = new vscode.ThemeIcon('shield');
        item.contextValue = contextValue('roleGroup', { readOnly: /View-Only/i.test(g.Name) });
        item.tooltip = tooltip(g.DisplayName || g.Name, [['Description', g.Description], ['Roles', (g.Roles ?? []).join(', ')], ['Members', members]]);
        return item;
    }
}

/** A mail-enabled security group, managed in Exchange (Graph cannot create it or change its members). */
export class DistributionGroupNode extends FolderNode<RecipientSummary> {
    constructor(parent: TreeNode, context: DirectoryContext, readonly group: DistributionGroupSummary) {
        super(parent, group.ExternalDirectoryObjectId || group.Name, context, { label: group.DisplayName, icon: 'mail', noun: 'members', filterable: false, load: r => context.session.exchangePages.distributionGroupMembers(group.PrimarySmtpAddress || group.Name, r), child: (f, m) => new RecipientNode(f, m) });
    }

    override get entity(): DirectoryEntity {
        return { kind: 'distributionGroup', id: this.group.ExternalDirectoryObjectId, displayName: this.group.DisplayName, userPrincipalName: this.group.PrimarySmtpAddress };
    }

    override getTreeItem(): vscode.TreeItem {
        const g = this.group;
        const item = new vscode.TreeItem(g.DisplayName, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = this.id;
        item.description = `${g.PrimarySmtpAddress}${g.HiddenFromAddressListsEnabled ? ' · hidden' : ''}`;
        item.iconPath = new vscode.ThemeIcon('mail');
        item.contextValue = contextValue('distributionGroup', { hidden: g.HiddenFromAddressListsEnabled, closed: g.MemberJoinRestriction === 'Closed' && g.MemberDepartRestriction === 'Closed' });
        item.tooltip = tooltip(g.DisplayName, [
            ['Address', g.PrimarySmtpAddress],
            ['Type', g.GroupType],
            ['Join / leave', `${g.MemberJoinRestriction} / ${g.MemberDepartRestriction}`],
            ['Hidden from address lists', g.HiddenFromAddressListsEnabled ? 'yes' : 'no'],
            ['Accepts mail only from', (g.AcceptMessagesOnlyFromSendersOrMembers ?? []).join(', ') || 'anyone'],
        ]);
        return item;
    }
}

/** A mailbox; its rows are the permissions on its calendar (localised folder names handled). */
export class MailboxNode extends FolderNode<FolderPermission> {
    constructor(parent: TreeNode, context: DirectoryContext, readonly mailbox: MailboxSummary) {
        const address = mailbox.UserPrincipalName || mailbox.PrimarySmtpAddress;
        super(parent, mailbox.ExternalDirectoryObjectId || mailbox.Alias, context, {
            label: mailbox.DisplayName,
            icon: 'inbox',
            noun: 'calendar permissions',
            filterable: false,
            load: r => calendarPermissionsOrNotice(context, address, r, `${mailbox.DisplayName} has no calendar Exchange can find`),
            child: (f, p) => new PermissionNode(f, p),
        });
    }

    override get entity(): DirectoryEntity {
        return { kind: 'mailbox', id: this.mailbox.ExternalDirectoryObjectId, displayName: this.mailbox.DisplayName, userPrincipalName: this.mailbox.UserPrincipalName || this.mailbox.PrimarySmtpAddress };
    }

    override getTreeItem(): vscode.TreeItem {
        const m = this.mailbox;
        const shared = m.RecipientTypeDetails === 'SharedMailbox';
        const item = new vscode.TreeItem(m.DisplayName, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = this.id;
        item.description = `${m.PrimarySmtpAddress}${shared ? ' · shared' : ''}`;
        item.iconPath = new vscode.ThemeIcon(shared ? 'inbox' : 'mail');
        item.contextValue = contextValue('mailbox', { shared });
        item.tooltip = tooltip(m.DisplayName, [['Address', m.PrimarySmtpAddress], ['Type', m.RecipientTypeDetails], ['Alias', m.Alias], ['Object id', m.ExternalDirectoryObjectId]]);
        return item;
    }
}

/** A mailbox's calendar permissions; a mailbox Exchange cannot find is a fact to show (`notice`), not a failure. */
export async function calendarPermissionsOrNotice(context: DirectoryContext, mailbox: string, request: PageRequest, notice: string): Promise<ListPage<FolderPermission>> {
    try {
        return await context.session.exchangePages.calendarPermissions(mailbox, request);
    } catch (error) {
        if (error instanceof ExchangeCommandError && error.isNotFound) throw new FolderNotice(notice);
        throw error;
    }
}

/** A member of a role group or mail-enabled group, as Exchange names it. */
export class RecipientNode extends TreeNode {
    constructor(parent: TreeNode, private readonly recipient: RecipientSummary) {
        super(parent, `${parent.id}/${recipient.ExternalDirectoryObjectId || recipient.Identity}`);
    }

    override get entity(): DirectoryEntity {
        return { kind: 'recipient', id: this.recipient.ExternalDirectoryObjectId || this.recipient.Identity, displayName: this.recipient.DisplayName || this.recipient.Identity, ...(this.recipient.PrimarySmtpAddress ? { userPrincipalName: this.recipient.PrimarySmtpAddress } : {}) };
    }

    getTreeItem(): vscode.TreeItem {
        const r = this.recipient;
        const item = new vscode.TreeItem(r.DisplayName || r.Identity, vscode.TreeItemCollapsibleState.None);
        item.id = this.id;
        item.description = [r.PrimarySmtpAddress, r.RecipientTypeDetails].filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon(/Group/.test(r.RecipientTypeDetails) ? 'organization' : 'person');
        // Which list the member is in decides which "remove" applies.
        item.contextValue = contextValue('recipient', { inRoleGroup: this.parent instanceof RoleGroupNode, inMailGroup: this.parent instanceof DistributionGroupNode });
        return item;
    }
}

/** One entry of a calendar's permissions: who, and with which access right. */
export class PermissionNode extends TreeNode {
    constructor(parent: TreeNode, private readonly permission: FolderPermission) {
        super(parent, `${parent.id}/${permission.User.DisplayName}`);
    }

    getTreeItem(): vscode.TreeItem {
        const p = this.permission;
        const item = new vscode.TreeItem(p.User.DisplayName, vscode.TreeItemCollapsibleState.None);
        item.id = this.id;
        item.description = p.AccessRights.join(', ');
        item.iconPath = new vscode.ThemeIcon(p.User.DisplayName === 'Default' || p.User.DisplayName === 'Anonymous' ? 'globe' : 'key');
        item.contextValue = contextValue('calendarPermission', { builtIn: p.User.DisplayName === 'Default' || p.User.DisplayName === 'Anonymous' });
        item.tooltip = `${p.User.DisplayName} has ${p.AccessRights.join(', ')} on ${p.Identity}`;
        return item;
    }
}
