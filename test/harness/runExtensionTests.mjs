// Runs the extension-host suite (test/extension, compiled to out/test/extension) INSIDE a real VS Code extension host:
// code-server loads this folder as a development extension and the suite through the workbench's test payload, the
// same run() contract as @vscode/test-electron. Exits non-zero when a test fails or the suite never reports.
// Two phases: the suite proper, then (if any *.restart.test.js exist) the page is reloaded, which starts a NEW extension
// host with the same browser storage (where code-server keeps SecretStorage), and the restart suite runs: it checks what
// must survive a restart, such as sign-ins.
// Usage: node test/harness/runExtensionTests.mjs [--no-build]
import { execSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import { chromiumArgs, repoRoot, sandboxSettings, startCodeServer } from './codeServer.mjs';

const timeoutMs = Number(process.env.EXTENSION_TESTS_TIMEOUT_MS ?? 300_000);
if (!process.argv.includes('--no-build')) {
    execSync('npm run --silent build && npm run --silent compile-tests', { cwd: repoRoot, stdio: 'inherit' });
}

// The suite signs in to a sandbox tenant; the extension is pointed at it the way the demo does (a custom cloud).
const { startSandbox } = await import(pathToFileURL(path.join(repoRoot, 'out/sandbox/src/server.js')).href);
// 250 users: enough for a Users folder with a second page.
const sandbox = await startSandbox({ port: 0, users: 250, deviceCodeIntervalSeconds: 1 });
const sandboxInfo = { origin: sandbox.origin, authority: sandbox.authority, tenantId: sandbox.tenantId, graphUrl: sandbox.graphUrl, exchangeUrl: sandbox.exchangeUrl, caPath: sandbox.caPath, publicClientId: sandbox.publicClientId };
const runDir = mkdtempSync(path.join(tmpdir(), 'm365p-exthost-'));
const server = await startCodeServer({
    runDir,
    folder: path.join(runDir, 'workspace'),
    testDriver: true,
    removeRunDir: true,
    settings: sandboxSettings(sandbox),
    env: { M365P_TEST_RUN_DIR: runDir, M365P_SANDBOX: JSON.stringify(sandboxInfo) },
});
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
let exitCode = 1;
try {
    const page = await browser.newPage();
    let finish;
    // In test mode the extension host's console goes to the workbench log service, which calls this hook.
    const noise = /Resolving connection token|Resolved connection token|Creating a socket|reconnection-grace-time|Service Worker|AgentHost|AccountPolicyGate|additional builtin|OverlayWebview has been disposed|ENOTFOUND|ChatModelSelection|\/static\/out\/vs\//;
    await page.exposeFunction('codeAutomationLog', (type, args) => {
        const line = format(...args);
        if (process.env.VERBOSE || !noise.test(line)) console.log(type === 'info' || type === 'log' ? line : `[${type}] ${line}`);
    });
    await page.exposeFunction('codeAutomationExit', code => finish(code));
    const remote = p => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = JSON.stringify([
        ['extensionDevelopmentPath', remote(repoRoot)],
        ['extensionTestsPath', remote(path.join(repoRoot, 'out/test/extension/index'))],
        ['disableExtensions', 'true'],
    ]);
    const url = `${server.url}/?folder=${encodeURIComponent(server.folder)}&payload=${encodeURIComponent(payload)}`;
    const suiteDir = path.join(repoRoot, 'out/test/extension');
    const phases = readdirSync(suiteDir).some(f => f.endsWith('.restart.test.js')) ? ['main', 'restart'] : ['main'];
    exitCode = 0;
    for (const phase of phases) {
        // The suite's index.ts reads the phase from this file (the extension host's environment is fixed at start).
        writeFileSync(path.join(runDir, 'phase'), phase);
        const finished = new Promise(resolve => (finish = resolve));
        console.log(`--- extension-host suite, phase "${phase}"`);
        await page.goto(url);
        const code = await Promise.race([finished, new Promise(r => setTimeout(() => r('timeout'), timeoutMs))]);
        if (code === 'timeout') console.error(`extension-host tests (phase ${phase}) did not finish within ${timeoutMs / 1000} s`);
        if (code !== 0) { exitCode = 1; break; }
    }
} finally {
    await browser.close();
    await server.stop();
    await sandbox.stop();
}
process.exit(exitCode);
