// Runs the extension-host suite (test/extension, compiled to out/test/extension) INSIDE a real VS Code extension host,
// the same run() contract as @vscode/test-electron (see extensionHost.mjs). Exits non-zero when a test fails or the
// suite never reports. Two phases: the suite proper, then (if any *.restart.test.js exist) the restart suite in a NEW
// extension host with the same storage: it checks what must survive a restart, such as sign-ins.
// Usage: [M365P_SANDBOX_SEED=N] node test/harness/runExtensionTests.mjs [--no-build] (the seed, printed by every run,
// replays its sandbox faults)
import { execSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './codeServer.mjs';
import { runInExtensionHost } from './extensionHost.mjs';

if (!process.argv.includes('--no-build')) {
    execSync('npm run --silent build && npm run --silent compile-tests', { cwd: repoRoot, stdio: 'inherit' });
}
const suiteDir = path.join(repoRoot, 'out/test/extension');
const phases = readdirSync(suiteDir).some(f => f.endsWith('.restart.test.js')) ? ['main', 'restart'] : ['main'];
process.exit(await runInExtensionHost({
    suite: path.join(suiteDir, 'index'),
    phases,
    // 250 users: enough for a Users folder with a second page.
    sandboxOptions: { users: 250 },
    timeoutMs: Number(process.env.EXTENSION_TESTS_TIMEOUT_MS ?? 300_000),
}));
