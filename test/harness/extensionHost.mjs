// Runs a mocha suite (anything with the run() contract of @vscode/test-electron) INSIDE a real VS Code extension host:
// code-server loads this repo as a development extension and the suite through the workbench's test payload, with a
// sandbox tenant started for it and the extension pointed at it (a custom cloud, as the demo does). Used by the
// extension-host tests and by benchmarks that must measure inside the extension host.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumArgs, repoRoot, sandboxSettings, startCodeServer } from './codeServer.mjs';

const noise = /Resolving connection token|Resolved connection token|Creating a socket|reconnection-grace-time|Service Worker|AgentHost|AccountPolicyGate|additional builtin|OverlayWebview has been disposed|ENOTFOUND|ChatModelSelection|\/static\/out\/vs\//;

/**
 * @param {object} o
 * @param {string} o.suite absolute path of the compiled suite index, without `.js`
 * @param {string[]} [o.phases] each phase reloads the page, which starts a NEW extension host with the same browser
 *   storage (where code-server keeps SecretStorage); the suite reads the phase from `$M365P_TEST_RUN_DIR/phase`
 * @param {object} [o.sandboxOptions] options for the sandbox tenant
 * @param {number} [o.timeoutMs]
 * @param {boolean} [o.checkGraphRequests] check every Graph request the extension sends against Graph's reference
 *   (test/sandbox/graphRequestChecks.ts): print "Graph reference violations: N" and fail when N is not 0. Benchmarks
 *   turn it off: the checks run in this process, beside the sandbox, and would slow its answers.
 * @returns {Promise<number>} 0 when every phase passed
 */
export async function runInExtensionHost({ suite, phases = ['main'], sandboxOptions = {}, timeoutMs = 300_000, checkGraphRequests = true }) {
    // The run's sandbox seed, before any sandbox starts: this one, and those tests start inside the extension host
    // (they inherit the environment through code-server), draw their faults from it.
    const { announceRunSeed } = await import(pathToFileURL(path.join(repoRoot, 'out/test/sandbox/runSeed.js')).href);
    announceRunSeed(thisCommand());
    const { startSandbox } = await import(pathToFileURL(path.join(repoRoot, 'out/sandbox/src/server.js')).href);
    const checks = checkGraphRequests ? await import(pathToFileURL(path.join(repoRoot, 'out/test/sandbox/graphRequestChecks.js')).href) : undefined;
    const sandbox = await startSandbox({ port: 0, deviceCodeIntervalSeconds: 1, ...(checks ? { onGraphRequest: checks.checkGraphRequest } : {}), ...sandboxOptions });
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
        await page.exposeFunction('codeAutomationLog', (type, args) => {
            const line = format(...args);
            if (process.env.VERBOSE || !noise.test(line)) console.log(type === 'info' || type === 'log' ? line : `[${type}] ${line}`);
        });
        await page.exposeFunction('codeAutomationExit', code => finish(code));
        const remote = p => `vscode-remote://127.0.0.1:${server.port}${p}`;
        const payload = JSON.stringify([
            ['extensionDevelopmentPath', remote(repoRoot)],
            ['extensionTestsPath', remote(suite)],
            ['disableExtensions', 'true'],
        ]);
        const url = `${server.url}/?folder=${encodeURIComponent(server.folder)}&payload=${encodeURIComponent(payload)}`;
        exitCode = 0;
        for (const phase of phases) {
            // The extension host's environment is fixed at start, so the phase travels in a file.
            writeFileSync(path.join(runDir, 'phase'), phase);
            const finished = new Promise(resolve => (finish = resolve));
            console.log(`--- extension host, phase "${phase}"`);
            checks?.nowRunning(`extension host, phase "${phase}"`);
            await page.goto(url);
            const code = await Promise.race([finished, new Promise(r => setTimeout(() => r('timeout'), timeoutMs))]);
            if (code === 'timeout') console.error(`phase ${phase} did not finish within ${timeoutMs / 1000} s`);
            if (code !== 0) { exitCode = 1; break; }
        }
    } finally {
        await browser.close();
        await server.stop();
        await sandbox.stop();
    }
    if (checks) {
        const { checked, violations } = await checks.graphViolations();
        console.log(`${checks.describeViolations(violations)} (${checked} Graph requests checked against the reference)`);
        if (violations.length) exitCode = 1;
    }
    return exitCode;
}

/** How this run was started, to print with its seed: the test files chosen, the script and its arguments. */
function thisCommand() {
    const files = process.env.M365P_TEST_FILES ? `M365P_TEST_FILES=${process.env.M365P_TEST_FILES} ` : '';
    return `${files}node ${path.relative(repoRoot, process.argv[1])} ${process.argv.slice(2).join(' ')}`.trim();
}
