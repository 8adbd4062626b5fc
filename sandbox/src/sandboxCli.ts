import { startSandbox, type SandboxOptions } from './server';
import type { Knobs } from './knobs/knobs';
import { parseSeed, seedVariable } from './knobs/seed';

const usage = `npm run sandbox -- [options]    a local Microsoft 365 tenant (Contoso) on 127.0.0.1 over HTTPS

  --port N                 port (default 44300; 0 picks a free one)
  --tenants N              serve N tenants (default 1; up to 100): Contoso, Fabrikam, Northwind Traders, then others,
                           each with its own directory, domains, Exchange and app-only app
  --users N                ordinary users to generate (default 56; up to 100000)
  --seed TEXT              another seed gives another, equally deterministic organisation
  --state FILE             load the tenant from FILE and save changes there (default: in memory)
  --latency MS             added to every Graph/Exchange answer
  --throttle-graph N       Graph requests per second per app (429 + Retry-After beyond)
  --throttle-exchange N    Exchange requests per second per app
  --exchange-batch-cost M  per-item (default: each command of an Exchange $batch counts against the throttle)
                           or per-request (a $batch counts once); undocumented by Microsoft, see docs/FIDELITY.md
  --fault-ratio R          share of requests answered 503 or dropped (0..1)
  --replication-lag MS     how long a new object stays invisible to Exchange
  --token-lifetime S       access token lifetime in seconds (default 3600)
  --exchange-error-form F  pipe | json | bare | mixed (default: mixed, seeded): how Exchange errors carry their type
  --fault-seed N           the seed of every chance the sandbox takes (faults, jitter, mixed error forms); printed at
                           start. Default: $M365P_SANDBOX_SEED, else a new one. The same seed replays the same faults
  --failing-tenants LIST   comma-separated tenant ids or domains whose Graph and Exchange answer 503 (Retry-After: 1)
  --print-secret           print the app-only client secrets once
`;

function parse(argv: string[]): { options: SandboxOptions; printSecret: boolean } {
    const options: SandboxOptions = { port: 44300 };
    const knobs: Partial<Knobs> = {};
    let printSecret = false;
    const number = (flag: string, value: string | undefined) => {
        const n = Number(value);
        if (value === undefined || !Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a number ≥ 0 (got ${value ?? 'nothing'}).`);
        return n;
    };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = argv[i + 1];
        const take = () => { i++; return value; };
        switch (flag) {
            case '--port': options.port = number(flag, take()); break;
            case '--users': options.users = number(flag, take()); break;
            case '--tenants': options.tenants = number(flag, take()); break;
            case '--failing-tenants': knobs.failingTenants = (take() ?? '').split(',').map(t => t.trim()).filter(Boolean); break;
            case '--seed': options.seed = take(); break;
            case '--state': options.stateFile = take(); break;
            case '--latency': knobs.latencyMs = number(flag, take()); break;
            case '--throttle-graph': knobs.throttleGraphPerSecond = number(flag, take()); break;
            case '--throttle-exchange': knobs.throttleExchangePerSecond = number(flag, take()); break;
            case '--exchange-batch-cost': {
                const cost = take();
                if (cost !== 'per-item' && cost !== 'per-request') throw new Error(`${flag} needs per-item or per-request (got ${cost ?? 'nothing'}).`);
                knobs.exchangeBatchCost = cost;
                break;
            }
            case '--fault-ratio': knobs.faultRatio = number(flag, take()); break;
            case '--replication-lag': knobs.replicationLagMs = number(flag, take()); break;
            case '--token-lifetime': knobs.tokenLifetimeSeconds = number(flag, take()); break;
            case '--exchange-error-form': knobs.exchangeErrorForm = take() as Knobs['exchangeErrorForm']; break;
            case '--fault-seed': knobs.faultSeed = parseSeed(take() ?? '', flag); break;
            case '--print-secret': printSecret = true; break;
            case '--help': case '-h': process.stdout.write(usage); process.exit(0); break;
            default: throw new Error(`Unknown option ${flag}.\n\n${usage}`);
        }
    }
    options.knobs = knobs;
    return { options, printSecret };
}

/** Starts the sandbox server from command-line options (`npm run sandbox`, and `m365-provisioner sandbox`). */
export async function runSandboxCli(argv: readonly string[]): Promise<void> {
    const { options, printSecret } = parse([...argv]);
    const sandbox = await startSandbox(options);
    const secret = (s: string) => (printSecret ? s : 'hidden; --print-secret shows it');
    const lines = [
        sandbox.tenants.length === 1 ? 'M365 sandbox tenant (Contoso) is running on 127.0.0.1 only.' : `M365 sandbox with ${sandbox.tenants.length} tenants is running on 127.0.0.1 only. Tenant 1:`,
        '',
        `  Authority      ${sandbox.authority}`,
        `  Tenant id      ${sandbox.tenantId}`,
        `  Graph          ${sandbox.graphUrl}/v1.0`,
        `  Exchange       ${sandbox.exchangeUrl}/adminapi/beta/${sandbox.tenantId}/InvokeCommand`,
        `  Admin/knobs    ${sandbox.origin}/_sandbox/knobs`,
        `  Fault seed     ${sandbox.knobs().faultSeed}  (replay the same faults: --fault-seed ${sandbox.knobs().faultSeed} or ${seedVariable}=${sandbox.knobs().faultSeed})`,
        `  CA certificate ${sandbox.caPath}`,
        `                 export NODE_EXTRA_CA_CERTS=${sandbox.caPath}`,
        '',
        `  Sign in as     ${sandbox.adminAccounts.map(a => `${a.upn} (${a.role})`).join(', ')}`,
        `  Public clients ${sandbox.publicClientId} (Graph), ${sandbox.exchangeClientId} (Exchange): Microsoft's, the defaults`,
        `  Own app        ${sandbox.ownRegistrationClientId}  (delegated sign-in with m365Provisioner.clientId set)`,
        `  App-only app   ${sandbox.confidentialClient.clientId}  (secret ${secret(sandbox.confidentialClient.secret)})`,
        '',
        ...(sandbox.tenants.length > 1 ? [
            'All tenants (authority, admin, app-only app and secret; Exchange at /adminapi/beta/{tenant id}/InvokeCommand):',
            ...sandbox.tenants.map((t, i) => `  ${String(i + 1).padStart(2)} ${t.name.padEnd(24)} ${t.authority}  ${t.adminAccounts[0].upn}  ${t.confidentialClient.clientId} (secret ${secret(t.confidentialClient.secret)})`),
            `  (also GET ${sandbox.origin}/_sandbox/tenants)`,
            '',
        ] : []),
        'In VS Code set m365Provisioner.cloud to "Custom" with these URLs and the CA file. Ctrl+C stops it.',
    ];
    console.log(lines.join('\n'));
    const stop = () => void sandbox.stop().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
}
