import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { extensionApi } from './sandbox';

// The editor checks a recipe on every keystroke: an unbounded recipe must get one clear problem, quickly, not a checker
// that overflows its stack (and leaves the Problems panel empty) or parses megabytes. Needs no sign-in.

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'm365-recipe-limits-'));
function recipeFile(name: string, text: string): vscode.Uri {
    const file = path.join(folder, `${name}.m365recipe.json`);
    fs.writeFileSync(file, text);
    return vscode.Uri.file(file);
}
async function problemsOf(uri: vscode.Uri): Promise<vscode.Diagnostic[]> {
    const ours = () => vscode.languages.getDiagnostics(uri).filter(d => d.source === 'M365 recipe');
    for (let i = 0; i < 150 && ours().length === 0; i++) await new Promise(r => setTimeout(r, 100));
    return ours();
}
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

describe('Recipe problems in the editor stay bounded: depth, size, duplicate keys', function () {
    this.timeout(60_000);

    before(async () => {
        await extensionApi(); // activated: the recipe diagnostics listen from activation on
    });

    it('a recipe nested 100,000 deep gets one problem at the first bracket too deep, marked by that bracket alone', async () => {
        const text = `{\n    "name": "Deep",\n    "description": ${'['.repeat(100_000)}${']'.repeat(100_000)},\n    "serviceAccounts": []\n}\n`;
        const uri = recipeFile('deep', text);
        const document = await vscode.workspace.openTextDocument(uri);
        const problems = await problemsOf(uri);
        assert.equal(problems.length, 1, problems.map(p => p.message).join('\n'));
        assert.match(problems[0].message, /nested more than 32 deep in \/description \(line 3, column \d+\)/);
        assert.match(codeOf(problems[0]), /^\/description(\/0)+$/);
        assert.equal(document.getText(problems[0].range), '[');
    });

    it('a 5 MB recipe gets one problem naming the size limit, at the start of the file', async () => {
        const text = JSON.stringify({ name: 'Big', description: 'x'.repeat(5 * 1024 * 1024), serviceAccounts: [] });
        const uri = recipeFile('big', text);
        await vscode.workspace.openTextDocument(uri);
        const problems = await problemsOf(uri);
        assert.equal(problems.length, 1, problems.map(p => p.message).join('\n'));
        assert.match(problems[0].message, /a recipe file may have at most 1,048,576 \(1 MB\)/);
        assert.equal(problems[0].range.start.line, 0);
        assert.equal(problems[0].range.start.character, 0);
    });

    it('a key given twice is marked at the second one', async () => {
        const text = '{\n    "name": "Twice",\n    "name": "Twice again",\n    "serviceAccounts": [{ "userPrincipalName": "sa-twice@contoso.com", "displayName": "Twice", "usageLocation": "NL" }]\n}\n';
        const uri = recipeFile('twice', text);
        const document = await vscode.workspace.openTextDocument(uri);
        const problems = await problemsOf(uri);
        assert.deepEqual(problems.map(codeOf), ['/name']);
        assert.equal(problems[0].range.start.line, 2);
        assert.equal(document.getText(problems[0].range), '"name"');
        assert.match(problems[0].message, /"name" appears twice in this object \(first at line 2, column 5\)/);
    });
});
