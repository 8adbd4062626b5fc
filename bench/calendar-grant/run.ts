// bench/calendar-grant: Editor for a mail-enabled security group on the calendar of every member of a group (the last
// step of the second guide), against the sandbox tenant with 50 ms latency and Exchange throttled to 20 requests a
// second per app (429 + Retry-After). In one run:
//   (a) the baseline: the guide's PowerShell done through the admin API, one mailbox after another: Get-Mailbox, then
//       Add-MailboxFolderPermission on `upn:\Calendar`, each a single InvokeCommand (ExchangeAdminClient.invoke);
//   (b) runCalendarGrant for a fresh grantee (the same work from a clean start);
//   (c) runCalendarGrant again, with nothing left to change.
// Targets: (b) at least 5× faster than (a); (b) within 1.2× of the throttle floor (the Exchange requests the throttle
// had to let through, ÷ 20 a second); (c) sends no write.
// Usage: node out/bench/calendar-grant/run.js [--mailboxes 2000] [--baseline-sample 2000] [--latency 50] [--rate 20]
// (--baseline-sample N times the baseline on N mailboxes and extrapolates its time to all of them, and says so.)
import * as msal from '@azure/msal-node';
import { cloudEndpoints } from '../../src/auth/clouds';
import { msalNetworkModule } from '../../src/auth/msalNetwork';
import type { TokenProvider } from '../../src/auth/TokenProvider';
import { ExchangeAdminClient } from '../../src/exchange/ExchangeAdminClient';
import { ExchangeCommandError } from '../../src/exchange/ExchangeCommandError';
import { GraphClient } from '../../src/graph/GraphClient';
import { HttpTransport, type HttpRequest } from '../../src/net/HttpTransport';
import { runCalendarGrant, type CalendarGrantSummary } from '../../src/provisioning/calendarGrants';
import type { Logger } from '../../src/shared/logger';
import type { DirectoryGroup } from '../../sandbox/src/contracts';
import { startSandbox, type RunningSandbox } from '../../sandbox/src/server';

const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} needs a number ≥ 0`);
    return value;
};

const writeCmdlets = new Set(['Add-MailboxFolderPermission', 'Set-MailboxFolderPermission', 'Remove-MailboxFolderPermission']);
const quiet: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

interface Phase {
    name: string;
    wallMs: number;
    mailboxes: number;
    exchangeRequests: number;
    throttled: number;
    writes: number;
    note?: string;
}

async function main(): Promise<void> {
    const mailboxCount = arg('--mailboxes', 2000);
    // The baseline is the slow part (two requests of 50 ms or more per mailbox, one after another): by default it runs
    // on all mailboxes up to 2,000 and is extrapolated beyond, which the output says.
    const sample = arg('--baseline-sample', 2000);
    const latencyMs = arg('--latency', 50);
    const rate = arg('--rate', 20);

    // A tenant with enough licensed users, and a group of exactly `mailboxCount` of them (in four nested groups, as
    // the seed's Staff group nests its departments).
    const sandbox = await startSandbox({ users: Math.ceil(mailboxCount * 1.15) + 20, knobs: { latencyMs, throttleExchangePerSecond: rate } });
    const groupId = addGroupOfMailboxes(sandbox, mailboxCount);
    const transport = new HttpTransport({ ca: sandbox.caPem });
    const tokens = await appTokens(sandbox, transport);
    const cmdlets: string[] = [];
    // Records the cmdlets of every request Exchange processed (not those it turned away with 429 or 503 unread).
    const recording = {
        send: async (r: HttpRequest) => {
            const response = await transport.send(r);
            if (response.status === 429 || response.status === 503) return response;
            const body = JSON.parse(String(r.body ?? '{}')) as { CmdletInput?: { CmdletName: string }; requests?: { body: { CmdletInput: { CmdletName: string } } }[] };
            if (body.CmdletInput) cmdlets.push(body.CmdletInput.CmdletName);
            for (const item of body.requests ?? []) cmdlets.push(item.body.CmdletInput.CmdletName);
            return response;
        },
    };
    const cloud = cloudEndpoints('Custom', { authority: sandbox.origin, graphEndpoint: sandbox.graphUrl, exchangeEndpoint: sandbox.exchangeUrl });
    const graph = new GraphClient({ cloud, tokens, transport, logger: quiet });
    const exchange = new ExchangeAdminClient({ cloud, tenantId: sandbox.tenantId, tokens, transport: recording, logger: quiet });
    const newGrantee = async (name: string) => {
        const smtp = `${name}@contoso.com`;
        await exchange.invoke('New-DistributionGroup', { Name: name, PrimarySmtpAddress: smtp, Type: 'Security' });
        return smtp;
    };
    const granteeA = await newGrantee('mytt-baseline');
    const granteeB = await newGrantee('mytt-calendar');
    await new Promise(resolve => setTimeout(resolve, 1000)); // the token bucket full again before each phase

    const measure = async (name: string, mailboxes: number, work: () => Promise<string | undefined>): Promise<Phase> => {
        const before = { ...sandbox.stats().exchange };
        const writesBefore = cmdlets.filter(c => writeCmdlets.has(c)).length;
        const started = Date.now();
        const note = await work();
        const wallMs = Date.now() - started;
        const after = sandbox.stats().exchange;
        return { name, wallMs, mailboxes, exchangeRequests: after.requests - before.requests, throttled: after.throttled - before.throttled, writes: cmdlets.filter(c => writeCmdlets.has(c)).length - writesBefore, ...(note ? { note } : {}) };
    };

    // (a) the guide's loop: members, then per mailbox Get-Mailbox and Add-MailboxFolderPermission, one after another.
    const baselineCount = Math.max(1, Math.min(sample, mailboxCount));
    console.log(`bench/calendar-grant: ${mailboxCount} mailboxes, latency ${latencyMs} ms, Exchange throttled to ${rate}/s (429 + Retry-After)`);
    console.log(`  (a) baseline on ${baselineCount} mailboxes${baselineCount < mailboxCount ? ' (a sample; its time is extrapolated to all)' : ''}…`);
    const a = await measure('(a) baseline: Get-Mailbox + Add-MailboxFolderPermission, one by one', baselineCount, async () => {
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
    await new Promise(resolve => setTimeout(resolve, 1000));

    console.log('  (b) runCalendarGrant…');
    let summaryB: CalendarGrantSummary | undefined;
    const b = await measure('(b) runCalendarGrant', mailboxCount, async () => {
        summaryB = await runCalendarGrant({ graph, exchange, logger: quiet }, { mode: 'grant', groupId, groupName: 'Calendar integration', grantee: granteeB, accessRight: 'Editor' });
        return outcomeLine(summaryB);
    });
    await new Promise(resolve => setTimeout(resolve, 1000));
    console.log('  (c) runCalendarGrant again…');
    let summaryC: CalendarGrantSummary | undefined;
    const c = await measure('(c) runCalendarGrant, nothing to change', mailboxCount, async () => {
        summaryC = await runCalendarGrant({ graph, exchange, logger: quiet }, { mode: 'grant', groupId, groupName: 'Calendar integration', grantee: granteeB, accessRight: 'Editor' });
        return outcomeLine(summaryC);
    });

    // Is (b) right? Every member's calendar has exactly Editor for the grantee.
    const state = sandbox.state();
    const granteeId = [...state.groups.values()].find(g => g.mail === granteeB)?.id;
    const wrong = (state.groups.get(groupId) ? transitiveUsers(sandbox, groupId) : []).filter(id => state.mailboxes.get(id)?.calendarPermissions.find(e => e.principal === granteeId)?.accessRights.join() !== 'Editor').length;
    await sandbox.stop();

    console.log('');
    const rows = [a, b, c];
    console.log(`  ${'phase'.padEnd(68)} ${'wall'.padStart(9)} ${'Exchange req/mailbox'.padStart(21)} ${'429s'.padStart(6)} ${'writes'.padStart(7)}`);
    for (const p of rows) {
        console.log(`  ${p.name.padEnd(68)} ${`${(p.wallMs / 1000).toFixed(1)} s`.padStart(9)} ${(p.exchangeRequests / p.mailboxes).toFixed(3).padStart(21)} ${String(p.throttled).padStart(6)} ${String(p.writes).padStart(7)}`);
        if (p.note) console.log(`      ${p.note}`);
    }
    if (baselineCount < mailboxCount) console.log(`  (a) extrapolated to ${mailboxCount} mailboxes: ${(aWallForAll / 1000).toFixed(1)} s`);
    const accepted = b.exchangeRequests - b.throttled;
    const floorMs = (accepted / rate) * 1000;
    console.log(`  (b) throttle floor: ${accepted} Exchange requests let through (${b.exchangeRequests} sent, ${b.throttled} answered 429) ÷ ${rate}/s = ${(floorMs / 1000).toFixed(1)} s`);

    const targets: [string, string, boolean][] = [
        ['(b) at least 5× faster than (a)', `${(aWallForAll / b.wallMs).toFixed(1)}×`, aWallForAll / b.wallMs >= 5],
        ['(b) within 1.2× of the throttle floor', `${(b.wallMs / floorMs).toFixed(2)}×`, b.wallMs <= 1.2 * floorMs],
        ['(c) zero writes', String(c.writes), c.writes === 0],
        ['(b) every member has Editor, none failed', `${wrong} wrong, ${summaryB?.outcomes.filter(o => o.outcome === 'failed').length ?? '?'} failed`, wrong === 0 && summaryB?.outcomes.every(o => o.outcome !== 'failed') === true],
        ['(c) every member already in place', `${summaryC?.outcomes.filter(o => o.outcome === 'alreadyInPlace').length ?? 0} of ${mailboxCount}`, summaryC?.outcomes.filter(o => o.outcome === 'alreadyInPlace').length === mailboxCount],
    ];
    console.log('');
    for (const [what, value, ok] of targets) console.log(`  ${what.padEnd(44)} ${value.padStart(16)}  ${ok ? 'met' : 'MISSED'}`);
    if (targets.some(t => !t[2])) process.exit(1);
}

function outcomeLine(summary: CalendarGrantSummary): string {
    const counts = new Map<string, number>();
    for (const o of summary.outcomes) counts.set(o.outcome, (counts.get(o.outcome) ?? 0) + 1);
    return `${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}; ${summary.requests.exchange} Exchange and ${summary.requests.graph} Graph requests, ${summary.throttled} throttled (as the engine counts them)`;
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
