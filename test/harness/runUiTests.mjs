// Runs the UI tests (test/ui, Playwright driving Debian chromium against code-server with the packaged .vsix installed).
// Usage: node test/harness/runUiTests.mjs [--no-build]. Screenshots land in .test-results/ui/ (git-ignored).
import { execSync } from 'node:child_process';
import { repoRoot, ensureVsCode } from './codeServer.mjs';

ensureVsCode();
if (!process.argv.includes('--no-build')) {
    execSync('npm run --silent package && npm run --silent compile-tests', { cwd: repoRoot, stdio: 'inherit' });
}
try {
    execSync('npx mocha --timeout 120000 --reporter spec "out/test/ui/**/*.test.js"', { cwd: repoRoot, stdio: 'inherit' });
} catch {
    process.exit(1);
}
