import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ExtensionId } from '../../src/constants';
import { WebviewHost } from '../../src/webviews/WebviewHost';

// A page that never says `ready` (VS Code's webview frame can stay blank; see src/webviews/WebviewHost.ts) is reported
// once, with Reload Window; a page that loads is left alone. Real panels in the browser the suite runs in.

const extensionUri = () => {
    const extension = vscode.extensions.getExtension(ExtensionId);
    assert.ok(extension, 'the extension under test');
    return extension.extensionUri;
};
const tabsTitled = (title: string) => vscode.window.tabGroups.all.flatMap(g => g.tabs).filter(t => t.label === title);
async function until(what: string, condition: () => boolean, ms = 20_000): Promise<void> {
    for (const end = Date.now() + ms; Date.now() < end; await new Promise(r => setTimeout(r, 100))) if (condition()) return;
    assert.fail(`${what} within ${ms} ms`);
}

describe('Webview pages that never load', function () {
    this.timeout(60_000);
    const log = vscode.window.createOutputChannel('M365 Provisioner (webview load test)', { log: true });
    const hosts: WebviewHost<Record<string, never>, Record<string, never>>[] = [];
    const open = (title: string, bundle: string, loadTimeoutMs: number, reported: string[]) => {
        const host = new WebviewHost<Record<string, never>, Record<string, never>>({
            viewType: 'm365Provisioner.loadTest', title, bundle, extensionUri: extensionUri(), validators: {}, handlers: {}, log, loadTimeoutMs,
            reportLoadFailure: t => reported.push(t),
        });
        hosts.push(host);
        return host;
    };
    after(() => {
        for (const host of hosts) host.dispose();
        log.dispose();
    });

    it('reports a page that never says ready, once, and keeps its tab until the admin closes it', async () => {
        const reported: string[] = [];
        // No such bundle: the page's only script is not found, so it never says ready.
        const host = open('Never Loads', 'no-such-bundle', 1500, reported);
        assert.deepEqual(reported, [], 'not before the time is up');
        await until('the failure reported', () => reported.length > 0);
        await new Promise(r => setTimeout(r, 2000));
        assert.deepEqual(reported, ['Never Loads'], 'once');
        assert.equal(tabsTitled('Never Loads').length, 1, 'its tab stays');
        let ended = false;
        host.onDidDispose(() => { ended = true; });
        host.panel.dispose();
        assert.ok(ended, 'closing the tab ends the host');
    });

    it('leaves a page that loads alone: nothing reported', async () => {
        const reported: string[] = [];
        // The audit view's bundle says ready as soon as it runs, before asking the host for anything.
        const host = open('Loads', 'auditLog', 3000, reported);
        await new Promise(r => setTimeout(r, 7000));
        assert.deepEqual(reported, []);
        host.dispose();
        await until('its tab closed', () => tabsTitled('Loads').length === 0);
    });
});
