import * as assert from 'node:assert/strict';
import { X509Certificate, createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandIds, SettingsSection } from '../../src/constants';
import { newAppRoleAssignment, newExchangeServicePrincipal, newManagementScope } from '../../src/exchange/applicationAccess';
import { getRecipient, newDistributionGroup } from '../../src/exchange/cmdlets';
import { applicationsNamed, servicePrincipalOf } from '../../src/graph/applications';
import type { FolderNode } from '../../src/tree/directory/FolderNode';
import type { TreeNode } from '../../src/tree/directory/TreeNode';
import { find, label, rowsOf } from './directoryRows';
import { activeSession, auditLines, consentAsAdmin, deviceCodeInteraction, extensionApi, sandbox } from './sandbox';

// Runs after sign-in (files run in name order; M365P_TEST_FILES=signIn.test,tree.directory.test,workflow.actions.test,
// workflow.ownRegistration runs just these). Registers the extension's own app through the real command, signs in
// with it, and rolls an app's credentials through the Applications folder.

interface Summary { appId: string; id: string; done: string[]; consentGranted: boolean }
const description = (node: TreeNode) => String(node.getTreeItem().description ?? '');
const icon = (node: TreeNode) => (node.getTreeItem().iconPath as vscode.ThemeIcon | undefined)?.id;
const session = activeSession;
/** The Applications folder read afresh, and the row of `app` in it. */
async function applicationRow(app: string): Promise<TreeNode> {
    const [tenant] = await rowsOf();
    const folder = (await find(tenant, 'Applications')) as FolderNode;
    folder.reset();
    return find(folder, app);
}
async function credentialRows(app: string): Promise<TreeNode[]> {
    return rowsOf(await find(await applicationRow(app), 'Credentials'));
}

describe('Our own app registration and the Applications folder in a real extension host', function () {
    this.timeout(180_000);
    const keyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'm365p-own-')), 'app-only.pem');

    before(async () => {
        // Registering and consenting need write permissions the sign-in did not ask for: the admin consents once here.
        await consentAsAdmin({ graph: ['Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All', 'Application.Read.All'] });
    });

    it('registers M365 Provisioner, switches the extension to it, and a sign-in with it lists users and mailboxes', async () => {
        const api = await extensionApi();
        const settings = () => vscode.workspace.getConfiguration(SettingsSection);
        const original = settings().get<string>('clientId', '');
        const summary = await vscode.commands.executeCommand<Summary>(CommandIds.registerOwnApp, undefined, { switchToIt: true });
        assert.ok(summary?.appId, 'the command returns the new application id');
        assert.equal(summary.consentGranted, true);
        assert.equal(settings().get<string>('clientId'), summary.appId, 'm365Provisioner.clientId now names our own app');
        try {
            const account = await api.container.accounts.signInDelegated((await import('../../src/platform/signInTarget')).signInTargetFromSettings(), 'deviceCode', deviceCodeInteraction('admin@contoso.com'), { intent: 'provision' });
            assert.equal(account.clientId, summary.appId, 'signed in with our own registration');
            assert.equal(api.container.accounts.active()?.clientId, summary.appId);
            // Same person, same account id, another client: the tree must read through a session of the new client.
            assert.equal((await session()).account.clientId, summary.appId, 'the session follows the new client');
            const [tenant] = await rowsOf();
            const users = (await find(tenant, 'Users')) as FolderNode;
            users.reset();
            assert.ok((await rowsOf(users)).some(r => label(r) === 'Adele Vance'), 'the Users folder reads with the new client');
            // Exchange.Manage was consented too: one app serves both APIs.
            const mailboxes = (await find(await find(tenant, 'Exchange'), 'Mailboxes')) as FolderNode;
            mailboxes.reset();
            const boxes = await rowsOf(mailboxes);
            assert.ok(boxes.length > 1, `the Mailboxes folder reads with the new client, with no second sign-in: ${boxes.map(label).join('; ')}`);
            const again = await vscode.commands.executeCommand<Summary>(CommandIds.registerOwnApp, undefined, { switchToIt: false });
            assert.deepEqual([again?.appId, again?.done], [summary.appId, []], 'a second run finds it complete');
            assert.equal((await auditLines()).filter(l => l.action === 'registerOwnApp').map(l => l.result).join(','), 'succeeded,unchanged');
        } finally {
            // Back to the client the other test files expect.
            await settings().update('clientId', original || undefined, vscode.ConfigurationTarget.Global);
            await api.container.accounts.signInDelegated((await import('../../src/platform/signInTarget')).signInTargetFromSettings(), 'deviceCode', deviceCodeInteraction('admin@contoso.com'), { intent: 'provision' });
        }
        assert.equal(api.container.accounts.active()?.clientId, sandbox.publicClientId);
    });

    it('registers the app-only variant: the private key only in the chosen file (owner-only), its certificate in Entra, shown with its expiry', async () => {
        const summary = await vscode.commands.executeCommand<Summary>(CommandIds.registerOwnAppOnly, undefined, { privateKeyFile: keyFile, signInHere: false });
        assert.ok(summary?.appId);
        assert.equal(summary.consentGranted, true);
        assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600, 'readable by its owner only');
        const pem = fs.readFileSync(keyFile, 'utf8');
        const certificate = new X509Certificate(pem);
        assert.ok(createPublicKey(createPrivateKey(pem)).equals(certificate.publicKey), 'the file holds the key of its certificate');
        const [app] = await applicationsNamed((await session()).graph, 'M365 Provisioner (app-only)');
        assert.equal(app.keyCredentials?.[0].customKeyIdentifier, createHash('sha1').update(certificate.raw).digest('hex').toUpperCase(), 'Entra has that certificate');
        assert.doesNotMatch(fs.readFileSync((await extensionApi()).container.audit.file, 'utf8'), /PRIVATE KEY/);
        const [row] = await credentialRows('M365 Provisioner (app-only)');
        assert.match(description(row), /^expires in 36[45] days$/);
        assert.equal(icon(row), 'verified');
    });

    it('adds a short-lived client secret (flagged as expiring soon), refuses to remove it unconfirmed, then removes it', async () => {
        const app = await applicationRow('M365 Provisioner (app-only)');
        const added = await vscode.commands.executeCommand<{ type: string; keyId: string }>(CommandIds.addAppCredential, app, { type: 'clientSecret', validDays: 12, description: 'rotation test' });
        assert.equal(added?.type, 'clientSecret');
        const secret = (await credentialRows('M365 Provisioner (app-only)')).find(r => label(r).startsWith('rotation test'));
        assert.ok(secret, 'the new secret is listed');
        assert.equal(description(secret), 'expires soon · expires in 11 days');
        assert.equal(icon(secret), 'warning');
        assert.match(description(await applicationRow('M365 Provisioner (app-only)')), /1 credential expires soon/);
        const line = (await auditLines()).find(l => l.action === 'addAppCredential' && l.detail?.includes(added.keyId));
        assert.equal(line?.result, 'succeeded');

        // The confirmation cannot be answered here: refused, nothing changes.
        assert.equal(await vscode.commands.executeCommand(CommandIds.removeAppCredential, secret), undefined);
        assert.ok((await credentialRows('M365 Provisioner (app-only)')).some(r => label(r).startsWith('rotation test')), 'still there');
        const again = (await credentialRows('M365 Provisioner (app-only)')).find(r => label(r).startsWith('rotation test'));
        assert.equal(await vscode.commands.executeCommand(CommandIds.removeAppCredential, again, { confirmed: true }), 'removed');
        assert.deepEqual((await credentialRows('M365 Provisioner (app-only)')).map(label).filter(l => l.startsWith('rotation test')), []);
        const [app2] = await applicationsNamed((await session()).graph, 'M365 Provisioner (app-only)');
        assert.deepEqual(app2.passwordCredentials, [], 'gone from Entra');
    });

    it('shows the app\'s application permissions by name', async () => {
        const permissions = await rowsOf(await find(await applicationRow('M365 Provisioner (app-only)'), 'API permissions'));
        assert.deepEqual(permissions.map(p => `${label(p)} · ${description(p)}`), [
            'Domain.Read.All · Microsoft Graph · application',
            'Group.ReadWrite.All · Microsoft Graph · application',
            'Organization.Read.All · Microsoft Graph · application',
            'RoleManagement.ReadWrite.Directory · Microsoft Graph · application',
            'User.ReadWrite.All · Microsoft Graph · application',
            'Exchange.ManageAsApp · Office 365 Exchange Online · application',
        ].sort((a, b) => a.split(' · ')[1].localeCompare(b.split(' · ')[1]) || a.localeCompare(b)));
    });

    it('shows the app\'s mailbox access in Exchange (RBAC for Applications): none at first, then the role and the scope that limits it', async () => {
        const appName = 'M365 Provisioner (app-only)';
        const mailboxAccess = async () => {
            const folder = (await find(await applicationRow(appName), 'Mailbox access (Exchange)')) as FolderNode;
            folder.reset();
            return rowsOf(folder);
        };
        assert.deepEqual((await mailboxAccess()).map(label), ['No Exchange application roles'], 'Exchange has no pointer for the app yet: the folder says so');
        const s = await session();
        const [app] = await applicationsNamed(s.graph, appName);
        const sp = await servicePrincipalOf(s.graph, app.appId ?? '');
        assert.ok(app.appId && sp?.id);
        await newExchangeServicePrincipal(s.exchange, app.appId, sp.id, appName);
        await newDistributionGroup(s.exchange, { Name: 'Own app scope', PrimarySmtpAddress: 'own-app-scope@contoso.com', Type: 'Security' });
        const dn = (await getRecipient(s.exchange, 'own-app-scope@contoso.com'))?.DistinguishedName;
        assert.ok(dn);
        await newManagementScope(s.exchange, 'Own app scope members', `MemberOfGroup -eq '${dn}'`);
        await newAppRoleAssignment(s.exchange, app.appId, 'Application Calendars.Read', 'Own app scope members', 'Own app calendars');
        const rows = await mailboxAccess();
        assert.deepEqual(rows.map(r => `${label(r)} · ${description(r)}`), ['Application Calendars.Read · scope: Own app scope members']);
        assert.match(String((rows[0].getTreeItem().tooltip as vscode.MarkdownString | undefined)?.value ?? ''), /MemberOfGroup \\?-eq/);
    });
});
