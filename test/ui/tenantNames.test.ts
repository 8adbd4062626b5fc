import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSandbox, type RunningSandbox } from '../../sandbox/src/server';
import { loadHarness, stopAll, Workbench, type CodeServer } from './workbench';

const vsix = path.resolve(__dirname, '..', '..', '..', 'dist', 'm365-provisioner.vsix');

/**
 * Issue 18, items 2 and 11, as an admin with two tenants signed in sees them: each tenant by its name and default
 * domain (the Accounts view, the status bar, the Directory root), a change's confirmation opening with the tenant it
 * goes to, and the audit view: one row per change with the tenant's name and the request id, narrowed by its filters.
 */
describe('Tenants by name with two tenants signed in, and the audit view', function () {
    this.timeout(300_000);
    let sandbox: RunningSandbox;
    let server: CodeServer;
    let workbench: Workbench;
    const guid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
    const dialog = (text: RegExp | string) => workbench.page.locator('.monaco-dialog-box').filter({ hasText: text });
    const directory = 'Directory';
    const docsShot = (name: string) => workbench.screenshotToDocs(name);
    /** The tenant the next sign-in goes to, set as an admin sets it: in the Settings editor (read at each sign-in). */
    const signInTo = async (tenant: string) => {
        await workbench.runCommand('Preferences: Open User Settings');
        const editor = workbench.page.locator('.settings-editor');
        await editor.waitFor();
        await workbench.page.keyboard.type('m365Provisioner.tenant');
        const input = editor.locator('.setting-item-contents', { hasText: 'Tenant to sign in to' }).first().locator('input');
        await input.waitFor();
        await input.fill(tenant);
        await input.press('Tab');
        // Written to the user settings file when VS Code has taken it.
        const file = path.join(server.userData, 'User', 'settings.json');
        for (const deadline = Date.now() + 20_000; !fs.readFileSync(file, 'utf8').includes(tenant);) {
            if (Date.now() > deadline) throw new Error(`The setting was not saved: ${fs.readFileSync(file, 'utf8')}`);
            await workbench.page.waitForTimeout(250);
        }
        // The Settings editor opens as a modal here: Escape closes it (a first Escape may only leave the search box).
        const modal = workbench.page.locator('.monaco-modal-editor-block');
        for (let i = 0; i < 5 && (await modal.count()) > 0; i++) {
            await workbench.page.keyboard.press('Escape');
            await modal.waitFor({ state: 'detached', timeout: 1000 }).catch(() => undefined);
        }
        if (await editor.isVisible()) await workbench.runCommand('View: Close Editor');
    };
    /** "Reset Password…" on Backup Service (a service account every sandbox tenant has), up to its confirmation. */
    const resetBackupPassword = async (domain: string): Promise<string> => {
        await workbench.treeRow(directory, 'Service accounts').click();
        const account = workbench.treeRow(directory, 'Backup Service');
        await account.waitFor();
        await workbench.contextMenu(account, 'Reset Password…');
        const confirm = dialog(`Reset the password of svc-backup@${domain}?`);
        await confirm.waitFor();
        return confirm.locator('.dialog-message-text').innerText();
    };
    /** Confirms, answers the write permission's consent as `admin`, and closes the one-time password reveal. */
    const confirmReset = async (domain: string, admin: RegExp) => {
        await dialog(`Reset the password of svc-backup@${domain}?`).getByRole('button', { name: 'Reset Password' }).click();
        const reveal = dialog(`Password for svc-backup@${domain}`);
        await workbench.answerConsentsUntil(reveal, sandbox.origin, admin);
        await reveal.getByRole('button', { name: 'Copy Password' }).click();
        await reveal.waitFor({ state: 'detached' });
    };

    before(async () => {
        sandbox = await startSandbox({ port: 0, tenants: 2, deviceCodeIntervalSeconds: 1 });
        const harness = await loadHarness();
        const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'm365p-ui-names-'));
        server = await harness.startCodeServer({ runDir, folder: path.join(runDir, 'workspace'), vsix, removeRunDir: true, settings: harness.sandboxSettings(sandbox) });
        workbench = await Workbench.open(server, harness.chromiumArgs);
        await workbench.signInWithDeviceCode(sandbox.origin, /Contoso Administrator/);
    });
    afterEach(async function () {
        await workbench?.screenshotIfFailed(this.currentTest);
    });
    after(() => stopAll(workbench, server, sandbox));

    it('the Accounts view names the tenant "Contoso (contoso.com)", not its id', async () => {
        const row = workbench.treeRows('Accounts').filter({ hasText: 'Contoso (contoso.com)' });
        await row.waitFor();
        assert.doesNotMatch(await row.innerText(), guid, 'no tenant id on the row');
        // The Directory's root is the tenant by the same name.
        await workbench.treeRow(directory, 'Contoso (contoso.com)').waitFor();
    });

    it('a second tenant signed in: both by name, the status bar names the active one', async () => {
        await signInTo(sandbox.tenants[1].tenantId);
        // The first sign-in's "Signed in as" must not stand for the second's.
        await workbench.runCommand('Notifications: Clear All Notifications');
        await workbench.runCommand('M365: Sign In…');
        await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Sign in with a device code' }).click();
        await workbench.pickSignInIntent('Provision');
        await workbench.approveDeviceCodesUntilSignedIn(sandbox.origin, /Fabrikam Administrator/);
        await workbench.treeRows('Accounts').filter({ hasText: 'Fabrikam (fabrikam.com)' }).waitFor();
        await workbench.treeRows('Accounts').filter({ hasText: 'Contoso (contoso.com)' }).waitFor();
        for (const text of await workbench.treeRows('Accounts').allInnerTexts()) assert.doesNotMatch(text, guid);
        await workbench.page.locator('.statusbar-item', { hasText: /Fabrikam · admin@fabrikam\.com/ }).waitFor();
        await workbench.treeRow(directory, 'Fabrikam (fabrikam.com)').waitFor();
        await workbench.runCommand('Notifications: Clear All Notifications');
        await workbench.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
        // Wide enough to read each row whole (the sash sits on the side bar's right edge); then put back.
        const bar = await workbench.page.locator('.part.sidebar').boundingBox();
        const drag = async (from: number, to: number) => {
            if (!bar) return;
            await workbench.page.mouse.move(from, bar.y + bar.height / 2);
            await workbench.page.mouse.down();
            await workbench.page.mouse.move(to, bar.y + bar.height / 2, { steps: 5 });
            await workbench.page.mouse.up();
        };
        const edge = bar ? bar.x + bar.width : 0;
        await drag(edge, edge + 200);
        await workbench.page.mouse.move(edge + 700, 400);
        await docsShot('accounts-tenant-names');
        await drag(edge + 200, edge);
    });

    it('a change\'s confirmation opens with the tenant it goes to, and follows the active account', async () => {
        const fabrikam = await resetBackupPassword('fabrikam.com');
        assert.match(fabrikam, /^In Fabrikam \(fabrikam\.com\): Reset the password of svc-backup@fabrikam\.com\?/);
        await confirmReset('fabrikam.com', /Fabrikam Administrator/);

        // Back to Contoso (a click on its row makes it active): the same confirmation now names Contoso.
        await workbench.treeRows('Accounts').filter({ hasText: 'Contoso (contoso.com)' }).click();
        await workbench.treeRow(directory, 'Contoso (contoso.com)').waitFor();
        const contoso = await resetBackupPassword('contoso.com');
        assert.match(contoso, /^In Contoso \(contoso\.com\): Reset the password of svc-backup@contoso\.com\?/);
        await confirmReset('contoso.com', /Contoso Administrator/);
    });

    it('the audit view shows each change with the tenant\'s name and request id, and its filters narrow it', async () => {
        await workbench.runCommand('M365: Show Audit Log');
        const view = await workbench.webviewShowing('M365 Audit Log', 'Audit log', () => workbench.runCommand('M365: Show Audit Log'));
        const rows = view.locator('tbody tr');
        await rows.nth(1).waitFor();
        assert.equal(await rows.count(), 2);
        // Newest first: Contoso's reset, then Fabrikam's; each with its tenant by name and the request id Graph answered.
        const [newest, older] = await rows.allInnerTexts();
        assert.match(newest, /admin@contoso\.com\s+Contoso \(contoso\.com\)\s+resetPassword\s+svc-backup@contoso\.com/);
        assert.match(older, /admin@fabrikam\.com\s+Fabrikam \(fabrikam\.com\)\s+resetPassword\s+svc-backup@fabrikam\.com/);
        for (const text of [newest, older]) {
            assert.match(text, /succeeded/);
            assert.match(text, new RegExp(`${guid.source}\\s*Copy`, 'i'), 'a request id, copyable');
        }
        await view.getByRole('button', { name: /^Copy request id / }).first().waitFor();

        // Narrowed to a tenant, then to an account, then to days that hold no change.
        await view.getByLabel('Tenant', { exact: true }).selectOption({ label: 'Fabrikam (fabrikam.com)' });
        await view.locator('tbody tr', { hasText: 'svc-backup@contoso.com' }).waitFor({ state: 'detached' });
        assert.equal(await rows.count(), 1);
        assert.match(await rows.first().innerText(), /Fabrikam \(fabrikam\.com\)/);
        await docsShot('audit-view');
        await view.getByRole('button', { name: 'Clear Filters' }).click();
        await rows.nth(1).waitFor();
        await view.getByLabel('Account', { exact: true }).selectOption('admin@contoso.com');
        await view.locator('tbody tr', { hasText: 'svc-backup@fabrikam.com' }).waitFor({ state: 'detached' });
        assert.equal(await rows.count(), 1);
        await view.getByLabel('From', { exact: true }).fill('2000-01-01');
        await view.getByLabel('To', { exact: true }).fill('2000-01-31');
        await view.getByText('No change matches these filters.').waitFor();

        // The raw JSON lines are one button away, still one record per line for SIEM tools.
        await view.getByRole('button', { name: 'Open Raw JSON Lines' }).click();
        await workbench.editorTab('audit.jsonl').waitFor();
    });
});
