import { validateGraphRequest } from './graphConformance';

/**
 * Every Graph request a suite sends to the sandbox, checked against Graph's reference (test/reference/graph) as it
 * arrives; the run fails at the end if any broke it. A sandbox started with `onGraphRequest: checkGraphRequest` feeds
 * it (test/sandbox/fixture.ts, the extension-host harness); the mocha root hook in graphRequestHooks.ts reports.
 */

/**
 * A request a test sends ON PURPOSE to provoke Graph's error (a malformed query the sandbox must refuse) carries this
 * header, and only such requests: the check skips them. Keep their list short (grep for the name).
 */
export const deliberatelyInvalid = { 'x-test-deliberately-invalid': 'true' } as const;

export interface GraphViolation {
    method: string;
    path: string;
    errors: string[];
    /** The test (or hook) that was running when the request arrived, when known. */
    during: string;
}

export interface GraphRequestCheck {
    /** The sandbox's `onGraphRequest`: validates one request (a `$batch` item arrives here on its own too). */
    check: (method: string, pathWithQuery: string, headers: Readonly<Record<string, string>>, body: unknown) => void;
    /** What the report names as the source of the requests that arrive from now on. */
    nowRunning: (title: string) => void;
    /** Validates what was recorded since the last call; gives every violation found so far and how many requests were checked. */
    violations: () => Promise<{ checked: number; violations: GraphViolation[] }>;
}

/**
 * Graph writes `$skiptoken` into its own `@odata.nextLink`, which clients follow as given; the reference subset does not
 * describe that parameter, so it is taken out before the check (the rest of the link still is checked).
 */
function withoutSkipToken(pathWithQuery: string): string {
    return pathWithQuery.replace(/([?&])(\$|%24)skiptoken=[^&]*&?/i, '$1').replace(/[?&]$/, '');
}

/**
 * A collector of its own (the suites share `shared` below; a test of the collector makes another). Requests are only
 * recorded as they arrive and validated when `violations()` is asked for: loading the reference takes seconds of CPU
 * and each check milliseconds, which inside a test would slow the sandbox beside it (throttling and timing tests).
 */
export function graphRequestCheck(): GraphRequestCheck {
    const recorded: { method: string; path: string; headers: Record<string, string>; body: unknown; during: string }[] = [];
    const found: GraphViolation[] = [];
    let checked = 0;
    let running = '(outside any test)';
    return {
        check(method, pathWithQuery, headers, body) {
            if (headers['x-test-deliberately-invalid'] === 'true') return;
            recorded.push({ method, path: withoutSkipToken(pathWithQuery), headers: { ...headers }, body: body === undefined ? undefined : structuredClone(body), during: running });
        },
        nowRunning(title) {
            running = title;
        },
        async violations() {
            for (const r of recorded.splice(0)) {
                checked++;
                try {
                    const result = await validateGraphRequest(r.method, r.path, r.body, r.headers);
                    if (result.errors.length) found.push({ method: r.method, path: r.path, errors: result.errors, during: r.during });
                } catch (error) {
                    found.push({ method: r.method, path: r.path, errors: [`the check itself failed: ${error instanceof Error ? error.message : String(error)}`], during: r.during });
                }
            }
            return { checked, violations: [...found] };
        },
    };
}

const shared = graphRequestCheck();
/** The suites' collector, fed by every sandbox the tests start (fixture.ts, the extension-host harness). */
export const checkGraphRequest = shared.check;
export const nowRunning = shared.nowRunning;
export const graphViolations = shared.violations;

/** The report: "Graph reference violations: N", then one block per violation. */
export function describeViolations(violations: readonly GraphViolation[]): string {
    return [`Graph reference violations: ${violations.length}`, ...violations.map(v => `  ${v.method} ${v.path}\n    during: ${v.during}\n${v.errors.map(e => `    - ${e}`).join('\n')}`)].join('\n');
}
