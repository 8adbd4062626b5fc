import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandIds } from '../../src/constants';
import type { RecipeApplySummary } from '../../src/provisioning/recipes/recipeApply';
import type { RecipePlan } from '../../src/provisioning/recipes/recipePlan';
import type { RecipeVerification } from '../../src/provisioning/recipes/recipeVerify';
import { activeSession, auditLines, consentAsAdmin, extensionApi, provisioningWriteScopes, type AuditLine } from './sandbox';

// Runs after the provisioning commands (files run in name order): signed in, Exchange consented. Recipes are files;
// the commands take the file's URI as CodeLens passes it. Names differ from the actions tests' (one shared tenant).

const upn = 'sa-recipe-cal@contoso.com';
const groupAddress = 'sa-recipe-cal-group@contoso.com';
const recipe = {
    name: 'Recipe test calendar integration',
    serviceAccounts: [{ userPrincipalName: upn, displayName: 'Recipe Test Calendar Account', usageLocation: 'NL', licence: { sku: 'ENTERPRISEPACK', enabledPlans: ['EXCHANGE_S_ENTERPRISE'] }, directoryRoles: ['Global Reader'] }],
    mailEnabledGroups: [{ name: 'Recipe Test Calendar Group', primarySmtpAddress: groupAddress, hiddenFromAddressLists: true, members: [upn] }],
    calendarGrants: [{ membersOf: 'Staff - Sales EMEA', grantee: groupAddress }],
};
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'm365-recipes-'));
function recipeFile(name: string, value: unknown): vscode.Uri {
    const file = path.join(folder, `${name}.m365recipe.json`);
    fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 4));
    return vscode.Uri.file(file);
}
const session = activeSession;
async function diagnosticsOf(uri: vscode.Uri, wanted: (d: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
    for (let i = 0; i < 100; i++) {
        const found = vscode.languages.getDiagnostics(uri).filter(d => d.source === 'M365 recipe');
        if (wanted(found)) return found;
        await new Promise(r => setTimeout(r, 100));
    }
    return vscode.languages.getDiagnostics(uri).filter(d => d.source === 'M365 recipe');
}
/** Staff - Sales EMEA members with a mailbox, and how many of their calendars give the group exactly Editor. */
async function editors(): Promise<{ granted: number; members: string[] }> {
    const s = await session();
    const group = await s.graph.get<{ value: { id: string }[] }>(`/groups?$filter=displayName eq 'Staff - Sales EMEA'&$select=id`, { scopes: ['Group.Read.All'] });
    const members: string[] = [];
    // An OData cast on a member list is an advanced query: ConsistencyLevel: eventual and $count=true
    // (group-list-transitivemembers.md, aad-advanced-queries.md).
    for await (const page of s.graph.pages<{ userPrincipalName: string }>(`/groups/${group.value[0].id}/transitiveMembers/microsoft.graph.user?$count=true&$select=userPrincipalName`, { scopes: ['Group.Read.All'], headers: { ConsistencyLevel: 'eventual' } })) members.push(...page.map(u => u.userPrincipalName));
    let granted = 0;
    const withMailbox: string[] = [];
    for (const member of members) {
        const folders = await s.exchange.invoke<{ Name: string; FolderType: string }>('Get-MailboxFolderStatistics', { Identity: member, FolderScope: 'Calendar' }).then(r => r.value, () => undefined);
        if (!folders) continue; // no mailbox: nothing to grant (the engine skips it too)
        withMailbox.push(member);
        const folderName = folders.find(f => f.FolderType === 'Calendar')?.Name ?? 'Calendar';
        const rights = await s.exchange.invoke<{ AccessRights: string[] }>('Get-MailboxFolderPermission', { Identity: `${member}:\\${folderName}`, User: groupAddress }).then(r => r.value[0]?.AccessRights ?? [], () => []);
        if (rights.join() === 'Editor') granted++;
    }
    return { granted, members: withMailbox };
}

describe('Recipes in a real extension host: CodeLens, problems, plan, apply, verify', function () {
    this.timeout(240_000);

    before(async () => {
        await consentAsAdmin({ graph: provisioningWriteScopes, exchange: ['Exchange.Manage'] });
    });

    it('shows Plan · Apply · Verify · Export above a recipe file, each passing the file', async () => {
        const uri = recipeFile('lenses', recipe);
        await vscode.window.showTextDocument(uri);
        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
        const ours = lenses.filter(l => l.command?.command.startsWith('m365Provisioner.recipes.'));
        assert.deepEqual(ours.map(l => l.command?.title.replace(/\$\([^)]+\) /, '')), ['Plan', 'Apply', 'Verify', 'Export']);
        assert.deepEqual(ours.map(l => l.command?.command), [CommandIds.planRecipe, CommandIds.applyRecipe, CommandIds.verifyRecipe, CommandIds.exportRecipe]);
        assert.ok(ours.every(l => (l.command?.arguments?.[0] as vscode.Uri).toString() === uri.toString()));
    });

    it('marks a recipe that breaks the schema in the Problems panel at the field, and refuses to plan or apply it', async () => {
        const bad = { ...recipe, serviceAccounts: [{ ...recipe.serviceAccounts[0], usageLocation: 'Netherlands', password: 'x' }] };
        const uri = recipeFile('broken', bad);
        const document = await vscode.workspace.openTextDocument(uri);
        const problems = await diagnosticsOf(uri, d => d.length >= 2);
        const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
        const byCode = new Map(problems.map(d => [codeOf(d), d]));
        assert.ok(byCode.has('/serviceAccounts/0/usageLocation'), problems.map(p => `${codeOf(p)} ${p.message}`).join('\n'));
        assert.equal(document.getText(byCode.get('/serviceAccounts/0/usageLocation')?.range), '"Netherlands"', 'the squiggle is on the value');
        assert.match(byCode.get('/serviceAccounts/0/password')?.message ?? '', /not a recipe field/);
        const before = (await auditLines()).length;
        assert.equal(await vscode.commands.executeCommand(CommandIds.planRecipe, uri), undefined, 'refused');
        assert.equal(await vscode.commands.executeCommand(CommandIds.applyRecipe, uri, { confirmed: true }), undefined, 'refused');
        assert.equal((await auditLines()).length, before, 'nothing was attempted');
    });

    it('refuses to apply a recipe naming what the tenant lacks, marking the field, and changes nothing', async () => {
        const uri = recipeFile('unknown-role', { ...recipe, serviceAccounts: [{ ...recipe.serviceAccounts[0], directoryRoles: ['Global Raeder'] }] });
        const plan = await vscode.commands.executeCommand<RecipePlan>(CommandIds.planRecipe, uri);
        assert.equal(plan.applicable, false);
        assert.deepEqual(plan.steps.filter(s => s.status === 'blocked').map(s => s.path), ['/serviceAccounts/0/directoryRoles/0']);
        const problems = await diagnosticsOf(uri, d => d.some(x => /Global Raeder/.test(x.message)));
        const document = await vscode.workspace.openTextDocument(uri);
        const role = problems.find(d => /Global Raeder/.test(d.message));
        assert.equal(document.getText(role?.range), '"Global Raeder"');
        assert.equal(await vscode.commands.executeCommand(CommandIds.applyRecipe, uri, { confirmed: true }), undefined);
        await assert.rejects((await session()).directory.user(upn), 'no account was created');
    });

    it('plans, applies, applies again with no change, verifies, and reports drift', async () => {
        const api = await extensionApi();
        const uri = recipeFile('calendar', recipe);
        await vscode.window.showTextDocument(uri);

        const plan = await vscode.commands.executeCommand<RecipePlan>(CommandIds.planRecipe, uri);
        assert.deepEqual(plan.steps.map(s => [s.kind, s.status]), [['createServiceAccount', 'create'], ['assignLicence', 'create'], ['assignRole', 'create'], ['createMailGroup', 'create'], ['addMailGroupMember', 'create'], ['grantCalendarAccess', 'create']]);
        const shown = api.container.recipePlan.current;
        assert.equal(shown?.title, 'Plan');
        assert.match(shown.summary, /6 to create/);
        // Each row leads to its entry in the recipe: the role row to the role's name.
        const roleRow = shown.rows.find(r => r.kind === 'Directory role');
        assert.equal((await vscode.workspace.openTextDocument(uri)).getText(roleRow?.range), '"Global Reader"');
        await assert.rejects((await session()).directory.user(upn), 'planning created nothing');

        // Without an answer to the confirmation (none can be given here), nothing is applied.
        assert.equal(await vscode.commands.executeCommand(CommandIds.applyRecipe, uri), undefined);
        await assert.rejects((await session()).directory.user(upn));

        const applied = await vscode.commands.executeCommand<RecipeApplySummary>(CommandIds.applyRecipe, uri, { confirmed: true });
        assert.equal(applied.failure, undefined, JSON.stringify(applied.failure));
        assert.deepEqual(applied.steps.map(s => s.outcome), ['created', 'created', 'created', 'created', 'created', 'changed']);
        assert.equal(api.container.recipePlan.current?.title, 'Apply');
        const user = await (await session()).directory.user(upn);
        assert.equal(user.employeeType, 'ServiceAccount');
        const { granted, members } = await editors();
        assert.ok(members.length > 3);
        assert.equal(granted, members.length, 'every member\'s calendar gives the group Editor');
        const lines = await auditLines();
        const audit = lines.filter(l => l.action === 'applyRecipe');
        assert.equal(audit.at(-1)?.result, 'succeeded');
        // One line per step the apply changed, before the summary: each with its object ids, its own request id and the
        // tenant by name (issue 18).
        const summaryAt = lines.lastIndexOf(audit.at(-1) as AuditLine);
        const steps = lines.slice(summaryAt - 6, summaryAt);
        assert.deepEqual(steps.map(l => [l.action, l.result]), applied.steps.map(s => [s.kind, 'succeeded']));
        assert.ok(steps.every(l => l.recipe === applied.recipe && l.tenantName === 'Contoso' && l.tenantDomain === 'contoso.com'), JSON.stringify(steps));
        assert.ok(steps.every(l => /^[0-9a-f-]{36}$/.test(l.requestId ?? '')), 'a request id on each success');
        assert.equal(new Set(steps.map(l => l.requestId)).size, 6, 'each step its own last write');
        assert.ok(steps[0].objectIds?.includes(user.id ?? ''), 'the new account\'s object id');

        // The password waits in SecretStorage, is revealed once, then is gone.
        const tenantId = (await session()).account.tenantId;
        assert.deepEqual(api.container.recipePasswords.waiting(tenantId).map(w => w.userPrincipalName), [upn]);
        const password = await api.container.context.secrets.get(`m365Provisioner.recipePassword.${tenantId}.${upn}`);
        assert.ok(password && password.length >= 16);
        assert.ok(!fs.readFileSync(api.container.audit.file, 'utf8').includes(password), 'never in the audit log');
        assert.deepEqual(await vscode.commands.executeCommand(CommandIds.revealRecipePassword, { userPrincipalName: upn }), { userPrincipalName: upn });
        assert.equal(await api.container.context.secrets.get(`m365Provisioner.recipePassword.${tenantId}.${upn}`), undefined, 'gone once revealed');
        assert.equal(await vscode.commands.executeCommand(CommandIds.revealRecipePassword, { userPrincipalName: upn }), undefined, 'a second reveal is refused');

        const again = await vscode.commands.executeCommand<RecipeApplySummary>(CommandIds.applyRecipe, uri, { confirmed: true });
        assert.equal(again.changes, 0);
        assert.ok(again.steps.every(s => s.outcome === 'alreadyInPlace'), JSON.stringify(again.steps));
        assert.equal((await auditLines()).filter(l => l.action === 'applyRecipe').at(-1)?.result, 'unchanged');

        const verified = await vscode.commands.executeCommand<RecipeVerification>(CommandIds.verifyRecipe, uri);
        assert.equal(verified.inSync, true, JSON.stringify(verified.steps.filter(s => !s.inSync)));
        assert.equal(api.container.recipePlan.current?.title, 'Verify');

        // Someone removes the group's access from one calendar: verify finds exactly that.
        const s = await session();
        const first = members[0];
        const folderName = (await s.exchange.invoke<{ Name: string; FolderType: string }>('Get-MailboxFolderStatistics', { Identity: first, FolderScope: 'Calendar' })).value.find(f => f.FolderType === 'Calendar')?.Name ?? 'Calendar';
        await s.exchange.invoke('Remove-MailboxFolderPermission', { Identity: `${first}:\\${folderName}`, User: groupAddress, Confirm: false });
        const drifted = await vscode.commands.executeCommand<RecipeVerification>(CommandIds.verifyRecipe, uri);
        assert.equal(drifted.inSync, false);
        const drift = drifted.steps.filter(x => !x.inSync);
        assert.deepEqual(drift.map(x => [x.kind, x.mailboxes?.differs]), [['grantCalendarAccess', 1]]);
        assert.ok(api.container.recipePlan.current?.rows.some(r => r.status === 'drift' && r.kind === 'Calendar access'));
        // The view opens the drifted row onto that mailbox, under a new id (the row was "Applied" before, with nothing under it).
        const tree = api.container.recipePlan;
        const [header] = tree.getChildren();
        const driftRow = tree.getChildren(header).find(n => tree.getTreeItem(n).label === 'Drift');
        assert.ok(driftRow, 'a Drift row');
        assert.equal(tree.getTreeItem(driftRow).collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
        assert.match(String(tree.getTreeItem(driftRow).id), /\|drift\|/);
        const differences = tree.getChildren(driftRow).map(n => tree.getTreeItem(n).label as string);
        assert.equal(differences.length, 1, differences.join('\n'));
        assert.match(differences[0], new RegExp(first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'));
        assert.equal((await editors()).granted, members.length - 1, 'verify changed nothing');

        // Apply brings it back, touching only that calendar.
        const repaired = await vscode.commands.executeCommand<RecipeApplySummary>(CommandIds.applyRecipe, uri, { confirmed: true });
        assert.equal(repaired.changes, 1);
        assert.deepEqual(repaired.steps.find(x => x.kind === 'grantCalendarAccess')?.mailboxes?.granted, 1);
        assert.equal((await editors()).granted, members.length);
    });
});
