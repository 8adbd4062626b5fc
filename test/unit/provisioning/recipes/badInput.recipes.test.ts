import * as assert from 'node:assert/strict';
import { ExchangeAdminClient } from '../../../../src/exchange/ExchangeAdminClient';
import { GraphClient } from '../../../../src/graph/GraphClient';
import { parseRecipe } from '../../../../src/provisioning/recipes/recipe';
import { planRecipe } from '../../../../src/provisioning/recipes/recipePlan';
import { serializeTenant } from '../../../../sandbox/src/tenant/persistence';
import { sandboxFixture, type SandboxFixture } from '../../../sandbox/fixture';
import { recordingLogger, sandboxClients } from '../../graph/clientFixture';
import { assertNamesFieldAndFix, badInputCases, caseTitle, reportCount, type BadInputCase } from '../badInput.cases';
import { calendarGuide } from './guideRecipes';

interface EditableRecipe {
    serviceAccounts: { userPrincipalName: string; displayName: string; usageLocation: string; directoryRoles?: string[]; exchangeRoleGroups?: string[]; licence: { sku: string; enabledPlans: string[] | 'all' } }[];
    mailEnabledGroups: { name: string; primarySmtpAddress: string; acceptMessagesOnlyFrom: string[]; members: string[] }[];
    calendarGrants: { membersOf: string; grantee: string; accessRight?: string }[];
}

/**
 * The table through recipes: a value whose form is wrong is refused by parseRecipe (at the value's JSON pointer, by
 * the same field check as the steps); a value only the tenant can refuse blocks the plan at that value. The plan reads
 * only: the sandbox's whole state is the same afterwards.
 */
describe('Bad input through recipes (parseRecipe, then the plan against the sandbox tenant)', function () {
    this.timeout(60_000);
    let f: SandboxFixture;
    let graph: GraphClient;
    let exo: ExchangeAdminClient;
    let count = 0;

    before(async () => {
        f = await sandboxFixture();
        const logger = recordingLogger();
        ({ graph: graph, exchange: exo } = sandboxClients(f, logger));
    });
    after(async () => {
        reportCount('recipes', count);
        await f.stop();
    });

    /** The calendar guide's recipe with the row's value in its place, and that place's JSON pointer. */
    function recipeWith(c: BadInputCase): { text: string; path: string } {
        const r = structuredClone(calendarGuide) as unknown as EditableRecipe;
        const account = r.serviceAccounts[0];
        const group = r.mailEnabledGroups[0];
        const grant = r.calendarGrants[0];
        const v = c.value;
        const one = typeof v === 'string' ? v : v.join();
        switch (c.field) {
            case 'userPrincipalName': account.userPrincipalName = one; return { text: JSON.stringify(r), path: '/serviceAccounts/0/userPrincipalName' };
            case 'displayName': account.displayName = one; return { text: JSON.stringify(r), path: '/serviceAccounts/0/displayName' };
            case 'usageLocation': account.usageLocation = one; return { text: JSON.stringify(r), path: '/serviceAccounts/0/usageLocation' };
            case 'roleName': account.directoryRoles = [one]; return { text: JSON.stringify(r), path: '/serviceAccounts/0/directoryRoles/0' };
            case 'roleGroupName': account.exchangeRoleGroups = [one]; return { text: JSON.stringify(r), path: '/serviceAccounts/0/exchangeRoleGroups/0' };
            case 'licence': account.licence = { sku: one, enabledPlans: 'all' }; return { text: JSON.stringify(r), path: '/serviceAccounts/0/licence/sku' };
            case 'plans': account.licence = { sku: 'ENTERPRISEPACK', enabledPlans: Array.isArray(v) ? v : [v] }; return { text: JSON.stringify(r), path: '/serviceAccounts/0/licence/enabledPlans' };
            case 'groupName': group.name = one; return { text: JSON.stringify(r), path: '/mailEnabledGroups/0/name' };
            case 'groupAddress': group.primarySmtpAddress = one; grant.grantee = one; return { text: JSON.stringify(r), path: '/mailEnabledGroups/0/primarySmtpAddress' };
            case 'sender': group.acceptMessagesOnlyFrom = [one]; return { text: JSON.stringify(r), path: '/mailEnabledGroups/0/acceptMessagesOnlyFrom/0' };
            case 'member': group.members = [one]; return { text: JSON.stringify(r), path: '/mailEnabledGroups/0/members/0' };
            case 'grantee': grant.grantee = one; return { text: JSON.stringify(r), path: '/calendarGrants/0/grantee' };
            case 'accessRight': grant.accessRight = one; return { text: JSON.stringify(r), path: '/calendarGrants/0/accessRight' };
        }
    }

    for (const c of badInputCases) {
        it(caseTitle(c), async () => {
            const { text, path } = recipeWith(c);
            const parsed = parseRecipe(text);
            if (!c.tenant) {
                assert.equal(parsed.recipe, undefined, 'the recipe is refused');
                const problem = parsed.problems.find(p => p.path === path || p.path.startsWith(`${path}/`));
                assert.ok(problem, `a problem at ${path}: ${JSON.stringify(parsed.problems)}`);
                assertNamesFieldAndFix(c, problem.message);
                count++;
                return;
            }
            assert.deepEqual(parsed.problems, [], 'the form is fine; the tenant refuses it');
            assert.ok(parsed.recipe);
            const before = serializeTenant(f.sandbox.state());
            const plan = await planRecipe({ graph, exchange: exo }, parsed.recipe);
            assert.equal(serializeTenant(f.sandbox.state()), before, 'planning changed nothing');
            assert.equal(plan.applicable, false, 'the plan is refused');
            const blocked = plan.steps.find(s => s.status === 'blocked' && (s.path === path || s.path?.startsWith(`${path}/`)));
            assert.ok(blocked, `a blocked step at ${path}: ${JSON.stringify(plan.steps.filter(s => s.status === 'blocked'))}`);
            assertNamesFieldAndFix(c, blocked.detail);
            count++;
        });
    }
});
