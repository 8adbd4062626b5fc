import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { startSandbox, type RunningSandbox } from '../../sandbox/src/server';
import { loadHarness, stopAll, Workbench, type CodeServer } from './workbench';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const vsix = path.join(repoRoot, 'dist', 'm365-provisioner.vsix');
const view = 'Directory';
/** A display name an attacker with a user account could set: it must show as these characters, never as an image. */
const hostileName = '<img src=x onerror="document.title=1">Pradeep';

/** Show Details as an admin uses it: a tab with the object's sections, Copy, and the tree's own actions. */
describe('Show Details through the UI: a read-only view with actions', function () {
    this.timeout(180_000);
    let sandbox: RunningSandbox;
    let server: CodeServer;
    let workbench: Workbench;
    let lidiaUpn = '';
    let runDir = '';
    const row = (label: string) => workbench.treeRow(view, label);
    // The page's own clipboard, as a paste would read it (the test's code has no DOM types: an expression string).
    const clipboard = () => workbench.page.evaluate<string>('navigator.clipboard.readText()');
    /**
     * Scrolls the Directory view until the row is drawn: Users lists by name, and the tree draws only the rows in
     * sight, so a user further down the alphabet is not there until scrolled to.
     */
    const reveal = async (label: string) => {
        // To the top first (Home in the focused list), then down over the list itself a little at a time.
        await workbench.page.locator(`.monaco-list[aria-label="${view}"]`).focus();
        await workbench.page.keyboard.press('Home');
        await workbench.page.locator(`.monaco-list[aria-label="${view}"]`).hover();
        for (let step = 0; step < 30 && !(await row(label).isVisible()); step++) await workbench.page.mouse.wheel(0, 200);
        await row(label).waitFor();
    };
    /** Asks for an object's details from its row's context menu, as the tree offers it, with Users open. */
    const askForDetails = async (label: string) => {
        await workbench.expandView(view);
        await row('Users').waitFor();
        if ((await row('Users').getAttribute('aria-expanded')) !== 'true') await row('Users').click();
        await reveal(label);
        await workbench.contextMenu(row(label), 'Show Details');
    };
    /** Opens an object's details and returns the page (asked again after Reload Window if VS Code left it blank). */
    const showDetails = async (label: string, tab: string): Promise<FrameLocator> => {
        await askForDetails(label);
        return workbench.webviewShowing(tab, label, () => askForDetails(label));
    };

    before(async () => {
        sandbox = await startSandbox({ port: 0, deviceCodeIntervalSeconds: 1 });
        const users = [...sandbox.state().users.values()];
        const pradeep = users.find(u => u.displayName === 'Pradeep Gupta');
        assert.ok(pradeep, 'the demo organisation has Pradeep Gupta');
        pradeep.displayName = hostileName;
        lidiaUpn = users.find(u => u.displayName === 'Lidia Holloway')?.userPrincipalName ?? '';
        assert.ok(lidiaUpn);
        const harness = await loadHarness();
        runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'm365p-ui-details-'));
        server = await harness.startCodeServer({ runDir, folder: path.join(runDir, 'workspace'), vsix, removeRunDir: true, settings: harness.sandboxSettings(sandbox) });
        workbench = await Workbench.open(server, harness.chromiumArgs);
        // The test reads the clipboard the way a paste would.
        await workbench.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
        await workbench.signInWithDeviceCode(sandbox.origin, /Contoso Administrator/);
        await workbench.viewPane('Accounts').locator('.pane-header').click();
        await workbench.expandView(view);
        await row('Users').click();
        await reveal('Lidia Holloway');
    });
    afterEach(async function () {
        await workbench?.screenshotIfFailed(this.currentTest);
    });
    after(() => stopAll(workbench, server, sandbox));

    it('opens "User · Lidia Holloway" in a tab with its sections, and Copy puts the UPN on the clipboard', async () => {
        const details = await showDetails('Lidia Holloway', 'User · Lidia Holloway');
        await details.getByRole('heading', { level: 1, name: 'Lidia Holloway' }).waitFor();
        for (const heading of [/^Identity$/, /^Account state$/, /^Licences and service plans/, /^Directory roles/, /^Group memberships \(direct\)/]) await details.getByRole('heading', { level: 2, name: heading }).waitFor();
        assert.match(await details.locator('header .kind').innerText(), /^User · Contoso/);
        assert.equal(await workbench.editorTab(/\.md$/).count(), 0, 'no Markdown preview');

        await workbench.runCommand('Notifications: Clear All Notifications');
        await workbench.screenshotToDocs('details-view');

        await workbench.page.evaluate('navigator.clipboard.writeText("nothing yet")');
        await details.getByRole('button', { name: 'Copy User principal name' }).click();
        await details.getByText('Copied.').waitFor();
        assert.equal(await clipboard(), lidiaUpn);
    });

    it('an action button runs the tree\'s command for this user: Assign Directory Role… asks which role', async () => {
        const details = workbench.webview();
        await details.getByRole('button', { name: 'Assign Directory Role…' }).click();
        const picker = workbench.page.locator('.quick-input-widget', { hasText: `Assign a directory role to ${lidiaUpn}` });
        await picker.waitFor();
        await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Global Reader' }).first().waitFor();
        await workbench.page.keyboard.press('Escape');
        await picker.waitFor({ state: 'hidden' });
        // Cancelled, the page reads the user again and is ready for the next action.
        await details.getByRole('button', { name: 'Assign Directory Role…' }).and(details.locator(':enabled')).waitFor();
    });

    it('a display name holding HTML shows as text, in the tab and in the page', async () => {
        const details = await showDetails(hostileName, `User · ${hostileName}`);
        await details.getByRole('heading', { level: 1 }).waitFor();
        assert.equal(await details.getByRole('heading', { level: 1 }).innerText(), hostileName);
        assert.equal(await details.locator('img').count(), 0, 'no element was made from the name');
    });

    it('a page that never loads is reported with Reload Window, which mends it', async () => {
        await workbench.runCommand('View: Close All Editors');
        await workbench.runCommand('Notifications: Clear All Notifications');
        // A page whose script cannot be read never says it is ready, like a frame VS Code never writes our page into
        // (seen in code-server under load: the frame waited for its service worker for good).
        const extensions = path.join(runDir, 'extensions');
        const installed = fs.readdirSync(extensions).find(name => name.startsWith('m365-provisioner.m365-provisioner-'));
        assert.ok(installed, `the extension is installed in ${extensions}`);
        const bundle = path.join(extensions, installed, 'dist', 'webview', 'objectDetails.js');
        fs.renameSync(bundle, `${bundle}.away`);
        const toast = workbench.page.locator('.notifications-toasts .notification-toast', { hasText: 'The "User · Lidia Holloway" tab stayed blank' });
        try {
            await askForDetails('Lidia Holloway');
            await toast.waitFor({ timeout: 45_000 });
            assert.equal(await workbench.editorTab('User · Lidia Holloway').count(), 1, 'the tab stays for the admin to close');
        } finally {
            fs.renameSync(`${bundle}.away`, bundle);
        }
        // The admin reloads the window from the message, then opens the details again: still signed in, it shows.
        await workbench.reloadWindow(() => toast.getByRole('button', { name: 'Reload Window' }).click());
        const details = await showDetails('Lidia Holloway', 'User · Lidia Holloway');
        await details.getByRole('heading', { level: 1, name: 'Lidia Holloway' }).waitFor();
    });
});
