import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSandbox, type RunningSandbox } from '../../sandbox/src/server';
import { serializeTenant } from '../../sandbox/src/tenant/persistence';
import { loadHarness, stopAll, Workbench, type CodeServer } from './workbench';

const repo = path.resolve(__dirname, '..', '..', '..');
const vsix = path.join(repo, 'dist', 'm365-provisioner.vsix');
const view = 'Directory';

/**
 * The two guides' recipes as examples/ ships them, with this test's own names (its sandbox is its own, but a name
 * nobody else uses makes a failure's screenshot and log unambiguous). Read from examples/ so the test follows them.
 */
const renames: [RegExp, string][] = [
    [/sa-mytt-exch/g, 'sa-ui-off-cal'],
    [/MyTimetable/g, 'UI Offboarding'],
    [/sam360reports/g, 'sa-ui-off-reports'],
    [/Sam360 Reports/g, 'UI Offboarding Reports'],
    [/"Inventory and reporting account"/g, '"UI Offboarding inventory and reporting account"'],
];
function example(file: string): string {
    let text = fs.readFileSync(path.join(repo, 'examples', file), 'utf8');
    for (const [from, to] of renames) text = text.replace(from, to);
    assert.doesNotMatch(text, /sa-mytt-exch|sam360reports/, `${file} keeps none of the guide's own names`);
    return text;
}
const calendarUpn = 'sa-ui-off-cal@contoso.com';
const calendarGroup = 'sa-ui-off-cal-secgroup@contoso.com';
const reportsUpn = 'sa-ui-off-reports@contoso.com';
const reportsName = 'UI Offboarding Reports Service Account';

/**
 * Both guides' accounts set up and offboarded again through the UI, as an admin would: the tenant ends as it was
 * before, apart from Entra's Deleted users (kept 30 days) and the permissions the admin consented to on the way.
 */
describe('Offboarding through the UI: both guides set up, then taken away, and the tenant is as before', function () {
    this.timeout(300_000);
    let sandbox: RunningSandbox;
    let server: CodeServer;
    let workbench: Workbench;
    let folder = '';
    /** The whole tenant, as the sandbox saves it. */
    let start: TenantJson;
    const dialog = (text: RegExp) => workbench.page.locator('.monaco-dialog-box').filter({ hasText: text });
    const until = (target: ReturnType<typeof dialog>) => workbench.answerConsentsUntil(target, sandbox.origin, /Contoso Administrator/);
    const tenant = (): TenantJson => JSON.parse(serializeTenant(sandbox.state())) as TenantJson;
    const userNamed = (upn: string) => [...sandbox.state().users.values()].find(u => u.userPrincipalName === upn);

    /** Opens a workspace file from the Explorer, as an admin opens any file, and comes back to the extension. */
    async function openFromExplorer(file: string): Promise<void> {
        await workbench.activityBarIcon('Explorer').click();
        await workbench.page.locator('.explorer-folders-view .monaco-list-row', { hasText: file }).first().click();
        await workbench.editorTab(file).waitFor();
        await workbench.activityBarIcon('M365 Provisioner').click();
    }

    /** CodeLens Apply on the open recipe, through the review dialog (answering consent prompts wherever they come). */
    async function applyFromLens(name: string): Promise<string> {
        await workbench.clickCodeLens('Apply');
        const review = dialog(new RegExp(`Apply ${name}`));
        await until(review);
        const text = await review.innerText();
        await review.getByRole('button', { name: 'Apply' }).click();
        return text;
    }

    before(async () => {
        sandbox = await startSandbox({ port: 0, deviceCodeIntervalSeconds: 1 });
        const harness = await loadHarness();
        const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'm365p-ui-offboarding-'));
        // Outside runDir: the harness empties runDir when it starts code-server.
        folder = fs.mkdtempSync(path.join(os.tmpdir(), 'm365p-ui-offboarding-workspace-'));
        fs.writeFileSync(path.join(folder, 'calendar.m365recipe.json'), example('calendar-integration.m365recipe.json'));
        fs.writeFileSync(path.join(folder, 'reporting.m365recipe.json'), example('reporting-inventory.m365recipe.json'));
        fs.writeFileSync(path.join(folder, 'offboard-calendar.m365recipe.json'), example('offboard-calendar-integration.m365recipe.json'));
        server = await harness.startCodeServer({ runDir, folder, vsix, removeRunDir: true, extraArgs: ['--log', 'trace'], settings: harness.sandboxSettings(sandbox) });
        workbench = await Workbench.open(server, harness.chromiumArgs);
        await workbench.signInWithDeviceCode(sandbox.origin, /Contoso Administrator/);
        await workbench.showOnly(view);
        // Step 1: the whole tenant before anything is set up.
        start = tenant();
        assert.equal(start.deletedUsers?.length ?? 0, 0, 'the demo tenant starts with no deleted users');
    });
    afterEach(async function () {
        await workbench?.screenshotIfFailed(this.currentTest);
    });
    after(async () => {
        await stopAll(workbench, server, sandbox);
        if (folder) fs.rmSync(folder, { recursive: true, force: true });
    });

    it('sets up the calendar integration guide from its recipe\'s CodeLens', async () => {
        await openFromExplorer('calendar.m365recipe.json');
        const review = await applyFromLens('UI Offboarding calendar integration');
        assert.match(review, new RegExp(`Service account: ${calendarUpn} \\(create\\)`));
        await until(workbench.page.locator('.notifications-toasts .notification-toast', { hasText: /UI Offboarding calendar integration applied/ }));
        assert.ok(userNamed(calendarUpn), 'the account exists');
        assert.ok([...sandbox.state().groups.values()].some(g => g.exchange?.primarySmtpAddress === calendarGroup), 'the group exists');
    });

    it('sets up the reporting and inventory guide from its recipe\'s CodeLens', async () => {
        await openFromExplorer('reporting.m365recipe.json');
        const review = await applyFromLens('UI Offboarding inventory and reporting account');
        assert.match(review, new RegExp(`Service account: ${reportsUpn} \\(create\\)`));
        await until(workbench.page.locator('.notifications-toasts .notification-toast', { hasText: /UI Offboarding inventory and reporting account applied/ }));
        const user = userNamed(reportsUpn);
        assert.ok(user && sandbox.state().roleAssignments.some(a => a.principalId === user.id), 'the account holds its role');
        assert.ok(sandbox.state().roleGroups.some(g => g.members.includes(user.id)), 'and its role group');
    });

    it('offboards the calendar guide with its offboarding recipe: REMOVE steps reviewed, each deleted name typed; a wrong name or Escape changes nothing', async () => {
        await openFromExplorer('offboard-calendar.m365recipe.json');
        const name = 'Offboard the UI Offboarding calendar integration';
        const review = await applyFromLens(name);
        for (const removal of [`Service account: ${calendarUpn} (REMOVE)`, `${calendarGroup} (REMOVE)`]) assert.ok(review.includes(removal), `the review lists ${removal}:\n${review}`);
        await workbench.expandView('Recipe Plan');
        const rows = workbench.treeRows('Recipe Plan');
        await rows.filter({ hasText: `Plan: ${name}` }).waitFor();
        await rows.filter({ hasText: `Service account: ${calendarUpn}` }).filter({ hasText: 'to remove' }).waitFor();

        // A wrong name is refused in the box itself, and Escape cancels: nothing has changed.
        const unchanged = serializeTenant(sandbox.state());
        let box = await workbench.typeToConfirmBox(calendarUpn);
        await box.fill('sa-ui-off-calendar@contoso.com');
        await workbench.page.locator('.quick-input-message', { hasText: `Type exactly ${calendarUpn}.` }).waitFor();
        await workbench.page.keyboard.press('Enter');
        await box.waitFor();
        await workbench.page.keyboard.press('Escape');
        await box.waitFor({ state: 'hidden' });
        assert.equal(serializeTenant(sandbox.state()), unchanged, 'a wrong name, then Escape, changed nothing');
        assert.ok(userNamed(calendarUpn), 'the account is still there');
        await workbench.screenshotPlanView('offboarding-plan', view);

        await applyFromLens(name);
        box = await workbench.typeToConfirmBox(calendarUpn);
        await box.fill(calendarUpn);
        await workbench.page.keyboard.press('Enter');
        box = await workbench.typeToConfirmBox(calendarGroup);
        await box.fill(calendarGroup);
        await workbench.page.keyboard.press('Enter');
        await until(workbench.page.locator('.notifications-toasts .notification-toast', { hasText: new RegExp(`${name} applied`) }));
        await rows.filter({ hasText: `Apply: ${name}` }).waitFor();
        assert.equal(userNamed(calendarUpn), undefined, 'the account is gone');
    });

    it('offboards the reporting guide\'s account from its row in the Directory view, with the plan shown first', async () => {
        await workbench.expandView(view);
        await workbench.treeRow(view, 'Service accounts').click();
        const account = workbench.treeRow(view, reportsName);
        await account.waitFor();
        await workbench.contextMenu(account, 'Offboard Service Account…');
        const confirm = dialog(new RegExp(`Offboard ${reportsUpn}`));
        await until(confirm);
        // The offboarding recipe the command wrote is open, and the Recipe Plan view lists the removals behind the modal.
        await workbench.editorTab(/Untitled/).waitFor();
        const rows = workbench.treeRows('Recipe Plan');
        await rows.filter({ hasText: `Plan: Offboard ${reportsName}` }).waitFor();
        for (const removal of [`Service account: ${reportsUpn}`, 'Service Support Administrator', 'View-Only Organization Management']) {
            await rows.filter({ hasText: removal }).filter({ hasText: 'to remove' }).first().waitFor();
        }
        await workbench.screenshot('offboarding-directory-confirm');
        await confirm.getByRole('button', { name: 'Offboard' }).click();
        const box = await workbench.typeToConfirmBox(reportsUpn);
        await box.fill(reportsUpn);
        await workbench.page.keyboard.press('Enter');
        await until(workbench.page.locator('.notifications-toasts .notification-toast', { hasText: `${reportsUpn} is offboarded` }));
        assert.equal(userNamed(reportsUpn), undefined, 'the account is gone');
    });

    it('leaves the tenant as it was before both guides, with the two accounts in Deleted users', () => {
        const after = tenant();
        assert.deepEqual(
            (after.deletedUsers ?? []).map(d => d.user.userPrincipalName).sort(),
            [calendarUpn, reportsUpn].sort(),
            'Deleted users holds exactly the two accounts',
        );
        // Entra would give back on restore what a deleted user held (and keeps its licence consumed): offboarding took
        // everything away first, and disabled the account before deleting it.
        for (const item of after.deletedUsers ?? []) {
            const held = { enabled: item.user.accountEnabled, licences: item.user.assignedLicenses, groups: item.memberOf, owns: item.ownerOf, roles: item.roleAssignments, roleGroups: item.roleGroups };
            assert.deepEqual(held, { enabled: false, licences: [], groups: [], owns: [], roles: [], roleGroups: [] }, `${item.user.userPrincipalName} holds nothing in Deleted users`);
        }
        // Consent is the admin's, not the integration's: what an app was granted on the way stays granted.
        // Consent lives in oauth2PermissionGrants; a Microsoft client's first sign-in adds its app and service principal.
        const { deletedUsers: _deletedBefore, apps: appsBefore, servicePrincipals: spsBefore, oauth2PermissionGrants: _grantsBefore, ...restBefore } = start;
        const { deletedUsers: _deletedAfter, apps: appsAfter, servicePrincipals: spsAfter, oauth2PermissionGrants: grantsAfter, ...restAfter } = after;
        assert.deepEqual(restAfter, restBefore, 'the whole tenant, apart from Deleted users and consent, is as before');
        assert.deepEqual(appsAfter.slice(0, appsBefore.length), appsBefore, 'the app registrations are as before');
        assert.deepEqual(spsAfter.slice(0, spsBefore.length), spsBefore, 'the service principals are as before');
        for (const app of appsAfter.slice(appsBefore.length)) {
            const sp = spsAfter.find(s => s.appId === app.appId);
            assert.deepEqual(grantsAfter.filter(g => g.clientId === sp?.id), [], `${app.displayName}: only Microsoft's own pre-authorised client appeared (at its first sign-in)`);
        }
    });
});

interface AppJson { displayName: string; appId: string }
interface TenantJson {
    apps: AppJson[];
    servicePrincipals: { id: string; appId: string }[];
    oauth2PermissionGrants: { clientId: string }[];
    deletedUsers?: { user: { userPrincipalName: string; accountEnabled: boolean; assignedLicenses: unknown[] }; memberOf: string[]; ownerOf: string[]; roleAssignments: unknown[]; roleGroups: string[] }[];
    [part: string]: unknown;
}
