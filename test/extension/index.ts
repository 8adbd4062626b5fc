// Entry point the extension host loads (extensionTestsPath): the same run() contract as @vscode/test-electron, so this
// suite runs unchanged in code-server here and in a downloaded VS Code where that is possible (npm run test:electron).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
    const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
    // Phase "restart" runs in a fresh extension host after the main phase (see test/harness/runExtensionTests.mjs).
    const runDir = process.env.M365P_TEST_RUN_DIR;
    const phaseFile = runDir ? path.join(runDir, 'phase') : '';
    const phase = phaseFile && fs.existsSync(phaseFile) ? fs.readFileSync(phaseFile, 'utf8').trim() : 'main';
    const inPhase = (f: string) => (phase === 'restart' ? f.endsWith('.restart.test.js') : f.endsWith('.test.js') && !f.endsWith('.restart.test.js'));
    // M365P_TEST_FILES=signIn,workflow.recipes runs only those files (for a quick local run; signIn first signs in).
    const only = process.env.M365P_TEST_FILES?.split(',').filter(Boolean);
    const chosen = (f: string) => !only?.length || only.some(prefix => f.startsWith(prefix));
    for (const file of fs.readdirSync(__dirname).filter(f => inPhase(f) && chosen(f)).sort()) {
        mocha.addFile(path.join(__dirname, file));
    }
    return new Promise((resolve, reject) => {
        const runner = mocha.run(failures => {
            // The plain closing line CI reads, plus a marker the harness counts.
            console.log(`extension-host (${phase}): ${runner.stats?.passes ?? 0} passed, ${failures} failed`);
            if (failures > 0) reject(new Error(`${failures} extension-host tests failed`));
            else resolve();
        });
    });
}
