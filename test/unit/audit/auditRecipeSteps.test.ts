import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AuditLog } from '../../../src/audit/auditLog';
import { ExchangeAdminClient } from '../../../src/exchange/ExchangeAdminClient';
import { GraphClient } from '../../../src/graph/GraphClient';
import type { HttpRequest, HttpResponse } from '../../../src/net/HttpTransport';
import { audited, auditRecipeSteps } from '../../../src/platform/audit';
import type { TenantSession } from '../../../src/platform/tenantSession';
import { parseRecipe } from '../../../src/provisioning/recipes/recipe';
import { applyRecipe } from '../../../src/provisioning/recipes/recipeApply';
import { sandboxFixture, type SandboxFixture } from '../../sandbox/fixture';
import { appTokens, recordingLogger, sandboxCloud } from '../graph/clientFixture';

/** The calendar guide: an account, its licence, a mail-enabled group, its member, Editor on Staff's calendars. */
const calendarIntegration = {
    name: 'MyTimetable calendar integration',
    serviceAccounts: [{ userPrincipalName: 'sa-mytt-exch@contoso.com', displayName: 'MyTimetable Exchange Service Account', usageLocation: 'NL', licence: { sku: 'ENTERPRISEPACK', enabledPlans: ['EXCHANGE_S_ENTERPRISE'] } }],
    mailEnabledGroups: [{ name: 'Service Accounts MyTimetable Exchange', primarySmtpAddress: 'sa-mytt-exch-secgroup@contoso.com', hiddenFromAddressLists: true, members: ['sa-mytt-exch@contoso.com'] }],
    calendarGrants: [{ membersOf: 'Staff', grantee: 'sa-mytt-exch-secgroup@contoso.com' }],
};

describe('Audit: one line per change a recipe makes, with object ids and the request ids the tenant answered with', function () {
    this.timeout(180_000);
    let f: SandboxFixture;
    /** Every answer the sandbox gave: method, path and its `request-id` header. */
    let answers: { method: string; path: string; requestId: string }[];
    let graph: GraphClient;
    let exchange: ExchangeAdminClient;
    let log: AuditLog;

    beforeEach(async () => {
        f = await sandboxFixture();
        answers = [];
        const logger = recordingLogger();
        const transport = {
            send: async (request: HttpRequest): Promise<HttpResponse> => {
                const answer = await f.transport.send(request);
                answers.push({ method: request.method, path: new URL(request.url).pathname, requestId: String(answer.headers['request-id'] ?? '') });
                return answer;
            },
        };
        const tokens = appTokens(f, logger);
        graph = new GraphClient({ cloud: sandboxCloud(f), tokens, transport, logger });
        exchange = new ExchangeAdminClient({ cloud: sandboxCloud(f), tenantId: f.sandbox.tenantId, tokens, transport, logger });
        log = new AuditLog(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'm365p-audit-')), 'audit.jsonl'));
    });
    afterEach(() => f.stop());

    const session = (): TenantSession => ({
        account: { username: 'admin@contoso.com', tenantId: f.sandbox.tenantId },
        tenantOrganisation: () => Promise.resolve({ displayName: 'Contoso', defaultDomain: 'contoso.com' }),
    }) as unknown as TenantSession;

    it('a real apply writes a line per step that changed the tenant, then the recipe\'s summary line', async () => {
        const parsed = parseRecipe(JSON.stringify(calendarIntegration));
        assert.ok(parsed.recipe);
        const recipe = parsed.recipe;
        const s = session();
        const summary = await audited(log, s, 'applyRecipe', recipe.name, () => applyRecipe({ graph, exchange, logger: recordingLogger() }, recipe, {
            storePassword: () => Promise.resolve(),
            replication: { sleep: ms => { f.sandbox.advanceClock(ms); return Promise.resolve(); } },
            onStepFinished: auditRecipeSteps(log, s, recipe.name),
        }));
        assert.equal(summary.failure, undefined);
        const lines = await log.read();
        assert.deepEqual(lines.map(l => [l.action, l.result]), [
            ['createServiceAccount', 'succeeded'],
            ['assignLicence', 'succeeded'],
            ['createMailGroup', 'succeeded'],
            ['addMailGroupMember', 'succeeded'],
            ['grantCalendarAccess', 'succeeded'],
            ['applyRecipe', 'succeeded'],
        ]);
        // Who and where on every line: the tenant by id and by name.
        for (const line of lines) {
            assert.equal(line.who, 'admin@contoso.com');
            assert.equal(line.tenant, f.sandbox.tenantId);
            assert.equal(line.tenantName, 'Contoso');
            assert.equal(line.tenantDomain, 'contoso.com');
        }
        // Each step's request id is one the sandbox sent with a write's answer (success, not only failures).
        const writeIds = new Set(answers.filter(a => a.method !== 'GET' && a.requestId).map(a => a.requestId));
        for (const line of lines) assert.ok(line.requestId && writeIds.has(line.requestId), `${line.action}: ${line.requestId} is a write's request id`);
        assert.equal(new Set(lines.slice(0, 5).map(l => l.requestId)).size, 5, 'each step its own request');
        assert.equal(lines[5].requestId, lines[4].requestId, 'the summary quotes the apply\'s last write');
        // The object ids are the tenant's own: the new account, and the account again where its licence was assigned.
        const state = f.sandbox.state();
        const account = [...state.users.values()].find(u => u.userPrincipalName === 'sa-mytt-exch@contoso.com');
        const group = [...state.groups.values()].find(g => g.exchange?.primarySmtpAddress === 'sa-mytt-exch-secgroup@contoso.com');
        assert.ok(account && group);
        assert.ok(lines[0].objectIds?.includes(account.id), 'the created account\'s id');
        assert.ok(lines[1].objectIds?.includes(account.id), 'the licensed account\'s id');
        assert.ok(lines[2].objectIds?.includes(group.id), 'the created group\'s id');
        assert.ok(lines.every(l => l.recipe === recipe.name || l.action === 'applyRecipe'));
        assert.equal(lines[5].recipe, undefined);
    });

    it('a second apply, with nothing to change, writes only the summary line (unchanged)', async () => {
        const parsed = parseRecipe(JSON.stringify(calendarIntegration));
        assert.ok(parsed.recipe);
        const recipe = parsed.recipe;
        const options = { storePassword: () => Promise.resolve(), replication: { sleep: (ms: number) => { f.sandbox.advanceClock(ms); return Promise.resolve(); } } };
        await applyRecipe({ graph, exchange, logger: recordingLogger() }, recipe, options);
        const s = session();
        await audited(log, s, 'applyRecipe', recipe.name, () => applyRecipe({ graph, exchange, logger: recordingLogger() }, recipe, { ...options, onStepFinished: auditRecipeSteps(log, s, recipe.name) }), r => ({ result: r.changes ? 'succeeded' : 'unchanged' }));
        const lines = await log.read();
        assert.deepEqual(lines.map(l => [l.action, l.result]), [['applyRecipe', 'unchanged']]);
        assert.equal(lines[0].requestId, undefined, 'no write, no request id');
    });
});
