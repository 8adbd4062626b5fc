// smoke/run.ts — `npm run smoke:tenant`: is the sandbox right about Microsoft 365? Asks a real tenant, READ-ONLY, the
// questions docs/FIDELITY.md lists, and prints per id whether the tenant agreed ("agrees" / "differs: …" /
// "not checked: why"). Opt-in: never part of `npm test` or CI. It changes nothing in the tenant: every request is a
// Graph GET or an Exchange Get- cmdlet.
//
// Environment (a real tenant):
//   M365P_SMOKE_TENANT              required: tenant id or domain, e.g. contoso.onmicrosoft.com
//   M365P_SMOKE_CLOUD               Global (default) | USGovernment | USGovernmentDoD | China
//   M365P_SMOKE_GRAPH_CLIENT_ID     default 14d82eec-204b-4c2f-b7e8-296a70dab67e (Microsoft Graph Command Line Tools)
//   M365P_SMOKE_EXCHANGE_CLIENT_ID  default fb78d390-0c51-40cd-8e17-fdbfab77341b (Exchange Online PowerShell)
//   HTTPS_PROXY / NO_PROXY          as for the extension
// Sign-in is by device code with the project's own msal code (src/auth): the printed prompt is the only thing to do
// (twice when the Graph and Exchange clients differ; once more if Exchange refuses Exchange.Manage and the run asks for
// `.default`, as Connect-ExchangeOnline does). Tokens stay in memory and are never printed. Sign in as an admin
// who may read the directory and run Exchange Get- cmdlets (Global Reader is enough for everything but A13).
//
// Usage: npm run smoke:tenant                  against M365P_SMOKE_TENANT
//        npm run smoke:tenant -- --sandbox     against a local sandbox tenant (signs itself in; for trying the tool)
//        add --verbose to see each request on stderr, --json FILE to also write the results (to attach to an issue).
import { writeFileSync } from 'node:fs';
import type { DeviceCodePrompt } from '../src/auth/DelegatedSignIn';
import { cloudEndpoints, type CloudEndpoints } from '../src/auth/clouds';
import { HttpTransport } from '../src/net/HttpTransport';
import { proxyFromEnvironment } from '../src/net/proxy';
import type { Logger } from '../src/shared/logger';
import { missingMailbox } from './checks/exchangeObservations';
import { clientId, exchangeOnlinePowerShell, graphCommandLineTools, targetFromEnvironment } from './config';
import { formatResults, runSmokeChecks, smokeContext, type SmokeResult } from './runChecks';
import { sandboxTarget } from './sandboxTarget';
import { signInForSmoke } from './signIn';

export interface SmokeRun {
    results: SmokeResult[];
    /** Who signed in and how, for the header. */
    signedIn: string;
    /** The raw body Exchange sent for Get-Mailbox on a mailbox that does not exist ('' if it sent none). */
    missingMailboxBody: string;
    notes: string[];
}

const quiet: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const stderrLogger: Logger = { ...quiet, debug: m => console.error(m), warn: m => console.error(m), error: m => console.error(m) };

/** Signs in, runs every check, and gives the results; the caller prints them. */
export async function runSmoke(setup: { mode: 'tenant' | 'sandbox'; cloud: CloudEndpoints; tenant: string; graphClientId: string; exchangeClientId: string; transport: HttpTransport; showDeviceCode(prompt: DeviceCodePrompt): void; exchangeFallbackClientId?: string; logger?: Logger }): Promise<SmokeRun> {
    const logger = setup.logger ?? quiet;
    const signIn = await signInForSmoke({ ...setup, logger });
    const ctx = smokeContext({ mode: setup.mode, cloud: setup.cloud, transport: setup.transport, signIn, logger });
    const results = await runSmokeChecks(ctx);
    const missingMailboxBody = ctx.exchange ? (await missingMailbox(ctx).catch(() => undefined))?.rawBody ?? '' : '';
    const notes = signIn.findings.exchangeFallback ? [signIn.findings.exchangeFallback] : [];
    return { results, signedIn: `${signIn.username} in tenant ${signIn.tenantId} (${setup.cloud.name})`, missingMailboxBody, notes };
}

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    const logger = args.includes('--verbose') ? stderrLogger : quiet;
    const showPrompt = (prompt: DeviceCodePrompt) => console.error(`\n${prompt.message}\n`);
    let run: SmokeRun;
    if (args.includes('--sandbox')) {
        const target = await sandboxTarget();
        try {
            console.error(`Sandbox tenant at ${target.sandbox.origin}; its device codes are approved by this script as its Global Administrator.`);
            run = await runSmoke({
                mode: 'sandbox',
                cloud: target.cloud,
                tenant: target.sandbox.tenantId,
                graphClientId: clientId(process.env, 'M365P_SMOKE_GRAPH_CLIENT_ID', graphCommandLineTools),
                exchangeClientId: clientId(process.env, 'M365P_SMOKE_EXCHANGE_CLIENT_ID', exchangeOnlinePowerShell),
                exchangeFallbackClientId: target.sandbox.publicClientId,
                transport: target.transport,
                showDeviceCode: prompt => {
                    showPrompt(prompt);
                    target.approve(prompt.userCode).catch((error: unknown) => console.error(`Could not approve the code: ${(error as Error).message}`));
                },
                logger,
            });
        } finally {
            await target.sandbox.stop();
        }
    } else {
        const target = targetFromEnvironment();
        run = await runSmoke({
            mode: 'tenant',
            cloud: cloudEndpoints(target.cloud),
            tenant: target.tenant,
            graphClientId: target.graphClientId,
            exchangeClientId: target.exchangeClientId,
            transport: new HttpTransport({ proxy: proxyFromEnvironment(), userAgent: 'm365-provisioner-smoke' }),
            showDeviceCode: showPrompt,
            logger,
        });
    }
    console.log(`Signed in as ${run.signedIn}. Read only: nothing was changed.\n`);
    for (const note of run.notes) console.log(`Note: ${note}\n`);
    console.log(formatResults(run.results));
    console.log(`\nRaw error body of Get-Mailbox for a mailbox that does not exist (${run.missingMailboxBody.length} characters):\n${readable(run.missingMailboxBody)}`);
    const jsonAt = args.indexOf('--json');
    if (jsonAt >= 0) {
        const file = args[jsonAt + 1];
        if (!file) throw new Error('--json needs a file name.');
        writeFileSync(file, `${JSON.stringify({ signedIn: run.signedIn, notes: run.notes, results: run.results, missingMailboxBody: run.missingMailboxBody }, undefined, 2)}\n`);
        console.error(`Results written to ${file}.`);
    }
}

/** Pretty JSON when the body is JSON; otherwise the text with NULs and other control characters made visible. */
function readable(body: string): string {
    if (!body) return '(empty)';
    try {
        return JSON.stringify(JSON.parse(body), undefined, 2);
    } catch {
        return JSON.stringify(body);
    }
}

if (require.main === module) {
    main().catch((error: unknown) => {
        console.error(`smoke:tenant failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
    });
}
