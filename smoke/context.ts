import type { CloudEndpoints } from '../src/auth/clouds';
import type { TokenProvider } from '../src/auth/TokenProvider';
import type { ExchangeAdminClient } from '../src/exchange/ExchangeAdminClient';
import type { ExchangePages } from '../src/exchange/exchangePages';
import type { DirectoryPages } from '../src/graph/directoryPages';
import type { GraphClient } from '../src/graph/GraphClient';
import type { HttpTransport } from '../src/net/HttpTransport';
import type { RecordingTransport } from './recordingTransport';

/** What a check found: the tenant did what docs/FIDELITY.md says, did something else, or could not be asked. */
export type Outcome = 'agrees' | 'differs' | 'not checked';

export interface Verdict {
    outcome: Outcome;
    /** What was seen (or why nothing was), in one line: never a token. */
    detail: string;
}

export const agrees = (detail: string): Verdict => ({ outcome: 'agrees', detail });
export const differs = (detail: string): Verdict => ({ outcome: 'differs', detail });
export const notChecked = (detail: string): Verdict => ({ outcome: 'not checked', detail });

/** How the run signed in: the sign-in checks read these instead of signing in again. */
export interface SignInFindings {
    graphClientId: string;
    exchangeClientId: string;
    /** Undefined when the Exchange client got its token; else Entra's answer. */
    exchangeSignInError?: string;
    /** When Exchange.Manage was refused and `.default` (what Connect-ExchangeOnline asks for) was not. */
    exchangeScopeRefused?: string;
    /** When Exchange runs on another client than asked for (the sandbox fallback), which one and why. */
    exchangeFallback?: string;
    /** What Entra answered when the Graph client asked, silently, for an Exchange token (AADSTS65002 expected). */
    graphClientForExchange: { gotToken: boolean; error?: string };
}

/** Everything a check may use: the project's own clients over one recording transport, and the sign-in findings. */
export interface SmokeContext {
    mode: 'tenant' | 'sandbox';
    cloud: CloudEndpoints;
    tenantId: string;
    tokens: TokenProvider;
    /** The raw transport, for the few requests the clients would never send (11 items in one Exchange $batch). */
    transport: Pick<HttpTransport, 'send'>;
    recorded: RecordingTransport;
    graph: GraphClient;
    directory: DirectoryPages;
    /** Undefined when no Exchange token could be had; `exchangeUnavailable` says why. */
    exchange?: ExchangeAdminClient;
    exchangePages?: ExchangePages;
    exchangeUnavailable?: string;
    signIn: SignInFindings;
    /** Runs `read` once per key and hands every check the same answer (several checks read one error body). */
    observe<T>(key: string, read: () => Promise<T>): Promise<T>;
}

/**
 * One row of the smoke run. `ref` is the id of the row in docs/FIDELITY.md it checks (a sourced behaviour such as
 * `XI3`, or an assumption such as `A9`); several checks may share one. `run` only reads: nothing may change the tenant.
 */
export interface SmokeCheck {
    ref: string;
    name: string;
    run(ctx: SmokeContext): Promise<Verdict> | Verdict;
}
