// Entry point the extension host loads (extensionTestsPath): the same run() contract as @vscode/test-electron, so this
// suite runs unchanged in code-server here and in a downloaded VS Code where that is possible (npm run test:electron).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
    const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
    for (const file of fs.readdirSync(__dirname).filter(f => f.endsWith('.test.js')).sort()) {
        mocha.addFile(path.join(__dirname, file));
    }
    return new Promise((resolve, reject) => {
        const runner = mocha.run(failures => {
            // The plain closing line CI reads, plus a marker the harness counts.
            console.log(`extension-host: ${runner.stats?.passes ?? 0} passed, ${failures} failed`);
            if (failures > 0) reject(new Error(`${failures} extension-host tests failed`));
            else resolve();
        });
    });
}
