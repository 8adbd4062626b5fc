import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as vscode from 'vscode';
import { applicationsFolderPage } from '../../graph/applications';
import { tenantLabel } from '../../platform/tenantNames';
import type { ListPage, PageRequest } from '../../graph/directoryPages';
import { ApplicationNode } from './ApplicationNode';
import { contextValue } from '../contextValues';
import { DistributionGroupNode, MailboxNode, RoleGroupNode } from './ExchangeNodes';
import { FolderNode, StaticFolderNode } from './FolderNode';
import { GroupNode } from './GroupNode';
import { LicenceNode } from './LicenceNode';
import { RoleNode } from './RoleNode';
import { FixedChildrenNode, tooltip, TreeNode, type DirectoryContext, type DirectoryEntity } from './TreeNode';
import { UserNode } from './UserNode';

interface RoleWithCount { role: MicrosoftGraph.UnifiedRoleDefinition; members: number }

/**
 * The signed-in tenant, the view's one root, by its organisation's name and default domain ("Contoso (contoso.com)";
 * the id in the tooltip): its folders cost no request until expanded, and expanding one costs one
 * request for its first page (Directory roles: two, the definitions and who holds them, to show member counts).
 */
export class TenantNode extends FixedChildrenNode {
    private readingName = false;

    constructor(private readonly context: DirectoryContext) {
        super(undefined, `tenant/${context.session.account.tenantId}`);
    }

    override get entity(): DirectoryEntity {
        return { kind: 'tenant', id: this.context.session.account.tenantId, displayName: this.label };
    }

    /**
     * The tenant by name and default domain, as kept from an earlier read; until the first read answers, by the
     * signed-in user's domain (known without a request), else its id.
     */
    private get label(): string {
        const account = this.context.session.account;
        const known = this.context.session.knownTenantName();
        if (known) return tenantLabel(known, account.tenantId);
        return account.kind === 'delegated' && account.username.includes('@') ? account.username.split('@')[1] : account.tenantId;
    }

    /** One silent read of the organisation per session (none when the name is kept), then the row is drawn again. */
    private readName(): void {
        if (this.readingName || this.context.session.knownTenantName()) return;
        this.readingName = true;
        void this.context.session.tenantOrganisation().then(name => {
            if (name) this.context.changed(this);
        });
    }

    getTreeItem(): vscode.TreeItem {
        const account = this.context.session.account;
        this.readName();
        const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = this.id;
        item.description = `${account.kind === 'application' ? 'app-only' : account.username}${account.cloud === 'Global' ? '' : ` · ${account.cloud}`}`;
        item.iconPath = new vscode.ThemeIcon('organization');
        item.contextValue = contextValue('tenant', { app: account.kind === 'application' });
        item.tooltip = tooltip(this.label, [['Tenant id', account.tenantId], ['Cloud', account.cloud], ['Signed in as', account.username]]);
        return item;
    }

    protected buildChildren(): TreeNode[] {
        const c = this.context;
        const d = c.session.directory;
        const x = c.session.exchangePages;
        return [
            new FolderNode(this, 'users', c, { label: 'Users', icon: 'person', noun: 'users', filterable: true, kind: 'users', load: r => d.users(r), child: (f, u) => new UserNode(f, c, u) }),
            new FolderNode(this, 'groups', c, { label: 'Groups', icon: 'organization', noun: 'groups', filterable: true, load: r => d.groups(r), child: (f, g) => new GroupNode(f, c, g) }),
            new FolderNode<RoleWithCount>(this, 'roles', c, { label: 'Directory roles', icon: 'shield', noun: 'directory roles', filterable: false, load: r => this.rolesWithCounts(r), child: (f, r) => new RoleNode(f, c, r.role, r.members) }),
            new FolderNode(this, 'licences', c, { label: 'Licences', icon: 'credit-card', noun: 'licences', filterable: false, load: r => d.subscribedSkus(r), child: (f, s) => new LicenceNode(f, c, s) }),
            new FolderNode(this, 'serviceAccounts', c, { label: 'Service accounts', icon: 'robot', noun: 'service accounts', filterable: true, kind: 'serviceAccounts', load: r => d.serviceAccounts(r), child: (f, u) => new UserNode(f, c, u) }),
            new FolderNode(this, 'applications', c, { label: 'Applications', icon: 'extensions', noun: 'applications made by M365 Provisioner or with a credential', filterable: false, kind: 'applications', load: r => applicationsFolderPage(c.session.graph, r), child: (f, a) => new ApplicationNode(f, c, a) }),
            new StaticFolderNode(this, 'exchange', 'Exchange', 'mail', folder => [
                new FolderNode(folder, 'roleGroups', c, { label: 'Role groups', icon: 'shield', noun: 'role groups', filterable: false, load: r => x.roleGroups(r), child: (f, g) => new RoleGroupNode(f, c, g) }),
                new FolderNode(folder, 'mailGroups', c, { label: 'Mail-enabled security groups', icon: 'mail', noun: 'mail-enabled security groups', filterable: true, kind: 'mailGroups', load: r => x.mailEnabledSecurityGroups(r), child: (f, g) => new DistributionGroupNode(f, c, g) }),
                new FolderNode(folder, 'mailboxes', c, { label: 'Mailboxes', icon: 'inbox', noun: 'mailboxes', filterable: true, load: r => x.mailboxes(r), child: (f, m) => new MailboxNode(f, c, m) }),
            ]),
        ];
    }

    /** Every role definition with how many hold it: roles in use first, then the rest, each by name. */
    private async rolesWithCounts(request: PageRequest): Promise<ListPage<RoleWithCount>> {
        const d = this.context.session.directory;
        const all = async <T>(first: (r: PageRequest) => Promise<ListPage<T>>): Promise<T[]> => {
            const items: T[] = [];
            for (let page: ListPage<T> | undefined = await first(request); page; page = page.nextLink ? await first({ ...request, nextLink: page.nextLink }) : undefined) items.push(...page.items);
            return items;
        };
        const [roles, assignments] = await Promise.all([all(r => d.roleDefinitions(r)), all(r => d.allRoleAssignments(r))]);
        const counts = new Map<string, number>();
        for (const a of assignments) counts.set(a.roleDefinitionId ?? '', (counts.get(a.roleDefinitionId ?? '') ?? 0) + 1);
        const items = roles.map(role => ({ role, members: counts.get(role.id ?? '') ?? 0 }));
        items.sort((a, b) => Number(b.members > 0) - Number(a.members > 0) || (a.role.displayName ?? '').localeCompare(b.role.displayName ?? ''));
        return { items };
    }
}
