import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSandbox, type RunningSandbox } from '../../sandbox/src/server';
import { loadHarness, stopAll, Workbench, type CodeServer } from './workbench';

const vsix = path.resolve(__dirname, '..', '..', '..', 'dist', 'm365-provisioner.vsix');
const upn = 'sa-ui-recipe@contoso.com';
const groupAddress = 'sa-ui-recipe-group@contoso.com';
/** The calendar integration guide as a recipe file in the workspace, as the wizard writes it. */
const recipe = {
    name: 'UI recipe calendar integration',
    serviceAccounts: [{ userPrincipalName: upn, displayName: 'UI Recipe Calendar Account', usageLocation: 'NL', licence: { sku: 'ENTERPRISEPACK', enabledPlans: ['EXCHANGE_S_ENTERPRISE'] } }],
    mailEnabledGroups: [{ name: 'UI Recipe Calendar Group', primarySmtpAddress: groupAddress, hiddenFromAddressLists: true, members: [upn] }],
    calendarGrants: [{ membersOf: 'Staff', grantee: groupAddress, accessRight: 'Editor' }],
};

/** A recipe applied from its CodeLens: reviewed, cancelled part-way, resumed, and its password revealed once. */
describe('Recipes through the UI: CodeLens apply, cancel and resume', function () {
    this.timeout(300_000);
    let sandbox: RunningSandbox;
    let server: CodeServer;
    let workbench: Workbench;
    let password = '';
    const dialog = () => workbench.page.locator('.monaco-dialog-box');
    const state = () => sandbox.state();
    const mailGroupId = () => [...state().groups.values()].find(g => g.exchange?.primarySmtpAddress === groupAddress)?.id;
    const staffMailboxes = () => {
        const s = state();
        const users = new Set<string>();
        const walk = (id: string) => { const g = s.groups.get(id); if (!g) { users.add(id); return; } for (const m of g.members) walk(m); };
        walk([...s.groups.values()].find(g => g.displayName === 'Staff')?.id ?? '');
        return [...users].map(id => s.mailboxes.get(id)).filter(m => m !== undefined);
    };
    const editors = () => staffMailboxes().filter(m => m.calendarPermissions.some(p => p.principal === mailGroupId() && p.accessRights.join() === 'Editor')).length;
    /** Answers a consent prompt (Exchange for the first plan; the apply's one Graph prompt) through the device-code page. */
    const consentIfAsked = () => workbench.consentIfAsked(sandbox.origin, /Contoso Administrator/, 8000);

    before(async () => {
        sandbox = await startSandbox({ port: 0, deviceCodeIntervalSeconds: 1 });
        const harness = await loadHarness();
        const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'm365p-ui-recipes-'));
        // Outside runDir: the harness empties runDir when it starts code-server.
        const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'm365p-ui-recipes-workspace-'));
        fs.writeFileSync(path.join(folder, 'calendar.m365recipe.json'), JSON.stringify(recipe, null, 4));
        server = await harness.startCodeServer({ runDir, folder, vsix, removeRunDir: true, extraArgs: ['--log', 'trace'], settings: harness.sandboxSettings(sandbox) });
        workbench = await Workbench.open(server, harness.chromiumArgs);
        await workbench.signInWithDeviceCode(sandbox.origin, /Contoso Administrator/);
        // Open the recipe from the Explorer, as an admin opens any file.
        await workbench.activityBarIcon('Explorer').click();
        await workbench.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'calendar.m365recipe.json' }).first().click().catch(async (error: unknown) => {
            await workbench.screenshot('59-explorer-failed');
            throw error;
        });
        await workbench.editorTab('calendar.m365recipe.json').waitFor();
        await workbench.activityBarIcon('M365 Provisioner').click();
    });
    afterEach(async function () {
        await workbench?.screenshotIfFailed(this.currentTest);
    });
    after(() => stopAll(workbench, server, sandbox));

    it('plans from the CodeLens: the Recipe Plan view lists every step to create, and nothing changes', async () => {
        await workbench.clickCodeLens('Plan');
        await consentIfAsked();
        await workbench.expandView('Recipe Plan');
        const rows = workbench.treeRows('Recipe Plan');
        await rows.filter({ hasText: 'Plan: UI recipe calendar integration' }).waitFor();
        await rows.filter({ hasText: `Service account: ${upn}` }).filter({ hasText: 'to create' }).waitFor();
        await rows.filter({ hasText: 'Calendar access:' }).waitFor();
        await workbench.screenshot('60-recipe-plan');
        assert.equal([...state().users.values()].some(u => u.userPrincipalName === upn), false, 'planning created nothing');
    });

    it('applies after one review dialog, is cancelled in the middle of the calendars, and resumes to the right end state', async () => {
        // Slow answers, so the calendar step is still running when Cancel is clicked.
        sandbox.setKnobs({ latencyMs: 150 });
        await workbench.clickCodeLens('Apply');
        const review = dialog().filter({ hasText: /Apply UI recipe calendar integration/ });
        await review.waitFor();
        assert.match(await review.innerText(), /Service account: sa-ui-recipe@contoso\.com \(create\)/);
        await workbench.screenshot('61-apply-review');
        await review.getByRole('button', { name: 'Apply' }).click();
        const progress = workbench.page.locator('.notifications-toasts .notification-toast', { hasText: /Calendars of Staff: [1-9]\d* of/ }).first();
        // No fixed wait for a prompt: signed in for "Provision", none comes, and the calendars must not finish meanwhile.
        await workbench.answerConsentsUntil(progress, sandbox.origin, /Contoso Administrator/);
        // "N of" counts finished members, and members without a mailbox finish (skipped) before any grant: wait for
        // the first calendar actually granted, so Cancel lands in the middle of the grants.
        for (let waited = 0; editors() === 0 && waited < 120_000; waited += 100) await new Promise(r => setTimeout(r, 100));
        await workbench.screenshot('62-apply-progress');
        await progress.getByRole('button', { name: 'Cancel' }).click();
        await workbench.notification(/cancelled\. Done: .*sa-ui-recipe@contoso\.com.*Not run: .*calendars of Staff/);
        const partly = editors();
        assert.ok(partly > 0 && partly < staffMailboxes().length, `part of Staff was done (${partly} of ${staffMailboxes().length})`);
        sandbox.setKnobs({ latencyMs: 0 });

        await workbench.clickCodeLens('Apply');
        const again = dialog().filter({ hasText: /stopped part-way; what it finished is not repeated/ });
        await again.waitFor();
        await again.getByRole('button', { name: 'Apply' }).click();
        const done = await workbench.notification(/UI recipe calendar integration applied/);
        assert.match(done, /kept in VS Code's secret storage until you reveal it/);
        assert.equal(editors(), staffMailboxes().length, 'every Staff calendar gives the group Editor');
        assert.equal([...state().users.values()].filter(u => u.userPrincipalName === upn).length, 1, 'one account, never two');
        await workbench.treeRows('Recipe Plan').filter({ hasText: 'Apply: UI recipe calendar integration' }).waitFor();
        await workbench.screenshot('63-applied');

        // The password was kept for the admin: revealed once, from the notification.
        await workbench.page.locator('.notifications-toasts .notification-toast', { hasText: /applied/ }).getByRole('button', { name: 'Reveal Password' }).click();
        const reveal = dialog().filter({ hasText: `Password for ${upn}` });
        await reveal.waitFor();
        password = /\n(\S{24})\n/.exec(await reveal.innerText())?.[1] ?? '';
        assert.equal(password.length, 24);
        await reveal.getByRole('button', { name: 'Copy Password' }).click();
        await workbench.runCommand('M365: Reveal Service Account Password…');
        await workbench.notification(/No password is waiting to be revealed/);
    });

    it('verifies the tenant in sync from the CodeLens', async () => {
        await workbench.clickCodeLens('Verify');
        await workbench.notification(/is in sync: the tenant is as the recipe says/);
        await workbench.treeRows('Recipe Plan').filter({ hasText: 'Verify: UI recipe calendar integration' }).waitFor();
    });

    it('offers a walkthrough for first use: sign in, explore, run the wizard', async () => {
        await workbench.runCommand('Welcome: Open Walkthrough...');
        await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get Started with M365 Provisioner' }).first().click();
        const page = workbench.page.locator('.gettingStartedContainer');
        for (const step of ['Sign in to a tenant', 'Explore the directory', 'Set up a service account']) await page.getByRole('button', { name: new RegExp(step) }).first().waitFor();
        await workbench.screenshot('64-walkthrough');
    });

    it('never wrote the password or a token to the extension\'s log', () => {
        const logs = path.join(server.userData, 'logs');
        const log = fs.readdirSync(logs).map(session => path.join(logs, session, 'exthost1', 'm365-provisioner.m365-provisioner', 'M365 Provisioner.log')).filter(f => fs.existsSync(f)).map(f => fs.readFileSync(f, 'utf8')).join('\n');
        assert.match(log, /\[Recipe\] applying "UI recipe calendar integration"/, 'the log was read');
        assert.ok(password && !log.includes(password), 'the password is not in the log');
        for (const secret of sandbox.issuedSecrets()) assert.ok(!log.includes(secret), 'no token in the log');
    });
});
