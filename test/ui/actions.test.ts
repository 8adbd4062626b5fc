import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSandbox, type RunningSandbox } from '../../sandbox/src/server';
import { loadHarness, stopAll, Workbench, type CodeServer } from './workbench';

const vsix = path.resolve(__dirname, '..', '..', '..', 'dist', 'm365-provisioner.vsix');
const view = 'Directory';

/** The calendar integration guide, done through the UI the way an admin would, against the demo organisation. */
describe('Provisioning through the UI: the calendar integration guide', function () {
    this.timeout(240_000);
    let sandbox: RunningSandbox;
    let server: CodeServer;
    let workbench: Workbench;
    let password = '';
    const input = () => workbench.page.locator('.quick-input-widget .quick-input-box input');
    const quickPickRow = (text: string | RegExp) => workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
    const dialog = () => workbench.page.locator('.monaco-dialog-box');
    /** Answers the incremental-consent prompt a first write brings, through the device-code page. */
    const consentIfAsked = () => workbench.consentIfAsked(sandbox.origin, /Contoso Administrator/);

    before(async () => {
        sandbox = await startSandbox({ port: 0, deviceCodeIntervalSeconds: 1 });
        const harness = await loadHarness();
        const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'm365p-ui-actions-'));
        server = await harness.startCodeServer({ runDir, folder: path.join(runDir, 'workspace'), vsix, removeRunDir: true, extraArgs: ['--log', 'trace'], settings: harness.sandboxSettings(sandbox) });
        workbench = await Workbench.open(server, harness.chromiumArgs);
        await workbench.signInWithDeviceCode(sandbox.origin, /Contoso Administrator/);
        await workbench.showOnly(view);
    });
    afterEach(async function () {
        await workbench?.screenshotIfFailed(this.currentTest);
    });
    after(() => stopAll(workbench, server, sandbox));

    it('creates the service account from the palette: verified domains only, the name checked as typed, the password shown once', async () => {
        await workbench.runCommand('M365: Create Service Account…');
        await quickPickRow('contoso.onmicrosoft.com').waitFor();
        assert.equal(await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'fabrikam.com' }).count(), 0, 'an unverified domain is not offered');
        await quickPickRow(/^contoso\.comdefault/).click();
        // The name's box replaces the domain's picker in the same widget: typed sooner, the text would be cleared.
        await workbench.quickInputStep(2, 4).waitFor();
        await input().fill('admin');
        await workbench.page.locator('.quick-input-message', { hasText: 'admin@contoso.com is already taken.' }).waitFor();
        await workbench.screenshot('40-upn-taken');
        await input().fill('sa-mytt-exch');
        await workbench.page.locator('.quick-input-message', { hasText: 'admin@contoso.com is already taken.' }).waitFor({ state: 'detached' });
        // Enter is taken only once the name's check (is it taken?) has answered.
        await workbench.enterUntil(workbench.quickInputStep(3, 4));
        await input().fill('MyTimetable Exchange Service Account');
        await workbench.page.keyboard.press('Enter');
        await quickPickRow('Netherlands').click();
        await consentIfAsked();
        const reveal = dialog().filter({ hasText: 'Password for sa-mytt-exch@contoso.com' });
        await reveal.waitFor();
        const text = await reveal.innerText();
        password = /\n(\S{24})\n/.exec(text)?.[1] ?? '';
        assert.equal(password.length, 24, 'a 24-character password is shown');
        await workbench.screenshot('41-password-once');
        await reveal.getByRole('button', { name: 'Copy Password' }).click();
        await workbench.notification(/was created, but: Security defaults are on/);
        const user = [...sandbox.state().users.values()].find(u => u.userPrincipalName === 'sa-mytt-exch@contoso.com');
        assert.equal(user?.extensionAttributes?.employeeType, 'ServiceAccount');
        assert.equal(user?.passwordPolicies, 'DisablePasswordExpiration');
    });

    it('assigns Office 365 E3 with only Exchange Online from the account\'s row', async () => {
        await workbench.treeRow(view, 'Service accounts').click();
        const account = workbench.treeRow(view, 'MyTimetable Exchange Service Account');
        await account.waitFor();
        await workbench.contextMenu(account, 'Assign Licence…');
        await quickPickRow('Office 365 E3').click();
        // Each plan reads as the admin centre names it, Graph's plan name beside it.
        await quickPickRow(/Exchange Online \(Plan 2\).*EXCHANGE_S_ENTERPRISE/).waitFor();
        await workbench.screenshot('42-plans');
        await quickPickRow('Exchange Online (Plan 2)').click();
        await workbench.page.locator('.quick-input-widget', { hasText: '1 Selected' }).waitFor();
        await workbench.page.locator('.quick-input-widget').getByRole('button', { name: 'OK' }).click();
        await consentIfAsked();
        await workbench.notification(/has Office 365 E3 with Exchange Online \(Plan 2\) on/);
        const user = [...sandbox.state().users.values()].find(u => u.userPrincipalName === 'sa-mytt-exch@contoso.com');
        const e3 = sandbox.state().skus.find(s => s.skuPartNumber === 'ENTERPRISEPACK');
        assert.equal(user?.assignedLicenses[0]?.disabledPlans.length, (e3?.servicePlans.length ?? 0) - 1);
    });

    it('grants Editor on the calendars of every Staff member from the group\'s row, and opens a summary', async () => {
        await workbench.treeRow(view, 'Service accounts').click();
        await workbench.contextMenu(workbench.treeRow(view, 'Groups'), 'Filter…');
        await input().fill('Staff');
        await workbench.page.keyboard.press('Enter');
        await workbench.contextMenu(workbench.treeRow(view, 'Staff'), 'Grant Calendar Access to Members…');
        await input().fill('sa-mytt');
        // The first Exchange read asks for the Exchange permission; the picker's search then goes on.
        await consentIfAsked();
        await quickPickRow('sa-mytt-exch@contoso.com').click();
        await quickPickRow(/^Editor/).click();
        // A bulk write asks first, with the mailbox count (issue 18).
        const question = dialog().filter({ hasText: /Editor on \d+ mailboxes in Staff\?/ });
        await workbench.answerConsentsUntil(question, sandbox.origin, /Contoso Administrator/);
        await question.getByRole('button', { name: 'Grant Access' }).click();
        await consentIfAsked();
        await workbench.previewShowing(/Calendar grant Staff/, 'Calendar access: Editor for MyTimetable Exchange Service Account', async () => {
            // The summary went with the reloaded window's extension host: granting again (each calendar already so) shows one.
            await workbench.runCommand('M365: Grant Calendar Access to Members…');
            await workbench.quickInputStep(1, 3).waitFor();
            await input().fill('Staff');
            await quickPickRow(/^\S*\s*Staff/).click();
            await workbench.quickInputStep(2, 3).waitFor();
            await input().fill('sa-mytt');
            await quickPickRow('sa-mytt-exch@contoso.com').click();
            await workbench.quickInputStep(3, 3).waitFor();
            await quickPickRow(/^Editor/).click();
            await dialog().filter({ hasText: /Editor on \d+ mailboxes in Staff\?/ }).getByRole('button', { name: 'Grant Access' }).click();
        });
        await workbench.screenshot('43-calendar-summary');
        const grantee = [...sandbox.state().users.values()].find(u => u.userPrincipalName === 'sa-mytt-exch@contoso.com');
        const granted = [...sandbox.state().mailboxes.values()].filter(m => m.calendarPermissions.some(p => p.principal === grantee?.id && p.accessRights.includes('Editor')));
        assert.ok(granted.length > 40, `${granted.length} calendars`);
    });

    it('never wrote the password or a token to the extension\'s log', () => {
        const logs = path.join(server.userData, 'logs');
        const log = fs.readdirSync(logs).map(session => path.join(logs, session, 'exthost1', 'm365-provisioner.m365-provisioner', 'M365 Provisioner.log')).filter(f => fs.existsSync(f)).map(f => fs.readFileSync(f, 'utf8')).join('\n');
        assert.match(log, /createServiceAccount|POST \/graph\/v1\.0\/users|\[Graph\] POST/);
        assert.ok(password && !log.includes(password), 'the password is not in the log');
        for (const secret of sandbox.issuedSecrets()) assert.ok(!log.includes(secret), 'an issued token is in the log');
    });
});
