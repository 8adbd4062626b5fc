import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CommandIds } from '../../src/constants';
import type { FolderNode } from '../../src/tree/directory/FolderNode';
import type { TreeNode } from '../../src/tree/directory/TreeNode';
import { consentAsAdmin, extensionApi, sandbox, sandboxTransport } from './sandbox';

// Runs after signIn.test.ts (files run in name order): the admin is signed in and active. The harness's sandbox has
// 250 users, so the Users folder has a second page.

async function admin(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const answer = await sandboxTransport().send({ method, url: `${sandbox.origin}${path}`, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return JSON.parse(answer.body.toString('utf8') || '{}') as Record<string, unknown>;
}
const apiRequests = async () => {
    const stats = (await admin('GET', '/_sandbox/stats')) as Record<'graph' | 'exchange', { requests: number }>;
    return stats.graph.requests + stats.exchange.requests;
};

async function tree() {
    return (await extensionApi()).container.directoryTree;
}
const label = (node: TreeNode) => {
    const l = node.getTreeItem().label;
    return typeof l === 'string' ? l : (l?.label ?? '');
};
const description = (node: TreeNode) => String(node.getTreeItem().description ?? '');
const contextValueOf = (node: TreeNode) => node.getTreeItem().contextValue ?? '';
async function child(parent: TreeNode | undefined, name: string | RegExp): Promise<TreeNode> {
    const children = await (await tree()).getChildren(parent);
    const found = children.find(c => (typeof name === 'string' ? label(c) === name : name.test(label(c))));
    assert.ok(found, `no "${String(name)}" under ${parent ? label(parent) : 'the root'}: ${children.map(label).join(', ')}`);
    return found;
}
const folder = async (parent: TreeNode | undefined, name: string) => {
    // The extension runs from its bundle, so its classes are not this file's: recognise a folder by what it can do.
    const node = await child(parent, name);
    assert.ok('setFilter' in node && 'loadMore' in node, `${name} is a folder`);
    return node as FolderNode;
};

describe('Directory view in a real extension host, against the sandbox tenant', function () {
    this.timeout(60_000);
    let tenant: TreeNode;

    before(async () => {
        // Sign-in asked for Graph read permissions only; Exchange is consented when first needed (incremental consent):
        // here the admin says yes once, as they would to the prompt on first expanding an Exchange folder.
        await consentAsAdmin({ exchange: ['Exchange.Manage'] });
        const provider = await tree();
        provider.refresh();
        const roots = await provider.getChildren();
        assert.equal(roots.length, 1, 'one root: the active tenant');
        tenant = roots[0];
    });
    afterEach(() => admin('PUT', '/_sandbox/knobs', { faultRatio: 0 }));

    it('shows the tenant with its folders, reading nothing until one is expanded', async () => {
        // By its organisation's name and default domain once the session has read it (one silent read, then kept).
        await (await extensionApi()).container.sessions.active()?.tenantOrganisation();
        assert.equal(label(tenant), 'Contoso (contoso.com)');
        assert.match(description(tenant), /admin@contoso\.com/);
        const before = await apiRequests();
        const folders = (await (await tree()).getChildren(tenant)).map(label);
        assert.deepEqual(folders, ['Users', 'Groups', 'Directory roles', 'Licences', 'Service accounts', 'Applications', 'Exchange']);
        assert.equal(await apiRequests(), before);
        const exchange = (await (await tree()).getChildren(await child(tenant, 'Exchange'))).map(label);
        assert.deepEqual(exchange, ['Role groups', 'Mail-enabled security groups', 'Mailboxes']);
    });

    it('expands Users with one request: 100 rows and Load more; Load more costs one more', async () => {
        const users = await folder(tenant, 'Users');
        users.reset();
        const before = await apiRequests();
        const rows = await (await tree()).getChildren(users);
        assert.equal(await apiRequests() - before, 1);
        assert.equal(rows.length, 101);
        assert.equal(label(rows[100]), 'Load more…');
        const adele = rows.find(r => label(r) === 'Adele Vance');
        assert.ok(adele);
        assert.equal(description(adele), 'adelev@contoso.com');
        assert.match(contextValueOf(adele), /^m365Provisioner:user\+licensed\+mail$/);
        await vscode.commands.executeCommand(CommandIds.directoryLoadMore, users);
        assert.equal(await apiRequests() - before, 2);
        const more = await (await tree()).getChildren(users);
        assert.equal(more.length, 201);
        assert.equal(new Set(more.map(r => r.id)).size, 201, 'row ids are unique');
    });

    it('filters a folder on the server with one request, shows the filter, and clears it', async () => {
        const users = await folder(tenant, 'Users');
        const before = await apiRequests();
        users.setFilter('lidia');
        const rows = await (await tree()).getChildren(users);
        assert.equal(await apiRequests() - before, 1);
        assert.ok(rows.length >= 1 && rows.every(r => /lidia/i.test(`${label(r)} ${description(r)}`)), rows.map(label).join(', '));
        assert.match(description(users), /^filter: "lidia" · \d+ found$/);
        assert.match(contextValueOf(users), /\+filterable\+filtered\b/);
        users.setFilter("O'Brien\" OR displayName:*");
        const none = await (await tree()).getChildren(users);
        assert.deepEqual(none.map(label), ['No users match "O\'Brien" OR displayName:*"']);
        await vscode.commands.executeCommand(CommandIds.directoryClearFilter, users);
        assert.equal(users.filter, undefined);
        assert.equal((await (await tree()).getChildren(users)).length, 101);
    });

    it('expands nested groups down to users', async () => {
        const groups = await folder(tenant, 'Groups');
        groups.setFilter('Staff');
        const staff = await child(groups, 'Staff');
        assert.match(contextValueOf(staff), /^m365Provisioner:group\b.*\+security/);
        const sales = await child(staff, 'Staff - Sales');
        const emea = await child(sales, 'Staff - Sales EMEA');
        const members = await (await tree()).getChildren(emea);
        assert.ok(members.length > 0 && members.every(m => /^m365Provisioner:user/.test(contextValueOf(m))));
    });

    it('shows directory roles with member counts, privileged ones flagged, and who holds them', async () => {
        const roles = await folder(tenant, 'Directory roles');
        const global = await child(roles, 'Global Administrator');
        assert.equal(description(global), '1 member · privileged');
        assert.match(contextValueOf(global), /\+privileged/);
        assert.deepEqual((await (await tree()).getChildren(global)).map(label), ['Contoso Administrator']);
        const unused = await child(roles, 'Compliance Administrator');
        assert.equal(description(unused), 'no members');
    });

    it('shows a role member as the Users folder does: service-account icon, licences and usage location as the tenant has them', async () => {
        // An expanded principal carries only a user's default properties; the rows must not guess the rest.
        const readers = await child(await folder(tenant, 'Directory roles'), 'Global Reader');
        const backup = await child(readers, 'Backup Service');
        assert.equal((backup.getTreeItem().iconPath as vscode.ThemeIcon | undefined)?.id, 'robot');
        assert.equal(contextValueOf(backup), 'm365Provisioner:user+serviceAccount', 'a service account, unlicensed, sign-in allowed, no mailbox');
        assert.match((backup.getTreeItem().tooltip as vscode.MarkdownString).value, /Usage location: US\n/, 'not "not set"');
        const helpdesk = await child(readers, 'Helpdesk Reader');
        assert.match(contextValueOf(helpdesk), /\+licensed/);
        assert.doesNotMatch(contextValueOf(helpdesk), /\+serviceAccount/);
    });

    it('shows licences with units used, their service plans, and who has them', async () => {
        const licences = await folder(tenant, 'Licences');
        const e3 = await child(licences, 'Office 365 E3');
        assert.match(description(e3), /^\d+ \/ \d+ used$/);
        // The names Microsoft publishes ("Product names and service plan identifiers for licensing"), the raw ids in
        // the tooltip for recipes and PowerShell.
        assert.match((e3.getTreeItem().tooltip as vscode.MarkdownString).value, /Part number: ENTERPRISEPACK[\s\S]*SKU id: 6fd2c87f\\-b296/);
        const plans = await child(e3, 'Service plans');
        const exchange = await child(plans, 'Exchange Online (Plan 2)');
        assert.match((exchange.getTreeItem().tooltip as vscode.MarkdownString).value, /Plan name: EXCHANGE\\_S\\_ENTERPRISE[\s\S]*Plan id: efb87545\\-963c/);
        assert.ok(!(await (await tree()).getChildren(plans)).some(p => /^[A-Z0-9_]+$/.test(label(p))), 'no plan of the demo tenant is shown by its raw name');
        const holders = await child(e3, 'Assigned users');
        assert.ok((await (await tree()).getChildren(holders)).some(u => label(u) === 'Contoso Administrator'));
    });

    it('lists Users, Groups and Licences by name, as an admin scans them (Directory roles: those in use first, each part by name)', async () => {
        const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
        for (const name of ['Users', 'Groups', 'Licences']) {
            const rows = (await (await tree()).getChildren(await child(tenant, name))).map(label).filter(l => l !== 'Load more…');
            assert.ok(rows.length > 1, `${name}: ${rows.join(', ')}`);
            assert.deepEqual(rows, [...rows].sort((a, b) => collator.compare(a, b)), `${name} in name order`);
        }
        const users = (await (await tree()).getChildren(await child(tenant, 'Users'))).map(label);
        assert.notEqual(users[0], 'Contoso Administrator', 'the first account created is not simply first');
    });

    it('shows a user\'s groups, roles, licences with plans on, and calendar permissions', async () => {
        const users = await folder(tenant, 'Users');
        users.setFilter('admin');
        const adminNode = await child(users, 'Contoso Administrator');
        assert.deepEqual((await (await tree()).getChildren(adminNode)).map(label), ['Groups', 'Directory roles', 'Licences', 'Calendar permissions']);
        assert.deepEqual((await (await tree()).getChildren(await child(adminNode, 'Directory roles'))).map(label), ['Global Administrator']);
        const licence = await child(await child(adminNode, 'Licences'), 'Office 365 E3');
        assert.match(description(licence), /^\d+ of \d+ plans on$/);
        assert.equal(description(await child(licence, 'Exchange Online (Plan 2)')), 'on');
        const calendar = await (await tree()).getChildren(await child(adminNode, 'Calendar permissions'));
        assert.ok(calendar.some(p => label(p) === 'Default'), calendar.map(label).join(', '));
        users.setFilter(undefined);
    });

    it('lists service accounts and Exchange role groups, mail-enabled groups and mailboxes', async () => {
        const accounts = await (await tree()).getChildren(await folder(tenant, 'Service accounts'));
        assert.ok(accounts.some(a => label(a) === 'Backup Service' && /\+serviceAccount/.test(contextValueOf(a))), accounts.map(label).join(', '));
        const exchange = await child(tenant, 'Exchange');
        const roleGroups = await child(exchange, 'Role groups');
        const orgManagement = await child(roleGroups, 'Organization Management');
        assert.deepEqual((await (await tree()).getChildren(orgManagement)).map(label), ['Contoso Administrator']);
        const mailboxes = await folder(exchange, 'Mailboxes');
        mailboxes.setFilter('reception');
        const reception = await child(mailboxes, 'Reception');
        assert.match(description(reception), /reception@contoso\.com · shared/);
        const mailGroups = await (await tree()).getChildren(await child(exchange, 'Mail-enabled security groups'));
        assert.ok(mailGroups.length >= 1);
    });

    it('turns a failed load into one error row with Retry, and Retry reads again', async () => {
        const groups = await folder(tenant, 'Groups');
        groups.setFilter(undefined);
        await admin('PUT', '/_sandbox/knobs', { faultRatio: 1 });
        const failed = await (await tree()).getChildren(groups);
        assert.equal(failed.length, 1);
        assert.match(contextValueOf(failed[0]), /^m365Provisioner:loadError/);
        assert.equal(description(failed[0]), 'Retry');
        assert.equal(failed[0].getTreeItem().command?.command, CommandIds.directoryRetry);
        await admin('PUT', '/_sandbox/knobs', { faultRatio: 0 });
        await vscode.commands.executeCommand(CommandIds.directoryRetry, groups);
        assert.ok((await (await tree()).getChildren(groups)).some(g => label(g) === 'Staff'));
    });

    it('Copy ID and Copy UPN put the selected object\'s id and UPN on the clipboard', async () => {
        const users = await folder(tenant, 'Users');
        users.setFilter('adele');
        const adele = await child(users, 'Adele Vance');
        await vscode.commands.executeCommand(CommandIds.copyId, adele);
        assert.match(await vscode.env.clipboard.readText(), /^[0-9a-f-]{36}$/);
        assert.equal(await vscode.env.clipboard.readText(), adele.entity?.id);
        await vscode.commands.executeCommand(CommandIds.copyUpn, adele);
        assert.equal(await vscode.env.clipboard.readText(), 'adelev@contoso.com');
        users.setFilter(undefined);
    });
});
