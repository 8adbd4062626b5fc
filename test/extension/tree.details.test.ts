import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ShownDetails } from '../../src/commands/directory/showDetails';
import { CommandIds } from '../../src/constants';
import type { FolderNode } from '../../src/tree/directory/FolderNode';
import { objectDetailsViewType } from '../../src/webviews/objectDetails/ObjectDetailsPanel';
import { find, rowsOf } from './directoryRows';
import { consentAsAdmin } from './sandbox';

// Runs after signIn.test.ts (files run in name order): the admin is signed in and active.

const tabsLabelled = (label: string | RegExp) => vscode.window.tabGroups.all.flatMap(g => g.tabs).filter(t => (typeof label === 'string' ? t.label === label : label.test(t.label)));

describe('Show Details in a real extension host: a read-only view in its own tab', function () {
    this.timeout(60_000);

    it('opens a webview titled "User · Adele Vance" with its sections and the tree\'s actions, not a Markdown preview; shown again, the same tab', async () => {
        const [tenant] = await rowsOf();
        const users = (await find(tenant, 'Users')) as FolderNode;
        users.setFilter('adele');
        try {
            const adele = await find(users, 'Adele Vance');
            const shown = await vscode.commands.executeCommand<ShownDetails>(CommandIds.showDetails, adele);
            assert.equal(shown.title, 'User · Adele Vance');
            assert.equal(shown.viewType, objectDetailsViewType);
            // The tab appears once the workbench has drawn the panel.
            for (let i = 0; i < 50 && !tabsLabelled('User · Adele Vance').length; i++) await new Promise(r => setTimeout(r, 100));
            const tabs = tabsLabelled('User · Adele Vance');
            assert.equal(tabs.length, 1, `one tab: ${vscode.window.tabGroups.all.flatMap(g => g.tabs).map(t => t.label).join(', ')}`);
            assert.ok(tabs[0].input instanceof vscode.TabInputWebview, 'a webview tab');
            assert.ok(tabs[0].input.viewType.endsWith(objectDetailsViewType), tabs[0].input.viewType);
            assert.equal(tabsLabelled(/\.md$/).length, 0, 'no Markdown preview or document');

            const { details, tenant: tenantName, actions } = shown.view;
            assert.equal(details.name, 'Adele Vance');
            assert.deepEqual(details.sections.map(s => s.heading), ['Identity', 'Account state', 'Licences and service plans', 'Directory roles', 'Group memberships (direct)']);
            assert.ok(details.sections[0].facts?.some(f => f.label === 'User principal name' && f.value === 'adelev@contoso.com' && f.copy));
            assert.ok(details.sections[4].items?.some(i => i.text.startsWith('Staff - ')));
            assert.match(tenantName, /^Contoso/);
            assert.ok(['Assign Directory Role…', 'Add to Exchange Role Group…'].every(t => actions.some(a => a.title === t)), actions.map(a => a.title).join(', '));

            const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(shown.html)?.[1] ?? '';
            assert.match(csp, /default-src 'none'/);
            assert.match(csp, /script-src 'nonce-[A-Za-z0-9+/=]+'(;|$)/);
            assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);

            const again = await vscode.commands.executeCommand<ShownDetails>(CommandIds.showDetails, adele);
            assert.equal(again.html, shown.html, 'the same panel');
            assert.equal(tabsLabelled('User · Adele Vance').length, 1, 'shown again, the same tab');
            await vscode.window.tabGroups.close(tabsLabelled('User · Adele Vance'));
        } finally {
            users.setFilter(undefined);
        }
    });

    it('an Exchange role group opens as "Role group · Organization Management" with its members and the tree\'s Add to Exchange Role Group…', async () => {
        await consentAsAdmin({ exchange: ['Exchange.Manage'] });
        const [tenant] = await rowsOf();
        const roleGroups = await find(await find(tenant, 'Exchange'), 'Role groups');
        const shown = await vscode.commands.executeCommand<ShownDetails>(CommandIds.showDetails, await find(roleGroups, 'Organization Management'));
        assert.equal(shown.title, 'Role group · Organization Management');
        assert.ok(shown.view.details.sections.find(s => s.heading === 'Members')?.items?.some(i => i.text === 'Contoso Administrator'));
        assert.ok(shown.view.actions.some(a => a.title === 'Add to Exchange Role Group…' && a.command === 'm365Provisioner.roleGroups.addMember'), shown.view.actions.map(a => a.title).join(', '));
        for (let i = 0; i < 50 && !tabsLabelled(shown.title).length; i++) await new Promise(r => setTimeout(r, 100));
        await vscode.window.tabGroups.close(tabsLabelled(shown.title));
    });
});
