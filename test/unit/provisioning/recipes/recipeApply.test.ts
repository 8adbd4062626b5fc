import * as assert from 'node:assert/strict';
import { ExchangeAdminClient } from '../../../../src/exchange/ExchangeAdminClient';
import { GraphClient } from '../../../../src/graph/GraphClient';
import type { MailboxOutcome } from '../../../../src/provisioning/calendar/calendarGrants';
import { meetsEntraComplexity } from '../../../../src/provisioning/steps/passwords';
import { parseRecipe, type Recipe } from '../../../../src/provisioning/recipes/recipe';
import { applyRecipe, graphPermissionsFor, RecipeBlockedError, type RecipeApplyJournal, type RecipeApplyOptions, type RecipeApplyRecord } from '../../../../src/provisioning/recipes/recipeApply';
import { planRecipe } from '../../../../src/provisioning/recipes/recipePlan';
import { verifyRecipe } from '../../../../src/provisioning/recipes/recipeVerify';
import { driftMarkdown, driftSentence } from '../../../../src/provisioning/recipes/verifyDrift';
import { sandboxFixture, type SandboxFixture } from '../../../sandbox/fixture';
import { recordingLogger, sandboxClients } from '../../graph/clientFixture';

/** The second guide: an Exchange-only licensed account, a hidden mail-enabled security group, Editor on Staff's calendars. */
const calendarIntegration = {
    name: 'MyTimetable calendar integration',
    serviceAccounts: [{ userPrincipalName: 'sa-mytt-exch@contoso.com', displayName: 'MyTimetable Exchange Service Account', usageLocation: 'NL', licence: { sku: 'ENTERPRISEPACK', enabledPlans: ['EXCHANGE_S_ENTERPRISE'] } }],
    mailEnabledGroups: [{ name: 'Service Accounts MyTimetable Exchange', primarySmtpAddress: 'sa-mytt-exch-secgroup@contoso.com', hiddenFromAddressLists: true, members: ['sa-mytt-exch@contoso.com'] }],
    calendarGrants: [{ membersOf: 'Staff', grantee: 'sa-mytt-exch-secgroup@contoso.com' }],
};

/** The first guide: the Service Support Administrator role (to read company, user and licence data) and View-Only Organization Management. */
const reporting = {
    name: 'Inventory reporting',
    serviceAccounts: [{ userPrincipalName: 'svc-inventory@contoso.com', displayName: 'Inventory Service Account', usageLocation: 'US', directoryRoles: ['Service Support Administrator'], exchangeRoleGroups: ['View-Only Organization Management'] }],
};

const recipeOf = (value: unknown): Recipe => {
    const parsed = parseRecipe(JSON.stringify(value));
    assert.deepEqual(parsed.problems, []);
    assert.ok(parsed.recipe);
    return parsed.recipe;
};

/** An in-memory journal, as the extension keeps one in globalState. */
function memoryJournal(): RecipeApplyJournal & { record?: RecipeApplyRecord; calendars: Map<string, MailboxOutcome[]> } {
    const calendars = new Map<string, MailboxOutcome[]>();
    const journal: RecipeApplyJournal & { record?: RecipeApplyRecord; calendars: Map<string, MailboxOutcome[]> } = {
        calendars,
        load: () => Promise.resolve(journal.record ? structuredClone(journal.record) : undefined),
        save: r => { journal.record = structuredClone(r); return Promise.resolve(); },
        clear: () => { delete journal.record; calendars.clear(); return Promise.resolve(); },
        calendar: id => ({
            load: () => Promise.resolve(calendars.get(id) ?? []),
            append: o => { calendars.set(id, [...(calendars.get(id) ?? []), ...o]); return Promise.resolve(); },
            clear: () => { calendars.delete(id); return Promise.resolve(); },
        }),
    };
    return journal;
}

describe('Applying recipes against the sandbox tenant', function () {
    this.timeout(180_000);
    let f: SandboxFixture;
    let graph: GraphClient;
    let exo: ExchangeAdminClient;
    let logger: ReturnType<typeof recordingLogger>;
    let passwords: Map<string, string>;
    /** Replication waits move the sandbox's clock instead of sleeping: the same waits, without the minutes. */
    const options = (extra: Partial<RecipeApplyOptions> = {}): RecipeApplyOptions => ({
        storePassword: (upn, password) => { passwords.set(upn, password); return Promise.resolve(); },
        replication: { sleep: ms => { f.sandbox.advanceClock(ms); return Promise.resolve(); } },
        ...extra,
    });
    const deps = () => ({ graph, exchange: exo, logger });
    const state = () => f.sandbox.state();
    const userAt = (upn: string) => [...state().users.values()].filter(u => u.userPrincipalName.toLowerCase() === upn.toLowerCase());
    const staffMailboxes = () => {
        const s = state();
        const staff = [...s.groups.values()].find(g => g.displayName === 'Staff');
        assert.ok(staff);
        const users = new Set<string>();
        const walk = (id: string) => { const g = s.groups.get(id); if (!g) { users.add(id); return; } for (const m of g.members) walk(m); };
        for (const m of staff.members) walk(m);
        return [...users].map(id => s.mailboxes.get(id)).filter(m => m !== undefined);
    };
    const groupAddress = 'sa-mytt-exch-secgroup@contoso.com';
    const mailGroup = () => [...state().groups.values()].find(g => g.exchange?.primarySmtpAddress.toLowerCase() === groupAddress);
    /** Staff mailboxes whose calendar gives the mail-enabled group exactly Editor. */
    const editorsOfStaff = () => {
        const id = mailGroup()?.id;
        return staffMailboxes().filter(m => m.calendarPermissions.some(p => p.principal === id && p.accessRights.join() === 'Editor')).length;
    };
    /** The guide's end state, read from the tenant itself. */
    const assertCalendarIntegrationInPlace = () => {
        const s = state();
        const [account] = userAt('sa-mytt-exch@contoso.com');
        assert.ok(account, 'the account exists');
        assert.equal(account.extensionAttributes?.employeeType, 'ServiceAccount');
        assert.equal(account.accountEnabled, true);
        const sku = s.skus.find(k => k.skuPartNumber === 'ENTERPRISEPACK');
        const licence = account.assignedLicenses.find(l => l.skuId === sku?.skuId);
        assert.ok(licence, 'the account has the licence');
        const exchangePlan = sku?.servicePlans.find(p => p.servicePlanName === 'EXCHANGE_S_ENTERPRISE');
        assert.ok(exchangePlan && !licence.disabledPlans.includes(exchangePlan.servicePlanId), 'the Exchange plan is on');
        assert.equal(licence.disabledPlans.length, (sku?.servicePlans.length ?? 0) - 1, 'every other plan is off');
        assert.equal(userAt('sa-mytt-exch@contoso.com').length, 1, 'one account, never two');
        const group = mailGroup();
        assert.ok(group?.exchange, 'the mail-enabled security group exists');
        assert.equal(group.securityEnabled, true);
        assert.equal(group.exchange.hiddenFromAddressListsEnabled, true);
        assert.equal(group.exchange.memberJoinRestriction, 'Closed');
        assert.deepEqual(group.members, [account.id], 'the account is its one member');
        assert.equal([...s.groups.values()].filter(g => g.exchange?.primarySmtpAddress.toLowerCase() === groupAddress).length, 1, 'one group, never two');
        const mailboxes = staffMailboxes();
        assert.ok(mailboxes.length > 5, 'Staff has mailboxes to grant');
        assert.equal(editorsOfStaff(), mailboxes.length, 'every Staff member\'s calendar gives the group Editor');
    };

    beforeEach(async () => {
        f = await sandboxFixture();
        logger = recordingLogger();
        ({ graph: graph, exchange: exo } = sandboxClients(f, logger));
        passwords = new Map();
    });
    afterEach(() => f.stop());

    it('applies the calendar integration guide end to end; a second apply changes nothing and sends no write', async () => {
        const recipe = recipeOf(calendarIntegration);
        const first = await applyRecipe(deps(), recipe, options());
        assert.equal(first.failure, undefined, JSON.stringify(first.failure));
        assert.equal(first.cancelled, false);
        assert.deepEqual(first.steps.map(s => [s.kind, s.outcome]), [
            ['createServiceAccount', 'created'],
            ['assignLicence', 'created'],
            ['createMailGroup', 'created'],
            ['addMailGroupMember', 'created'],
            ['grantCalendarAccess', 'changed'],
        ]);
        assertCalendarIntegrationInPlace();
        // The password went to storePassword only: valid, and nowhere in the log.
        const password = passwords.get('sa-mytt-exch@contoso.com');
        assert.ok(password && meetsEntraComplexity(password));
        assert.deepEqual(first.passwordsStored, ['sa-mytt-exch@contoso.com']);
        assert.ok(!logger.lines.some(l => l.includes(password)), 'the password is never logged');

        const linesBefore = logger.lines.length;
        const second = await applyRecipe(deps(), recipe, options());
        const sent = logger.lines.slice(linesBefore).filter(l => /^\[(Graph|Exchange)\]/.test(l));
        assert.ok(sent.some(l => /Get-MailboxFolderPermission →/.test(l)), 'the second apply read every calendar');
        assert.deepEqual(sent.filter(l => /\[Graph\] (POST|PATCH|DELETE) |(New|Add|Set|Remove|Enable)-\w+ →/.test(l)), [], 'and sent no write');
        assert.equal(second.changes, 0);
        assert.ok(second.steps.every(s => s.outcome === 'alreadyInPlace'), JSON.stringify(second.steps));
        assert.deepEqual(second.passwordsStored, []);
        const verification = await verifyRecipe(deps(), recipe);
        assert.equal(verification.inSync, true, JSON.stringify(verification.steps));
        assert.equal(userAt('sa-mytt-exch@contoso.com').length, 1);
    });

    it('applies the reporting guide (Service Support Administrator, View-Only Organization Management) through a 20 s replication lag', async () => {
        f.sandbox.setKnobs({ replicationLagMs: 20_000 });
        const recipe = recipeOf(reporting);
        const waits: string[] = [];
        const summary = await applyRecipe(deps(), recipe, options({ onProgress: p => waits.push(p.message) }));
        assert.equal(summary.failure, undefined, JSON.stringify(summary.failure));
        assert.deepEqual(summary.steps.map(s => [s.kind, s.outcome]), [['createServiceAccount', 'created'], ['assignRole', 'created'], ['addRoleGroupMember', 'created']]);
        assert.ok(waits.some(w => /Waiting for/.test(w)), 'the apply waited for replication and said so');
        const [account] = userAt('svc-inventory@contoso.com');
        const s = state();
        const reader = s.roleDefinitions.find(r => r.displayName === 'Service Support Administrator');
        assert.ok(s.roleAssignments.some(a => a.principalId === account.id && a.roleDefinitionId === reader?.id && a.directoryScopeId === '/'));
        const viewOnly = await exo.invoke<{ ExternalDirectoryObjectId?: string }>('Get-RoleGroupMember', { Identity: 'View-Only Organization Management' });
        assert.ok(viewOnly.value.some(m => m.ExternalDirectoryObjectId === account.id), 'member of the role group');
        const again = await applyRecipe(deps(), recipe, options());
        assert.equal(again.changes, 0);
    });

    it('a cancelled apply resumes: the account is not made twice, finished mailboxes are not read again, the end state is right', async () => {
        const recipe = recipeOf(calendarIntegration);
        const journal = memoryJournal();
        const abort = new AbortController();
        // Cancel in the middle of the calendar grant, after some mailboxes are done.
        const first = await applyRecipe(deps(), recipe, options({
            signal: abort.signal,
            journal,
            calendar: { maxBatchesInFlight: 1 },
            onProgress: p => { if (/Calendars of Staff: ([1-9]\d*) of/.test(p.message)) abort.abort(); },
        }));
        assert.equal(first.cancelled, true);
        assert.ok(journal.record, 'the journal remembers the run');
        assert.equal(first.steps.find(s => s.kind === 'createServiceAccount')?.outcome, 'created');
        assert.equal(first.steps.find(s => s.kind === 'grantCalendarAccess')?.outcome, 'notRun');
        const finishedMailboxes = [...journal.calendars.values()].flat().length;
        assert.ok(finishedMailboxes > 0 && finishedMailboxes < staffMailboxes().length, `part of Staff was done (${finishedMailboxes})`);
        assert.ok(editorsOfStaff() < staffMailboxes().length, 'not every calendar yet');

        const linesBefore = logger.lines.length;
        const second = await applyRecipe(deps(), recipe, options({ journal }));
        const remaining = staffMailboxes().length - finishedMailboxes;
        const reads = logger.lines.slice(linesBefore).filter(l => /Get-MailboxFolderPermission →/.test(l)).length;
        assert.ok(reads > 0 && reads <= 2 * remaining, `only the ${remaining} unfinished calendars are read (${reads} reads)`);
        assert.equal(second.resumed, true);
        assert.equal(second.cancelled, false);
        assert.equal(second.steps.find(s => s.kind === 'createServiceAccount')?.byEarlierRun, true, 'says the earlier run created the account');
        assertCalendarIntegrationInPlace();
        assert.equal(journal.record, undefined, 'a finished apply clears its journal');
        assert.equal(passwords.size, 1, 'one account, one password');
    });

    it('cancelled right after the account is created, then applied again: one account and its password kept', async () => {
        const recipe = recipeOf(calendarIntegration);
        const journal = memoryJournal();
        const abort = new AbortController();
        const first = await applyRecipe(deps(), recipe, options({ signal: abort.signal, journal, storePassword: (upn, password) => { passwords.set(upn, password); abort.abort(); return Promise.resolve(); } }));
        assert.equal(first.cancelled, true);
        assert.deepEqual(first.steps.map(s => s.outcome), ['created', 'notRun', 'notRun', 'notRun', 'notRun']);
        const second = await applyRecipe(deps(), recipe, options({ journal }));
        assert.equal(second.failure, undefined);
        assertCalendarIntegrationInPlace();
        assert.ok(passwords.get('sa-mytt-exch@contoso.com'), 'the password stored at creation is still the one to reveal');
    });

    it('completes with 10% of requests answered 503 or dropped, throttling, and a 20 s replication lag', async () => {
        f.sandbox.setKnobs({ faultRatio: 0.1, throttleGraphPerSecond: 5, throttleExchangePerSecond: 5, throttleBurst: 5, replicationLagMs: 20_000 });
        const recipe = recipeOf({ ...calendarIntegration, serviceAccounts: [{ ...calendarIntegration.serviceAccounts[0], directoryRoles: ['Global Reader'], exchangeRoleGroups: ['View-Only Organization Management'] }] });
        const summary = await applyRecipe(deps(), recipe, options());
        assert.equal(summary.failure, undefined, JSON.stringify(summary.failure));
        const stats = f.sandbox.stats();
        assert.ok(stats.graph.faults + stats.exchange.faults > 0, 'faults were injected');
        assert.ok(stats.graph.throttled + stats.exchange.throttled > 0, 'requests were throttled');
        f.sandbox.setKnobs({ faultRatio: 0, throttleGraphPerSecond: 0, throttleExchangePerSecond: 0 });
        assertCalendarIntegrationInPlace();
        const verification = await verifyRecipe(deps(), recipe);
        assert.equal(verification.inSync, true, JSON.stringify(verification.steps.filter(s => !s.inSync)));
    });

    it('survives answers lost after the change was made: the account is not made twice and gets a password that is known', async () => {
        // The sandbox carries out these writes, then drops the connection before answering.
        f.sandbox.loseAnswerOnce('POST', /\/users$/);
        f.sandbox.loseAnswerOnce('POST', /\/roleManagement\/directory\/roleAssignments$/);
        const summary = await applyRecipe(deps(), recipeOf(reporting), options());
        assert.equal(summary.failure, undefined, JSON.stringify(summary.failure) + logger.lines.filter(l => /Graph|Recipe/.test(l)).join('\n'));
        assert.deepEqual(summary.steps.map(s => s.outcome), ['created', 'created', 'created']);
        const accounts = userAt('svc-inventory@contoso.com');
        assert.equal(accounts.length, 1, 'one account, never two');
        assert.equal(f.sandbox.stats().graph.faults, 2, 'both answers were lost');
        // The first password was lost with the answer; the account was given a new one, and that is the one kept.
        assert.equal(passwords.get('svc-inventory@contoso.com'), accounts[0].password);
        assert.equal(state().roleAssignments.filter(a => a.principalId === accounts[0].id).length, 1, 'one role assignment, never two');
    });

    it('refuses a recipe naming what the tenant lacks, pointing at each field, before any change', async () => {
        const recipe = recipeOf({
            ...calendarIntegration,
            serviceAccounts: [{ ...calendarIntegration.serviceAccounts[0], directoryRoles: ['Global Raeder'] }],
            calendarGrants: [{ membersOf: 'No Such Group', grantee: groupAddress }],
        });
        const users = state().users.size;
        await assert.rejects(applyRecipe(deps(), recipe, options()), (error: unknown) => {
            assert.ok(error instanceof RecipeBlockedError);
            const paths = error.plan.steps.filter(s => s.status === 'blocked').map(s => s.path);
            assert.deepEqual(paths, ['/serviceAccounts/0/directoryRoles/0', '/calendarGrants/0/membersOf']);
            assert.match(error.message, /Global Raeder/);
            assert.match(error.message, /Nothing was changed/);
            return true;
        });
        assert.equal(state().users.size, users, 'nothing was created');
    });

    it('marks a privileged directory role in the plan, for the review before applying', async () => {
        const plan = await planRecipe({ graph, exchange: exo }, recipeOf({ ...reporting, serviceAccounts: [{ ...reporting.serviceAccounts[0], directoryRoles: ['Service Support Administrator', 'Privileged Role Administrator'] }] }));
        const roles = plan.steps.filter(s => s.kind === 'assignRole');
        assert.deepEqual(roles.map(s => [s.target.split(' → ')[1], s.privileged === true]), [['Service Support Administrator', false], ['Privileged Role Administrator', true]]);
        assert.match(roles[1].detail, /marks this role privileged/);
        assert.deepEqual(graphPermissionsFor(plan), ['Policy.Read.All', 'RoleManagement.ReadWrite.Directory', 'User.ReadWrite.All'], 'the permissions asked for once, before applying');
    });

    it('verify reports drift: a calendar whose grant was removed, and a member taken out of the group', async () => {
        const recipe = recipeOf(calendarIntegration);
        await applyRecipe(deps(), recipe, options());
        const [first] = staffMailboxes();
        const upn = [...state().users.values()].find(u => u.id === first.userId)?.userPrincipalName ?? '';
        await exo.invoke('Remove-MailboxFolderPermission', { Identity: `${upn}:\\${first.calendarFolderName}`, User: groupAddress, Confirm: false });
        await exo.invoke('Remove-DistributionGroupMember', { Identity: groupAddress, Member: 'sa-mytt-exch@contoso.com', Confirm: false });
        const linesBefore = logger.lines.length;
        const verification = await verifyRecipe(deps(), recipe);
        assert.equal(verification.inSync, false);
        const drift = verification.steps.filter(s => !s.inSync);
        assert.deepEqual(drift.map(s => s.kind), ['addMailGroupMember', 'grantCalendarAccess']);
        assert.equal(drift[1].mailboxes?.differs, 1);
        assert.match(drift[1].detail, /1 do not/);
        // Each difference is named: the member taken out, the one mailbox without the grant (and nothing else).
        assert.deepEqual(drift[0].drift?.map(d => d.subject), [`Group member: ${drift[0].target}`]);
        assert.match(drift[0].drift?.[0].detail ?? '', /Add sa-mytt-exch@contoso\.com to the group/);
        assert.equal(drift[1].drift?.length, 1);
        assert.match(drift[1].drift?.[0].subject ?? '', new RegExp(`\\(${upn.replace(/\./g, '\\.')}\\)$`));
        assert.equal(drift[1].drift?.[0].detail, `gives ${groupAddress} no access (Editor wanted)`);
        assert.ok(verification.steps.filter(s => s.inSync).every(s => s.drift === undefined), 'steps in sync carry no drift');
        const page = driftMarkdown(verification.recipe, verification.checkedAt, verification.steps, false);
        assert.match(page, new RegExp(`\\| [^|]*\\(${upn.replace(/\./g, '\\.')}\\) \\| gives `));
        assert.match(driftSentence(verification.steps), new RegExp(`Group member: .*; 1 calendar \\(.*${upn.replace(/\./g, '\\.')}`));
        assert.deepEqual(logger.lines.slice(linesBefore).filter(l => /\[Graph\] (POST|PATCH|DELETE) |(New|Add|Set|Remove)-\w+ →/.test(l)), [], 'verify sends no write');
        assert.equal(editorsOfStaff(), staffMailboxes().length - 1, 'verify changed nothing');
    });
});
