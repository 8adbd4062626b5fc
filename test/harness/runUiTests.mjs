// Runs the UI tests (test/ui, Playwright driving Debian chromium against code-server with the packaged .vsix installed).
// Usage: [M365P_SANDBOX_SEED=N] [M365P_TEST_FILES=offboarding.test,recipes.test] node test/harness/runUiTests.mjs
// [--no-build] (the seed, printed by every run, replays its sandbox faults; the file list runs only those files).
// Screenshots land in .test-results/ui/ (git-ignored).
import { execSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, ensureVsCode } from './codeServer.mjs';

ensureVsCode();
if (!process.argv.includes('--no-build')) {
    execSync('npm run --silent package && npm run --silent compile-tests', { cwd: repoRoot, stdio: 'inherit' });
}
// The run's sandbox seed: the UI tests' sandboxes (started in the mocha below, which inherits the environment) draw
// their faults from it; printed now, and again at the end if the run fails.
const { announceRunSeed } = await import(pathToFileURL(path.join(repoRoot, 'out/test/sandbox/runSeed.js')).href);
announceRunSeed(`node test/harness/runUiTests.mjs ${process.argv.slice(2).join(' ')}`.trim());
try {
    const only = (process.env.M365P_TEST_FILES ?? '').split(',').map(f => f.trim()).filter(Boolean);
    const files = only.length ? only.map(f => `"out/test/ui/${f.replace(/\.js$/, '')}.js"`).join(' ') : '"out/test/ui/**/*.test.js"';
    execSync(`npx mocha --timeout 120000 --reporter spec ${files}`, { cwd: repoRoot, stdio: 'inherit' });
} catch {
    process.exit(1);
}
