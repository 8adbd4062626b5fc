import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSandbox, type RunningSandbox } from '../../sandbox/src/server';
import { loadHarness, stopAll, Workbench, type CodeServer } from './workbench';

const vsix = path.resolve(__dirname, '..', '..', '..', 'dist', 'm365-provisioner.vsix');
const walkthrough = 'm365-provisioner.m365-provisioner#gettingStarted';
/** The calendar guide, with one role the tenant does not have: a plan with rows to create and one blocked. */
const recipe = {
    name: 'MyTimetable calendar integration',
    serviceAccounts: [{ userPrincipalName: 'sa-mytimetable@contoso.com', displayName: 'MyTimetable Calendar Account', usageLocation: 'NL', licence: { sku: 'ENTERPRISEPACK', enabledPlans: ['EXCHANGE_S_ENTERPRISE'] }, directoryRoles: ['Coffee Machine Administrator'] }],
    mailEnabledGroups: [{ name: 'MyTimetable Calendar Group', primarySmtpAddress: 'mytimetable-calendars@contoso.com', hiddenFromAddressLists: true, members: ['sa-mytimetable@contoso.com'] }],
    calendarGrants: [{ membersOf: 'Staff', grantee: 'mytimetable-calendars@contoso.com', accessRight: 'Editor' }],
};
/** Every status word a plan row can lead with (RecipePlanTreeProvider's statusHeading). */
const statusWords = /^(To create|To change|To remove|Already done|Blocked|Created|Changed|Removed|Already in place|Failed|Not run|In sync|Drift)$/;

/**
 * The first hour's layout (issue 18): the walkthrough opens on the first start and ticks each step as the admin does
 * it; the side bar gives the Accounts view a strip, and the Recipe Plan rows lead with their status, readable at the
 * side bar's default width.
 */
describe('Side bar layout and walkthrough through the UI: first start, each step ticked, a plan readable at a glance', function () {
    this.timeout(300_000);
    let sandbox: RunningSandbox;
    let server: CodeServer;
    let workbench: Workbench;
    const page = () => workbench.page;
    const welcome = () => page().locator('.gettingStartedContainer');
    const stepBox = (step: string) => welcome().locator(`[data-done-step-id="${walkthrough}#${step}"]`).first();
    /** Back to the walkthrough's tab, and waits (a step ticks when VS Code sees the event) until the step's box is ticked. */
    const ticked = async (step: string) => {
        await workbench.editorTab('Welcome').click();
        let checked: string | null = null;
        for (const deadline = Date.now() + 20_000; checked !== 'true' && Date.now() < deadline; await page().waitForTimeout(250)) checked = await stepBox(step).getAttribute('aria-checked');
        assert.equal(checked, 'true', `the walkthrough step ${step} ticked`);
    };

    /** A step's own button (its command link), not the step's row, whose accessible name contains the same words. */
    const stepButton = (text: string) => welcome().locator('a.monaco-button', { hasText: new RegExp(`^${text}$`) });
    const closeEditor = async (tab: string) => {
        // The tab's own close button: the palette's F1 does not reach the workbench while a webview has the focus.
        await workbench.editorTab(tab).hover();
        await workbench.editorTab(tab).locator('.tab-actions .action-label').first().click();
        await workbench.editorTab(tab).waitFor({ state: 'detached' });
    };

    before(async () => {
        sandbox = await startSandbox({ port: 0, deviceCodeIntervalSeconds: 1 });
        const harness = await loadHarness();
        const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'm365p-ui-layout-'));
        // Outside runDir: the harness empties runDir when it starts code-server.
        const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'm365p-ui-layout-workspace-'));
        fs.writeFileSync(path.join(folder, 'mytimetable.m365recipe.json'), JSON.stringify(recipe, null, 4));
        // The one test with VS Code's own default: walkthroughs open on install (a machine-scoped setting).
        server = await harness.startCodeServer({ runDir, folder, vsix, removeRunDir: true, settings: harness.sandboxSettings(sandbox), machineSettings: { 'workbench.welcomePage.walkthroughs.openOnInstall': true } });
        workbench = await Workbench.open(server, harness.chromiumArgs);
    });
    afterEach(async function () {
        await workbench?.screenshotIfFailed(this.currentTest);
    });
    after(() => stopAll(workbench, server, sandbox));

    it('opens the walkthrough on the first start, with no step ticked', async () => {
        await workbench.activityBarIcon('M365 Provisioner').click();
        await welcome().getByText('Get Started with M365 Provisioner').first().waitFor();
        for (const step of ['signIn', 'explore', 'wizard']) assert.equal(await stepBox(step).getAttribute('aria-checked'), 'false', `${step} is not done yet`);
    });

    it('ticks "Sign in" once signed in from the step\'s button', async () => {
        // The side bar already shows the extension's views (the icon was clicked above; a second click would hide them).
        await stepButton('Sign In').click();
        await page().locator('.quick-input-list .monaco-list-row', { hasText: 'Sign in with a device code' }).click();
        await workbench.pickSignInIntent('Provision');
        await workbench.approveDeviceCodesUntilSignedIn(sandbox.origin, /Contoso Administrator/);
        await workbench.treeRows('Accounts').filter({ hasText: /Contoso Administrator/ }).waitFor();
        await ticked('signIn');
    });

    it('ticks "Explore the directory" when a Directory folder is opened', async () => {
        // The Directory was on screen all along, so VS Code's onView event never comes: opening a folder is what counts.
        await workbench.treeRow('Directory', 'Users').click();
        await workbench.treeRow('Directory', 'Adele Vance').waitFor();
        await ticked('explore');
    });

    it('ticks "Set up a service account" when the wizard is run from the palette', async () => {
        await workbench.runCommand('M365: Set Up Service Account…');
        await workbench.editorTab('Set Up Service Account').waitFor();
        await ticked('wizard');
        await closeEditor('Set Up Service Account');
    });

    it('gives the Accounts view a strip of the side bar, and the plan rows lead with their status, readable at the default width', async () => {
        await workbench.activityBarIcon('Explorer').click();
        await page().locator('.explorer-folders-view .monaco-list-row', { hasText: 'mytimetable.m365recipe.json' }).first().click();
        await workbench.editorTab('mytimetable.m365recipe.json').waitFor();
        await workbench.activityBarIcon('M365 Provisioner').click();
        await page().locator('.contentWidgets .codelens-decoration a', { hasText: 'Plan' }).first().click();
        const rows = workbench.treeRows('Recipe Plan');
        await workbench.answerConsentsUntil(rows.filter({ hasText: 'Plan: MyTimetable calendar integration' }), sandbox.origin, /Contoso Administrator/);
        await workbench.expandView('Recipe Plan');
        await rows.filter({ hasText: 'Service account: sa-mytimetable@contoso.com' }).first().waitFor();

        const bar = await page().locator('.part.sidebar').boundingBox();
        const accounts = await workbench.viewPane('Accounts').boundingBox();
        assert.ok(bar && accounts);
        assert.ok(accounts.height < bar.height * 0.2, `the Accounts view takes ${Math.round(accounts.height)} of the side bar's ${Math.round(bar.height)} px`);

        // Each step row (the header's children: aria-level 2) leads with its status word, drawn whole inside the row.
        const level = (n: number) => page().locator(`.monaco-list[aria-label="Recipe Plan"] .monaco-list-row[role=treeitem][aria-level="${n}"]`);
        const steps: { text: string; whole: boolean; description: string }[] = [];
        for (const row of await level(2).all()) {
            const label = await row.locator('.label-name').boundingBox();
            const clip = await row.locator('.monaco-icon-label-container').boundingBox();
            steps.push({
                text: (await row.locator('.label-name').innerText()).trim(),
                whole: !!label && !!clip && label.width > 0 && label.x + label.width <= clip.x + clip.width + 0.5,
                description: (await row.locator('.label-description').innerText().catch(() => '')).trim(),
            });
        }
        assert.ok(steps.length >= 5, `the plan shows its steps: ${JSON.stringify(steps)}`);
        for (const step of steps) {
            assert.match(step.text, statusWords, `a row leads with its status: ${JSON.stringify(step)}`);
            assert.ok(step.whole, `the status word "${step.text}" is not cut: ${JSON.stringify(step)}`);
        }
        assert.ok(steps.some(s => s.text === 'To create' && s.description === 'Service account: sa-mytimetable@contoso.com'), JSON.stringify(steps));
        // The blocked role is open, its reason as a row of its own under it (aria-level 3), not only in the hover.
        const blocked = level(2).filter({ hasText: 'Blocked' }).filter({ hasText: 'Coffee Machine Administrator' }).first();
        assert.equal(await blocked.getAttribute('aria-expanded'), 'true');
        const reasons = await level(3).allInnerTexts();
        assert.ok(reasons.some(r => /Coffee Machine Administrator/.test(r)), `the blocked step says why: ${JSON.stringify(reasons)}`);

        await workbench.runCommand('Notifications: Clear All Notifications');
        await page().mouse.move(900, 500);
        await workbench.screenshotToDocs('side-bar', page().locator('.part.sidebar'));
    });

    it('offers "Get Started" in the views\' … menu, which opens the walkthrough again', async () => {
        // The walkthrough's tab was a preview, replaced when the recipe was opened with a single click; close it if not.
        if (await workbench.editorTab('Welcome').count()) await closeEditor('Welcome');
        // Cleared first: the palette does not open while the walkthrough page has the focus.
        await workbench.runCommand('Notifications: Clear All Notifications');
        const header = workbench.viewPane('Directory').locator('.pane-header');
        await header.hover();
        await header.getByRole('button', { name: /More Actions/ }).click();
        const item = page().getByRole('menuitem', { name: 'Get Started' });
        await item.hover();
        await item.click();
        await welcome().getByText('Get Started with M365 Provisioner').first().waitFor();
        // Every step done, as the admin left it (VS Code shows the list of walkthroughs once the last step ticks).
        for (const step of ['signIn', 'explore', 'wizard']) assert.equal(await stepBox(step).getAttribute('aria-checked'), 'true', step);
        await page().mouse.move(900, 500);
        await workbench.screenshotToDocs('walkthrough', page().locator('.part.editor'));
    });
});
