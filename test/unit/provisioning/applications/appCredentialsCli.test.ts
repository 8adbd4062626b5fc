import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../../../..');

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise(resolve => {
        execFile(process.execPath, [path.join(root, 'out/src/cli/bin.js'), ...args], { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, timeout: 120_000 }, (error, stdout, stderr) => {
            resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
        });
    });
}

describe('m365-provisioner apply: a new app credential must have somewhere to go', function () {
    this.timeout(180_000);
    let dir: string;
    before(() => { dir = mkdtempSync(path.join(tmpdir(), 'm365p-appcli-')); });
    after(() => rmSync(dir, { recursive: true, force: true }));

    for (const [type, option, words] of [['certificate', '--key-out', /makes a certificate for Key App, whose private key must be written somewhere\. Give --key-out DIR/], ['clientSecret', '--password-file', /adds a client secret to Key App, which Entra shows only once\. Give --password-file FILE/]] as const) {
        it(`refuses a ${type} without ${option}, before any change`, async () => {
            const recipe = path.join(dir, `${type}.m365recipe.json`);
            writeFileSync(recipe, JSON.stringify({ name: 'Key', applications: [{ displayName: 'Key App', credential: { type } }] }));
            const state = path.join(dir, `${type}.tenant.json`);
            assert.equal((await cli(['plan', recipe, '--sandbox', state, '--json'])).code, 2);
            const before = readFileSync(state, 'utf8');
            const refused = await cli(['apply', recipe, '--sandbox', state, '--yes', '--json']);
            assert.equal(refused.code, 1, refused.stderr);
            const report = JSON.parse(refused.stdout) as { outcome: string; message: string };
            assert.equal(report.outcome, 'refused');
            assert.match(report.message, words);
            assert.match(report.message, /^Refused, nothing was changed/);
            const apps = (s: string) => (JSON.parse(s) as { apps: { displayName: string }[] }).apps.map(a => a.displayName);
            assert.deepEqual(apps(readFileSync(state, 'utf8')), apps(before), 'no app was registered');
        });
    }
});
