// The engine in a process of its own (the scale run), so that its memory is measured without the sandbox's: runs
// runCalendarGrant once against a running sandbox and sends its figures to the parent over IPC.
// Input: the first IPC message, an EngineJob (not argv: it holds access tokens, which argv would show to `ps`).
// Output (process.send): EngineResult.
import { readFileSync } from 'node:fs';
import { cloudEndpoints } from '../../src/auth/clouds';
import { ExchangeAdminClient } from '../../src/exchange/ExchangeAdminClient';
import { GraphClient } from '../../src/graph/GraphClient';
import { HttpTransport } from '../../src/net/HttpTransport';
import { runCalendarGrant, type MailboxOutcomeKind } from '../../src/provisioning/calendar';
import type { Logger } from '../../src/shared/logger';
import { countingTransport, emptyCounts, type CmdletCounts } from './counting';

export interface EngineJob {
    origin: string;
    graphUrl: string;
    exchangeUrl: string;
    tenantId: string;
    caPath: string;
    tokens: { graph: string; exchange: string };
    groupId: string;
    grantee: string;
    /** `$batch` requests in flight, and the Exchange client's concurrency (the same number). */
    inFlight: number;
}

export interface EngineResult {
    wallMs: number;
    counts: CmdletCounts;
    outcomes: Partial<Record<MailboxOutcomeKind, number>>;
    members: number;
    exchangeRequests: number;
    throttled: number;
    peakRssBytes: number;
    peakHeapUsedBytes: number;
}

const quiet: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

async function main(): Promise<void> {
    const job = await new Promise<EngineJob>(resolve => process.once('message', m => resolve(m as EngineJob)));
    let peakRss = 0;
    let peakHeap = 0;
    const sample = () => {
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed);
    };
    const sampler = setInterval(sample, 100);
    const transport = new HttpTransport({ ca: readFileSync(job.caPath, 'utf8') });
    const counts = emptyCounts();
    const cloud = cloudEndpoints('Custom', { authority: job.origin, graphEndpoint: job.graphUrl, exchangeEndpoint: job.exchangeUrl });
    const tokens = { getAccessToken: (r: { resource: 'graph' | 'exchange' }) => Promise.resolve(job.tokens[r.resource]) };
    const graph = new GraphClient({ cloud, tokens, transport, logger: quiet });
    const exchange = new ExchangeAdminClient({ cloud, tenantId: job.tenantId, tokens, transport: countingTransport(transport, counts), logger: quiet, maxConcurrency: job.inFlight });
    const started = Date.now();
    const summary = await runCalendarGrant({ graph, exchange, logger: quiet }, { mode: 'grant', groupId: job.groupId, groupName: 'Calendar integration', grantee: job.grantee, accessRight: 'Editor' }, { maxBatchesInFlight: job.inFlight });
    const wallMs = Date.now() - started;
    sample();
    clearInterval(sampler);
    const outcomes: Partial<Record<MailboxOutcomeKind, number>> = {};
    for (const o of summary.outcomes) outcomes[o.outcome] = (outcomes[o.outcome] ?? 0) + 1;
    const result: EngineResult = {
        wallMs,
        counts,
        outcomes,
        members: summary.members ?? 0,
        exchangeRequests: summary.requests.exchange,
        throttled: summary.throttled,
        // maxRSS is in kilobytes: the process's peak, between the 100 ms samples too.
        peakRssBytes: Math.max(peakRss, process.resourceUsage().maxRSS * 1024),
        peakHeapUsedBytes: peakHeap,
    };
    process.send?.(result);
    process.disconnect?.();
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
