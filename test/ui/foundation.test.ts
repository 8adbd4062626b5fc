import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadHarness, Workbench, type CodeServer } from './workbench';

// The packaged .vsix, installed into code-server the way a user installs it (npm run package builds it first).
const vsix = path.resolve(__dirname, '..', '..', '..', 'dist', 'm365-provisioner.vsix');

describe('The packaged extension in the workbench', function () {
    this.timeout(120_000);
    let server: CodeServer;
    let workbench: Workbench;

    before(async () => {
        assert.ok(fs.existsSync(vsix), `${vsix} exists (run npm run package)`);
        const harness = await loadHarness();
        const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'm365p-ui-'));
        server = await harness.startCodeServer({ runDir, folder: path.join(runDir, 'workspace'), vsix, removeRunDir: true });
        workbench = await Workbench.open(server, harness.chromiumArgs);
    });

    after(async () => {
        await workbench?.close();
        await server?.stop();
    });

    /** The extension's own output-channel log file in code-server's user data. */
    function extensionLog(): string {
        const logs = path.join(server.userData, 'logs');
        if (!fs.existsSync(logs)) return '';
        for (const session of fs.readdirSync(logs).sort().reverse()) {
            const file = path.join(logs, session, 'exthost1', 'm365-provisioner.m365-provisioner', 'M365 Provisioner.log');
            if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
        }
        return '';
    }

    it('shows its activity-bar icon, and both views with their signed-out welcome', async () => {
        const icon = workbench.activityBarIcon('M365 Provisioner');
        await icon.waitFor();
        await icon.click();
        await workbench.viewPane('Accounts').waitFor();
        await workbench.expandView('Accounts');
        await workbench.expandView('Directory');
        const accountsWelcome = workbench.welcomeText('Accounts');
        await accountsWelcome.waitFor();
        assert.match(await accountsWelcome.innerText(), /You are not signed in to a Microsoft 365 tenant/);
        const buttons = await accountsWelcome.locator('a.monaco-button').allInnerTexts();
        assert.deepEqual(buttons.map(b => b.trim()), ['Sign In', 'Choose Cloud and App Registration']);
        const directoryWelcome = workbench.welcomeText('Directory');
        await directoryWelcome.waitFor();
        assert.match(await directoryWelcome.innerText(), /Sign in to browse the tenant/);
        await workbench.screenshot('01-views-signed-out');
    });

    it('activated from its view, and logged how long activation took', async () => {
        // The output channel is written to its file asynchronously: wait for the line to arrive.
        let activated: RegExpExecArray | null = null;
        for (let attempt = 0; attempt < 150 && !activated; attempt++) {
            activated = /Activated in (\d+) ms/.exec(extensionLog());
            if (!activated) await new Promise(resolve => setTimeout(resolve, 100));
        }
        assert.ok(activated, 'the extension logged its activation');
        console.log(`      activation: ${activated[1]} ms in activate(); .vsix ${(fs.statSync(vsix).size / 1024).toFixed(1)} KB`);
    });

    it('runs "M365: Show Log" from the palette, which opens its output channel', async () => {
        await workbench.runCommand('M365: Show Log');
        // The Output panel shows the channel in its picker and the activation line in its editor.
        const output = workbench.page.locator('.part.panel');
        await output.locator('.monaco-editor .view-lines', { hasText: 'Activated in' }).waitFor();
        await workbench.screenshot('02-show-log');
    });

    it('runs "M365: Open Settings" from the palette, which opens the extension\'s settings', async () => {
        await workbench.runCommand('M365: Open Settings');
        const settings = workbench.page.locator('.settings-editor');
        await settings.waitFor();
        await settings.locator('.setting-item-contents', { hasText: 'Which Microsoft cloud to sign in to.' }).first().waitFor();
        await workbench.screenshot('03-settings');
    });
});
