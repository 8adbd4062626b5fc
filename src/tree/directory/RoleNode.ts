import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as vscode from 'vscode';
import { isPrivilegedRole } from '../../graph/adminNames';
import type { RoleAssignment } from '../../graph/directoryPages';
import { contextValue } from '../contextValues';
import { FolderNode } from './FolderNode';
import { memberNode, OtherMemberNode } from './GroupNode';
import { tooltip, TreeNode, type DirectoryContext, type DirectoryEntity } from './TreeNode';

/** A directory role; its rows are the users, groups and apps that hold it (tenant-wide assignments). */
export class RoleNode extends FolderNode<RoleAssignment> {
    constructor(parent: TreeNode, context: DirectoryContext, readonly role: MicrosoftGraph.UnifiedRoleDefinition, private readonly members: number) {
        super(parent, role.id ?? '', context, {
            label: role.displayName ?? '',
            icon: 'shield',
            noun: 'members',
            filterable: false,
            load: r => context.session.directory.roleMembers(role.id ?? '', r),
            child: (folder, assignment) => (assignment.principal ? memberNode(folder, context, assignment.principal) : new OtherMemberNode(folder, { id: assignment.principalId ?? '', displayName: `Unknown principal ${assignment.principalId ?? ''}` })),
        });
    }

    override get entity(): DirectoryEntity {
        return { kind: 'role', id: this.role.id ?? '', displayName: this.role.displayName ?? '' };
    }

    override getTreeItem(): vscode.TreeItem {
        const privileged = isPrivilegedRole(this.role);
        const item = new vscode.TreeItem(this.role.displayName ?? '', this.members ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = this.id;
        item.description = `${this.members === 1 ? '1 member' : `${this.members || 'no'} members`}${privileged ? ' · privileged' : ''}`;
        item.iconPath = new vscode.ThemeIcon(privileged ? 'shield' : 'person', privileged ? new vscode.ThemeColor('list.warningForeground') : undefined);
        item.contextValue = contextValue('role', { privileged, builtIn: this.role.isBuiltIn === true, assigned: this.members > 0 });
        item.tooltip = tooltip(this.role.displayName ?? '', [['Description', this.role.description], ['Members', this.members], ['Privileged', privileged ? 'yes: can change credentials, security settings or admins' : 'no'], ['Template id', this.role.templateId]]);
        return item;
    }
}

/** A role a user holds (under the user's "Directory roles" folder). */
export class AssignedRoleNode extends TreeNode {
    constructor(parent: TreeNode, private readonly assignment: RoleAssignment) {
        super(parent, `${parent.id}/${assignment.id ?? ''}`);
    }

    override get entity(): DirectoryEntity | undefined {
        const role = this.assignment.roleDefinition;
        return role ? { kind: 'role', id: role.id ?? '', displayName: role.displayName ?? '' } : undefined;
    }

    getTreeItem(): vscode.TreeItem {
        const role = this.assignment.roleDefinition;
        const privileged = role ? isPrivilegedRole(role) : false;
        const item = new vscode.TreeItem(role?.displayName ?? this.assignment.roleDefinitionId ?? '', vscode.TreeItemCollapsibleState.None);
        item.id = this.id;
        item.description = `${this.assignment.directoryScopeId === '/' ? 'whole tenant' : `scope ${this.assignment.directoryScopeId ?? ''}`}${privileged ? ' · privileged' : ''}`;
        item.iconPath = new vscode.ThemeIcon('shield', privileged ? new vscode.ThemeColor('list.warningForeground') : undefined);
        item.contextValue = contextValue('roleAssignment', { privileged });
        item.tooltip = tooltip(role?.displayName ?? '', [['Description', role?.description], ['Scope', this.assignment.directoryScopeId], ['Assignment id', this.assignment.id]]);
        return item;
    }
}
