import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadHarness, Workbench } from './workbench';

// The README's first command, `npm start`, run through npm exactly as a newcomer types it (from inside `npm test`, so
// npm's own variables are in its environment as they would be in any nested npm run): it must print a URL, and that
// URL must open a workbench with the extension installed and pointed at the sandbox tenant; Ctrl+C stops it all.
describe('The demo (npm start)', function () {
    this.timeout(300_000);
    let demo: ChildProcess;
    let output = '';
    let workbench: Workbench | undefined;
    let home: string;

    /** Resolves with the first match of `pattern` in the demo's output, or rejects when the demo exits first. */
    function printed(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
        return new Promise((resolve, reject) => {
            const check = () => {
                const m = pattern.exec(output);
                if (m) { cleanup(); resolve(m); }
            };
            const exited = (code: number | null) => { cleanup(); reject(new Error(`npm start exited (${code}) before printing ${pattern}:\n${output}`)); };
            const timer = setTimeout(() => { cleanup(); reject(new Error(`npm start did not print ${pattern} within ${timeoutMs / 1000} s:\n${output}`)); }, timeoutMs);
            const cleanup = () => { clearTimeout(timer); demo.stdout?.off('data', check); demo.off('exit', exited); };
            demo.stdout?.on('data', check);
            demo.once('exit', exited);
            check();
        });
    }

    before(async () => {
        const harness = await loadHarness();
        // The same VS Code cache as the other UI tests (installed once), and a throw-away place for the demo's workspace.
        const { cache } = harness.ensureVsCode({ browser: true });
        home = fs.mkdtempSync(path.join(os.tmpdir(), 'm365p-demo-'));
        const port = await harness.freePort();
        demo = spawn('npm', ['start', '--', '--port', String(port)], {
            cwd: harness.repoRoot,
            env: { ...process.env, M365P_VSCODE_CACHE: cache, XDG_CACHE_HOME: home },
            detached: true,
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        demo.stdout?.on('data', (d: Buffer) => (output += d.toString()));
        demo.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    });

    after(async () => {
        await workbench?.close();
        if (demo && demo.exitCode === null && demo.signalCode === null) {
            try { process.kill(-demo.pid!, 'SIGKILL'); } catch { /* gone */ }
        }
        fs.rmSync(home, { recursive: true, force: true });
    });

    it('prints the workbench URL, the sandbox tenant and who to sign in as', async () => {
        await printed(/Press Ctrl\+C to stop/, 240_000);
        assert.match(output, /Open: +http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+/);
        assert.match(output, /Sandbox tenant: +https:\/\/127\.0\.0\.1:\d+\/\S+/);
        assert.match(output, /Sign in as: +admin@contoso\.com \(Global Administrator\)/);
        assert.doesNotMatch(output, /^\s+at |EBADENGINE|npm warn/m, 'no stack trace or npm warning on the way');
    });

    it('opens a workbench with the extension, the example recipes in the workspace', async () => {
        const [, url] = (await printed(/Open: +(\S+)/, 1_000));
        const harness = await loadHarness();
        workbench = await Workbench.openUrl(url, harness.chromiumArgs);
        const icon = workbench.activityBarIcon('M365 Provisioner');
        await icon.waitFor();
        await icon.click();
        const welcome = workbench.welcomeText('Accounts');
        await welcome.waitFor();
        assert.match(await welcome.innerText(), /You are not signed in to a Microsoft 365 tenant/);
        const folder = decodeURIComponent(new URL(url).searchParams.get('folder') ?? '');
        const recipes = fs.readdirSync(folder).filter(f => f.endsWith('.m365recipe.json'));
        assert.equal(recipes.length, fs.readdirSync(path.join(harness.repoRoot, 'examples')).filter(f => f.endsWith('.m365recipe.json')).length, `the examples were copied into ${folder}`);
        await workbench.screenshot('demo-01-signed-out');
    });

    it('stops the workbench and the sandbox on Ctrl+C', async () => {
        const [, url] = (await printed(/Open: +(\S+)/, 1_000));
        await workbench?.close();
        workbench = undefined;
        // As in a terminal: Ctrl+C reaches npm and the demo (one process group); npm ends by the signal, the demo stops
        // code-server and the sandbox first.
        const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(resolve => demo.once('exit', (code, signal) => resolve({ code, signal })));
        process.kill(-demo.pid!, 'SIGINT');
        const { code, signal } = await exited;
        assert.ok(code === 0 || signal === 'SIGINT', `npm start ended by Ctrl+C, not by an error (code ${code}, signal ${signal}):\n${output}`);
        const [, sandboxOrigin] = /Sandbox tenant: +(https:\/\/127\.0\.0\.1:\d+)/.exec(output) ?? [];
        /** Whether anything still accepts connections at this origin, asked until it stops (15 s at most). */
        const stillAnswers = async (origin: string) => {
            for (let attempt = 0; attempt < 150; attempt++) {
                const answered = await fetch(origin, { signal: AbortSignal.timeout(1000) }).then(() => true, (e: Error) => !/ECONNREFUSED/.test(String((e.cause as Error | undefined)?.message ?? e)));
                if (!answered) return false;
                await new Promise(r => setTimeout(r, 100));
            }
            return true;
        };
        assert.equal(await stillAnswers(new URL('/healthz', url).toString()), false, 'nothing answers on the workbench port any more');
        assert.equal(await stillAnswers(sandboxOrigin), false, 'nothing answers on the sandbox port any more');
    });
});
