// `npm start`: the demo. Starts the sandbox tenant (Contoso, on 127.0.0.1 over HTTPS), builds and packages the
// extension, starts a real VS Code (code-server) on 127.0.0.1 with the .vsix installed and pointed at the sandbox
// (custom cloud settings), signed out and ready to sign in, and prints the URL to open. Ctrl+C stops everything.
//   --desktop      run your own VS Code instead: `code --extensionDevelopmentPath=.` (point it at the sandbox yourself)
//   --port N       serve the workbench on port N (default 8080, or a free port when it is taken)
//   --users N      sandbox users (default 56)
import { execSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort, repoRoot, sandboxSettings, startCodeServer, stopStale } from '../test/harness/codeServer.mjs';

const args = process.argv.slice(2);
const option = name => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };

// Build quietly; on failure show the compiler's own output and one line, not a Node stack trace.
const built = spawnSync('npm run --silent package && npm run --silent compile-tests', { cwd: repoRoot, shell: true, encoding: 'utf8' });
if (built.status !== 0) {
    process.stderr.write(`${built.stdout}${built.stderr}\n[demo] the extension did not build (output above): run  npm ci  and then  npm run build  to see it alone\n`);
    process.exit(1);
}
const vsix = path.join(repoRoot, 'dist', 'm365-provisioner.vsix');
const { startSandbox } = await import(pathToFileURL(path.join(repoRoot, 'out/sandbox/src/server.js')).href);
const sandbox = await startSandbox({ port: 0, ...(option('--users') ? { users: Number(option('--users')) } : {}), deviceCodeIntervalSeconds: 2 });

if (args.includes('--desktop')) {
    const code = spawn('code', ['--extensionDevelopmentPath', repoRoot], { stdio: 'inherit' });
    code.on('error', () => console.error(`'code' is not on PATH. Install the extension instead: code --install-extension ${vsix}`));
    code.on('exit', c => process.exit(c ?? 0));
} else {
    const demoDir = path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'm365-provisioner', 'demo');
    const folder = path.join(demoDir, 'workspace');
    mkdirSync(folder, { recursive: true });
    // The guides' two jobs as recipe files, so the demo shows Plan · Apply · Verify · Export at once; kept if edited.
    for (const example of readdirSync(path.join(repoRoot, 'examples'))) {
        if (!existsSync(path.join(folder, example))) copyFileSync(path.join(repoRoot, 'examples', example), path.join(folder, example));
    }
    const pidFile = path.join(demoDir, 'code-server.pid');
    stopStale(pidFile);
    let port = Number(option('--port') ?? 8080);
    try {
        execSync(`node -e "require('net').createServer().listen(${port},'127.0.0.1',function(){this.close()}).on('error',()=>process.exit(1))"`);
    } catch {
        port = await freePort();
    }
    const server = await startCodeServer({ browser: false, runDir: path.join(demoDir, 'run'), folder, vsix, port, pidFile, settings: sandboxSettings(sandbox), env: { NODE_EXTRA_CA_CERTS: sandbox.caPath } });
    console.log([
        '',
        'M365 Provisioner demo is running against the sandbox tenant (Contoso).',
        '',
        `  Open:            ${server.url}/?folder=${encodeURIComponent(folder)}`,
        `  Sandbox tenant:  ${sandbox.authority}  (Graph ${sandbox.graphUrl}/v1.0)`,
        `  Sign in as:      ${sandbox.adminAccounts.map(a => `${a.upn} (${a.role})`).join(' or ')}; no password in the sandbox`,
        `  Sandbox CA:      ${sandbox.caPath}  (your browser warns about the sign-in page unless it trusts this CA)`,
        '',
        'Click the M365 Provisioner icon in the activity bar, then Sign In. Press Ctrl+C to stop.',
        '',
    ].join('\n'));
    const stop = async () => { await server.stop(); await sandbox.stop(); process.exit(0); };
    process.on('SIGINT', () => void stop());
    process.on('SIGTERM', () => void stop());
}
