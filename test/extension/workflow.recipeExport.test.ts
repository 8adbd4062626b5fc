import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandIds } from '../../src/constants';

// Export turns a recipe file into a PowerShell script in a new editor; it reads nothing from the tenant. Refused input
// (a broken recipe, an unknown variant) is shown as an error by runAction: the command resolves undefined, no editor.

const upn = 'sa-export-test@contoso.com';
const recipe = {
    name: 'Export test calendar integration',
    serviceAccounts: [{ userPrincipalName: upn, displayName: 'Export Test Account', usageLocation: 'NL', licence: { sku: 'ENTERPRISEPACK', enabledPlans: ['EXCHANGE_S_ENTERPRISE'] }, exchangeRoleGroups: ['View-Only Organization Management'] }],
    mailEnabledGroups: [{ name: 'Export Test Group', primarySmtpAddress: 'sa-export-test-group@contoso.com', members: [upn] }],
    calendarGrants: [{ membersOf: 'Staff', grantee: 'sa-export-test-group@contoso.com' }],
};
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'm365-export-'));
function recipeFile(name: string, value: unknown): vscode.Uri {
    const file = path.join(folder, `${name}.m365recipe.json`);
    fs.writeFileSync(file, JSON.stringify(value, null, 4));
    return vscode.Uri.file(file);
}
const powershellDocuments = () => vscode.workspace.textDocuments.filter(d => d.languageId === 'powershell' && !d.isClosed);
/** The open document with this URI: an untitled name (Untitled-1) is reused once its editor closed, and the closed
 *  document can linger in textDocuments for a while, so a plain find may return the earlier test's script. */
const openDocument = (uri: string) => vscode.workspace.textDocuments.find(d => d.uri.toString() === uri && !d.isClosed);

type Exported = { destination: 'untitled', variant: string; cloud?: string; organisation?: string; uri: string; lines: number };

describe('Export Recipe as PowerShell in a real extension host', function () {
    this.timeout(60_000);

    afterEach(async () => {
        // The scripts are untitled and unsaved: revert, so closing them asks nothing.
        for (const document of powershellDocuments()) {
            await vscode.window.showTextDocument(document);
            await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
        }
    });

    it('opens the cloud script of a recipe file in a new PowerShell editor and says what it opened', async () => {
        const result = await vscode.commands.executeCommand<Exported>(CommandIds.exportRecipe, recipeFile('export', recipe), { destination: 'untitled', variant: 'cloud' });
        assert.ok(result, 'the command returned its result');
        assert.equal(result.variant, 'cloud');
        const document = openDocument(result.uri);
        assert.ok(document, `no document ${result.uri}`);
        assert.equal(document.languageId, 'powershell');
        assert.equal(document.isUntitled, true, 'a new, unsaved editor: the admin decides where the script goes');
        assert.match(document.uri.path, /\/export\.cloud\.ps1$/, 'named after the recipe and its kind, beside the recipe, so Save proposes that name');
        assert.equal(result.lines, document.lineCount);
        const text = document.getText();
        assert.ok(text.includes(`New-MgUser -UserPrincipalName '${upn}'`), 'the account is created by the script');
        assert.match(text, /^Set-StrictMode -Version Latest$/m);
        assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), result.uri, 'the script is shown');
        const again = await vscode.commands.executeCommand<Exported>(CommandIds.exportRecipe, recipeFile('export', recipe), { destination: 'untitled', variant: 'cloud' });
        assert.match(again.uri, /\/export\.cloud-2\.ps1$/, 'exporting again opens a second script; the first one is left as it is');
        assert.equal(openDocument(result.uri)?.getText(), text);
        // No cloud given: the signed-in account's, else the settings' (the sandbox's Custom cloud here), which PowerShell
        // has no environment for: the worldwide names, and the header says so.
        const expected = vscode.workspace.getConfiguration('m365Provisioner').get<string>('cloud');
        assert.equal(expected, 'Custom', 'the harness signs in to the sandbox');
        assert.equal(result.cloud, 'Custom');
        assert.match(text, /^Connect-MgGraph -Environment 'Global' /m);
        assert.match(text, /^Connect-ExchangeOnline -ExchangeEnvironmentName 'O365Default' /m);
        assert.match(text, /exported from a custom cloud/);
    });

    it('exports for the cloud it is given: GCC High and DoD sign in to their own environments', async () => {
        for (const [cloud, graph, exchange] of [['USGovernment', 'USGov', 'O365USGovGCCHigh'], ['USGovernmentDoD', 'USGovDoD', 'O365USGovDoD']]) {
            const result = await vscode.commands.executeCommand<Exported>(CommandIds.exportRecipe, recipeFile(`export-${cloud}`, recipe), { destination: 'untitled', variant: 'cloud', cloud });
            assert.equal(result?.cloud, cloud);
            const text = openDocument(result.uri)?.getText() ?? '';
            assert.match(text, new RegExp(`^Connect-MgGraph -Environment '${graph}' `, 'm'));
            assert.match(text, new RegExp(`^Connect-ExchangeOnline -ExchangeEnvironmentName '${exchange}' `, 'm'));
        }
    });

    it('exports the on-premises variant with Active Directory cmdlets: Exchange-only makes the mailbox on Exchange Server', async () => {
        const result = await vscode.commands.executeCommand<Exported>(CommandIds.exportRecipe, recipeFile('export-onprem', recipe), { destination: 'untitled', variant: 'onPremises', organisation: 'exchangeOnly' });
        assert.equal(result?.variant, 'onPremises');
        assert.equal(result.organisation, 'exchangeOnly');
        const text = openDocument(result.uri)?.getText() ?? '';
        assert.match(text, /New-ADUser .*-UserPrincipalName 'sa-export-test@contoso\.com'/);
        assert.doesNotMatch(text, /New-MgUser/);
        assert.match(text, /^\s*Enable-Mailbox -Identity /m);
        assert.doesNotMatch(text, /^\s*Enable-RemoteMailbox /m);
    });

    it('hybrid: the account licensed for Exchange Online gets Enable-RemoteMailbox, not a second mailbox on premises', async () => {
        const result = await vscode.commands.executeCommand<Exported>(CommandIds.exportRecipe, recipeFile('export-hybrid', recipe), { destination: 'untitled', variant: 'onPremises', organisation: 'hybrid' });
        assert.equal(result?.organisation, 'hybrid');
        const text = openDocument(result.uri)?.getText() ?? '';
        assert.match(text, /^\s*Enable-RemoteMailbox -Identity .* -Alias 'sa-export-test' -RemoteRoutingAddress \('sa-export-test@' \+ \$RemoteRoutingDomain\)/m);
        assert.doesNotMatch(text, /^\s*Enable-Mailbox /m);
    });

    it('the on-premises variant without an organisation asks hybrid or Exchange-only', async () => {
        let settled = false;
        const pending = Promise.resolve(vscode.commands.executeCommand<Exported>(CommandIds.exportRecipe, recipeFile('export-ask', recipe), { destination: 'untitled', variant: 'onPremises' })).finally(() => { settled = true; });
        // The question is a quick pick, shown once the recipe is read; hybrid is listed first. Taking the selected item
        // does nothing until the pick is open, so it is repeated until the command has its answer.
        const deadline = Date.now() + 20_000;
        while (!settled && Date.now() < deadline) {
            await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
            await new Promise(resolve => setTimeout(resolve, 200));
        }
        const result = await pending;
        assert.equal(result?.organisation, 'hybrid', 'the first answer is hybrid');
        const text = openDocument(result.uri)?.getText() ?? '';
        assert.match(text, /^\s*Enable-RemoteMailbox /m);
    });

    it('refuses a broken recipe and an unknown variant: nothing is opened', async () => {
        const before = powershellDocuments().length;
        const broken = structuredClone(recipe);
        broken.serviceAccounts[0].usageLocation = 'Netherlands';
        assert.equal(await vscode.commands.executeCommand(CommandIds.exportRecipe, recipeFile('broken', broken), { destination: 'untitled', variant: 'cloud' }), undefined);
        assert.equal(await vscode.commands.executeCommand(CommandIds.exportRecipe, recipeFile('fine', recipe), { destination: 'untitled', variant: 'hybrid' }), undefined);
        assert.equal(await vscode.commands.executeCommand(CommandIds.exportRecipe, recipeFile('fine', recipe), { destination: 'untitled', variant: 42 }), undefined);
        // A script cannot sign in to a custom cloud: asked for by name, it is refused rather than quietly changed.
        assert.equal(await vscode.commands.executeCommand(CommandIds.exportRecipe, recipeFile('fine', recipe), { destination: 'untitled', variant: 'cloud', cloud: 'Custom' }), undefined);
        assert.equal(await vscode.commands.executeCommand(CommandIds.exportRecipe, recipeFile('fine', recipe), { destination: 'untitled', variant: 'onPremises', organisation: 'both' }), undefined);
        assert.equal(await vscode.commands.executeCommand(CommandIds.exportRecipe, recipeFile('fine', recipe), { destination: 'untitled', variant: 'onPremises', cloud: 'China' }), undefined);
        assert.equal(powershellDocuments().length, before, 'no PowerShell editor opened');
    });

    describe('where the script goes (issue 18: saved next to the recipe, asked once, untitled on request)', () => {
        const settings = () => vscode.workspace.getConfiguration('m365Provisioner');
        after(() => settings().update('export.destination', undefined, vscode.ConfigurationTarget.Global));

        it('saves next to the recipe, opens it, and replaces it only when told (the question cannot be answered here: nothing changes)', async () => {
            const recipeUri = recipeFile('beside', recipe);
            const script = path.join(folder, 'beside.cloud.ps1');
            assert.equal(fs.existsSync(script), false);
            const saved = await vscode.commands.executeCommand<Exported & { destination: string }>(CommandIds.exportRecipe, recipeUri, { variant: 'cloud', destination: 'besideRecipe' });
            assert.equal(saved?.destination, 'besideRecipe');
            assert.equal(vscode.Uri.parse(saved.uri).fsPath, script);
            const text = fs.readFileSync(script, 'utf8');
            assert.ok(text.includes(`New-MgUser -UserPrincipalName '${upn}'`), 'the script is on disk');
            assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, script, 'and open');
            assert.equal(vscode.window.activeTextEditor?.document.isUntitled, false);

            // Already there: the modal "Replace it?" is refused in the test host, so the file is left as it was.
            fs.writeFileSync(script, '# edited by hand\n');
            assert.equal(await vscode.commands.executeCommand(CommandIds.exportRecipe, recipeUri, { variant: 'cloud', destination: 'besideRecipe' }), undefined);
            assert.equal(fs.readFileSync(script, 'utf8'), '# edited by hand\n', 'not replaced without a yes');
            const replaced = await vscode.commands.executeCommand<Exported>(CommandIds.exportRecipe, recipeUri, { variant: 'cloud', destination: 'besideRecipe', replace: true });
            assert.ok(replaced);
            assert.equal(fs.readFileSync(script, 'utf8'), text, 'replaced when the caller says so');
        });

        it('follows the setting once it is set, and "Export Recipe to Untitled Editor" opens an unsaved one whatever it says', async () => {
            await settings().update('export.destination', 'besideRecipe', vscode.ConfigurationTarget.Global);
            const recipeUri = recipeFile('by-setting', recipe);
            const saved = await vscode.commands.executeCommand<Exported>(CommandIds.exportRecipe, recipeUri, { variant: 'onPremises', organisation: 'hybrid' });
            assert.equal(vscode.Uri.parse(saved?.uri ?? '').fsPath, path.join(folder, 'by-setting.on-premises-hybrid.ps1'));
            assert.ok(fs.existsSync(path.join(folder, 'by-setting.on-premises-hybrid.ps1')));
            const untitled = await vscode.commands.executeCommand<Exported & { destination: string }>(CommandIds.exportRecipeUntitled, recipeUri, { variant: 'cloud' });
            assert.equal(untitled?.destination, 'untitled');
            assert.equal(openDocument(untitled.uri)?.isUntitled, true);
            assert.equal(fs.existsSync(path.join(folder, 'by-setting.cloud.ps1')), false, 'nothing written for the untitled export');
        });

        it('with the setting at "ask", the question is asked: refused here, so nothing is saved or opened', async () => {
            await settings().update('export.destination', 'ask', vscode.ConfigurationTarget.Global);
            const before = powershellDocuments().length;
            assert.equal(await vscode.commands.executeCommand(CommandIds.exportRecipe, recipeFile('asked', recipe), { variant: 'cloud' }), undefined);
            assert.equal(fs.existsSync(path.join(folder, 'asked.cloud.ps1')), false);
            assert.equal(powershellDocuments().length, before);
            assert.equal(settings().get('export.destination'), 'ask', 'an unanswered question keeps the setting');
        });
    });
});
