// bench/calendar-grant: Editor for a mail-enabled security group on the calendar of every member of a group (the last
// step of the second guide), against the sandbox tenant with 50 ms latency and Exchange throttled to 20 commands a
// second per app (429 + Retry-After), once per cost model of an Exchange `$batch` (the sandbox's `exchangeBatchCost`
// knob: `per-item`, each command in a batch counts, and `per-request`, a batch counts once; Microsoft documents
// neither, see docs/FIDELITY.md). In each model, with the same knobs:
//   (a) the baseline: the guide's PowerShell done through the admin API, one mailbox after another: Get-Mailbox, then
//       Add-MailboxFolderPermission on `upn:\Calendar`, each a single InvokeCommand (ExchangeAdminClient.invoke);
//   (b) runCalendarGrant for a fresh grantee (the same work from a clean start);
//   (c) runCalendarGrant again, with nothing left to change.
// Then the scale run, per-item: 100,000 mailboxes, Exchange throttled to 1,000/s, the engine in a process of its own
// (its memory measured without the sandbox's).
// Targets (per-item): (b) and (c) within 1.2× of the throttle floor (the cmdlets Exchange let through ÷ the rate);
// (c) sends no write; (b) right for every member; scale: engine peak RSS < 300 MB and within 1.2× of the floor.
// The per-request figures and the speed-up over the baseline are printed for comparison, not as targets.
// Usage: node out/bench/calendar-grant/run.js [--mailboxes 500] [--baseline-sample 150] [--latency 50] [--rate 20]
//        [--scale-mailboxes 100000] [--scale-rate 1000] [--scale-in-flight 32] [--models per-item,per-request]
// (--mailboxes 0 runs only the scale run.)
// (--baseline-sample N times the baseline on N mailboxes and extrapolates its time to all of them, and says so;
// --scale-mailboxes 0 skips the scale run.)
import { fork } from 'node:child_process';
import * as path from 'node:path';
import * as msal from '@azure/msal-node';
import { cloudEndpoints } from '../../src/auth/clouds';
import { msalNetworkModule } from '../../src/auth/msalNetwork';
import type { TokenProvider } from '../../src/auth/TokenProvider';
import { ExchangeAdminClient } from '../../src/exchange/ExchangeAdminClient';
import { ExchangeCommandError } from '../../src/exchange/ExchangeCommandError';
import { GraphClient } from '../../src/graph/GraphClient';
import { HttpTransport } from '../../src/net/HttpTransport';
import { runCalendarGrant, type CalendarGrantSummary } from '../../src/provisioning/calendar';
import type { Logger } from '../../src/shared/logger';
import type { DirectoryGroup } from '../../sandbox/src/contracts';
import type { BatchCost } from '../../sandbox/src/knobs/knobs';
import { startSandbox, type RunningSandbox } from '../../sandbox/src/server';
import { newMailbox } from '../../sandbox/src/tenant/mailboxes';
import { countingTransport, emptyCounts, minus, ranTotal, type CmdletCounts } from './counting';
import type { EngineJob, EngineResult } from './engine';

const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} needs a number ≥ 0`);
    return value;
};
const models = ((): BatchCost[] => {
    const i = process.argv.indexOf('--models');
    const list = (i >= 0 ? process.argv[i + 1] ?? '' : 'per-item,per-request').split(',');
    const known = list.filter((m): m is BatchCost => m === 'per-item' || m === 'per-request');
    if (known.length !== list.length) throw new Error('--models takes per-item and/or per-request, comma-separated');
    return known;
})();

const quiet: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const perMailbox = (counts: CmdletCounts, mailboxes: number) => (ranTotal(counts) / mailboxes).toFixed(3);
const breakdown = (counts: CmdletCounts) => Object.entries(counts.ran).map(([k, n]) => `${n} ${k}`).join(', ');

interface Phase {
    name: string;
    wallMs: number;
    mailboxes: number;
    counts: CmdletCounts;
    /** HTTP requests to Exchange, and those answered 429 as a whole. */
    exchangeRequests: number;
    throttledRequests: number;
    note?: string;
}

type Target = [string, string, boolean];

async function main(): Promise<void> {
    // 500 by default: per item, a first grant and a re-run each take about 2 cmdlets a mailbox ÷ 20/s (about 50 s
    // each at 500), and the whole bench must stay near 10 minutes on a 2-core machine.
    const mailboxCount = arg('--mailboxes', 500);
    // The baseline is the slow part (two requests of 50 ms or more per mailbox, one after another): it runs on a
    // sample and is extrapolated, which the output says.
    const sample = arg('--baseline-sample', 150);
    const latencyMs = arg('--latency', 50);
    const rate = arg('--rate', 20);
    const scaleMailboxes = arg('--scale-mailboxes', 100_000);
    const scaleRate = arg('--scale-rate', 1000);
    const scaleInFlight = arg('--scale-in-flight', 32);
    const benchStarted = Date.now();

    const targets: Target[] = [];
    const info: string[] = [];
    console.log(`bench/calendar-grant: ${mailboxCount} mailboxes, latency ${latencyMs} ms, Exchange throttled to ${rate}/s (429 + Retry-After); $batch cost models: ${models.join(', ')}`);
    for (const model of mailboxCount > 0 ? models : []) {
        const result = await runModel(model, { mailboxCount, sample, latencyMs, rate });
        if (model === 'per-item') targets.push(...result.targets);
        else info.push(...result.targets.map(([what, value]) => `${what.padEnd(60)} ${value.padStart(18)}`));
        info.push(...result.info);
    }
    if (scaleMailboxes > 0) targets.push(...(await runScale({ mailboxes: scaleMailboxes, rate: scaleRate, latencyMs, inFlight: scaleInFlight })));

    console.log('');
    console.log('For comparison (not targets):');
    for (const line of info) console.log(`  ${line}`);
    console.log('');
    console.log('Targets (per-item, the default and conservative cost model):');
    for (const [what, value, ok] of targets) console.log(`  ${what.padEnd(60)} ${value.padStart(18)}  ${ok ? 'PASS' : 'FAIL'}`);
    console.log(`\nThe whole bench took ${s(Date.now() - benchStarted)}.`);
    if (targets.some(t => !t[2])) process.exit(1);
}

async function runModel(model: BatchCost, o: { mailboxCount: number; sample: number; latencyMs: number; rate: number }): Promise<{ targets: Target[]; info: string[] }> {
    const { mailboxCount, latencyMs, rate } = o;
    console.log(`\n== ${model}: each ${model === 'per-item' ? 'command in' : ''} $batch counts ${model === 'per-item' ? 'once against the throttle' : 'once, whatever it holds'}`);
    // A tenant with enough licensed users, and a group of exactly `mailboxCount` of them (in four nested groups, as
    // the seed's Staff group nests its departments).
    const sandbox = await startSandbox({ users: Math.ceil(mailboxCount * 1.15) + 20, knobs: { latencyMs, throttleExchangePerSecond: rate, exchangeBatchCost: model } });
    try {
        const groupId = addGroupOfMailboxes(sandbox, mailboxCount);
        const transport = new HttpTransport({ ca: sandbox.caPem });
        const tokens = await appTokens(sandbox, transport);
        const counts = emptyCounts();
        const cloud = cloudEndpoints('Custom', { authority: sandbox.origin, graphEndpoint: sandbox.graphUrl, exchangeEndpoint: sandbox.exchangeUrl });
        const graph = new GraphClient({ cloud, tokens, transport, logger: quiet });
        const exchange = new ExchangeAdminClient({ cloud, tenantId: sandbox.tenantId, tokens, transport: countingTransport(transport, counts), logger: quiet });
        const newGrantee = async (name: string) => {
            const smtp = `${name}@contoso.com`;
            await exchange.invoke('New-DistributionGroup', { Name: name, PrimarySmtpAddress: smtp, Type: 'Security' });
            return smtp;
        };
        const granteeA = await newGrantee('mytt-baseline');
        const granteeB = await newGrantee('mytt-calendar');
        const settle = () => new Promise(resolve => setTimeout(resolve, 1000)); // the token bucket full again before each phase

        const measure = async (name: string, mailboxes: number, work: () => Promise<string | undefined>): Promise<Phase> => {
            await settle();
            const before = { ...sandbox.stats().exchange };
            const countsBefore = structuredClone(counts);
            const started = Date.now();
            const note = await work();
            const wallMs = Date.now() - started;
            const after = sandbox.stats().exchange;
            const phase: Phase = { name, wallMs, mailboxes, counts: minus(counts, countsBefore), exchangeRequests: after.requests - before.requests, throttledRequests: after.throttled - before.throttled, ...(note ? { note } : {}) };
            console.log(`  ${name}: ${s(wallMs)}`);
            return phase;
        };

        // (a) the guide's loop: members, then per mailbox Get-Mailbox and Add-MailboxFolderPermission, one after another.
        const baselineCount = Math.max(1, Math.min(o.sample, mailboxCount));
        const a = await measure(`(a) baseline, one by one, on ${baselineCount} mailboxes${baselineCount < mailboxCount ? ' (a sample)' : ''}`, baselineCount, async () => {
            const members: string[] = [];
            for await (const page of graph.pages<{ userPrincipalName: string }>(`/groups/${groupId}/transitiveMembers/microsoft.graph.user?$select=userPrincipalName&$top=999&$count=true`, { scopes: ['GroupMember.Read.All'], headers: { ConsistencyLevel: 'eventual' } })) members.push(...page.map(u => u.userPrincipalName));
            let failed = 0;
            for (const upn of members.slice(0, baselineCount)) {
                try {
                    await exchange.invoke('Get-Mailbox', { Identity: upn }, { anchorMailbox: upn });
                    await exchange.invoke('Add-MailboxFolderPermission', { Identity: `${upn}:\\Calendar`, User: granteeA, AccessRights: ['Editor'] }, { anchorMailbox: upn });
                } catch (error) {
                    if (!(error instanceof ExchangeCommandError)) throw error;
                    failed++;
                }
            }
            return `${failed} of ${baselineCount} failed (the guide's script assumes every calendar is called "Calendar")`;
        });
        const aWallForAll = (a.wallMs * mailboxCount) / baselineCount;

        let summaryB: CalendarGrantSummary | undefined;
        const b = await measure('(b) runCalendarGrant, first grant', mailboxCount, async () => {
            summaryB = await runCalendarGrant({ graph, exchange, logger: quiet }, { mode: 'grant', groupId, groupName: 'Calendar integration', grantee: granteeB, accessRight: 'Editor' });
            return outcomeLine(summaryB);
        });
        let summaryC: CalendarGrantSummary | undefined;
        const c = await measure('(c) runCalendarGrant again, nothing to change', mailboxCount, async () => {
            summaryC = await runCalendarGrant({ graph, exchange, logger: quiet }, { mode: 'grant', groupId, groupName: 'Calendar integration', grantee: granteeB, accessRight: 'Editor' });
            return outcomeLine(summaryC);
        });

        // Is (b) right? Every member's calendar has exactly Editor for the grantee.
        const state = sandbox.state();
        const granteeId = [...state.groups.values()].find(g => g.mail === granteeB)?.id;
        const wrong = transitiveUsers(sandbox, groupId).filter(id => state.mailboxes.get(id)?.calendarPermissions.find(e => e.principal === granteeId)?.accessRights.join() !== 'Editor').length;

        console.log('');
        console.log(`  ${'phase'.padEnd(62)} ${'wall'.padStart(8)} ${'floor'.padStart(8)} ${'cmdlets/mailbox'.padStart(16)} ${'HTTP 429s'.padStart(10)} ${'writes'.padStart(7)}`);
        for (const p of [a, b, c]) {
            console.log(`  ${p.name.padEnd(62)} ${s(p.wallMs).padStart(8)} ${s(floorMs(p, rate, model)).padStart(8)} ${perMailbox(p.counts, p.mailboxes).padStart(16)} ${String(p.throttledRequests).padStart(10)} ${String(p.counts.writesSent).padStart(7)}`);
            console.log(`      ran: ${breakdown(p.counts)}; ${p.counts.sent - ranTotal(p.counts)} sent but throttled or not run; ${p.exchangeRequests} HTTP requests`);
            if (p.note) console.log(`      ${p.note}`);
        }
        if (baselineCount < mailboxCount) console.log(`  (a) extrapolated to ${mailboxCount} mailboxes: ${s(aWallForAll)}`);

        const tag = `[${model}]`;
        const ratio = (p: Phase) => p.wallMs / floorMs(p, rate, model);
        const inPlace = summaryC?.outcomes.filter(x => x.outcome === 'alreadyInPlace').length ?? 0;
        return {
            targets: [
                [`${tag} (b) within 1.2× of the throttle floor`, `${ratio(b).toFixed(2)}×`, ratio(b) <= 1.2],
                [`${tag} (c) within 1.2× of the throttle floor`, `${ratio(c).toFixed(2)}×`, ratio(c) <= 1.2],
                [`${tag} (c) zero writes`, String(c.counts.writesSent), c.counts.writesSent === 0],
                [`${tag} (b) every member has Editor, none failed`, `${wrong} wrong, ${summaryB?.outcomes.filter(x => x.outcome === 'failed').length ?? '?'} failed`, wrong === 0 && summaryB?.outcomes.every(x => x.outcome !== 'failed') === true],
                [`${tag} (c) every member already in place`, `${inPlace} of ${mailboxCount}`, inPlace === mailboxCount],
            ],
            info: [
                `${tag} cmdlets per mailbox: (a) ${perMailbox(a.counts, a.mailboxes)}, (b) ${perMailbox(b.counts, b.mailboxes)}, (c) ${perMailbox(c.counts, c.mailboxes)}`,
                `${tag} wall: (a) ${s(aWallForAll)}${baselineCount < mailboxCount ? ' (extrapolated)' : ''}, (b) ${s(b.wallMs)} = ${ratio(b).toFixed(2)}× floor, (c) ${s(c.wallMs)} = ${ratio(c).toFixed(2)}× floor`,
                `${tag} (b) speed-up over the baseline: ${(aWallForAll / b.wallMs).toFixed(1)}×`,
            ],
        };
    } finally {
        await sandbox.stop();
    }
}

/**
 * The throttle's floor for a phase: what Exchange let through, at the rate. Per item, a batch counts as its cmdlets;
 * per request, as one (each single InvokeCommand counts once in both).
 */
function floorMs(p: Phase, rate: number, model: BatchCost): number {
    return ((model === 'per-item' ? ranTotal(p.counts) : p.exchangeRequests - p.throttledRequests) / rate) * 1000;
}

async function runScale(o: { mailboxes: number; rate: number; latencyMs: number; inFlight: number }): Promise<Target[]> {
    console.log(`\n== scale, per-item: ${o.mailboxes} mailboxes, Exchange throttled to ${o.rate}/s (burst ${Math.max(10, Math.round(o.rate / 2))}), latency ${o.latencyMs} ms, ${o.inFlight} batches in flight; the engine in its own process`);
    const started = Date.now();
    // The same bucket shape as the main run (a burst of 10 at 20/s is half a second of commands): half a second's worth.
    const sandbox = await startSandbox({ users: Math.min(100_000, o.mailboxes), knobs: { latencyMs: o.latencyMs, throttleExchangePerSecond: o.rate, throttleBurst: Math.max(10, Math.round(o.rate / 2)), exchangeBatchCost: 'per-item' } });
    try {
        topUpMailboxes(sandbox, o.mailboxes);
        const groupId = addGroupOfMailboxes(sandbox, o.mailboxes);
        const transport = new HttpTransport({ ca: sandbox.caPem });
        const tokens = await appTokens(sandbox, transport);
        const cloud = cloudEndpoints('Custom', { authority: sandbox.origin, graphEndpoint: sandbox.graphUrl, exchangeEndpoint: sandbox.exchangeUrl });
        const exchange = new ExchangeAdminClient({ cloud, tenantId: sandbox.tenantId, tokens, transport, logger: quiet });
        const grantee = 'mytt-scale@contoso.com';
        await exchange.invoke('New-DistributionGroup', { Name: 'mytt-scale', PrimarySmtpAddress: grantee, Type: 'Security' });
        console.log(`  tenant ready in ${s(Date.now() - started)}`);
        await new Promise(resolve => setTimeout(resolve, 1000));
        const job: EngineJob = {
            origin: sandbox.origin,
            graphUrl: sandbox.graphUrl,
            exchangeUrl: sandbox.exchangeUrl,
            tenantId: sandbox.tenantId,
            caPath: sandbox.caPath,
            tokens: { graph: await tokens.getAccessToken({ resource: 'graph', scopes: [] }), exchange: await tokens.getAccessToken({ resource: 'exchange', scopes: [] }) },
            groupId,
            grantee,
            inFlight: o.inFlight,
        };
        const result = await new Promise<EngineResult>((resolve, reject) => {
            const child = fork(path.join(__dirname, 'engine.js'), [], { stdio: 'inherit' });
            child.send(job);
            let answer: EngineResult | undefined;
            child.on('message', m => { answer = m as EngineResult; });
            child.on('error', reject);
            child.on('exit', code => (answer ? resolve(answer) : reject(new Error(`The engine process exited with ${code ?? 'a signal'} and no result.`))));
        });
        const floor = (ranTotal(result.counts) / o.rate) * 1000;
        const ratio = result.wallMs / floor;
        const granted = result.outcomes.granted ?? 0;
        console.log(`  engine: ${s(result.wallMs)}, floor ${s(floor)} (${ranTotal(result.counts)} cmdlets let through ÷ ${o.rate}/s) = ${ratio.toFixed(2)}×; ${perMailbox(result.counts, o.mailboxes)} cmdlets per mailbox (${breakdown(result.counts)}); ${result.counts.sent - ranTotal(result.counts)} throttled; ${result.exchangeRequests} HTTP requests`);
        console.log(`  engine memory: peak RSS ${mb(result.peakRssBytes)}, peak heap used ${mb(result.peakHeapUsedBytes)}; outcomes ${JSON.stringify(result.outcomes)}`);
        return [
            ['[scale] engine peak RSS < 300 MB', mb(result.peakRssBytes), result.peakRssBytes < 300 * 1024 * 1024],
            ['[scale] within 1.2× of the throttle floor', `${ratio.toFixed(2)}×`, ratio <= 1.2],
            ['[scale] every mailbox granted', `${granted} of ${o.mailboxes}`, granted === o.mailboxes],
        ];
    } finally {
        await sandbox.stop();
    }
}

function outcomeLine(summary: CalendarGrantSummary): string {
    const counts = new Map<string, number>();
    for (const o of summary.outcomes) counts.set(o.outcome, (counts.get(o.outcome) ?? 0) + 1);
    return `${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}; ${summary.requests.exchange} Exchange and ${summary.requests.graph} Graph requests, ${summary.throttled} commands throttled (as the engine counts them)`;
}

/** Adds licensed users with a mailbox (copies of a seeded one) until the tenant has `count` user mailboxes: the seed stops at 100,000 users, not all of whom have a mailbox. */
function topUpMailboxes(sandbox: RunningSandbox, count: number): void {
    const state = sandbox.state();
    let have = [...state.mailboxes.values()].filter(m => m.recipientTypeDetails === 'UserMailbox').length;
    const template = [...state.users.values()].find(u => state.mailboxes.get(u.id)?.recipientTypeDetails === 'UserMailbox' && u.assignedLicenses.length > 0);
    if (!template) throw new Error('The sandbox has no licensed user with a mailbox to copy.');
    for (let i = 1; have < count; i++, have++) {
        const alias = `scale-${i}`;
        const user = { ...template, id: `cccccccc-0000-4000-8000-${String(i).padStart(12, '0')}`, userPrincipalName: `${alias}@contoso.com`, mail: `${alias}@contoso.com`, mailNickname: alias, displayName: `Scale ${i}` };
        state.users.set(user.id, user);
        state.mailboxes.set(user.id, newMailbox(user, 'UserMailbox', user.createdDateTime));
    }
}

/** A group "Calendar integration" of `count` users with a user mailbox, in four nested groups. */
function addGroupOfMailboxes(sandbox: RunningSandbox, count: number): string {
    const state = sandbox.state();
    const users = [...state.mailboxes.values()].filter(m => m.recipientTypeDetails === 'UserMailbox').map(m => m.userId).slice(0, count);
    if (users.length < count) throw new Error(`The sandbox has only ${users.length} user mailboxes.`);
    const created = new Date(Date.now() - 86_400_000).toISOString();
    const group = (key: string, displayName: string, members: string[]): DirectoryGroup => {
        const g: DirectoryGroup = { id: `bbbbbbbb-0000-4000-8000-${String(state.groups.size).padStart(12, '0')}`, displayName, mailNickname: key, mailEnabled: false, securityEnabled: true, groupTypes: [], members, owners: [], createdDateTime: created };
        state.groups.set(g.id, g);
        return g;
    };
    const quarter = Math.ceil(users.length / 4);
    const parts = [0, 1, 2, 3].map(i => group(`calendar-integration-${i + 1}`, `Calendar integration ${i + 1}`, users.slice(i * quarter, (i + 1) * quarter)));
    return group('calendar-integration', 'Calendar integration', parts.map(p => p.id)).id;
}

function transitiveUsers(sandbox: RunningSandbox, groupId: string): string[] {
    const state = sandbox.state();
    const seen = new Set<string>();
    const visit = (id: string) => {
        for (const m of state.groups.get(id)?.members ?? []) {
            if (seen.has(m)) continue;
            seen.add(m);
            visit(m);
        }
    };
    visit(groupId);
    return [...seen].filter(id => state.users.has(id));
}

/** App-only tokens for Graph and Exchange through real msal, acquired once (they outlive the run). */
async function appTokens(sandbox: RunningSandbox, transport: HttpTransport): Promise<TokenProvider> {
    const app = new msal.ConfidentialClientApplication({
        auth: { clientId: sandbox.confidentialClient.clientId, authority: sandbox.authority, clientSecret: sandbox.confidentialClient.secret, knownAuthorities: [new URL(sandbox.origin).host] },
        system: { networkClient: msalNetworkModule(r => transport.send(r)) },
    });
    const token = async (resource: string) => (await app.acquireTokenByClientCredential({ scopes: [`${resource}/.default`] }))?.accessToken ?? '';
    const tokens = { graph: await token(sandbox.graphUrl), exchange: await token(sandbox.exchangeUrl) };
    return { getAccessToken: request => Promise.resolve(tokens[request.resource]) };
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
