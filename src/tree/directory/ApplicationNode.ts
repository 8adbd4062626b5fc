import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as vscode from 'vscode';
import { applicationOwners, grantedPermissions, isMadeByProvisioner, type GrantedPermission } from '../../graph/applications';
import { mailboxAccessOf, type MailboxAccessHeld } from '../../exchange/applicationAccess';
import { credentialExpiry, worstExpiry, type CredentialExpiry, type ExpiryState } from '../../shared/credentialExpiry';
import { contextValue } from '../contextValues';
import { FolderNode, StaticFolderNode } from './FolderNode';
import { FixedChildrenNode, tooltip, TreeNode, type DirectoryContext, type DirectoryEntity } from './TreeNode';

/** One secret or certificate of a registration, as the Applications folder and the credential commands see it. */
export interface AppCredential {
    kind: 'clientSecret' | 'certificate';
    keyId: string;
    /** The name the admin gave it (or the certificate's subject); for a secret, its first characters (hint) as well. */
    displayName: string;
    endDateTime?: string;
}

/** The registration's credentials, secrets first, each kind by end date. */
export function credentialsOf(app: MicrosoftGraph.Application): AppCredential[] {
    const secrets = (app.passwordCredentials ?? []).map((p): AppCredential => ({
        kind: 'clientSecret',
        keyId: p.keyId ?? '',
        displayName: `${p.displayName ?? 'Client secret'}${p.hint ? ` (${p.hint}…)` : ''}`,
        ...(p.endDateTime ? { endDateTime: String(p.endDateTime) } : {}),
    }));
    const certificates = (app.keyCredentials ?? []).map((k): AppCredential => ({
        kind: 'certificate',
        keyId: k.keyId ?? '',
        displayName: k.displayName ?? 'Certificate',
        ...(k.endDateTime ? { endDateTime: String(k.endDateTime) } : {}),
    }));
    const byEnd = (a: AppCredential, b: AppCredential) => (a.endDateTime ?? '').localeCompare(b.endDateTime ?? '');
    return [...secrets.sort(byEnd), ...certificates.sort(byEnd)];
}

const expiryIcon: Record<ExpiryState, vscode.ThemeIcon | undefined> = {
    valid: undefined,
    expiresSoon: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
    expired: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
};

/**
 * An app registration: its credentials with when they run out (known from the list, no request), the permissions
 * it holds (named through each API's service principal), its mailbox access in Exchange (RBAC for Applications, with
 * the scope that limits it) and its owners, each read when expanded. An app with a
 * credential that has expired or runs out within 30 days says so on its own row, so a collapsed folder still shows it.
 */
export class ApplicationNode extends FixedChildrenNode {
    constructor(parent: TreeNode, private readonly context: DirectoryContext, readonly app: MicrosoftGraph.Application) {
        super(parent, `${parent.id}/${app.id ?? ''}`);
    }

    override get entity(): DirectoryEntity {
        return { kind: 'application', id: this.app.id ?? '', displayName: this.app.displayName ?? '', appId: this.app.appId ?? '' };
    }

    get credentials(): AppCredential[] {
        return credentialsOf(this.app);
    }

    getTreeItem(): vscode.TreeItem {
        const a = this.app;
        const expiries = this.credentials.map(c => credentialExpiry(c.endDateTime));
        const worst = worstExpiry(expiries);
        const item = new vscode.TreeItem(a.displayName ?? a.appId ?? '', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = this.id;
        const flagged = expiries.filter(e => e.state === worst).length;
        item.description = worst === 'expired' ? `${flagged} credential${flagged === 1 ? '' : 's'} expired` : worst === 'expiresSoon' ? `${flagged} credential${flagged === 1 ? '' : 's'} expire${flagged === 1 ? 's' : ''} soon` : a.appId ?? '';
        item.iconPath = expiryIcon[worst] ?? new vscode.ThemeIcon('extensions');
        const ours = isMadeByProvisioner(a);
        item.contextValue = contextValue('application', { madeByProvisioner: ours, expiring: worst !== 'valid' });
        item.tooltip = tooltip(a.displayName ?? '', [
            ['Application (client) id', a.appId],
            ['Object id', a.id],
            ['Created', a.createdDateTime ? String(a.createdDateTime).slice(0, 10) : undefined],
            ['Sign-in audience', a.signInAudience],
            ['Public client flows', a.isFallbackPublicClient ? 'on' : undefined],
            ['Credentials', expiries.length ? expiries.map(e => e.text).join('; ') : 'none'],
            ['Made by', ours ? 'M365 Provisioner' : undefined],
        ]);
        return item;
    }

    protected buildChildren(): TreeNode[] {
        const c = this.context;
        const credentials = this.credentials;
        return [
            new StaticFolderNode(this, 'credentials', 'Credentials', 'key', folder => credentials.map(cr => new AppCredentialNode(folder, this, cr)), `${credentials.length}`),
            new FolderNode<GrantedPermission>(this, 'permissions', c, {
                label: 'API permissions', icon: 'shield', noun: 'permissions granted', filterable: false,
                load: async r => ({ items: await grantedPermissions(c.session.graph, this.app.appId ?? '', r.signal ? { signal: r.signal } : {}) }),
                child: (f, p) => new AppPermissionNode(f, p),
            }),
            new FolderNode<MailboxAccessHeld>(this, 'mailboxAccess', c, {
                label: 'Mailbox access (Exchange)', icon: 'mail', noun: 'Exchange application roles', filterable: false,
                load: async r => ({ items: await mailboxAccessOf(c.session.exchange, this.app.appId ?? '', r.signal ? { signal: r.signal } : {}) }),
                child: (f, m) => new MailboxAccessNode(f, m),
            }),
            new FolderNode<MicrosoftGraph.DirectoryObject & { userPrincipalName?: string; displayName?: string }>(this, 'owners', c, {
                label: 'Owners', icon: 'person', noun: 'owners', filterable: false,
                load: async r => ({ items: await applicationOwners(c.session.graph, this.app.id ?? '', r.signal ? { signal: r.signal } : {}) }),
                child: (f, o) => new AppOwnerNode(f, o),
            }),
        ];
    }
}

/** A client secret or certificate: when it runs out, flagged within 30 days and once expired. */
export class AppCredentialNode extends TreeNode {
    readonly expiry: CredentialExpiry;

    constructor(parent: TreeNode, readonly application: ApplicationNode, readonly credential: AppCredential) {
        super(parent, `${parent.id}/${credential.keyId}`);
        this.expiry = credentialExpiry(credential.endDateTime);
    }

    getTreeItem(): vscode.TreeItem {
        const c = this.credential;
        const e = this.expiry;
        const item = new vscode.TreeItem(c.displayName, vscode.TreeItemCollapsibleState.None);
        item.id = this.id;
        item.description = e.state === 'expiresSoon' ? `expires soon · ${e.text}` : e.text;
        item.iconPath = expiryIcon[e.state] ?? new vscode.ThemeIcon(c.kind === 'certificate' ? 'verified' : 'key');
        item.contextValue = contextValue('appCredential', { [c.kind]: true, expiring: e.state !== 'valid' });
        item.tooltip = tooltip(c.displayName, [
            ['Kind', c.kind === 'certificate' ? 'Certificate' : 'Client secret'],
            ['Ends', c.endDateTime ? `${String(c.endDateTime).slice(0, 10)} (${e.text})` : e.text],
            ['Key id', c.keyId],
        ]);
        return item;
    }
}

/** A permission the app holds: an application permission (admin consent) or a consented delegated one. */
class AppPermissionNode extends TreeNode {
    constructor(parent: TreeNode, private readonly p: GrantedPermission) {
        super(parent, `${parent.id}/${p.kind}/${p.api}/${p.permission}`);
    }

    getTreeItem(): vscode.TreeItem {
        const p = this.p;
        const item = new vscode.TreeItem(p.permission, vscode.TreeItemCollapsibleState.None);
        item.id = this.id;
        item.description = `${p.api} · ${p.kind === 'application' ? 'application' : p.consent === 'admin' ? 'delegated, admin consent' : 'delegated, one user'}`;
        item.iconPath = new vscode.ThemeIcon(p.kind === 'application' ? 'shield' : 'person');
        item.contextValue = contextValue('appPermission', { application: p.kind === 'application' });
        return item;
    }
}

/** An Exchange "Application …" role the app holds (RBAC for Applications), and the scope that limits it. */
class MailboxAccessNode extends TreeNode {
    constructor(parent: TreeNode, private readonly held: MailboxAccessHeld) {
        super(parent, `${parent.id}/${held.assignment}`);
    }

    getTreeItem(): vscode.TreeItem {
        const h = this.held;
        const item = new vscode.TreeItem(h.role, vscode.TreeItemCollapsibleState.None);
        item.id = this.id;
        item.description = h.scope ? `scope: ${h.scope}` : 'every mailbox (no scope)';
        item.iconPath = new vscode.ThemeIcon(h.scope ? 'mail' : 'warning');
        item.contextValue = contextValue('appMailboxAccess');
        item.tooltip = tooltip(h.role, [['Assignment', h.assignment], ['Scope', h.scope ?? 'none: the whole organisation'], ['Recipient filter', h.filter]]);
        return item;
    }
}

class AppOwnerNode extends TreeNode {
    constructor(parent: TreeNode, private readonly owner: MicrosoftGraph.DirectoryObject & { userPrincipalName?: string; displayName?: string }) {
        super(parent, `${parent.id}/${owner.id ?? ''}`);
    }

    getTreeItem(): vscode.TreeItem {
        const item = new vscode.TreeItem(this.owner.displayName ?? this.owner.id ?? '', vscode.TreeItemCollapsibleState.None);
        item.id = this.id;
        item.description = this.owner.userPrincipalName ?? 'app';
        item.iconPath = new vscode.ThemeIcon(this.owner.userPrincipalName ? 'person' : 'robot');
        item.contextValue = contextValue('appOwner');
        return item;
    }
}
