// bench/sandbox: the sandbox tenant with 100,000 users: time to serve the first page of /users and a $search over
// HTTPS (median and p95 of repeated requests, after a warm-up), and the server's memory. Targets from the issue:
// first page under 50 ms, memory under 500 MB. Usage: node out/bench/sandbox/run.js [--users N] [--requests N]
import * as msal from '@azure/msal-node';
import { msalNetworkModule } from '../../src/auth/msalNetwork';
import { HttpTransport } from '../../src/net/HttpTransport';
import { startSandbox } from '../../sandbox/src/server';

const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

async function main(): Promise<void> {
    const users = arg('--users', 100_000);
    const requests = arg('--requests', 50);
    const heapBefore = process.memoryUsage().rss;
    const seedStarted = Date.now();
    const sandbox = await startSandbox({ users });
    const seedMs = Date.now() - seedStarted;
    global.gc?.();
    const memory = process.memoryUsage();
    const transport = new HttpTransport({ ca: sandbox.caPem });
    const app = new msal.ConfidentialClientApplication({
        auth: { clientId: sandbox.confidentialClient.clientId, authority: sandbox.authority, clientSecret: sandbox.confidentialClient.secret, knownAuthorities: [new URL(sandbox.origin).host] },
        system: { networkClient: msalNetworkModule(r => transport.send(r)) },
    });
    const token = (await app.acquireTokenByClientCredential({ scopes: [`${sandbox.graphUrl}/.default`] }))?.accessToken ?? '';
    const time = async (url: string, headers: Record<string, string> = {}) => {
        const samples: number[] = [];
        for (let i = 0; i < requests + 5; i++) {
            const started = process.hrtime.bigint();
            const answer = await transport.send({ method: 'GET', url, headers: { authorization: `Bearer ${token}`, ...headers } });
            const ms = Number(process.hrtime.bigint() - started) / 1e6;
            if (answer.status !== 200) throw new Error(`${url} answered ${answer.status}: ${answer.body.toString('utf8').slice(0, 200)}`);
            if (i >= 5) samples.push(ms); // the first five warm up the connection and the JIT
        }
        samples.sort((a, b) => a - b);
        return { median: samples[Math.floor(samples.length / 2)], p95: samples[Math.floor(samples.length * 0.95)] };
    };
    const firstPage = await time(`${sandbox.graphUrl}/v1.0/users?$top=100&$select=displayName,userPrincipalName,accountEnabled,assignedLicenses`);
    const search = await time(`${sandbox.graphUrl}/v1.0/users?$search=${encodeURIComponent('"displayName:zoltan"')}&$top=100&$select=displayName,userPrincipalName`, { consistencylevel: 'eventual' });
    // Worst case: a term nobody matches, so the whole directory is scanned.
    const searchNone = await time(`${sandbox.graphUrl}/v1.0/users?$search=${encodeURIComponent('"displayName:qqqq"')}&$top=100`, { consistencylevel: 'eventual' });
    await sandbox.stop();

    const mb = (bytes: number) => bytes / 1024 / 1024;
    const rows: [string, string, string, boolean][] = [
        ['users in the tenant', String(sandbox.state().users.size), '', true],
        ['seeding and start', `${seedMs} ms`, '', true],
        ['first page of /users (100), median', `${firstPage.median.toFixed(1)} ms`, '< 50 ms', firstPage.median < 50],
        ['first page of /users (100), p95', `${firstPage.p95.toFixed(1)} ms`, '', true],
        ['$search displayName, median', `${search.median.toFixed(1)} ms`, '', true],
        ['$search displayName, p95', `${search.p95.toFixed(1)} ms`, '', true],
        ['$search with no match (full scan), median', `${searchNone.median.toFixed(1)} ms`, '', true],
        ['server memory (RSS) after seeding', `${mb(memory.rss).toFixed(0)} MB`, '< 500 MB', mb(memory.rss) < 500],
        ['server heap used', `${mb(memory.heapUsed).toFixed(0)} MB`, '', true],
        ['process RSS before start', `${mb(heapBefore).toFixed(0)} MB`, '', true],
    ];
    console.log('bench/sandbox (in-process server, requests over HTTPS on 127.0.0.1)');
    for (const [what, value, target, ok] of rows) console.log(`  ${what.padEnd(42)} ${value.padStart(10)}  ${target ? `${target.padEnd(9)} ${ok ? 'met' : 'MISSED'}` : ''}`);
    if (rows.some(r => !r[3])) process.exit(1);
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
