import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandIds } from '../../src/constants';
import type { RecipeApplySummary } from '../../src/provisioning/recipes/recipeApply';
import type { RecipePlan } from '../../src/provisioning/recipes/recipePlan';
import type { FolderNode } from '../../src/tree/directory/FolderNode';
import { find, rowsOf } from './directoryRows';
import { extensionApi, sandbox, sandboxTransport } from './sandbox';

// Runs after the provisioning commands (files run in name order): signed in, Exchange consented. Both guides' set-ups
// are applied, then taken away again: the calendar guide by its offboarding recipe, the reporting guide by "Offboard
// Service Account…" on the account's row. The tenant's whole state must end as it began (Deleted users apart).

const examples = path.join(__dirname, '..', '..', '..', 'examples');
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'm365-offboard-'));

/** An example recipe with this test's own names (one shared tenant: the other tests use the examples' names). */
function example(file: string, renames: Record<string, string>): vscode.Uri {
    let text = fs.readFileSync(path.join(examples, file), 'utf8');
    for (const [from, to] of Object.entries(renames)) text = text.split(from).join(to);
    const target = path.join(folder, file);
    fs.writeFileSync(target, text);
    return vscode.Uri.file(target);
}

/** The tenant as the sandbox holds it, without Entra's Deleted users (returned apart). */
async function tenant(): Promise<{ state: string; deleted: string[] }> {
    const answer = await sandboxTransport().send({ method: 'GET', url: `${sandbox.origin}/_sandbox/state`, headers: {} });
    assert.equal(answer.status, 200);
    const state = JSON.parse(answer.body.toString('utf8')) as { deletedUsers?: { user: { userPrincipalName: string } }[] };
    const deleted = (state.deletedUsers ?? []).map(d => d.user.userPrincipalName).sort();
    delete state.deletedUsers;
    return { state: JSON.stringify(state), deleted };
}

describe('Offboarding in a real extension host', function () {
    this.timeout(240_000);
    const calendar = { 'sa-mytt-exch@contoso.com': 'sa-offboard-cal@contoso.com', 'sa-mytt-exch-secgroup@contoso.com': 'sa-offboard-cal-group@contoso.com', 'Service Accounts MyTimetable Exchange': 'Offboarding Test Group' };
    const reporting = { 'sam360reports@contoso.com': 'sa-offboard-rep@contoso.com', 'Sam360 Reports Service Account': 'Offboarding Test Reports Account' };

    it('sets up both guides, then offboards them (a recipe, and the account\'s menu): the tenant ends as it was', async () => {
        const before = await tenant();
        for (const uri of [example('calendar-integration.m365recipe.json', calendar), example('reporting-inventory.m365recipe.json', reporting)]) {
            const applied = await vscode.commands.executeCommand<RecipeApplySummary>(CommandIds.applyRecipe, uri, { confirmed: true });
            assert.equal(applied.failure, undefined, JSON.stringify(applied.failure));
        }
        assert.notEqual((await tenant()).state, before.state);

        // The calendar guide, by its offboarding recipe: the plan lists the removals in the order they run.
        const offboard = example('offboard-calendar-integration.m365recipe.json', calendar);
        const plan = await vscode.commands.executeCommand<RecipePlan>(CommandIds.planRecipe, offboard);
        assert.deepEqual(plan.steps.map(s => [s.kind, s.status]), [['grantCalendarAccess', 'remove'], ['addMailGroupMember', 'remove'], ['assignLicence', 'remove'], ['createServiceAccount', 'remove'], ['createMailGroup', 'remove']]);
        // Deleting asks for the names to be typed: without them nothing happens.
        assert.equal(await vscode.commands.executeCommand(CommandIds.applyRecipe, offboard, { confirmed: true, typedToDelete: ['sa-offboard-cal@contoso.com'] }), undefined, 'the group\'s name was not typed');
        const removed = await vscode.commands.executeCommand<RecipeApplySummary>(CommandIds.applyRecipe, offboard, { confirmed: true, typedToDelete: ['sa-offboard-cal@contoso.com', 'sa-offboard-cal-group@contoso.com'] });
        assert.equal(removed.failure, undefined, JSON.stringify(removed.failure));
        assert.ok(removed.steps.every(s => s.outcome === 'removed'), JSON.stringify(removed.steps.map(s => [s.id, s.outcome])));

        // The reporting guide, from the account's row: its roles and role group are read from the tenant.
        const [root] = await rowsOf();
        const accounts = (await find(root, 'Service accounts')) as FolderNode;
        accounts.reset();
        const row = await find(accounts, 'Offboarding Test Reports Account');
        const summary = await vscode.commands.executeCommand<RecipeApplySummary>(CommandIds.offboardServiceAccount, row, { confirmed: true, typedToDelete: ['sa-offboard-rep@contoso.com'] });
        assert.equal(summary.failure, undefined, JSON.stringify(summary.failure));
        assert.deepEqual(summary.steps.map(s => [s.kind, s.outcome]), [['addRoleGroupMember', 'removed'], ['assignRole', 'removed'], ['createServiceAccount', 'removed']]);

        const after = await tenant();
        assert.equal(after.state, before.state, 'the tenant is as it was before the set-up');
        assert.deepEqual(after.deleted.filter(u => !before.deleted.includes(u)), ['sa-offboard-cal@contoso.com', 'sa-offboard-rep@contoso.com']);
        const audit = fs.readFileSync((await extensionApi()).container.audit.file, 'utf8');
        assert.match(audit, /"action":"offboardServiceAccount".*sa-offboard-rep@contoso\.com/);
    });
});
