import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandIds } from '../../src/constants';
import { parseRecipe, type Recipe } from '../../src/provisioning/recipes/recipe';
import { consentingInteraction, extensionApi } from './sandbox';

// Runs after the sign-in and Directory view tests (files run in name order): the admin is signed in, Exchange
// consented. The wizard only reads the tenant; the recipe it writes is then planned (also read-only).

type Result = { uri?: string; refused?: { field: string; message: string }[]; panel?: { viewType: string; title: string; html: string } };
const run = (input?: unknown) => vscode.commands.executeCommand<Result | undefined>(CommandIds.setUpServiceAccount, undefined, input);
const read = (file: string): Recipe => {
    const { recipe, problems } = parseRecipe(fs.readFileSync(file, 'utf8'));
    assert.deepEqual(problems, [], `${file} parses as a recipe`);
    assert.ok(recipe);
    return recipe;
};
const filesIn = (folder: string) => fs.readdirSync(folder).sort();

describe('Setup wizard in a real extension host', function () {
    this.timeout(120_000);
    let folder: string;

    before(async () => {
        assert.ok((await extensionApi()).container.sessions.active(), 'signed in');
        folder = fs.mkdtempSync(path.join(os.tmpdir(), 'm365p-wizard-'));
    });
    after(async () => {
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        fs.rmSync(folder, { recursive: true, force: true });
    });

    it('writes the calendar template with the given values, opens it in an editor, and returns where it is', async () => {
        const result = await run({ template: 'calendar', folder, submit: true, values: { accountName: 'sa-wizard-cal', displayName: 'Wizard Calendar Account', usageLocation: 'gb', calendarGroup: 'Staff', accessRight: 'Reviewer', recipeName: 'Wizard calendar test' } });
        assert.ok(result?.uri, `written: ${JSON.stringify(result)}`);
        const file = vscode.Uri.parse(result.uri).fsPath;
        assert.equal(file, path.join(folder, 'wizard-calendar-test.m365recipe.json'));
        const recipe = read(file);
        assert.equal(recipe.name, 'Wizard calendar test');
        assert.deepEqual(recipe.serviceAccounts, [{ userPrincipalName: 'sa-wizard-cal@contoso.com', displayName: 'Wizard Calendar Account', usageLocation: 'GB', licence: { sku: 'ENTERPRISEPACK', enabledPlans: ['EXCHANGE_S_ENTERPRISE'] } }]);
        assert.deepEqual(recipe.mailEnabledGroups, [{ name: 'Service Accounts MyTimetable Exchange', primarySmtpAddress: 'sa-wizard-cal-secgroup@contoso.com', hiddenFromAddressLists: true, members: ['sa-wizard-cal@contoso.com'] }]);
        assert.deepEqual(recipe.calendarGrants, [{ membersOf: 'Staff', grantee: 'sa-wizard-cal-secgroup@contoso.com', accessRight: 'Reviewer' }]);
        assert.ok(vscode.window.visibleTextEditors.some(e => e.document.uri.fsPath === file), 'the recipe is open in an editor');
    });

    it('will not overwrite an existing recipe unless told to', async () => {
        const input = { template: 'calendar', folder, submit: true, values: { accountName: 'sa-wizard-cal2', recipeName: 'Wizard calendar test' } };
        const file = path.join(folder, 'wizard-calendar-test.m365recipe.json');
        const before = fs.readFileSync(file, 'utf8');
        const refused = await run(input);
        assert.match(refused?.refused?.[0]?.message ?? '', /wizard-calendar-test\.m365recipe\.json already exists/);
        assert.equal(fs.readFileSync(file, 'utf8'), before, 'the file is left as it was');
        const replaced = await run({ ...input, overwrite: true });
        assert.ok(replaced?.uri);
        assert.equal(read(file).serviceAccounts[0].userPrincipalName, 'sa-wizard-cal2@contoso.com');
    });

    it('a taken user principal name is adopted: the reporting recipe is still written', async () => {
        const result = await run({ template: 'reporting', folder, submit: true, values: { accountName: 'svc-backup', displayName: 'Backup Service', usageLocation: 'US' } });
        assert.ok(result?.uri, `written: ${JSON.stringify(result)}`);
        const recipe = read(vscode.Uri.parse(result.uri).fsPath);
        assert.equal(recipe.serviceAccounts[0].userPrincipalName, 'svc-backup@contoso.com');
        assert.deepEqual(recipe.serviceAccounts[0].directoryRoles, ['Service Support Administrator']);
        assert.deepEqual(recipe.serviceAccounts[0].exchangeRoleGroups, ['View-Only Organization Management']);
    });

    it('writes each app-only template: an app registration and no account, the file without "serviceAccounts"', async () => {
        // The app's checks read registrations and Graph's permissions (Application.Read.All): the admin consents once, as in the wizard.
        const api = await extensionApi();
        const account = api.container.accounts.active();
        assert.ok(account);
        await api.container.accounts.tokenProvider(account, consentingInteraction('admin@contoso.com')).getAccessToken({ resource: 'graph', scopes: ['Application.Read.All'] });
        const calendar = await run({ template: 'calendarAppOnly', folder, submit: true, values: { recipeName: 'Wizard calendar app-only' } });
        assert.ok(calendar?.uri, `written: ${JSON.stringify(calendar)}`);
        const calendarFile = vscode.Uri.parse(calendar.uri).fsPath;
        assert.equal('serviceAccounts' in (JSON.parse(fs.readFileSync(calendarFile, 'utf8')) as object), false);
        const calendarRecipe = read(calendarFile);
        assert.deepEqual(calendarRecipe.applications, [{ displayName: 'MyTimetable Calendar Integration', credential: { type: 'certificate', validDays: 365 }, mailboxAccess: [{ role: 'Application Calendars.ReadWrite', membersOf: 'mytimetable-calendars@contoso.com' }] }]);
        assert.deepEqual(calendarRecipe.mailEnabledGroups, [{ name: 'MyTimetable Calendars', primarySmtpAddress: 'mytimetable-calendars@contoso.com', hiddenFromAddressLists: true }]);
        const reporting = await run({ template: 'reportingAppOnly', folder, submit: true, values: { recipeName: 'Wizard reporting app-only', credentialType: 'clientSecret', credentialDays: 60 } });
        assert.ok(reporting?.uri, `written: ${JSON.stringify(reporting)}`);
        const [app] = read(vscode.Uri.parse(reporting.uri).fsPath).applications ?? [];
        assert.deepEqual(app.credential, { type: 'clientSecret', validDays: 60 });
        assert.deepEqual(app.directoryRoles, ['Global Reader']);
        assert.equal(app.exchangeManagement, true);
    });

    it('refuses an app-only template whose group or permission the tenant lacks, naming the fields, and writes nothing', async () => {
        const before = filesIn(folder);
        const result = await run({ template: 'calendarAppOnly', folder, submit: true, values: { recipeName: 'Wizard refused app-only', groupName: '', calendarGroup: 'Teachers', graphPermissions: ['Calendars.Everything'] } });
        assert.equal(result?.uri, undefined);
        assert.deepEqual(result?.refused?.map(p => p.field).sort(), ['calendarGroup', 'graphPermissions']);
        assert.deepEqual(filesIn(folder), before);
    });

    it('refuses a domain the tenant has not verified, naming the field, and writes nothing', async () => {
        const before = filesIn(folder);
        const result = await run({ template: 'calendar', folder, submit: true, values: { accountName: 'sa-elsewhere', domain: 'fabrikam.com', recipeName: 'Elsewhere' } });
        assert.equal(result?.uri, undefined);
        const domain = result?.refused?.find(p => p.field === 'domain');
        assert.match(domain?.message ?? '', /^Domain: fabrikam\.com is not a verified domain of this tenant/);
        assert.equal(result?.refused?.some(p => p.field === 'accountName'), false, 'the same cause is named once');
        assert.deepEqual(filesIn(folder), before, 'no file written');
    });

    it('refuses what the tenant lacks (an unknown group, a role group), and malformed input before anything runs', async () => {
        const before = filesIn(folder);
        const unknown = await run({ template: 'blank', folder, submit: true, values: { accountName: 'svc-x', displayName: 'X', calendarGroup: 'Teachers', exchangeRoleGroups: ['No Such Role Group'] } });
        assert.deepEqual(unknown?.refused?.map(p => p.field).sort(), ['calendarGroup', 'exchangeRoleGroups']);
        assert.match(unknown?.refused?.find(p => p.field === 'calendarGroup')?.message ?? '', /^Share the calendars of the members of: No group is called "Teachers"/);
        assert.equal(await run({ template: 'admin', submit: true }), undefined);
        assert.equal(await run({ template: 'calendar', submit: true, values: { accountName: 42 } }), undefined);
        assert.equal(await run({ template: 'calendar', submit: true, folder, values: { password: 'x' } }), undefined);
        assert.deepEqual(filesIn(folder), before, 'no file written');
    });

    it('opens the wizard as a webview panel whose page runs only our nonce-marked script', async () => {
        const result = await run();
        const panel = result?.panel;
        assert.ok(panel, 'the command returns the panel it opened');
        assert.equal(panel.viewType, 'm365Provisioner.setupWizard');
        assert.equal(panel.title, 'Set Up Service Account');
        const tabs = () => vscode.window.tabGroups.all.flatMap(g => g.tabs).filter(t => t.label === 'Set Up Service Account');
        for (let i = 0; i < 50 && !tabs().length; i++) await new Promise(r => setTimeout(r, 100));
        const tab = tabs()[0];
        assert.ok(tab, `a tab is open: ${vscode.window.tabGroups.all.flatMap(g => g.tabs).map(t => `${t.label} (${t.input?.constructor.name ?? ''})`).join(', ')}`);
        assert.ok(tab.input instanceof vscode.TabInputWebview, 'a webview tab');
        assert.match(tab.input.viewType, /m365Provisioner\.setupWizard$/);

        const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(panel.html)?.[1] ?? '';
        const nonce = /script-src 'nonce-([A-Za-z0-9+/=]{24})'/.exec(csp)?.[1];
        assert.ok(nonce, `a script nonce in the CSP: ${csp}`);
        assert.match(csp, /^default-src 'none';/);
        assert.doesNotMatch(csp, /unsafe-/);
        assert.match(csp, /script-src 'nonce-[^']+';/, 'scripts: only those with the nonce, from nowhere else');
        const scripts = [...panel.html.matchAll(/<script\b([^>]*)>/g)].map(m => m[1]);
        assert.ok(scripts.length > 0);
        for (const attributes of scripts) {
            assert.ok(attributes.includes(`nonce="${nonce}"`), `every script has the nonce: ${attributes}`);
            assert.match(attributes, /src="[^"]+\/dist\/webview\/setupWizard\.js"/, 'and is our bundle, not inline code');
        }
        assert.doesNotMatch(panel.html, /\son[a-z]+=/i, 'no inline event handlers');

        const again = await run({ template: 'reporting' });
        assert.equal(tabs().length, 1, 'running it again brings the same panel forward');
        assert.equal(again?.panel?.html, panel.html);
        await vscode.window.tabGroups.close(tab);
    });
});
