// Starts and stops a real VS Code (code-server from npm, on Node 24) for the extension-host and UI tests and the demo.
// code-server, because @vscode/test-electron downloads VS Code from Microsoft, which offline machines cannot reach.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Installs (once) and returns the cache folder holding Node 24 and code-server; `browser` also makes sure chromium is
 * there (the tests drive the workbench with it; the demo does not). When something cannot be installed, the setup
 * script has already said what and how to fix it in one line: exit with that, not with a Node stack trace.
 */
export function ensureVsCode({ browser = true } = {}) {
    const result = spawnSync('bash', [path.join(repoRoot, 'test/harness/setup-vscode.sh'), ...(browser ? ['--browser'] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
    if (result.status !== 0) process.exit(result.status ?? 1);
    const cache = result.stdout.toString().trim().split('\n').pop();
    const nodeDir = readdirSync(path.join(cache, 'node24/node_modules')).find(d => /^node-linux-/.test(d));
    return {
        cache,
        node24Bin: path.join(cache, 'node24/node_modules', nodeDir, 'bin'),
        codeServer: path.join(cache, 'cs/node_modules/.bin/code-server'),
    };
}

/** User settings that point the extension at a running sandbox tenant (a custom cloud), as the demo and tests do. */
export function sandboxSettings(sandbox) {
    return {
        'm365Provisioner.cloud': 'Custom',
        'm365Provisioner.customCloud.authority': sandbox.origin,
        'm365Provisioner.customCloud.graphEndpoint': sandbox.graphUrl,
        'm365Provisioner.customCloud.exchangeEndpoint': sandbox.exchangeUrl,
        'm365Provisioner.customCloud.caFile': sandbox.caPath,
        'm365Provisioner.tenant': sandbox.tenantId,
    };
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}

const workbenchSettings = {
    'telemetry.telemetryLevel': 'off',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false,
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'update.mode': 'none',
    'git.enabled': false,
    'workbench.enableExperiments': false,
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/**
 * Machine-scoped settings, which a remote window (code-server) reads from the server's Machine settings, not the user's:
 * the extension opens its walkthrough on its first start unless openOnInstall is off, so it is off here and covers no
 * test's editor; test/ui/layout.test.ts turns it on.
 */
const machineSettings = {
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
};

/**
 * Starts code-server on 127.0.0.1 in its own process group.
 * options: runDir (fresh user data and extensions), folder (workspace to open), vsix (install before start),
 * testDriver (allow the extensionTestsPath payload), settings (extra user settings), machineSettings (extra
 * machine-scoped settings), env (extra environment, e.g.
 * NODE_EXTRA_CA_CERTS, which reaches the extension host), port, extraArgs (more code-server flags, e.g. --log trace),
 * browser (false for the demo: no chromium needed).
 */
export async function startCodeServer(options) {
    const vscode = ensureVsCode({ browser: options.browser ?? true });
    const runDir = options.runDir;
    if (options.pidFile) stopStale(options.pidFile);
    rmSync(runDir, { recursive: true, force: true });
    const userData = path.join(runDir, 'user-data');
    const extensionsDir = path.join(runDir, 'extensions');
    mkdirSync(path.join(userData, 'User'), { recursive: true });
    mkdirSync(extensionsDir, { recursive: true });
    mkdirSync(options.folder, { recursive: true });
    writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ ...workbenchSettings, ...(options.settings ?? {}) }, null, 2));
    mkdirSync(path.join(userData, 'Machine'), { recursive: true });
    writeFileSync(path.join(userData, 'Machine', 'settings.json'), JSON.stringify({ ...machineSettings, ...(options.machineSettings ?? {}) }, null, 2));
    writeFileSync(path.join(runDir, 'config.yaml'), 'auth: none\n');
    const env = {
        ...process.env,
        PATH: `${vscode.node24Bin}:${process.env.PATH}`,
        XDG_CONFIG_HOME: path.join(vscode.cache, 'xdg/config'),
        XDG_DATA_HOME: path.join(vscode.cache, 'xdg/data'),
        XDG_CACHE_HOME: path.join(vscode.cache, 'xdg/cache'),
        // Offline: no extension gallery, so the workbench makes no calls to it.
        EXTENSIONS_GALLERY: '{"serviceUrl":""}',
        ...(options.env ?? {}),
    };
    if (options.vsix) {
        execFileSync(vscode.codeServer, ['--extensions-dir', extensionsDir, '--install-extension', options.vsix], { env, stdio: 'pipe' });
    }
    const port = options.port ?? (await freePort());
    const args = [
        '--config', path.join(runDir, 'config.yaml'),
        '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
        '--user-data-dir', userData, '--extensions-dir', extensionsDir,
        '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
        '--ignore-last-opened',
        ...(options.testDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
        ...(options.extraArgs ?? []),
        options.folder,
    ];
    const child = spawn(vscode.codeServer, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    // Its own process group, so stop() ends code-server's children too; and never outlive the process that started it.
    const killGroup = () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ } };
    process.once('exit', killGroup);
    if (options.pidFile) writeFileSync(options.pidFile, String(child.pid));
    let output = '';
    child.stdout.on('data', d => (output += d));
    child.stderr.on('data', d => (output += d));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
        if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${output}`);
        try {
            const res = await fetch(`${url}/healthz`);
            if (res.ok) break;
        } catch {
            // not listening yet
        }
        if (Date.now() > deadline) throw new Error(`code-server did not answer within 60 s:\n${output}`);
        await new Promise(r => setTimeout(r, 100));
    }
    return {
        port,
        url,
        pid: child.pid,
        userData,
        extensionsDir,
        folder: options.folder,
        output: () => output,
        async stop() {
            if (child.exitCode !== null) return;
            const exited = new Promise(r => child.once('exit', r));
            try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
            const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
            await exited;
            clearTimeout(timer);
            process.removeListener('exit', killGroup);
            if (options.removeRunDir) rmSync(runDir, { recursive: true, force: true });
        },
    };
}

/** Ends a code-server an earlier run left behind (its group id is in pidFile), e.g. after the terminal was closed. */
export function stopStale(pidFile) {
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, 'utf8'));
    try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
    rmSync(pidFile, { force: true });
}

/** The extension host's log (activation, errors) of the newest session in a user-data folder. */
export function extensionHostLog(userData) {
    const logs = path.join(userData, 'logs');
    if (!existsSync(logs)) return '';
    const newest = readdirSync(logs).sort().pop();
    const file = path.join(logs, newest, 'exthost1', 'remoteexthost.log');
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

export const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
