import type { CloudEndpoints } from '../src/auth/clouds';
import { ExchangeAdminClient } from '../src/exchange/ExchangeAdminClient';
import { ExchangeCommandError } from '../src/exchange/ExchangeCommandError';
import { exchangePages } from '../src/exchange/exchangePages';
import { directoryPages } from '../src/graph/directoryPages';
import { GraphClient } from '../src/graph/GraphClient';
import { GraphRequestError } from '../src/graph/GraphRequestError';
import type { HttpTransport } from '../src/net/HttpTransport';
import type { Logger } from '../src/shared/logger';
import { smokeChecks } from './checks';
import { differs, notChecked, type SmokeCheck, type SmokeContext, type Verdict } from './context';
import { readOnlyGuard } from './readOnlyGuard';
import { recordingTransport } from './recordingTransport';
import type { SmokeSignIn } from './signIn';

export interface SmokeResult {
    ref: string;
    name: string;
    verdict: Verdict;
}

/** The project's own Graph and Exchange clients over one recording transport, as the extension builds them. */
export function smokeContext(setup: { mode: SmokeContext['mode']; cloud: CloudEndpoints; transport: Pick<HttpTransport, 'send'>; signIn: SmokeSignIn; logger: Logger }): SmokeContext {
    // Guarded first: nothing a check sends, through the clients or by hand, can change the tenant.
    const recorded = recordingTransport(readOnlyGuard(setup.transport, setup.cloud));
    const { tokens, tenantId } = setup.signIn;
    const graph = new GraphClient({ cloud: setup.cloud, tokens, transport: recorded, logger: setup.logger });
    const exchange = setup.signIn.hasExchange ? new ExchangeAdminClient({ cloud: setup.cloud, tenantId, tokens, transport: recorded, logger: setup.logger }) : undefined;
    const observed = new Map<string, Promise<unknown>>();
    return {
        mode: setup.mode,
        cloud: setup.cloud,
        tenantId,
        tokens,
        transport: recorded,
        recorded,
        graph,
        directory: directoryPages(graph),
        ...(exchange ? { exchange, exchangePages: exchangePages(exchange) } : { exchangeUnavailable: `no Exchange token: ${setup.signIn.findings.exchangeSignInError ?? 'not signed in'}` }),
        signIn: setup.signIn.findings,
        observe: <T>(key: string, read: () => Promise<T>) => {
            let answer = observed.get(key) as Promise<T> | undefined;
            if (!answer) {
                answer = read();
                observed.set(key, answer);
            }
            return answer;
        },
    };
}

/**
 * Runs every check, one after another (a smoke run is a handful of reads; no need to press the tenant). A check that
 * throws still gets a verdict: Microsoft refusing a read the sandbox answers is a difference; anything else (no
 * token, no network) means the question was not asked.
 */
export async function runSmokeChecks(ctx: SmokeContext, checks: readonly SmokeCheck[] = smokeChecks): Promise<SmokeResult[]> {
    const results: SmokeResult[] = [];
    for (const check of checks) {
        let verdict: Verdict;
        try {
            verdict = await check.run(ctx);
        } catch (error) {
            verdict = verdictOfFailure(error);
        }
        results.push({ ref: check.ref, name: check.name, verdict });
    }
    return results;
}

function verdictOfFailure(error: unknown): Verdict {
    if (error instanceof GraphRequestError) return differs(`Graph answered ${error.status} ${error.code}: ${error.message}`);
    if (error instanceof ExchangeCommandError) return differs(`Exchange answered ${error.status} to ${error.cmdlet}: ${error.message}`);
    if (error instanceof Error && error.name === 'WriteRefused') return notChecked(error.message);
    return notChecked(`could not ask: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
}

/** The results as a table for a terminal: id, outcome, what was checked, what was seen. */
export function formatResults(results: readonly SmokeResult[]): string {
    const refWidth = Math.max(...results.map(r => r.ref.length));
    const lines = results.map(r => `${r.ref.padEnd(refWidth)}  ${r.verdict.outcome.padEnd(11)}  ${r.name}\n${' '.repeat(refWidth + 15)}${r.verdict.detail}`);
    const count = (outcome: Verdict['outcome']) => results.filter(r => r.verdict.outcome === outcome).length;
    return `${lines.join('\n')}\n\n${count('agrees')} agree, ${count('differs')} differ, ${count('not checked')} not checked (ids: docs/FIDELITY.md)`;
}
