import { setMaxListeners } from 'node:events';
import { readFile } from 'node:fs/promises';
import { builtInCloudNames, type CloudName } from '../auth/clouds';
import { mapConcurrently } from '../shared/concurrency';
import { UsageError, type CliArgs } from './args';
import type { CliReport } from './report';
import { recipeFor, runOnTenant, type CliContext } from './run';
import type { TenantSpec } from './target';

/**
 * `--tenants FILE`: one recipe over many tenants. The file names each tenant and where its credentials are (a
 * certificate file, or environment variables); it never holds a secret itself, so it can be kept in the repository.
 *
 *   { "tenants": [
 *       { "name": "Contoso", "tenant": "contoso.onmicrosoft.com", "clientId": "…", "certificateFile": "certs/contoso.pem" },
 *       { "name": "Fabrikam", "tenant": "fabrikam.onmicrosoft.com", "clientIdEnv": "FABRIKAM_CLIENT_ID", "clientSecretEnv": "FABRIKAM_SECRET" },
 *       { "name": "Lab", "sandbox": "lab-tenant.json" } ] }
 */
export interface FleetReport {
    schemaVersion: 1;
    command: 'plan' | 'apply' | 'verify';
    /** The worst of the tenants' exit codes: 1 before 2 before 0. */
    exitCode: 0 | 1 | 2;
    recipe: { file: string; name?: string };
    /** One report per tenant, in the file's order, each as a single-tenant run would print it, with the tenant's name. */
    tenants: (CliReport & { name: string })[];
    /** Tenants per outcome. */
    totals: Record<string, number>;
    /** The recipe's problems, when it could not be read (no tenant was then touched). */
    problems?: CliReport['problems'];
    message?: string;
    startedAt: string;
    finishedAt: string;
}

const maxTenants = 1000;
const cloudNames: readonly CloudName[] = [...builtInCloudNames, 'Custom'];
const secretKeys = ['clientSecret', 'secret', 'certificatePem', 'privateKey', 'password'];

/** Reads and checks a tenants file: every mistake names the entry and the field. */
export async function readTenantsFile(file: string): Promise<TenantSpec[]> {
    let data: unknown;
    try {
        data = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new UsageError(code === 'ENOENT' ? `There is no tenants file ${file}.` : `The tenants file ${file} is not valid JSON: ${(error as Error).message}`);
    }
    const list = (data as { tenants?: unknown } | null)?.tenants;
    if (!Array.isArray(list) || !list.length) throw new UsageError(`The tenants file ${file} needs "tenants": a list of at least one tenant (docs/CLI.md shows the form).`);
    if (list.length > maxTenants) throw new UsageError(`The tenants file ${file} lists ${list.length} tenants; at most ${maxTenants} per run. Split it.`);
    const names = new Set<string>();
    return list.map((entry: unknown, i): TenantSpec => {
        const at = `${file}: tenants[${i}]`;
        if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw new UsageError(`${at} must be an object with "name" and "tenant" (or "sandbox").`);
        const e = entry as Record<string, unknown>;
        const text = (key: string): string | undefined => {
            const v = e[key];
            if (v === undefined) return undefined;
            if (typeof v !== 'string' || !v.trim()) throw new UsageError(`${at}.${key} must be a non-empty string.`);
            return v.trim();
        };
        const leaked = secretKeys.find(k => k in e);
        if (leaked) throw new UsageError(`${at}.${leaked}: a secret does not belong in the tenants file (it is kept with the recipes). Put it in an environment variable and name the variable with "clientSecretEnv" or "certificateEnv", or give a "certificateFile".`);
        const known = new Set(['name', 'tenant', 'cloud', 'clientId', 'clientIdEnv', 'certificateFile', 'certificateEnv', 'clientSecretEnv', 'sandbox', 'authority', 'graphEndpoint', 'exchangeEndpoint', 'caFile', 'signIn']);
        const unknown = Object.keys(e).find(k => !known.has(k));
        if (unknown) throw new UsageError(`${at}: unknown field "${unknown}". Fields: ${[...known].join(', ')}.`);
        const name = text('name') ?? text('tenant') ?? (typeof e.sandbox === 'string' ? `sandbox ${i + 1}` : undefined);
        if (!name) throw new UsageError(`${at} needs "name", and "tenant" (a tenant id or domain) or "sandbox" (a state file).`);
        if (names.has(name.toLowerCase())) throw new UsageError(`${at}: the name "${name}" is used twice; each tenant needs its own name.`);
        names.add(name.toLowerCase());
        if (e.sandbox !== undefined) {
            if (e.tenant !== undefined) throw new UsageError(`${at}: give "tenant" or "sandbox", not both.`);
            return { kind: 'sandbox', stateFile: text('sandbox') ?? '', name };
        }
        const tenant = text('tenant');
        if (!tenant) throw new UsageError(`${at} (${name}) needs "tenant": its tenant id or a verified domain such as contoso.onmicrosoft.com.`);
        const cloud = (text('cloud') ?? 'Global') as CloudName;
        if (!cloudNames.includes(cloud)) throw new UsageError(`${at}.cloud takes ${cloudNames.join(', ')} (not "${cloud}").`);
        const optional = (key: 'clientId' | 'clientIdEnv' | 'certificateFile' | 'certificateEnv' | 'clientSecretEnv') => {
            const v = text(key);
            return v ? { [key]: v } : {};
        };
        // A custom cloud names its three endpoints (and a CA file when its certificates are not publicly trusted).
        const endpoints = ['authority', 'graphEndpoint', 'exchangeEndpoint'] as const;
        const given = endpoints.filter(k => e[k] !== undefined);
        if (cloud !== 'Custom' && (given.length || e.caFile !== undefined)) throw new UsageError(`${at}: ${[...given, ...(e.caFile !== undefined ? ['caFile'] : [])].join(', ')} go with "cloud": "Custom" only.`);
        const missing = endpoints.find(k => text(k) === undefined);
        if (cloud === 'Custom' && missing) throw new UsageError(`${at}: a custom cloud needs "authority", "graphEndpoint" and "exchangeEndpoint" (https URLs); "${missing}" is missing.`);
        const caFile = text('caFile');
        const custom = cloud === 'Custom' ? { custom: { authority: text('authority') ?? '', graphEndpoint: text('graphEndpoint') ?? '', exchangeEndpoint: text('exchangeEndpoint') ?? '', ...(caFile ? { caFile } : {}) } } : {};
        const signIn = text('signIn') ?? 'app';
        if (signIn !== 'app' && signIn !== 'deviceCode') throw new UsageError(`${at}.signIn takes "app" (the default: an app registration's credential) or "deviceCode" (a person signs in).`);
        if (signIn === 'deviceCode') return { kind: 'app', name, tenant, cloud, ...custom, deviceCode: true, ...optional('clientId') };
        return { kind: 'app', name, tenant, cloud, ...custom, ...optional('clientId'), ...optional('clientIdEnv'), ...optional('certificateFile'), ...optional('certificateEnv'), ...optional('clientSecretEnv') };
    });
}

/**
 * Runs plan, apply or verify on every tenant, `concurrency` at a time; a tenant that fails is reported and the others
 * go on. Apply over several tenants needs --yes: one question for many tenants would be too easy to answer wrongly.
 */
export async function runFleet(args: CliArgs, context: CliContext, specs: TenantSpec[], concurrency: number): Promise<FleetReport> {
    const startedAt = new Date().toISOString();
    const command = args.command === 'apply' || args.command === 'verify' ? args.command : 'plan';
    if (command === 'apply' && !args.yes) throw new UsageError('Apply over a tenants file needs --yes (run plan over the same file first to review every tenant\'s changes).');
    const read = await recipeFor(args);
    if ('report' in read) {
        const { recipe, problems, message } = read.report;
        return { schemaVersion: 1, command, exitCode: 1, recipe: recipe ?? { file: args.recipe ?? '' }, tenants: [], totals: {}, ...(problems ? { problems } : {}), ...(message ? { message } : {}), startedAt, finishedAt: new Date().toISOString() };
    }
    // Every tenant's requests listen for the one cancel: that many listeners is expected, not a leak.
    setMaxListeners(Math.max(10, specs.length * 20), context.signal);
    let finished = 0;
    const reports = await mapConcurrently(specs, concurrency, async (spec, i) => {
        const name = spec.name ?? (spec.kind === 'app' ? spec.tenant : `sandbox ${i + 1}`);
        const report = await runOnTenant(args, { ...context, progress: undefined, confirm: undefined }, read.recipe, read.ref, spec);
        context.progress?.(`${++finished} of ${specs.length} tenants: ${name} ${report.outcome}`);
        return { ...report, name };
    }, context.signal);
    const done = reports.filter(r => r !== undefined);
    const totals: Record<string, number> = {};
    for (const r of done) totals[r.outcome] = (totals[r.outcome] ?? 0) + 1;
    const notRun = specs.length - done.length;
    if (notRun) totals.cancelled = (totals.cancelled ?? 0) + notRun;
    const codes = done.map(r => r.exitCode);
    const exitCode = notRun || codes.includes(1) ? 1 : codes.includes(2) ? 2 : 0;
    return { schemaVersion: 1, command, exitCode, recipe: read.ref, tenants: done, totals, startedAt, finishedAt: new Date().toISOString() };
}

/** The summary table: one row per tenant (its name, outcome, what changes or drifts, and the message), then totals. */
export function humanFleetReport(report: FleetReport): string {
    const rows = report.tenants.map(t => {
        const notDone = t.steps.filter(s => s.status !== 'done' && s.status !== 'alreadyInPlace').length;
        return [t.name, t.outcome, t.steps.length ? `${notDone} of ${t.steps.length}` : '', (t.message ?? '').split('\n')[0]];
    });
    const widths = [0, 1, 2].map(i => Math.min(40, Math.max(['Tenant', 'Outcome', 'Steps not done'][i].length, ...rows.map(r => r[i].length))));
    const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c)).join('  ').trimEnd();
    return `${[
        `${report.command.charAt(0).toUpperCase()}${report.command.slice(1)} of "${report.recipe.name ?? report.recipe.file}" over ${report.tenants.length} tenant${report.tenants.length === 1 ? '' : 's'}`,
        '',
        line(['Tenant', 'Outcome', 'Steps not done', 'Detail']),
        line(widths.map(w => '-'.repeat(w)).concat('------')),
        ...rows.map(line),
        '',
        `Totals: ${Object.entries(report.totals).map(([k, n]) => `${n} ${k}`).join(', ')}`,
        ...(report.problems?.length ? ['', ...report.problems.map(p => `  ${p.path || '(file)'}  ${p.message}`)] : []),
        ...(report.message ? [report.message] : []),
    ].join('\n')}\n`;
}
