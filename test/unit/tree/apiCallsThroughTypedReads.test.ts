import * as assert from 'node:assert/strict';
import { offendingLines } from '../sourceLines';

/**
 * The VS Code side (commands, the tree, the webview hosts) reads and changes the tenant through the typed functions
 * in src/graph and src/exchange: what is sent to Microsoft is spelled there only, so one change to a call is one edit.
 */
describe('The command layer, the tree and the webview hosts spell no Graph path and no Exchange cmdlet', () => {
    // A quoted cmdlet name (Get-RoleGroup, Add-RoleGroupMember…) or a quoted Graph path (/users, /groups/…).
    const cmdlet = /['"`](Get|Add|Set|New|Remove)-[A-Z]/;
    const graphPath = /['"`]\/(users|groups|roleManagement|subscribedSkus|domains|organization|me|directoryObjects|servicePrincipals)\b/;

    const offenders = (folder: string) => offendingLines(folder, line => cmdlet.test(line) || graphPath.test(line));

    for (const folder of ['commands', 'tree', 'webviews']) {
        it(`src/${folder}`, () => assert.deepEqual(offenders(folder), [], 'call a typed read or cmdlet from src/graph or src/exchange instead'));
    }

    it('the check sees what it looks for', () => {
        for (const line of [`exo.invoke('Get-RoleGroup')`, `invokePage("Get-Recipient", {})`, 'graph.get(`/users/${id}`)', `graph.get('/subscribedSkus')`]) {
            assert.ok(cmdlet.test(line) || graphPath.test(line), line);
        }
        for (const line of [`'Enable-Mailbox'`, `'Get started'`, `'/media/icon.svg'`, `'Offboard-Me'`]) assert.ok(!cmdlet.test(line) && !graphPath.test(line), line);
    });
});
