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

type Exported = { variant: string; uri: string; lines: number };

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
        const result = await vscode.commands.executeCommand<Exported>(CommandIds.exportRecipe, recipeFile('export', recipe), { variant: 'cloud' });
        assert.ok(result, 'the command returned its result');
        assert.equal(result.variant, 'cloud');
        const document = openDocument(result.uri);
        assert.ok(document, `no document ${result.uri}`);
        assert.equal(document.languageId, 'powershell');
        assert.equal(document.isUntitled, true, 'a new, unsaved editor: the admin decides where the script goes');
        assert.equal(result.lines, document.lineCount);
        const text = document.getText();
        assert.ok(text.includes(`New-MgUser -UserPrincipalName '${upn}'`), 'the account is created by the script');
        assert.match(text, /^Connect-ExchangeOnline /m);
        assert.match(text, /^Set-StrictMode -Version Latest$/m);
        assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), result.uri, 'the script is shown');
    });

    it('exports the on-premises variant with Active Directory cmdlets', async () => {
        const result = await vscode.commands.executeCommand<Exported>(CommandIds.exportRecipe, recipeFile('export-onprem', recipe), { variant: 'onPremises' });
        assert.equal(result?.variant, 'onPremises');
        const text = openDocument(result.uri)?.getText() ?? '';
        assert.match(text, /New-ADUser .*-UserPrincipalName 'sa-export-test@contoso\.com'/);
        assert.doesNotMatch(text, /New-MgUser/);
    });

    it('refuses a broken recipe and an unknown variant: nothing is opened', async () => {
        const before = powershellDocuments().length;
        const broken = structuredClone(recipe);
        broken.serviceAccounts[0].usageLocation = 'Netherlands';
        assert.equal(await vscode.commands.executeCommand(CommandIds.exportRecipe, recipeFile('broken', broken), { variant: 'cloud' }), undefined);
        assert.equal(await vscode.commands.executeCommand(CommandIds.exportRecipe, recipeFile('fine', recipe), { variant: 'hybrid' }), undefined);
        assert.equal(await vscode.commands.executeCommand(CommandIds.exportRecipe, recipeFile('fine', recipe), { variant: 42 }), undefined);
        assert.equal(powershellDocuments().length, before, 'no PowerShell editor opened');
    });
});
