import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSandbox, type RunningSandbox } from '../../sandbox/src/server';
import { loadHarness, stopAll, Workbench, type CodeServer } from './workbench';

const vsix = path.resolve(__dirname, '..', '..', '..', 'dist', 'm365-provisioner.vsix');
const view = 'Directory';

/** Starts a sandbox and a workbench with the packaged extension pointed at it, signed in as the Global Administrator. */
async function signedInWorkbench(sandboxOptions: Parameters<typeof startSandbox>[0]): Promise<{ sandbox: RunningSandbox; server: CodeServer; workbench: Workbench }> {
    const sandbox = await startSandbox({ port: 0, deviceCodeIntervalSeconds: 1, ...sandboxOptions });
    const harness = await loadHarness();
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'm365p-ui-directory-'));
    const server = await harness.startCodeServer({ runDir, folder: path.join(runDir, 'workspace'), vsix, removeRunDir: true, settings: harness.sandboxSettings(sandbox) });
    const workbench = await Workbench.open(server, harness.chromiumArgs);
    // "Browse the directory": the read permissions only, so the tests below see the prompts that come when first needed.
    await workbench.signInWithDeviceCode(sandbox.origin, /Contoso Administrator/, 'Browse the directory');
    // The Accounts pane is not needed any more: give the Directory view the side bar's height.
    await workbench.showOnly(view);
    await workbench.treeRow(view, 'Contoso (contoso.com)').waitFor();
    return { sandbox, server, workbench };
}

describe('Directory view through the UI: every folder of the demo organisation', function () {
    this.timeout(180_000);
    let sandbox: RunningSandbox;
    let server: CodeServer;
    let workbench: Workbench;
    const row = (label: string) => workbench.treeRow(view, label);
    const expand = (folder: string, expected: string) => workbench.expandRow(view, folder, expected);
    const collapse = (folder: string) => row(folder).click();

    before(async () => {
        ({ sandbox, server, workbench } = await signedInWorkbench({}));
    });
    afterEach(async function () {
        await workbench?.screenshotIfFailed(this.currentTest);
    });
    after(() => stopAll(workbench, server, sandbox));

    it('shows the tenant and its folders', async () => {
        for (const folder of ['Users', 'Groups', 'Directory roles', 'Licences', 'Service accounts', 'Applications', 'Exchange']) await row(folder).waitFor();
        assert.match(await row('Contoso (contoso.com)').locator('.label-description').innerText(), /admin@contoso\.com/);
        await workbench.screenshot('20-directory-folders');
    });

    it('expands Users, Groups, Directory roles, Licences and Service accounts', async () => {
        await expand('Users', 'Adele Vance');
        assert.equal(await row('Adele Vance').locator('.label-description').innerText(), 'adelev@contoso.com');
        await workbench.screenshot('21-users');
        await collapse('Users');

        await expand('Groups', 'Staff');
        await expand('Staff', 'Staff - Sales');
        await workbench.screenshot('22-groups-nested');
        await collapse('Staff');
        await collapse('Groups');

        await expand('Directory roles', 'Global Administrator');
        assert.equal(await row('Global Administrator').locator('.label-description').innerText(), '1 member · privileged');
        await workbench.screenshot('23-directory-roles');
        await collapse('Directory roles');

        await expand('Licences', 'Office 365 E3');
        assert.match(await row('Office 365 E3').locator('.label-description').innerText(), /^\d+ \/ \d+ used$/);
        await expand('Office 365 E3', 'Service plans');
        await expand('Service plans', 'Exchange Online (Plan 2)');
        await workbench.screenshot('24-licences');
        await collapse('Office 365 E3');
        await collapse('Licences');

        await expand('Service accounts', 'Backup Service');
        assert.equal(await row('Backup Service').locator('.label-description').innerText(), 'svc-backup@contoso.com');
        await collapse('Service accounts');
    });

    it('shows Applications: an app whose secret runs out within 30 days is flagged on its row and on the secret', async () => {
        // A vendor's app with a client secret ending in 10 days, put into the tenant as an admin centre would leave it.
        const app = sandbox.state().apps.find(a => a.displayName === 'Contoso Provisioning Automation');
        assert.ok(app);
        const now = Date.now();
        app.secrets.push({ id: 'b1c3a5d7-0000-4000-8000-00000000a11c', hint: 'Xy9', sha256: '0'.repeat(64), displayName: 'Vendor secret', startDateTime: new Date(now).toISOString(), expiresDateTime: new Date(now + 10.5 * 86_400_000).toISOString() });
        // Sign-in asked for the read permissions of the other folders; the first look at applications asks once more.
        await row('Applications').click();
        assert.ok(await workbench.consentIfAsked(sandbox.origin, /Contoso Administrator/, 30_000), 'Application.Read.All is asked for when first needed');
        await row('Contoso Provisioning Automation').waitFor();
        assert.equal(await row('Contoso Provisioning Automation').locator('.label-description').innerText(), '1 credential expires soon');
        await expand('Contoso Provisioning Automation', 'Credentials');
        await expand('Credentials', 'Vendor secret (Xy9…)');
        assert.equal(await row('Vendor secret (Xy9…)').locator('.label-description').innerText(), 'expires soon · expires in 10 days');
        await expand('API permissions', 'Exchange.ManageAsApp');
        await workbench.screenshot('2a-applications');
        await collapse('Contoso Provisioning Automation');
        await collapse('Applications');
    });

    it('asks once to sign in to the Exchange app, then expands role groups, mail-enabled groups and mailboxes', async () => {
        await expand('Exchange', 'Role groups');
        await row('Role groups').click();
        // Sign-in was with Microsoft Graph Command Line Tools, which may not get Exchange tokens: the first Exchange read
        // asks once to sign in to Microsoft's Exchange Online PowerShell app.
        const dialog = workbench.page.locator('.monaco-dialog-box');
        await dialog.waitFor();
        assert.match(await dialog.innerText(), /Exchange Online needs a one-time sign-in of admin@contoso\.com with Microsoft's Exchange Online PowerShell app/);
        await workbench.screenshot('25-exchange-consent');
        await dialog.getByRole('button', { name: 'Sign In', exact: true }).click();
        await workbench.approveDeviceCodeFromNotification(sandbox.origin, /Contoso Administrator/);
        await row('Organization Management').waitFor();
        await row('View-Only Organization Management').waitFor();
        await workbench.screenshot('26-exchange-role-groups');
        await collapse('Role groups');
        await expand('Mailboxes', 'Adele Vance');
        assert.equal(await row('Adele Vance').locator('.label-description').innerText(), 'adelev@contoso.com');
        // Shared mailboxes are further down the list: find one with the folder's filter (Exchange -Anr).
        await workbench.contextMenu(row('Mailboxes'), 'Filter…');
        await workbench.page.locator('.quick-input-widget .quick-input-box input').fill('reception');
        await workbench.page.keyboard.press('Enter');
        await row('Reception').waitFor();
        assert.match(await row('Reception').locator('.label-description').innerText(), /reception@contoso\.com · shared/);
        await workbench.screenshot('27-mailboxes');
        await collapse('Mailboxes');
        await row('Mail-enabled security groups').click();
        await workbench.treeRows(view).filter({ hasText: /@contoso\.com|No mail-enabled security groups/ }).first().waitFor();
        await collapse('Mail-enabled security groups');
        await collapse('Exchange');
    });

    it('searches for a user from the folder\'s Filter action and shows the filter on the folder', async () => {
        await workbench.contextMenu(row('Users'), 'Filter…');
        const input = workbench.page.locator('.quick-input-widget .quick-input-box input');
        await input.waitFor();
        await input.fill('lidia');
        await workbench.page.keyboard.press('Enter');
        await workbench.treeRows(view).filter({ hasText: 'filter: "lidia" · 1 found' }).waitFor();
        await row('Lidia Holloway').waitFor();
        await workbench.screenshot('28-users-filtered');
    });

    it('opens a user\'s details page from the context menu', async () => {
        await workbench.contextMenu(row('Lidia Holloway'), 'Show Details');
        // The details view (test/ui/details.test.ts covers its actions), not a Markdown preview.
        const details = await workbench.webviewShowing('User · Lidia Holloway', 'Lidia Holloway');
        await details.getByRole('heading', { level: 1, name: 'Lidia Holloway' }).waitFor();
        await details.getByRole('heading', { level: 2, name: /^Licences and service plans/ }).waitFor();
        await workbench.screenshot('29-user-details');
    });
});

describe('Directory view through the UI with 100,000 users', function () {
    this.timeout(240_000);
    let sandbox: RunningSandbox;
    let server: CodeServer;
    let workbench: Workbench;

    before(async () => {
        ({ sandbox, server, workbench } = await signedInWorkbench({ users: 100_000 }));
    });
    after(() => stopAll(workbench, server, sandbox));

    it('expands Users with one Graph request, the first page showing in under a second', async () => {
        // The folder lists by name: its first row is the tenant's first name in that order.
        const first = [...sandbox.state().users.values()].map(u => u.displayName).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0))[0];
        const before = sandbox.stats().graph.requests;
        const started = Date.now();
        await workbench.treeRow(view, 'Users').click();
        await workbench.treeRow(view, first).waitFor();
        const shownMs = Date.now() - started;
        await workbench.screenshot('30-users-100k');
        assert.equal(sandbox.stats().graph.requests - before, 1);
        console.log(`      first page of 100,000 users shown in ${shownMs} ms`);
        assert.ok(shownMs < 1000, `first page took ${shownMs} ms`);
    });

    it('searches 100,000 users with one request', async () => {
        const before = sandbox.stats().graph.requests;
        await workbench.contextMenu(workbench.treeRow(view, 'Users'), 'Filter…');
        await workbench.page.locator('.quick-input-widget .quick-input-box input').fill('zainab');
        await workbench.page.keyboard.press('Enter');
        await workbench.treeRows(view).filter({ hasText: 'filter: "zainab"' }).waitFor();
        await workbench.treeRows(view).filter({ hasText: /^Zainab / }).first().waitFor();
        assert.equal(sandbox.stats().graph.requests - before, 1);
    });
});
