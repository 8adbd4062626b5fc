import * as assert from 'node:assert/strict';
import type { Recipe } from '../../../../src/provisioning/recipes/recipe';
import { applyPlan, applyRecipe } from '../../../../src/provisioning/recipes/recipeApply';
import { planRecipe } from '../../../../src/provisioning/recipes/recipePlan';
import { example, recipeSandbox } from './recipeSandbox';

describe('Apply works from the plan it was given (the step contract)', function () {
    this.timeout(120_000);
    const t = recipeSandbox();
    const deps = () => t.deps();
    const options = () => t.options();
    /** The Graph and Exchange requests logged since `from`, as "GET /users/…" or "Get-Recipient". */
    const requestsSince = (from: number) => t.logger.lines.slice(from).flatMap(l => {
        const graphRequest = /^\[Graph\] (GET|POST|PATCH|DELETE) (\S+)/.exec(l);
        if (graphRequest) return [`${graphRequest[1]} ${decodeURIComponent(graphRequest[2]).split('?')[0].replace(/^.*\/v1\.0(?=\/)/, '')}`];
        const cmdlet = /^\[Exchange\] ([A-Z][a-z]+-\w+) →/.exec(l);
        return cmdlet ? [cmdlet[1]] : [];
    });

    it('reads each thing once: the domains, the licences and the account are read by the plan only, never again before the writes', async () => {
        const from = t.logger.lines.length;
        const summary = await applyRecipe(deps(), example('calendar-integration.m365recipe.json'), options());
        assert.equal(summary.failure, undefined, JSON.stringify(summary.failure));
        const sent = requestsSince(from);
        const count = (request: string) => sent.filter(r => r.toLowerCase() === request.toLowerCase()).length;
        assert.equal(count('GET /domains'), 1, sent.join('\n'));
        assert.equal(count('GET /subscribedSkus'), 1, sent.join('\n'));
        assert.equal(count('GET /users/sa-mytt-exch@contoso.com'), 1, `the account is looked up once, by the plan:\n${sent.join('\n')}`);
        assert.equal(count('GET /groups'), 1, 'Staff is found once, by the plan; the calendar engine is given its id');
        // The plan's own reads come before the first write: nothing is looked up again between plan and POST /users.
        const firstWrite = sent.findIndex(r => r.startsWith('POST /users'));
        assert.ok(firstWrite > 0);
        assert.deepEqual(sent.slice(firstWrite + 1).filter(r => /^GET \/(domains|subscribedSkus|users\/sa-mytt)/i.test(r)), []);
    });

    it('reads each account\'s role assignments once for all its roles, and each role group\'s members once', async () => {
        const reporting = example('reporting-inventory.m365recipe.json');
        const recipe: Recipe = { ...reporting, serviceAccounts: [{ ...reporting.serviceAccounts[0], directoryRoles: ['Service Support Administrator', 'Reports Reader', 'Directory Readers'] }] };
        await applyRecipe(deps(), recipe, options());
        const from = t.logger.lines.length;
        const plan = await planRecipe(deps(), recipe);
        assert.deepEqual(plan.steps.map(s => s.status), ['done', 'done', 'done', 'done', 'done']);
        const sent = requestsSince(from);
        assert.equal(sent.filter(r => r === 'GET /roleManagement/directory/roleAssignments').length, 1, sent.join('\n'));
        assert.equal(sent.filter(r => r === 'GET /roleManagement/directory/roleDefinitions').length, 1, sent.join('\n'));
        assert.equal(sent.filter(r => r === 'Get-RoleGroup').length, 1, sent.join('\n'));
    });

    it('applies exactly what was reviewed: an account someone made after the review stops Apply with what changed, and nothing after it runs', async () => {
        const recipe = example('calendar-integration.m365recipe.json');
        const plan = await planRecipe(deps(), recipe);
        assert.equal(plan.steps[0].status, 'create');
        // While the review dialog was open, someone else made the account.
        await t.graph.post('/users', { accountEnabled: true, displayName: 'Made by hand', mailNickname: 'sa-mytt-exch', userPrincipalName: 'sa-mytt-exch@contoso.com', passwordProfile: { password: 'Hand-Made-Passw0rd!', forceChangePasswordNextSignIn: true } }, { scopes: ['User.ReadWrite.All'] });
        const summary = await applyPlan(deps(), recipe, plan, options());
        assert.equal(summary.failure?.id, '/serviceAccounts/0');
        assert.match(summary.failure.message, /sa-mytt-exch@contoso\.com was created by someone else since the plan was made/);
        assert.match(summary.failure.message, /nothing after this step was run\. Plan again/);
        assert.deepEqual(summary.steps.slice(1).map(s => s.outcome), ['notRun', 'notRun', 'notRun', 'notRun']);
        const accounts = [...t.f.sandbox.state().users.values()].filter(u => u.userPrincipalName === 'sa-mytt-exch@contoso.com');
        assert.deepEqual(accounts.map(u => u.displayName), ['Made by hand'], 'the hand-made account is left as it was');
    });
});
