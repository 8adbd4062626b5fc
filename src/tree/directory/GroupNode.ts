import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as vscode from 'vscode';
import { groupKind } from '../../graph/adminNames';
import type { DirectoryObject } from '../../graph/directoryPages';
import { contextValue } from '../contextValues';
import { FolderNode } from './FolderNode';
import { tooltip, TreeNode, type DirectoryContext, type DirectoryEntity } from './TreeNode';
import { UserNode } from './UserNode';

/** A group; its rows are its direct members, one page at a time, nested groups expandable in turn. */
export class GroupNode extends FolderNode<DirectoryObject> {
    constructor(parent: TreeNode, context: DirectoryContext, readonly group: MicrosoftGraph.Group) {
        super(parent, group.id ?? '', context, {
            label: group.displayName ?? group.id ?? '',
            icon: 'organization',
            noun: 'members',
            filterable: true,
            load: r => context.session.directory.groupMembers(group.id ?? '', r),
            child: (folder, member) => memberNode(folder, context, member),
        });
    }

    override get entity(): DirectoryEntity {
        return { kind: 'group', id: this.group.id ?? '', displayName: this.group.displayName ?? '' };
    }

    override getTreeItem(): vscode.TreeItem {
        const g = this.group;
        const item = new vscode.TreeItem(g.displayName ?? g.id ?? '', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = this.id;
        item.description = this.filterDescription() ?? [groupKind(g), g.mail].filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon(g.groupTypes?.includes('Unified') ? 'comment-discussion' : g.mailEnabled ? 'mail' : 'organization');
        item.contextValue = contextValue('group', {
            ...this.filterFlags(),
            mailEnabled: g.mailEnabled === true,
            security: g.securityEnabled === true,
            unified: g.groupTypes?.includes('Unified') === true,
            dynamic: g.groupTypes?.includes('DynamicMembership') === true,
        });
        item.tooltip = tooltip(g.displayName ?? '', [['Kind', groupKind(g)], ['Mail', g.mail], ['Description', g.description], ['Object id', g.id]]);
        return item;
    }
}

/** A member row: users and groups are themselves expandable; service principals and devices are leaves. */
export function memberNode(parent: TreeNode, context: DirectoryContext, member: DirectoryObject): TreeNode {
    const type = member['@odata.type'] ?? '';
    if (type.endsWith('.group')) return new GroupNode(parent, context, member);
    if (type.endsWith('.user') || (!type && member.userPrincipalName)) return new UserNode(parent, context, member);
    return new OtherMemberNode(parent, member);
}

/** An app (service principal), device or contact in a member list. */
export class OtherMemberNode extends TreeNode {
    constructor(parent: TreeNode, private readonly member: DirectoryObject) {
        super(parent, `${parent.id}/${member.id ?? ''}`);
    }

    getTreeItem(): vscode.TreeItem {
        const kind = (this.member['@odata.type'] ?? '#microsoft.graph.directoryObject').replace('#microsoft.graph.', '');
        const item = new vscode.TreeItem(this.member.displayName ?? this.member.id ?? '', vscode.TreeItemCollapsibleState.None);
        item.id = this.id;
        // A member list cannot select appId (not a property of the list's types in Graph's reference): say "app" alone then.
        item.description = kind === 'servicePrincipal' ? (this.member.appId ? `app ${this.member.appId}` : 'app') : kind;
        item.iconPath = new vscode.ThemeIcon(kind === 'servicePrincipal' ? 'key' : 'symbol-misc');
        item.contextValue = contextValue(kind);
        return item;
    }
}
