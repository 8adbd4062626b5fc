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

const pending: Promise<void>[] = [];
const found: GraphViolation[] = [];
let checked = 0;
let running = '(outside any test)';

/** What the report names as the source of the requests that arrive from now on. */
export function nowRunning(title: string): void {
    running = title;
}

/**
 * Graph writes `$skiptoken` into its own `@odata.nextLink`, which clients follow as given; the reference subset does not
 * describe that parameter, so it is taken out before the check (the rest of the link still is checked).
 */
function withoutSkipToken(pathWithQuery: string): string {
    return pathWithQuery.replace(/([?&])(\$|%24)skiptoken=[^&]*&?/i, '$1').replace(/[?&]$/, '');
}

/** The sandbox's `onGraphRequest`: validates one request (a `$batch` item arrives here on its own too). */
export function checkGraphRequest(method: string, pathWithQuery: string, headers: Readonly<Record<string, string>>, body: unknown): void {
    if (headers['x-test-deliberately-invalid'] === 'true') return;
    const during = running;
    const path = withoutSkipToken(pathWithQuery);
    checked++;
    pending.push(
        validateGraphRequest(method, path, body, { ...headers }).then(
            result => { if (result.errors.length) found.push({ method, path, errors: result.errors, during }); },
            (error: unknown) => { found.push({ method, path, errors: [`the check itself failed: ${error instanceof Error ? error.message : String(error)}`], during }); },
        ),
    );
}

/** Waits for the checks still running, then gives every violation found so far and how many requests were checked. */
export async function graphViolations(): Promise<{ checked: number; violations: GraphViolation[] }> {
    while (pending.length) await Promise.all(pending.splice(0));
    return { checked, violations: [...found] };
}

/** The report: "Graph reference violations: N", then one block per violation. */
export function describeViolations(violations: readonly GraphViolation[]): string {
    return [`Graph reference violations: ${violations.length}`, ...violations.map(v => `  ${v.method} ${v.path}\n    during: ${v.during}\n${v.errors.map(e => `    - ${e}`).join('\n')}`)].join('\n');
}
