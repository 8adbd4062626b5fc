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

    /** A screenshot for the README's gallery (docs/screenshots/<name>.png), of the whole workbench as it is now. */
    const docsScreenshot = (name: string) => workbench.screenshotToDocs(name);

    afterEach(async function () {
        await workbench?.screenshotIfFailed(this.currentTest);
    });

    after(async () => {
        await workbench?.close();
        await server?.stop();
        await sandbox?.stop();
    });

    it('asks what the admin will do, shows the device code with Copy & Open, and signs in for "Provision" in one sign-in (two steps)', async () => {
        await workbench.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
        await workbench.activityBarIcon('M365 Provisioner').click();
        await workbench.expandView('Accounts');
        await workbench.welcomeText('Accounts').locator('a.monaco-button', { hasText: 'Sign In' }).click();
        const deviceCode = workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Sign in with a device code' });
        await deviceCode.waitFor();
        await workbench.screenshot('10-sign-in-methods');
        await deviceCode.click();

        // What will you do in this tenant? Each choice says in plain words what it asks for.
        const intents = workbench.page.locator('.quick-input-list .monaco-list-row');
        await intents.filter({ hasText: 'Provision' }).waitFor();
        const firstLines = (await intents.allInnerTexts()).map(t => t.split('\n')[0].trim());
        assert.deepEqual(firstLines.map(l => ['Browse the directory', 'Browse, including Exchange', 'Provision'].find(name => l.startsWith(name))), ['Browse the directory', 'Browse, including Exchange', 'Provision'], firstLines.join(' | '));
        assert.match(await intents.filter({ hasText: 'Browse the directory' }).innerText(), /Asks to read users, groups, admin roles, licences and the organisation \(read only\)/);
        assert.match(await intents.filter({ hasText: 'Provision' }).innerText(), /Asks to create and change users, licences, admin roles, app registrations, Exchange/);
        // The pointer off the list, so no hover covers a row in the picture.
        await workbench.page.mouse.move(1300, 850);
        await workbench.page.locator('.workbench-hover-container, .monaco-hover').first().waitFor({ state: 'hidden' }).catch(() => undefined);
        await docsScreenshot('sign-in-intent');
        await workbench.pickSignInIntent('Provision');

        // Step 1 of 2: the code in a modal, as VS Code's own sign-ins show it.
        const dialog = workbench.deviceCodeDialog();
        await dialog.waitFor();
        const text = await dialog.innerText();
        const code = /Your sign-in code: ([A-Z0-9]+)/.exec(text)?.[1];
        assert.ok(code, `the modal shows the code: ${text}`);
        assert.match(text, /Step 1 of 2/);
        assert.ok(text.includes(`${sandbox.origin}/devicelogin`), 'and where to enter it');
        await dialog.getByRole('button', { name: 'Cancel' }).waitFor();
        await docsScreenshot('sign-in-device-code');
        const opened = await workbench.copyAndOpenDeviceCode(true);
        assert.equal(opened.code, code);
        assert.ok(opened.opened, 'Copy & Open opened a tab');
        // code-server hands a localhost address to the browser through its port proxy (/proxy/<port>/…), as VS Code
        // does for every remote window; a real tenant's page (microsoft.com/devicelogin) opens as it is.
        const page = new URL(opened.opened.url());
        const sandboxPort = new URL(sandbox.origin).port;
        assert.ok(page.pathname.endsWith('/devicelogin') && (page.origin === sandbox.origin || page.pathname === `/proxy/${sandboxPort}/devicelogin`), `the verification page: ${page.href}`);
        await opened.opened.close();
        assert.equal(await workbench.page.evaluate('navigator.clipboard.readText()'), code, 'the code is on the clipboard');
        // The progress notification, cancellable, waits and repeats the code.
        const waiting = workbench.page.locator('.notifications-toasts .notification-toast', { hasText: `Waiting for you to enter the code ${code}` });
        await waiting.waitFor();
        await waiting.getByRole('button', { name: 'Cancel' }).waitFor();
        await workbench.screenshot('11-device-code-waiting');
        await workbench.enterDeviceCode(sandbox.origin, code, /Contoso Administrator/);

        // Step 2 of 2 at once: Exchange Online's tokens come from Microsoft's Exchange Online PowerShell app.
        await dialog.filter({ hasText: 'Step 2 of 2' }).waitFor();
        assert.match(await dialog.innerText(), /Exchange Online PowerShell app/);
        await workbench.approveDeviceCodeFromNotification(sandbox.origin, /Contoso Administrator/);

        // Named by the organisation's name and default domain, not its id.
        const signedIn = await workbench.notification(/Signed in as/);
        assert.match(signedIn, /Signed in as admin@contoso\.com to Contoso \(contoso\.com\)\./);
        const row = workbench.treeRows('Accounts').filter({ hasText: 'Contoso Administrator' });
        await row.waitFor();
        // The tenant by name (read once after sign-in, then kept), never its id; the id is in the tooltip.
        await row.locator('.label-description', { hasText: 'Contoso (contoso.com) · admin@contoso.com · Custom' }).waitFor();
        await workbench.statusBarItem('admin@contoso.com').waitFor();
        await workbench.screenshot('13-signed-in');
    });

    it('after "Provision", opens an Exchange folder and makes a change with no further sign-in or consent prompt', async () => {
        // Any sign-in or consent prompt from here on is recorded, however briefly it shows.
        // (A script string: the tests compile without the DOM's types.)
        await workbench.page.evaluate(`(() => {
            const seen = window.m365Prompts = [];
            new MutationObserver(() => {
                for (const box of document.querySelectorAll('.monaco-dialog-box')) {
                    const text = box.innerText;
                    if (/Your sign-in code|needs (Microsoft Graph|Exchange Online) permission|one-time sign-in/.test(text) && !seen.includes(text)) seen.push(text);
                }
            }).observe(document.body, { childList: true, subtree: true });
        })()`);
        await workbench.expandView('Directory');
        const row = (label: string) => workbench.treeRow('Directory', label);
        await row('Contoso (contoso.com)').waitFor();
        await row('Exchange').click();
        await row('Role groups').click();
        await row('Organization Management').waitFor();

        await workbench.runCommand('M365: Create Service Account…');
        const quickPickRow = (text: string | RegExp) => workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
        const input = workbench.page.locator('.quick-input-widget .quick-input-box input');
        await quickPickRow(/^contoso\.comdefault/).click();
        await workbench.quickInputStep(2, 4).waitFor();
        await input.fill('sa-consent-once');
        await workbench.enterUntil(workbench.quickInputStep(3, 4));
        await input.fill('Consent Once Service Account');
        await workbench.page.keyboard.press('Enter');
        await quickPickRow('Netherlands').click();
        const reveal = workbench.page.locator('.monaco-dialog-box').filter({ hasText: 'Password for sa-consent-once@contoso.com' });
        await reveal.waitFor();
        await reveal.getByRole('button', { name: 'Copy Password' }).click();
        assert.ok([...sandbox.state().users.values()].some(u => u.userPrincipalName === 'sa-consent-once@contoso.com'), 'the account was created');
        assert.deepEqual(await workbench.page.evaluate('window.m365Prompts'), [], 'no sign-in or consent prompt after "Provision"');
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
