import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { parseRecipe, type Recipe } from '../../src/provisioning/recipes/recipe';
import { startSandbox, type RunningSandbox } from '../../sandbox/src/server';
import { loadHarness, stopAll, Workbench, type CodeServer } from './workbench';

const vsix = path.resolve(__dirname, '..', '..', '..', 'dist', 'm365-provisioner.vsix');

/** The setup wizard as an admin uses it: a template, fields checked as typed, a recipe file; then Apply. */
describe('Setup wizard through the UI: from a template to a recipe file', function () {
    this.timeout(240_000);
    let sandbox: RunningSandbox;
    let server: CodeServer;
    let workbench: Workbench;
    const dialog = () => workbench.page.locator('.monaco-dialog-box');
    /** Answers an incremental-consent prompt through the device-code page, if one comes within `ms`. */
    const consentIfAsked = (ms = 5000) => workbench.consentIfAsked(sandbox.origin, /Contoso Administrator/, ms);
    const recipeIn = (name: string): Recipe => {
        const file = path.join(server.folder, name);
        const { recipe, problems } = parseRecipe(fs.readFileSync(file, 'utf8'));
        assert.deepEqual(problems, []);
        assert.ok(recipe);
        return recipe;
    };
    const field = (wizard: FrameLocator, label: string) => wizard.getByLabel(label, { exact: true });
    const openWizard = async (template: string): Promise<FrameLocator> => {
        await workbench.runCommand('M365: Set Up Service Account…');
        const wizard = await workbench.webviewShowing('Set Up Service Account', template, () => workbench.runCommand('M365: Set Up Service Account…'));
        await wizard.getByText(template, { exact: true }).click();
        await field(wizard, 'Account name').waitFor();
        return wizard;
    };

    before(async () => {
        sandbox = await startSandbox({ port: 0, deviceCodeIntervalSeconds: 1 });
        const harness = await loadHarness();
        const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'm365p-ui-wizard-'));
        server = await harness.startCodeServer({ runDir, folder: path.join(runDir, 'workspace'), vsix, removeRunDir: true, settings: harness.sandboxSettings(sandbox) });
        workbench = await Workbench.open(server, harness.chromiumArgs);
        await workbench.signInWithDeviceCode(sandbox.origin, /Contoso Administrator/);
    });
    afterEach(async function () {
        await workbench?.screenshotIfFailed(this.currentTest);
    });
    after(() => stopAll(workbench, server, sandbox));

    it('calendar integration: flags a taken name as typed, checks the licence and the group, writes and opens the recipe', async () => {
        const wizard = await openWizard('Calendar integration account');
        // The guide's defaults are filled in and checked at once.
        await wizard.getByText(/^Staff: \d+ members with a mailbox/).waitFor();
        await wizard.getByText(/^Office 365 E3 \(ENTERPRISEPACK\): \d+ of 75 free; the account gets Exchange Online \(Plan 2\)\./).waitFor();
        await wizard.getByText('sa-mytt-exch@contoso.com is free: the recipe will create it.').waitFor();
        // The licence's plans by the admin centre's names, Graph's name beside each (the recipe keeps Graph's).
        const exchangePlan = wizard.locator('#licencePlans vscode-option[value="EXCHANGE_S_ENTERPRISE"]');
        assert.equal((await exchangePlan.textContent())?.trim(), 'Exchange Online (Plan 2)');
        assert.equal(await exchangePlan.getAttribute('description'), 'EXCHANGE_S_ENTERPRISE');

        await field(wizard, 'Account name').fill('admin');
        await wizard.getByText(/^admin@contoso\.com exists already, not marked as a service account \(Contoso Administrator\): the recipe will adopt it/).waitFor();
        await workbench.screenshot('60-wizard-upn-taken');
        await field(wizard, 'Account name').fill('sa-ui-cal');
        await wizard.getByText('sa-ui-cal@contoso.com is free: the recipe will create it.').waitFor();
        await wizard.getByText('sa-ui-cal-secgroup@contoso.com is free: the recipe will create the group.').waitFor();

        await field(wizard, 'Share the calendars of the members of').fill('Teachers');
        await wizard.getByText(/No group is called "Teachers"/).waitFor();
        await field(wizard, 'Share the calendars of the members of').fill('Staff');
        await wizard.getByText(/^Staff: \d+ members with a mailbox/).waitFor();
        await field(wizard, 'Usage location').fill('GB');
        await workbench.screenshot('61-wizard-calendar');

        await wizard.getByRole('button', { name: 'Create Recipe' }).click();
        const tab = workbench.editorTab('mytimetable-calendar-integration.m365recipe.json');
        await tab.waitFor();
        await workbench.editorTab('Set Up Service Account').waitFor({ state: 'detached' });
        // The wizard plans the recipe next; the plan reads Exchange, which asks for its permission the first time.
        await consentIfAsked(10_000);
        await workbench.treeRows('Recipe Plan').filter({ hasText: 'Plan: MyTimetable calendar integration' }).waitFor();
        await workbench.page.locator('.monaco-editor .view-lines', { hasText: 'sa-ui-cal@contoso.com' }).first().waitFor();
        await workbench.screenshot('62-wizard-recipe-open');
        const recipe = recipeIn('mytimetable-calendar-integration.m365recipe.json');
        assert.deepEqual(recipe.serviceAccounts, [{ userPrincipalName: 'sa-ui-cal@contoso.com', displayName: 'MyTimetable Exchange Service Account', usageLocation: 'GB', licence: { sku: 'ENTERPRISEPACK', enabledPlans: ['EXCHANGE_S_ENTERPRISE'] } }]);
        assert.deepEqual(recipe.mailEnabledGroups, [{ name: 'Service Accounts MyTimetable Exchange', primarySmtpAddress: 'sa-ui-cal-secgroup@contoso.com', hiddenFromAddressLists: true, members: ['sa-ui-cal@contoso.com'] }]);
        assert.deepEqual(recipe.calendarGrants, [{ membersOf: 'Staff', grantee: 'sa-ui-cal-secgroup@contoso.com', accessRight: 'Editor' }]);
    });

    it('reporting and inventory: the guide\'s role and Exchange role group are checked, the recipe is written', async () => {
        const wizard = await openWizard('Reporting and inventory account');
        // The role groups come from Exchange: the first Exchange read may ask for its permission.
        await consentIfAsked();
        await wizard.getByText('Service Support Administrator: a role of this tenant, for the whole tenant.').waitFor();
        await wizard.getByText('View-Only Organization Management: a role group of this organisation.').waitFor({ timeout: 60_000 });
        await field(wizard, 'Account name').fill('sa-ui-reports');
        await wizard.getByText('sa-ui-reports@contoso.com is free: the recipe will create it.').waitFor();
        await field(wizard, 'Display name').fill('Reporting Service Account');
        // Hidden behind another editor and shown again, the page is rebuilt from its saved state.
        await workbench.editorTab('mytimetable-calendar-integration.m365recipe.json').click();
        await workbench.editorTab('Set Up Service Account').click();
        assert.equal(await field(workbench.webview(), 'Account name').inputValue(), 'sa-ui-reports');
        assert.equal(await field(workbench.webview(), 'Display name').inputValue(), 'Reporting Service Account');
        await workbench.screenshot('63-wizard-reporting');
        await workbench.webview().getByRole('button', { name: 'Create Recipe' }).click();
        await workbench.editorTab('sam360-reporting-and-inventory.m365recipe.json').waitFor();
        await workbench.treeRows('Recipe Plan').filter({ hasText: 'Plan: Sam360 reporting and inventory' }).waitFor();
        const recipe = recipeIn('sam360-reporting-and-inventory.m365recipe.json');
        assert.deepEqual(recipe.serviceAccounts, [{ userPrincipalName: 'sa-ui-reports@contoso.com', displayName: 'Reporting Service Account', usageLocation: 'US', directoryRoles: ['Service Support Administrator'], exchangeRoleGroups: ['View-Only Organization Management'] }]);
    });

    it('the classic calendar template names EWS\'s retirement and this tenant\'s settings, and switches to the app-only template, which writes an app registration', async () => {
        const wizard = await openWizard('Calendar integration account');
        await wizard.getByText(/The vendor's calendar app uses EWS\..*1 October 2026.*1 April 2027 \(Message Center MC1227454\)/).waitFor();
        // The tenant's own settings are read when asked (Exchange's first call may ask for its permission).
        await wizard.getByRole('button', { name: 'Check This Tenant\'s EWS Settings' }).click();
        await consentIfAsked();
        await wizard.getByText(/EwsEnabled is not set in this tenant|this tenant has not set EwsEnabled/).waitFor();
        await workbench.screenshot('65-wizard-ews-warning');

        await wizard.getByRole('button', { name: 'Use "Calendar integration — app-only, scoped to a group" instead' }).click();
        await field(wizard, 'App registration name').waitFor();
        assert.equal(await field(wizard, 'Account name').count(), 0, 'no user account');
        // Reading app registrations is a permission the classic templates did not need.
        await consentIfAsked(10_000);
        await wizard.getByText('No app registration is named MyTimetable Calendar Integration: the recipe will register it (single tenant).').waitFor();
        await wizard.getByText('mytimetable-calendars@contoso.com is free: the recipe will create the group.').waitFor();
        await workbench.screenshot('66-wizard-calendar-app-only');
        await wizard.getByRole('button', { name: 'Create Recipe' }).click();
        await workbench.editorTab('mytimetable-calendar-integration-app-only.m365recipe.json').waitFor();
        await workbench.treeRows('Recipe Plan').filter({ hasText: 'Plan: MyTimetable calendar integration (app-only)' }).waitFor();
        const recipe = recipeIn('mytimetable-calendar-integration-app-only.m365recipe.json');
        assert.deepEqual(recipe.serviceAccounts, []);
        assert.deepEqual(recipe.applications, [{ displayName: 'MyTimetable Calendar Integration', credential: { type: 'certificate', validDays: 365 }, mailboxAccess: [{ role: 'Application Calendars.ReadWrite', membersOf: 'mytimetable-calendars@contoso.com' }] }]);
        assert.deepEqual(recipe.mailEnabledGroups, [{ name: 'MyTimetable Calendars', primarySmtpAddress: 'mytimetable-calendars@contoso.com', hiddenFromAddressLists: true }]);
    });

    it('applies the app-only calendar recipe: the private key to a file the admin picks, the app scoped to its group, then in sync', async () => {
        const file = 'mytimetable-calendar-integration-app-only.m365recipe.json';
        await workbench.editorTab(file).click();
        await workbench.clickCodeLens('Apply');
        const review = dialog().filter({ hasText: /Apply MyTimetable calendar integration \(app-only\)/ });
        await review.waitFor();
        assert.match(await review.innerText(), /private key will be written once to a file you choose/);
        await review.getByRole('button', { name: 'Apply' }).click();
        // Registering apps and granting consent are permissions no earlier test needed; then the save dialog for the key.
        const save = workbench.page.locator('.quick-input-widget .quick-input-box input');
        await workbench.answerConsentsUntil(save, sandbox.origin, /Contoso Administrator/);
        await workbench.screenshot('67-wizard-app-only-key');
        await save.press('Enter');
        await workbench.notification(/MyTimetable calendar integration \(app-only\) applied/);
        const key = fs.readFileSync(path.join(server.folder, 'MyTimetable-Calendar-Integration.key.pem'), 'utf8');
        assert.match(key, /-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]*-----BEGIN CERTIFICATE-----/);
        const state = sandbox.state();
        const app = state.apps.find(a => a.displayName === 'MyTimetable Calendar Integration');
        assert.ok(app, 'the app is registered');
        assert.equal(app.certificates.length, 1, 'with one certificate');
        assert.ok((state.exchangeAppRoleAssignments ?? []).some(a => a.role === 'Application Calendars.ReadWrite' && a.customResourceScope), 'Calendars.ReadWrite, with a scope');

        await workbench.runCommand('M365: Verify Recipe (Check for Drift)');
        await workbench.notification(/MyTimetable calendar integration \(app-only\) is in sync/);
    });

    it('reporting app-only from the wizard to verify: read-only Graph permissions, Exchange app-only with Global Reader, in sync', async () => {
        await workbench.runCommand('M365: Set Up Service Account…');
        const wizard = await workbench.webviewShowing('Set Up Service Account', 'Reporting and inventory — app-only, read-only', () => workbench.runCommand('M365: Set Up Service Account…'));
        await wizard.getByText('Reporting and inventory — app-only, read-only', { exact: true }).click();
        await field(wizard, 'App registration name').waitFor();
        await wizard.getByText('No app registration is named Sam360 Reporting: the recipe will register it (single tenant).').waitFor();
        await wizard.getByText('User.Read.All, Organization.Read.All, Reports.Read.All: granted with admin consent, for the whole tenant.').waitFor();
        await wizard.getByText('Global Reader: a role of this tenant, for the whole tenant.').waitFor();
        await workbench.screenshot('68-wizard-reporting-app-only');
        await wizard.getByRole('button', { name: 'Create Recipe' }).click();
        const file = 'sam360-reporting-and-inventory-app-only.m365recipe.json';
        await workbench.editorTab(file).waitFor();
        await workbench.treeRows('Recipe Plan').filter({ hasText: 'Plan: Sam360 reporting and inventory (app-only)' }).waitFor();
        assert.deepEqual(recipeIn(file).applications?.[0].graphPermissions, ['User.Read.All', 'Organization.Read.All', 'Reports.Read.All']);

        await workbench.clickCodeLens('Apply');
        const review = dialog().filter({ hasText: /Apply Sam360 reporting and inventory \(app-only\)/ });
        await review.waitFor();
        await review.getByRole('button', { name: 'Apply' }).click();
        const save = workbench.page.locator('.quick-input-widget .quick-input-box input');
        await workbench.answerConsentsUntil(save, sandbox.origin, /Contoso Administrator/);
        await save.press('Enter');
        await workbench.notification(/Sam360 reporting and inventory \(app-only\) applied/);
        const state = sandbox.state();
        const app = state.apps.find(a => a.displayName === 'Sam360 Reporting');
        assert.ok(app, 'the app is registered');
        const principal = (state.servicePrincipals ?? []).find(s => s.appId === app.appId);
        assert.ok(principal, 'with its service principal');
        const reader = state.roleDefinitions.find(r => r.displayName === 'Global Reader');
        assert.ok(state.roleAssignments.some(a => a.principalId === principal.id && a.roleDefinitionId === reader?.id), 'Global Reader for the app');
        await workbench.runCommand('M365: Verify Recipe (Check for Drift)');
        await workbench.notification(/Sam360 reporting and inventory \(app-only\) is in sync/);
    });

    it('applies the calendar recipe from the palette: the account, its group and the calendar grants are in the tenant', async () => {
        await workbench.editorTab('mytimetable-calendar-integration.m365recipe.json').click();
        await workbench.page.locator('.monaco-editor .view-lines', { hasText: 'sa-ui-cal@contoso.com' }).first().click();
        await workbench.runCommand('M365: Apply Recipe');
        const applied = workbench.page.locator('.notifications-toasts .notification-toast', { hasText: /MyTimetable calendar integration (applied|was applied only in part)/ });
        const confirm = dialog().filter({ hasText: /Apply MyTimetable calendar integration/ });
        // Apply asks once to confirm, and the first changes ask for write permissions: answer each as it comes.
        for (let i = 0; i < 8 && !(await applied.isVisible()); i++) {
            if (await confirm.isVisible()) await confirm.getByRole('button', { name: 'Apply' }).click();
            else if (!(await consentIfAsked(3000))) await applied.waitFor({ timeout: 15_000 }).catch(() => undefined);
        }
        const text = await applied.innerText();
        await workbench.screenshot('64-wizard-recipe-applied');
        assert.match(text, /applied: \d+ changes/);
        const state = sandbox.state();
        const user = [...state.users.values()].find(u => u.userPrincipalName === 'sa-ui-cal@contoso.com');
        assert.ok(user, 'the account exists');
        assert.equal(user.usageLocation, 'GB');
        assert.equal(user.assignedLicenses.length, 1);
        const group = [...state.groups.values()].find(g => g.mail === 'sa-ui-cal-secgroup@contoso.com');
        assert.ok(group, 'the mail-enabled group exists');
        assert.ok(group.members.includes(user.id), 'the account is in it');
        const granted = [...state.mailboxes.values()].filter(m => m.calendarPermissions.some(p => p.principal === group.id && p.accessRights.includes('Editor')));
        assert.ok(granted.length > 40, `${granted.length} calendars`);
    });
    it('applies the reporting recipe from its CodeLens: the guide\'s role and Exchange role group are the account\'s', async () => {
        await workbench.editorTab('sam360-reporting-and-inventory.m365recipe.json').click();
        await workbench.clickCodeLens('Apply');
        const applied = workbench.page.locator('.notifications-toasts .notification-toast', { hasText: /Sam360 reporting and inventory (applied|was applied only in part)/ });
        const confirm = dialog().filter({ hasText: /Apply Sam360 reporting and inventory/ });
        await confirm.waitFor();
        assert.match(await confirm.innerText(), /Directory role: sa-ui-reports@contoso\.com → Service Support Administrator \(create\)/);
        await confirm.getByRole('button', { name: 'Apply' }).click();
        // Role assignment is a permission the calendar recipe did not need: asked for once, before the first change.
        await consentIfAsked(10_000);
        assert.match(await applied.innerText(), /applied: 3 changes/);
        const state = sandbox.state();
        const user = [...state.users.values()].find(u => u.userPrincipalName === 'sa-ui-reports@contoso.com');
        assert.ok(user, 'the account exists');
        assert.equal(user.extensionAttributes?.employeeType, 'ServiceAccount');
        const role = state.roleDefinitions.find(r => r.displayName === 'Service Support Administrator');
        assert.ok(state.roleAssignments.some(a => a.principalId === user.id && a.roleDefinitionId === role?.id && a.directoryScopeId === '/'), 'the directory role, for the whole tenant');
        assert.ok(state.roleGroups.find(g => g.displayName === 'View-Only Organization Management')?.members.includes(user.id), 'the Exchange role group');
        assert.equal(user.assignedLicenses.length, 0, 'no licence: the guide says the account needs none');
    });
});
