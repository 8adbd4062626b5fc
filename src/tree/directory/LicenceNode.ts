import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as vscode from 'vscode';
import { freeUnits, licenceName } from '../../graph/adminNames';
import { contextValue } from '../contextValues';
import { FolderNode, StaticFolderNode } from './FolderNode';
import { FixedChildrenNode, tooltip, TreeNode, type DirectoryContext, type DirectoryEntity } from './TreeNode';
import { ServicePlanNode, UserNode } from './UserNode';

/** A licence the tenant has bought (a subscribed SKU): units used of bought, its service plans, and who has it. */
export class LicenceNode extends FixedChildrenNode {
    constructor(parent: TreeNode, private readonly context: DirectoryContext, readonly sku: MicrosoftGraph.SubscribedSku) {
        super(parent, `${parent.id}/${sku.skuId ?? ''}`);
    }

    override get entity(): DirectoryEntity {
        return { kind: 'licence', id: this.sku.skuId ?? '', displayName: licenceName(this.sku.skuPartNumber) };
    }

    getTreeItem(): vscode.TreeItem {
        const s = this.sku;
        const free = freeUnits(s);
        const item = new vscode.TreeItem(licenceName(s.skuPartNumber), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = this.id;
        item.description = `${s.consumedUnits ?? 0} / ${s.prepaidUnits?.enabled ?? 0} used`;
        item.iconPath = new vscode.ThemeIcon('credit-card', free === 0 ? new vscode.ThemeColor('list.warningForeground') : undefined);
        item.contextValue = contextValue('licence', { noFreeUnits: free === 0 });
        item.tooltip = tooltip(licenceName(s.skuPartNumber), [
            ['Part number', s.skuPartNumber],
            ['Used', `${s.consumedUnits ?? 0} of ${s.prepaidUnits?.enabled ?? 0} (${free} free)`],
            ['Suspended / warning', `${s.prepaidUnits?.suspended ?? 0} / ${s.prepaidUnits?.warning ?? 0}`],
            ['Service plans', s.servicePlans?.length ?? 0],
            ['SKU id', s.skuId],
        ]);
        return item;
    }

    protected buildChildren(): TreeNode[] {
        const skuId = this.sku.skuId ?? '';
        const plans = this.sku.servicePlans ?? [];
        return [
            new StaticFolderNode(this, 'plans', 'Service plans', 'list-unordered', folder => plans.map(p => new ServicePlanNode(folder, p.servicePlanName ?? '', p.servicePlanId ?? '', p.appliesTo ?? '')), `${plans.length}`),
            new FolderNode(this, 'users', this.context, { label: 'Assigned users', icon: 'person', noun: 'users with this licence', filterable: true, description: `${this.sku.consumedUnits ?? 0}`, load: r => this.context.session.directory.usersWithLicence(skuId, r), child: (f, u) => new UserNode(f, this.context, u) }),
        ];
    }
}
