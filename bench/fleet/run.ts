// npm run bench:fleet — plans both example recipes over 20 sandbox tenants (50 ms latency on every answer) with the
// command line (dist/cli.js, as a pipeline runs it), then each tenant alone, and compares:
//   total fleet time ≤ 1.5× the slowest single tenant's time; the CLI's peak memory < 300 MB.
// Options: [--tenants 20] [--latency 50] [--concurrency 20]. Needs `npm run build` first (dist/cli.js).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startSandbox, type RunningSandbox } from '../../sandbox/src/server';

const root = path.resolve(__dirname, '../../..');
const recipes = ['examples/calendar-integration.m365recipe.json', 'examples/reporting-inventory.m365recipe.json'];

function arg(name: string, fallback: number): number {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

interface Run { ms: number; code: number; peakRssKb: number; outcomes: string[] }

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
    const started = Date.now();
    return new Promise(resolve => {
        execFile(process.execPath, ['--require', path.join(__dirname, 'peakRss.js'), path.join(root, 'dist/cli.js'), ...args], { env: { PATH: process.env.PATH ?? '', ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
            const peak = Number(/peakRssKb=(\d+)/.exec(stderr)?.[1] ?? 0);
            let outcomes: string[] = [];
            try {
                const doc = JSON.parse(stdout) as { tenants?: { outcome: string }[] };
                outcomes = (doc.tenants ?? []).map(t => t.outcome);
            } catch {
                outcomes = [`unreadable output: ${stderr.slice(0, 200)}`];
            }
            resolve({ ms: Date.now() - started, code: error ? Number((error as { code?: number }).code ?? 1) : 0, peakRssKb: peak, outcomes });
        });
    });
}

function tenantsFile(dir: string, sandbox: RunningSandbox, indexes: number[], env: NodeJS.ProcessEnv): string {
    const file = path.join(dir, `tenants-${indexes.join('-')}.json`);
    const entries = indexes.map(i => {
        const t = sandbox.tenants[i];
        env[`BENCH_SECRET_${i}`] = t.confidentialClient.secret;
        return { name: t.name, tenant: t.defaultDomain, cloud: 'Custom', authority: sandbox.origin, graphEndpoint: sandbox.graphUrl, exchangeEndpoint: sandbox.exchangeUrl, caFile: sandbox.caPath, clientId: t.confidentialClient.clientId, clientSecretEnv: `BENCH_SECRET_${i}` };
    });
    writeFileSync(file, JSON.stringify({ tenants: entries }));
    return file;
}

async function main(): Promise<void> {
    const tenants = arg('--tenants', 20);
    const latencyMs = arg('--latency', 50);
    const concurrency = arg('--concurrency', 20);
    if (!existsSync(path.join(root, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run npm run build first.');
    const dir = mkdtempSync(path.join(tmpdir(), 'm365p-fleet-bench-'));
    const sandbox = await startSandbox({ tenants, knobs: { latencyMs } });
    const targets: [string, string, boolean][] = [];
    try {
        console.log(`== fleet: ${recipes.length} recipes over ${tenants} sandbox tenants, ${latencyMs} ms latency, ${concurrency} tenants at once (dist/cli.js, a process per run)`);
        const env: NodeJS.ProcessEnv = {};
        const all = tenantsFile(dir, sandbox, sandbox.tenants.map((_, i) => i), env);
        for (const recipe of recipes) {
            const singles: Run[] = [];
            for (let i = 0; i < tenants; i++) singles.push(await cli(['plan', path.join(root, recipe), '--tenants', tenantsFile(dir, sandbox, [i], env), '--json'], env));
            const slowest = Math.max(...singles.map(r => r.ms));
            const fleet = await cli(['plan', path.join(root, recipe), '--tenants', all, '--concurrency', String(concurrency), '--json'], env);
            const ratio = fleet.ms / slowest;
            const counts = new Map<string, number>();
            for (const o of fleet.outcomes) counts.set(o, (counts.get(o) ?? 0) + 1);
            console.log(`  ${recipe}: fleet ${(fleet.ms / 1000).toFixed(2)} s (exit ${fleet.code}; ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}), single tenants ${(Math.min(...singles.map(r => r.ms)) / 1000).toFixed(2)}–${(slowest / 1000).toFixed(2)} s, ratio ${ratio.toFixed(2)}×; CLI peak RSS ${(fleet.peakRssKb / 1024).toFixed(0)} MB`);
            targets.push([`${path.basename(recipe)}: fleet ≤ 1.5× the slowest single tenant`, `${ratio.toFixed(2)}×`, ratio <= 1.5]);
            targets.push([`${path.basename(recipe)}: CLI memory < 300 MB`, `${(fleet.peakRssKb / 1024).toFixed(0)} MB`, fleet.peakRssKb > 0 && fleet.peakRssKb < 300 * 1024]);
            targets.push([`${path.basename(recipe)}: every tenant planned`, `${fleet.outcomes.length} of ${tenants}`, fleet.outcomes.length === tenants && !fleet.outcomes.includes('error')]);
        }
    } finally {
        await sandbox.stop();
        rmSync(dir, { recursive: true, force: true });
    }
    console.log('\nTargets:');
    for (const [name, value, ok] of targets) console.log(`  ${name.padEnd(72)} ${value.padStart(10)}  ${ok ? 'PASS' : 'FAIL'}`);
    process.exitCode = targets.every(t => t[2]) ? 0 : 1;
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
