import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as vscode from 'vscode';
import { licenceName } from '../../graph/adminNames';
import { servicePlanName } from '../../shared/licensing/licenceNames';
import { isServiceAccount } from '../../graph/serviceAccounts';
import { contextValue } from '../contextValues';
import { FolderNode } from './FolderNode';
import { GroupNode } from './GroupNode';
import { calendarPermissionsOrNotice, PermissionNode } from './ExchangeNodes';
import { AssignedRoleNode } from './RoleNode';
import { FixedChildrenNode, tooltip, TreeNode, type DirectoryContext, type DirectoryEntity } from './TreeNode';

/** A user: its groups, directory roles, licences (with the plans on) and, for a mailbox, its calendar permissions. */
export class UserNode extends FixedChildrenNode {
    constructor(parent: TreeNode, private readonly context: DirectoryContext, readonly user: MicrosoftGraph.User) {
        super(parent, `${parent.id}/${user.id ?? ''}`);
    }

    override get entity(): DirectoryEntity {
        return { kind: 'user', id: this.user.id ?? '', displayName: this.user.displayName ?? '', ...(this.user.userPrincipalName ? { userPrincipalName: this.user.userPrincipalName } : {}) };
    }

    getTreeItem(): vscode.TreeItem {
        const u = this.user;
        const serviceAccount = isServiceAccount(u);
        const item = new vscode.TreeItem(u.displayName ?? u.userPrincipalName ?? u.id ?? '', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = this.id;
        item.description = `${u.userPrincipalName ?? ''}${u.accountEnabled === false ? ' · sign-in blocked' : ''}`;
        item.iconPath = new vscode.ThemeIcon(serviceAccount ? 'robot' : u.accountEnabled === false ? 'circle-slash' : u.userType === 'Guest' ? 'person-add' : 'person');
        item.contextValue = contextValue('user', {
            licensed: (u.assignedLicenses?.length ?? 0) > 0,
            disabled: u.accountEnabled === false,
            serviceAccount,
            guest: u.userType === 'Guest',
            mail: Boolean(u.mail),
        });
        item.tooltip = tooltip(u.displayName ?? '', [
            ['UPN', u.userPrincipalName],
            ['Mail', u.mail],
            ['Job title', u.jobTitle],
            ['Department', u.department],
            ['Usage location', u.usageLocation ?? 'not set (needed for licences)'],
            ['Sign-in', u.accountEnabled === false ? 'blocked' : 'allowed'],
            ['Licences', u.assignedLicenses?.length ?? 0],
            ['Kind', serviceAccount ? 'service account' : u.userType],
            ['Object id', u.id],
        ]);
        return item;
    }

    protected buildChildren(): TreeNode[] {
        const { context } = this;
        const id = this.user.id ?? '';
        const folders: TreeNode[] = [
            new FolderNode(this, 'groups', context, { label: 'Groups', icon: 'organization', noun: 'groups', filterable: false, load: r => context.session.directory.memberOf(id, r), child: (f, g) => new GroupNode(f, context, g) }),
            new FolderNode(this, 'roles', context, { label: 'Directory roles', icon: 'shield', noun: 'directory roles', filterable: false, load: r => context.session.directory.rolesOf(id, r), child: (f, a) => new AssignedRoleNode(f, a) }),
            new FolderNode(this, 'licences', context, { label: 'Licences', icon: 'credit-card', noun: 'licences', filterable: false, load: r => context.session.directory.licenceDetails(id, r), child: (f, l) => new UserLicenceNode(f, l) }),
        ];
        const mailbox = this.user.userPrincipalName;
        if (this.user.mail && mailbox) {
            folders.push(
                new FolderNode(this, 'calendar', context, {
                    label: 'Calendar permissions',
                    icon: 'calendar',
                    noun: 'calendar permissions',
                    filterable: false,
                    load: r => calendarPermissionsOrNotice(context, mailbox, r, `${this.user.displayName ?? mailbox} has no mailbox`),
                    child: (f, p) => new PermissionNode(f, p),
                }),
            );
        }
        return folders;
    }
}

/** A licence a user holds: which of its service plans are on. */
export class UserLicenceNode extends TreeNode {
    constructor(parent: TreeNode, readonly licence: MicrosoftGraph.LicenseDetails) {
        super(parent, `${parent.id}/${licence.skuId ?? ''}`);
    }

    override get entity(): DirectoryEntity {
        return { kind: 'userLicence', id: this.licence.skuId ?? '', displayName: licenceName(this.licence.skuPartNumber) };
    }

    getTreeItem(): vscode.TreeItem {
        const plans = this.licence.servicePlans ?? [];
        const on = plans.filter(p => p.provisioningStatus !== 'Disabled').length;
        const item = new vscode.TreeItem(licenceName(this.licence.skuPartNumber), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = this.id;
        item.description = `${on} of ${plans.length} plans on`;
        item.iconPath = new vscode.ThemeIcon('credit-card');
        item.contextValue = contextValue('userLicence', { somePlansOff: on < plans.length });
        item.tooltip = tooltip(licenceName(this.licence.skuPartNumber), [['Part number', this.licence.skuPartNumber], ['SKU id', this.licence.skuId], ['Plans on', `${on} of ${plans.length}`]]);
        return item;
    }

    override getChildren(): Promise<TreeNode[]> {
        return Promise.resolve((this.licence.servicePlans ?? []).map(p => new ServicePlanNode(this, p.servicePlanName ?? '', p.servicePlanId ?? '', p.provisioningStatus === 'Disabled' ? 'off' : 'on')));
    }
}

/**
 * A service plan of a licence: on or off for a user, or what it applies to in the tenant's SKU. The label is the
 * admin centre's name ("Exchange Online (Plan 2)"); Graph's plan name (EXCHANGE_S_ENTERPRISE), which recipes and
 * PowerShell use, and the plan id are in the tooltip.
 */
export class ServicePlanNode extends TreeNode {
    constructor(parent: TreeNode, private readonly name: string, private readonly planId: string, /** on / off for a user's plan, or what the plan applies to for a tenant SKU */ private readonly state: string) {
        super(parent, `${parent.id}/${planId}`);
    }

    getTreeItem(): vscode.TreeItem {
        const friendly = servicePlanName(this.name);
        const item = new vscode.TreeItem(friendly, vscode.TreeItemCollapsibleState.None);
        item.id = this.id;
        item.description = this.state;
        item.iconPath = new vscode.ThemeIcon(this.state === 'off' ? 'circle-slash' : this.state === 'on' ? 'pass' : 'symbol-event');
        item.contextValue = contextValue('servicePlan', { off: this.state === 'off' });
        item.tooltip = tooltip(friendly, [['Plan name', this.name], ['Plan id', this.planId], [this.state === 'on' || this.state === 'off' ? 'State' : 'Applies to', this.state]]);
        return item;
    }
}
