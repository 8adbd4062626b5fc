import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSandbox, type RunningSandbox } from '../../sandbox/src/server';
import { loadHarness, Workbench, type CodeServer } from './workbench';

const vsix = path.resolve(__dirname, '..', '..', '..', 'dist', 'm365-provisioner.vsix');

describe('Signing in through the UI, against the sandbox tenant (as the demo runs)', function () {
    this.timeout(120_000);
    let sandbox: RunningSandbox;
    let server: CodeServer;
    let workbench: Workbench;

    before(async () => {
        sandbox = await startSandbox({ port: 0, deviceCodeIntervalSeconds: 1 });
        const harness = await loadHarness();
        const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'm365p-ui-signin-'));
        server = await harness.startCodeServer({
            runDir,
            folder: path.join(runDir, 'workspace'),
            vsix,
            removeRunDir: true,
            // Every log line, debug and trace included, is written: a leak at any level would show.
            extraArgs: ['--log', 'trace'],
            settings: harness.sandboxSettings(sandbox),
        });
        workbench = await Workbench.open(server, harness.chromiumArgs);
    });

    after(async () => {
        await workbench?.close();
        await server?.stop();
        await sandbox?.stop();
    });

    it('signs in with a device code entered on the sandbox\'s sign-in page, and shows the account', async () => {
        await workbench.activityBarIcon('M365 Provisioner').click();
        await workbench.expandView('Accounts');
        await workbench.welcomeText('Accounts').locator('a.monaco-button', { hasText: 'Sign In' }).click();
        const deviceCode = workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Sign in with a device code' });
        await deviceCode.waitFor();
        await workbench.screenshot('10-sign-in-methods');
        await deviceCode.click();

        const message = await workbench.notification(/enter the code/);
        const code = /enter the code ([A-Z0-9]+)/.exec(message)?.[1];
        assert.ok(code, `the notification shows a code: ${message}`);
        assert.match(message, new RegExp(`${sandbox.origin.replace(/[.:/]/g, '\\$&')}/devicelogin`));
        await workbench.screenshot('11-device-code');

        const signInPage = await workbench.openTab(`${sandbox.origin}/devicelogin`);
        await signInPage.fill('input[name=otc]', code);
        await signInPage.getByRole('button', { name: 'Next' }).click();
        await signInPage.getByRole('button', { name: /Contoso Administrator/ }).click();
        await signInPage.getByRole('heading', { name: 'You\'re signed in' }).waitFor();
        await signInPage.screenshot({ path: path.join(path.dirname(vsix), '..', '.test-results', 'ui', '12-sandbox-sign-in-page.png') });

        const row = workbench.treeRows('Accounts').filter({ hasText: 'Contoso Administrator' });
        await row.waitFor();
        // The tenant by name (read once after sign-in, then kept), never its id; the id is in the tooltip.
        await row.locator('.label-description', { hasText: 'Contoso (contoso.com) · admin@contoso.com · Custom' }).waitFor();
        await workbench.statusBarItem('admin@contoso.com').waitFor();
        await workbench.screenshot('13-signed-in');
    });

    it('wrote no token, refresh token or secret to its output channel', async () => {
        // Make sure the log has the sign-in in it, then grep it for everything the sandbox issued.
        const logs = path.join(server.userData, 'logs');
        let log = '';
        for (let attempt = 0; attempt < 100 && !log.includes('signed in admin@contoso.com'); attempt++) {
            log = fs.readdirSync(logs).map(session => path.join(logs, session, 'exthost1', 'm365-provisioner.m365-provisioner', 'M365 Provisioner.log')).filter(f => fs.existsSync(f)).map(f => fs.readFileSync(f, 'utf8')).join('\n');
            if (!log.includes('signed in admin@contoso.com')) await new Promise(r => setTimeout(r, 100));
        }
        assert.match(log, /\[Auth\] signed in admin@contoso\.com/);
        const secrets = sandbox.issuedSecrets();
        assert.ok(secrets.length >= 2, 'the sandbox issued tokens');
        for (const secret of secrets) assert.ok(!log.includes(secret), 'an issued token or secret is in the log');
        assert.doesNotMatch(log, /Bearer |eyJ[\w-]{20,}\./);
    });

    it('signs out from the palette after confirming, and the welcome returns', async () => {
        await workbench.runCommand('M365: Sign Out…');
        await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Contoso Administrator' }).click();
        await workbench.page.locator('.monaco-dialog-box').getByRole('button', { name: 'Sign Out' }).click();
        await workbench.welcomeText('Accounts').waitFor();
        await workbench.statusBarItem('M365: Sign In').waitFor();
        await workbench.screenshot('14-signed-out');
    });
});
