// `npm test`: every check CI runs, in order of cost, stopping at the first failing stage:
// typecheck → lint → build → unit tests (plain Node, includes the sandbox tenant) → extension-host tests (mocha inside a
// real VS Code) → UI tests (Playwright on the packaged .vsix). Ends with one "tests: N passed, N failed" line summed
// over the mocha runs. `npm test -- unit` runs only the stages whose name starts with the given words.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stages = [
    ['typecheck', 'npx tsc -p tsconfig.json --noEmit && npx tsc -p src/webview-ui/tsconfig.json --noEmit'],
    ['lint', 'npx eslint --max-warnings 0 .'],
    ['build', 'node esbuild.mjs && npx tsc -p tsconfig.test.json'],
    ['unit tests', 'npx mocha --config .mocharc.unit.json'],
    ['extension-host tests', 'node test/harness/runExtensionTests.mjs --no-build'],
    ['UI tests', 'npm run --silent package && node test/harness/runUiTests.mjs --no-build'],
];

/** Runs a stage, echoing its output, and counts mocha's "N passing" / "N failing" lines in it. */
function runStage(command) {
    return new Promise(resolve => {
        const child = spawn(command, { cwd: root, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
        let text = '';
        child.stdout.on('data', d => { process.stdout.write(d); text += d; });
        child.stderr.on('data', d => { process.stderr.write(d); text += d; });
        child.on('close', code => {
            const sum = re => [...text.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
            resolve({ code, passing: sum(/^\s*(\d+) passing/gm), failing: sum(/^\s*(\d+) failing/gm) });
        });
    });
}

const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
let failedStage;
for (const [name, command] of stages) {
    if (only.length && !only.some(o => name.startsWith(o))) continue;
    const started = Date.now();
    console.log(`\n=== ${name}: ${command}`);
    const result = await runStage(command);
    passed += result.passing;
    failed += result.failing;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.code !== 0) {
        // A stage that failed without a failing test (a type error, a crash) still counts as one failure.
        if (result.failing === 0) failed++;
        failedStage = name;
        console.log(`=== ${name}: FAILED (${seconds} s)`);
        break;
    }
    console.log(`=== ${name}: ok (${seconds} s)`);
}
if (failedStage) console.log(`\nstopped at the failing stage: ${failedStage}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failedStage ? 1 : 0);
