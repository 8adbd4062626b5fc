import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { smokeChecks } from '../../smoke/checks';
import { exchangeOnlinePowerShell, graphCommandLineTools } from '../../smoke/config';
import { runSmoke, type SmokeRun } from '../../smoke/run';
import { sandboxTarget, type SandboxTarget } from '../../smoke/sandboxTarget';

// `npm run smoke:tenant` is never run by CI against a real tenant, so this keeps it from rotting: against the sandbox,
// every check must come to a verdict with a reason, and every id it reports must be a row of docs/FIDELITY.md. It does
// not assert that the sandbox agrees: whether it does is what other work changes, and what the tool is there to show.
describe('npm run smoke:tenant against the sandbox', function () {
    this.timeout(120_000);
    let target: SandboxTarget | undefined;
    let run: SmokeRun;
    const fidelity = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'FIDELITY.md'), 'utf8');

    before(async () => {
        target = await sandboxTarget();
        const t = target;
        run = await runSmoke({
            mode: 'sandbox',
            cloud: t.cloud,
            tenant: t.sandbox.tenantId,
            graphClientId: graphCommandLineTools,
            exchangeClientId: exchangeOnlinePowerShell,
            exchangeFallbackClientId: t.sandbox.publicClientId,
            transport: t.transport,
            showDeviceCode: prompt => void t.approve(prompt.userCode),
        });
    });
    after(() => target?.sandbox.stop());

    it('gives every check a verdict and a reason', () => {
        assert.equal(run.results.length, smokeChecks.length);
        for (const result of run.results) {
            assert.ok(['agrees', 'differs', 'not checked'].includes(result.verdict.outcome), `${result.ref} ${result.name}: ${result.verdict.outcome}`);
            assert.ok(result.verdict.detail.trim().length > 0, `${result.ref} ${result.name} says nothing`);
        }
    });

    it('asks the questions it can ask of a tenant with Exchange: only the write-, load- and portal-bound rows go unchecked for want of access', () => {
        // Either client may sign in to Exchange (the sandbox may not know the Exchange Online PowerShell client yet);
        // with one of them, no check may fail to ask for want of a token or a connection.
        const couldNotAsk = run.results.filter(r => r.verdict.detail.startsWith('could not ask'));
        assert.deepEqual(couldNotAsk.map(r => `${r.ref}: ${r.verdict.detail}`), []);
    });

    it('records the raw error body of Get-Mailbox for a mailbox that does not exist', () => {
        assert.ok(run.missingMailboxBody.length > 0);
    });

    it('reports only ids that are rows of docs/FIDELITY.md', () => {
        for (const ref of new Set(smokeChecks.map(c => c.ref))) {
            assert.match(fidelity, new RegExp(`^\\|\\s*${ref}\\s*\\|`, 'm'), `${ref} is not a row of docs/FIDELITY.md`);
        }
    });
});
