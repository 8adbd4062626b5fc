import * as assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { startSandbox } from '../../../sandbox/src/server';
import { parseArgs, UsageError } from '../../../src/cli/args';
import { HttpTransport } from '../../../src/net/HttpTransport';
import { approveDeviceCodeAt } from '../../sandbox/deviceLogin';

const root = path.resolve(__dirname, '../../../..');
const recipe = path.join(root, 'examples/calendar-integration.m365recipe.json');
const schema = JSON.parse(readFileSync(path.join(root, 'docs/cli-report.schema.json'), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
const validReport = ajv.compile(schema);

/** The tenant in a sandbox state file, without the app credentials the sandbox renews at every start. */
function tenantIn(file: string): unknown {
    const state = JSON.parse(readFileSync(file, 'utf8')) as { apps: { secrets?: unknown; certificates?: unknown }[] };
    for (const app of state.apps) {
        delete app.secrets;
        delete app.certificates;
    }
    return state;
}

/** Runs the command line as a pipeline would: a child process, no terminal, its exit code and output. */
function cli(args: string[], o: { bundle?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    const entry = o.bundle ? path.join(root, 'dist/cli.js') : path.join(root, 'out/src/cli/bin.js');
    return new Promise(resolve => {
        execFile(process.execPath, [entry, ...args], { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...o.env }, timeout: 120_000 }, (error, stdout, stderr) => {
            resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
        });
    });
}

function report(stdout: string): { outcome: string; exitCode: number; steps: { status: string; kind: string }[]; totals: Record<string, number>; tenant?: { displayName?: string }; message?: string; problems?: { path: string; line?: number }[] } {
    const document = JSON.parse(stdout) as unknown;
    assert.ok(validReport(document), `the --json report follows docs/cli-report.schema.json: ${ajv.errorsText(validReport.errors)}`);
    return document as ReturnType<typeof report>;
}

describe('m365-provisioner, the command line', function () {
    this.timeout(180_000);
    let dir: string;
    before(() => {
        dir = mkdtempSync(path.join(tmpdir(), 'm365p-cli-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('plan → apply → verify → plan against one sandbox tenant kept in a state file: exit codes 2, 0, 0, 0, and a second apply writes nothing', async () => {
        const state = path.join(dir, 'tenant.json');
        const passwords = path.join(dir, 'secrets', 'passwords.jsonl');
        const plan = await cli(['plan', recipe, '--sandbox', state, '--json']);
        assert.equal(plan.code, 2, plan.stderr);
        const planned = report(plan.stdout);
        assert.equal(planned.outcome, 'changesPending');
        assert.equal(planned.tenant?.displayName, 'Contoso', 'the tenant is named, not only its id');
        assert.deepEqual(planned.totals, { create: 5 });

        const applied = await cli(['apply', recipe, '--sandbox', state, '--yes', '--password-file', passwords, '--json']);
        assert.equal(applied.code, 0, applied.stdout + applied.stderr);
        const appliedReport = report(applied.stdout);
        assert.equal(appliedReport.outcome, 'applied');
        assert.deepEqual(appliedReport.totals, { created: 4, changed: 1 });
        // The password: in the file only (owner-only), never in the output.
        const kept = JSON.parse(readFileSync(passwords, 'utf8').trim()) as { userPrincipalName: string; password: string };
        assert.equal(kept.userPrincipalName, 'sa-mytt-exch@contoso.com');
        assert.ok(kept.password.length >= 16);
        assert.equal(statSync(passwords).mode & 0o777, 0o600);
        assert.ok(!applied.stdout.includes(kept.password) && !applied.stderr.includes(kept.password), 'the password is not printed');

        const verified = await cli(['verify', recipe, '--sandbox', state, '--json']);
        assert.equal(verified.code, 0, verified.stdout);
        assert.equal(report(verified.stdout).outcome, 'inSync');

        const again = await cli(['plan', recipe, '--sandbox', state]);
        assert.equal(again.code, 0, again.stdout);
        assert.match(again.stdout, /In sync: nothing to apply\./);

        const before = tenantIn(state);
        const secondApply = await cli(['apply', recipe, '--sandbox', state, '--yes', '--json']);
        assert.equal(secondApply.code, 0);
        assert.equal(report(secondApply.stdout).outcome, 'nothingToDo');
        assert.deepEqual(tenantIn(state), before, 'the second apply changed nothing in the tenant');
    });

    it('offboards with the offboarding example: plan lists removals (exit 2), apply removes them, the report follows the schema', async () => {
        const state = path.join(dir, 'offboard.json');
        const passwords = path.join(dir, 'offboard-passwords.jsonl');
        const offboard = path.join(root, 'examples/offboard-calendar-integration.m365recipe.json');
        assert.equal((await cli(['apply', recipe, '--sandbox', state, '--yes', '--password-file', passwords, '--json'])).code, 0);
        const plan = await cli(['plan', offboard, '--sandbox', state, '--json']);
        assert.equal(plan.code, 2, plan.stderr);
        assert.deepEqual(report(plan.stdout).totals, { remove: 5 });
        const noTerminal = await cli(['apply', offboard, '--sandbox', state, '--json']);
        assert.equal(report(noTerminal.stdout).outcome, 'refused', 'deleting needs --yes without a terminal');
        const applied = await cli(['apply', offboard, '--sandbox', state, '--yes', '--json']);
        assert.equal(applied.code, 0, applied.stdout + applied.stderr);
        assert.deepEqual(report(applied.stdout).totals, { removed: 5 });
        assert.equal((await cli(['verify', offboard, '--sandbox', state, '--json'])).code, 0);
    });

    it('drift makes verify exit 2, and apply refuses without a terminal unless --yes, before any change', async () => {
        const state = path.join(dir, 'drift.json');
        const passwords = path.join(dir, 'drift-passwords.jsonl');
        assert.equal((await cli(['apply', recipe, '--sandbox', state, '--yes', '--password-file', passwords])).code, 0);
        const changed = JSON.parse(readFileSync(recipe, 'utf8')) as { serviceAccounts: { licence: { enabledPlans: string[] } }[] };
        changed.serviceAccounts[0].licence.enabledPlans = ['EXCHANGE_S_ENTERPRISE', 'SHAREPOINTENTERPRISE'];
        const drifted = path.join(dir, 'drifted.m365recipe.json');
        writeFileSync(drifted, JSON.stringify(changed));
        const verify = await cli(['verify', drifted, '--sandbox', state, '--json']);
        assert.equal(verify.code, 2);
        const verification = report(verify.stdout);
        assert.equal(verification.outcome, 'drift');
        assert.deepEqual(verification.steps.filter(s => s.status !== 'done').map(s => s.kind), ['assignLicence']);

        const before = tenantIn(state);
        const refused = await cli(['apply', drifted, '--sandbox', state]);
        assert.equal(refused.code, 1);
        assert.match(refused.stdout, /Refused, nothing was changed: there is no terminal to ask on\. Review the plan .* then apply with --yes\./);
        assert.deepEqual(tenantIn(state), before);
    });

    it('bad input is one clear message and exit 1, never a stack: unknown command or option, a secret as a flag, no recipe, a broken recipe, no target', async () => {
        const broken = path.join(dir, 'broken.m365recipe.json');
        writeFileSync(broken, '{\n  "name": "Broken",\n  "serviceAccounts": [ { "userPrincipalName": "svc reporting@contoso.com", "displayName": "x", "usageLocation": "US" } ]\n}\n');
        const cases: [string[], RegExp][] = [
            [['deploy', recipe], /Unknown command "deploy"\. Use one of: plan, apply, verify, export, sandbox\./],
            [['plan', recipe, '--sandbox', '--frobnicate'], /Unknown option --frobnicate\./],
            [['plan', recipe, '--tenant', 'contoso.com', '--client-secret', 'abc'], /read from M365P_CLIENT_SECRET only/],
            [['plan', '--sandbox'], /plan needs a recipe file/],
            [['plan', recipe], /Say where to plan: --tenant ID\|DOMAIN .* or --sandbox/],
            [['plan', recipe, '--tenant', 'contoso.com'], /needs the app registration's client id: --client-id ID, or M365P_CLIENT_ID/],
            [['plan', recipe, '--tenant', 'contoso.com', '--client-id', '00000000-0000-0000-0000-000000000001'], /needs a credential: --certificate FILE .* or a client secret in M365P_CLIENT_SECRET/],
            [['plan', recipe, '--tenant', 'contoso.com', '--client-id', 'x', '--certificate', path.join(dir, 'none.pem')], /Cannot read the certificate file .*none\.pem: it does not exist/],
            [['export', recipe, '--variant', 'hybrid'], /export needs --variant cloud or --variant onPremises \(not "hybrid"\)/],
            [['plan', path.join(dir, 'missing.m365recipe.json'), '--sandbox'], /There is no file .*missing\.m365recipe\.json/],
        ];
        for (const [args, expected] of cases) {
            const run = await cli(args);
            assert.equal(run.code, 1, `${args.join(' ')}: ${run.stdout}${run.stderr}`);
            assert.match(run.stdout + run.stderr, expected, args.join(' '));
            assert.doesNotMatch(run.stdout + run.stderr, /\n\s+at .+:\d+:\d+/, `no stack trace for ${args.join(' ')}`);
        }
        const problems = await cli(['plan', broken, '--sandbox', '--json']);
        assert.equal(problems.code, 1);
        const read = report(problems.stdout);
        assert.equal(read.outcome, 'error');
        assert.deepEqual(read.problems?.map(p => [p.path, p.line]), [['/serviceAccounts/0/userPrincipalName', 3]]);
        assert.match(read.message ?? '', /Nothing was read from or changed in a tenant/);
    });

    it('exports the cloud script to a file, for a sovereign cloud too', async () => {
        const out = path.join(dir, 'scripts', 'calendar.ps1');
        const run = await cli(['export', recipe, '--variant', 'cloud', '--cloud', 'USGovernment', '--out', out, '--json']);
        assert.equal(run.code, 0, run.stderr);
        assert.equal(report(run.stdout).outcome, 'exported');
        assert.match(readFileSync(out, 'utf8'), /Connect-MgGraph -Environment 'USGov' /);
    });

    it('the built bundle (dist/cli.js, the package\'s bin) prints its help and plans against the sandbox', async () => {
        assert.ok(existsSync(path.join(root, 'dist/cli.js')), 'npm run build makes dist/cli.js (the test stage runs after the build stage)');
        const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
        assert.deepEqual(pkg.bin, { 'm365-provisioner': 'dist/cli.js' });
        const help = await cli(['--help'], { bundle: true });
        assert.equal(help.code, 0);
        assert.match(help.stdout, /^m365-provisioner — plan, apply, verify and export/);
        const plan = await cli(['plan', recipe, '--sandbox'], { bundle: true });
        assert.equal(plan.code, 2, plan.stderr);
        assert.match(plan.stdout, /Plan of "MyTimetable calendar integration" in Contoso, contoso\.com/);
    });

    it('runs one recipe over a tenants file: a table per tenant, one that cannot sign in fails while the others go on, and the worst exit code', async () => {
        const tenants = path.join(dir, 'tenants.json');
        writeFileSync(tenants, JSON.stringify({ tenants: [
            { name: 'Lab A', sandbox: path.join(dir, 'fleet-a.json') },
            { name: 'Broken', tenant: 'contoso.onmicrosoft.com', clientIdEnv: 'M365P_TEST_NOT_SET' },
            { name: 'Lab B', sandbox: path.join(dir, 'fleet-b.json') },
        ] }));
        const plan = await cli(['plan', recipe, '--tenants', tenants, '--json', '--concurrency', '2']);
        assert.equal(plan.code, 1, 'the worst of 2, 1 and 2');
        const fleet = JSON.parse(plan.stdout) as { tenants: { name: string; outcome: string; exitCode: number; message?: string }[]; totals: Record<string, number> };
        assert.ok(validReport(fleet), ajv.errorsText(validReport.errors));
        assert.deepEqual(fleet.tenants.map(t => [t.name, t.outcome, t.exitCode]), [['Lab A', 'changesPending', 2], ['Broken', 'error', 1], ['Lab B', 'changesPending', 2]]);
        assert.match(fleet.tenants[1].message ?? '', /needs the app registration's client id: .*M365P_TEST_NOT_SET is not/);
        assert.deepEqual(fleet.totals, { changesPending: 2, error: 1 });

        const table = await cli(['plan', recipe, '--tenants', tenants]);
        assert.match(table.stdout, /Plan of "MyTimetable calendar integration" over 3 tenants/);
        assert.match(table.stdout, /Lab A\s+changesPending\s+5 of 5/);
        assert.match(table.stdout, /Totals: 2 changesPending, 1 error/);

        const refused = await cli(['apply', recipe, '--tenants', tenants]);
        assert.equal(refused.code, 1);
        assert.match(refused.stderr, /Apply over a tenants file needs --yes/);
        assert.equal((await cli(['plan', recipe, '--sandbox', path.join(dir, 'fleet-a.json')])).code, 2, 'nothing was applied: the changes are still pending');
    });

    it('over three tenants of one sandbox, signed in app-only as real tenants are (custom cloud): Northwind is down, Contoso and Fabrikam go on', async () => {
        const sandbox = await startSandbox({ tenants: 3, knobs: { failingTenants: ['northwindtraders.com'] } });
        try {
            assert.deepEqual(sandbox.tenants.map(t => t.name), ['Contoso', 'Fabrikam', 'Northwind Traders']);
            const env: NodeJS.ProcessEnv = {};
            const entries = sandbox.tenants.map((t, i) => {
                env[`FLEET_SECRET_${i}`] = t.confidentialClient.secret;
                return { name: t.name, tenant: t.defaultDomain, cloud: 'Custom', authority: sandbox.origin, graphEndpoint: sandbox.graphUrl, exchangeEndpoint: sandbox.exchangeUrl, caFile: sandbox.caPath, clientId: t.confidentialClient.clientId, clientSecretEnv: `FLEET_SECRET_${i}` };
            });
            const tenants = path.join(dir, 'three-tenants.json');
            writeFileSync(tenants, JSON.stringify({ tenants: entries }));
            // The reporting guide: every organisation has its roles and role groups, none has the account yet.
            const reporting = path.join(root, 'examples/reporting-inventory.m365recipe.json');
            const run = await cli(['plan', reporting, '--tenants', tenants, '--json'], { env });
            assert.equal(run.code, 1, `the worst exit code: ${run.stdout}${run.stderr}`);
            const fleet = JSON.parse(run.stdout) as { tenants: { name: string; outcome: string; tenant?: { displayName?: string; defaultDomain?: string }; message?: string; totals: Record<string, number> }[] };
            assert.ok(validReport(fleet), ajv.errorsText(validReport.errors));
            // The guide's account is svc-…@contoso.com: Fabrikam does not own that domain, so its plan is blocked there,
            // pointing at the field (a fleet recipe names domains every tenant has).
            assert.deepEqual(fleet.tenants.map(t => [t.name, t.outcome]), [['Contoso', 'changesPending'], ['Fabrikam', 'blocked'], ['Northwind Traders', 'error']]);
            assert.deepEqual(fleet.tenants.slice(0, 2).map(t => [t.tenant?.displayName, t.tenant?.defaultDomain]), [['Contoso', 'contoso.com'], ['Fabrikam', 'fabrikam.com']], 'each tenant read as itself');
            assert.match(JSON.stringify(fleet.tenants[1]), /contoso\.com is not a verified domain of this tenant.*fabrikam\.com/);
            assert.ok((fleet.tenants[0].totals.create ?? 0) > 0 && (fleet.tenants[0].totals.blocked ?? 0) === 0, JSON.stringify(fleet.tenants[0]));
            assert.match(fleet.tenants[2].message ?? '', /503|unavailable|Service/i);
            // No secret in the output.
            for (const secret of Object.values(env)) assert.ok(!run.stdout.includes(secret ?? '') && !run.stderr.includes(secret ?? ''));
        } finally {
            await sandbox.stop();
        }
    });

    it('signs a person in with device codes (Graph, then Exchange with its own client), shown on standard error only', async () => {
        const sandbox = await startSandbox({});
        try {
            const tenants = path.join(dir, 'person.json');
            writeFileSync(tenants, JSON.stringify({ tenants: [{ name: 'Contoso', tenant: sandbox.tenantId, cloud: 'Custom', authority: sandbox.origin, graphEndpoint: sandbox.graphUrl, exchangeEndpoint: sandbox.exchangeUrl, caFile: sandbox.caPath, signIn: 'deviceCode', clientId: sandbox.publicClientId }] }));
            const transport = new HttpTransport({ ca: sandbox.caPem });
            const child = spawn(process.execPath, [path.join(root, 'out/src/cli/bin.js'), 'plan', recipe, '--tenants', tenants, '--json'], { cwd: root, env: { PATH: process.env.PATH ?? '' } });
            let stdout = '';
            let stderr = '';
            const approvals: Promise<void>[] = [];
            child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
            child.stderr.on('data', (chunk: Buffer) => {
                stderr += chunk.toString();
                // The person reads the code and approves it as the tenant's admin.
                for (const code of [...chunk.toString().matchAll(/enter the code (\S+)/g)].map(m => m[1])) approvals.push(approveDeviceCodeAt(transport, sandbox.origin, code, 'admin@contoso.com'));
            });
            const code = await new Promise<number>(resolve => child.on('close', c => resolve(c ?? 1)));
            await Promise.all(approvals);
            assert.equal(code, 2, stdout + stderr);
            const fleet = JSON.parse(stdout) as { tenants: { outcome: string; tenant?: { displayName?: string } }[] };
            assert.deepEqual(fleet.tenants.map(t => [t.tenant?.displayName, t.outcome]), [['Contoso', 'changesPending']]);
            const prompts = stderr.match(/Sign in \(Contoso: [^)]+\): open \S+\/devicelogin and enter the code \S+/g) ?? [];
            assert.equal(prompts.length, 2, `one code for Graph, one for Exchange: ${stderr}`);
            assert.match(prompts[0], /Microsoft Graph with Microsoft Graph Command Line Tools/);
            assert.match(prompts[1], /Exchange Online with Exchange Online PowerShell/);
            assert.ok(!stdout.includes('enter the code'), 'the code is not in the JSON document');
            for (const secret of sandbox.issuedSecrets()) assert.ok(!stdout.includes(secret) && !stderr.includes(secret), 'no token in the output');
        } finally {
            await sandbox.stop();
        }
    });

    it('refuses a tenants file that holds a secret, names a tenant twice or has an unknown field, naming the entry', async () => {
        const cases: [unknown, RegExp][] = [
            [{ tenants: [{ name: 'A', tenant: 'a.onmicrosoft.com', clientId: 'x', clientSecret: 'hunter2' }] }, /tenants\[0\]\.clientSecret: a secret does not belong in the tenants file.*clientSecretEnv/],
            [{ tenants: [{ name: 'A', sandbox: 'a.json' }, { name: 'a', sandbox: 'b.json' }] }, /tenants\[1\]: the name "a" is used twice/],
            [{ tenants: [{ name: 'A', tenant: 'a.onmicrosoft.com', region: 'EU' }] }, /tenants\[0\]: unknown field "region"/],
            [{ tenants: [] }, /needs "tenants": a list of at least one tenant/],
            [{ tenants: [{ name: 'A', tenant: 'a.onmicrosoft.com', cloud: 'Mars' }] }, /tenants\[0\]\.cloud takes Global, USGovernment, USGovernmentDoD, China, Custom \(not "Mars"\)/],
        ];
        for (const [content, expected] of cases) {
            const file = path.join(dir, 'bad-tenants.json');
            writeFileSync(file, JSON.stringify(content));
            const run = await cli(['plan', recipe, '--tenants', file]);
            assert.equal(run.code, 1);
            assert.match(run.stderr, expected);
            assert.ok(!run.stderr.includes('hunter2'), 'the secret is not repeated');
        }
    });

    it('reads its arguments strictly: --sandbox takes a state file only where one is given', () => {
        assert.equal(parseArgs(['plan', 'r.m365recipe.json', '--sandbox']).sandbox, '');
        assert.equal(parseArgs(['plan', 'r.m365recipe.json', '--sandbox', 'state.json']).sandbox, 'state.json');
        assert.equal(parseArgs(['plan', '--sandbox', 'state.json', 'r.json']).sandbox, 'state.json');
        assert.deepEqual([parseArgs(['plan', '--sandbox', 'r.json']).sandbox, parseArgs(['plan', '--sandbox', 'r.json']).recipe], ['', 'r.json']);
        assert.equal(parseArgs(['plan', 'r.json', '--sandbox=state.json', '--json']).json, true);
        assert.throws(() => parseArgs(['plan', 'a.json', 'b.json', '--sandbox']), (e: Error) => e instanceof UsageError && /Only one recipe file/.test(e.message));
        assert.throws(() => parseArgs(['plan', '--help']), (e: Error) => e instanceof UsageError && e.message === '', 'the command line\'s help');
        assert.deepEqual(parseArgs(['sandbox', '--help']).rest, ['--help'], 'the sandbox\'s own help, passed on');
    });
});
