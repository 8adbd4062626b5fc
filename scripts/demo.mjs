// `npm start`: the demo. Builds and packages the extension, starts a real VS Code (code-server) on 127.0.0.1 with the
// .vsix installed, and prints the URL to open. Ctrl+C stops everything.
//   --desktop      run your own VS Code instead: `code --extensionDevelopmentPath=.`
//   --port N       serve the workbench on port N (default 8080, or a free port when it is taken)
import { execSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { freePort, repoRoot, startCodeServer, stopStale } from '../test/harness/codeServer.mjs';

const args = process.argv.slice(2);
const option = name => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };

execSync('npm run --silent package', { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
const vsix = path.join(repoRoot, 'dist', 'm365-provisioner.vsix');

if (args.includes('--desktop')) {
    const code = spawn('code', ['--extensionDevelopmentPath', repoRoot], { stdio: 'inherit' });
    code.on('error', () => console.error(`'code' is not on PATH. Install the extension instead: code --install-extension ${vsix}`));
    code.on('exit', c => process.exit(c ?? 0));
} else {
    const demoDir = path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'm365-provisioner', 'demo');
    const folder = path.join(demoDir, 'workspace');
    mkdirSync(folder, { recursive: true });
    const pidFile = path.join(demoDir, 'code-server.pid');
    stopStale(pidFile);
    let port = Number(option('--port') ?? 8080);
    try {
        execSync(`node -e "require('net').createServer().listen(${port},'127.0.0.1',function(){this.close()}).on('error',()=>process.exit(1))"`);
    } catch {
        port = await freePort();
    }
    const server = await startCodeServer({ runDir: path.join(demoDir, 'run'), folder, vsix, port, pidFile });
    console.log(`\nM365 Provisioner demo is running.\n\n  Open: ${server.url}/?folder=${encodeURIComponent(folder)}\n\n` +
        'Click the M365 Provisioner icon in the activity bar. Press Ctrl+C to stop.\n');
    const stop = async () => { await server.stop(); process.exit(0); };
    process.on('SIGINT', () => void stop());
    process.on('SIGTERM', () => void stop());
}
