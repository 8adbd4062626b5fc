import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startSandbox, type RunningSandbox } from '../../sandbox/src/server';
import { CommandIds, DetailsScheme } from '../../src/constants';
import type { TenantPlanRow } from '../../src/provisioning/recipes/recipeFleet';
import { extensionApi } from './sandbox';

// A second sandbox with three organisations, each signed in app-only (as an admin would sign in to each customer's
// tenant); Northwind Traders is down. The accounts are signed out again and the earlier active account restored.

describe('Plan Recipe for All Signed-In Tenants', function () {
    this.timeout(180_000);
    let fleet: RunningSandbox;
    let previous: string | undefined;
    const added: string[] = [];

    before(async () => {
        fleet = await startSandbox({ tenants: 3, knobs: { failingTenants: ['northwindtraders.com'] } });
        const { container } = await extensionApi();
        previous = container.accounts.active()?.id;
        for (const tenant of fleet.tenants) {
            const account = await container.accounts.signInApp(
                { cloud: 'Custom', customCloud: { authority: fleet.origin, graphEndpoint: fleet.graphUrl, exchangeEndpoint: fleet.exchangeUrl, caFile: fleet.caPath }, clientId: tenant.confidentialClient.clientId, tenant: tenant.tenantId },
                { kind: 'secret', secret: tenant.confidentialClient.secret },
            );
            added.push(account.id);
        }
    });

    after(async () => {
        const { container } = await extensionApi();
        for (const id of added) await container.accounts.signOut(id);
        if (previous) await container.accounts.setActive(previous);
        await fleet.stop();
    });

    it('plans one recipe in every signed-in tenant and shows one tenant × outcome table; a tenant that is down is a row, the others go on', async () => {
        const recipe = fs.readFileSync(path.join(__dirname, '../../../examples/reporting-inventory.m365recipe.json'), 'utf8');
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'm365-fleet-')), 'reporting.m365recipe.json');
        fs.writeFileSync(file, recipe);
        const before = fleet.tenants.map(t => JSON.stringify(fleet.state(t.tenantId).users.size));
        const rows = await vscode.commands.executeCommand<TenantPlanRow[]>(CommandIds.planRecipeAllTenants, vscode.Uri.file(file));
        assert.ok(rows, 'the command returns its rows');
        // Every signed-in account gets a row (the harness's own too); ours are found by their apps' client ids.
        assert.equal(rows.length, (await extensionApi()).container.accounts.list().length);
        const row = (i: number) => rows.find(r => r.account === fleet.tenants[i].confidentialClient.clientId);
        assert.deepEqual([row(0)?.tenant, row(0)?.outcome], ['Contoso (contoso.com)', 'changesPending'], JSON.stringify(rows, null, 2));
        assert.deepEqual([row(1)?.tenant, row(1)?.outcome], ['Fabrikam (fabrikam.com)', 'blocked'], JSON.stringify(rows, null, 2));
        assert.match(row(1)?.message ?? '', /Blocked: fix the fields/);
        // Northwind is down: its name cannot be read either, so it is named by its id; the others went on.
        assert.deepEqual([row(2)?.tenant, row(2)?.outcome], [fleet.tenants[2].tenantId, 'error'], JSON.stringify(rows, null, 2));
        assert.match(row(2)?.message ?? '', /unavailable/i);
        assert.deepEqual(fleet.tenants.map(t => JSON.stringify(fleet.state(t.tenantId).users.size)), before, 'nothing was changed in any tenant');
        // The table is shown, one row per tenant, in the same outcome words as the command line.
        const name = (JSON.parse(recipe) as { name: string }).name;
        const table = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: DetailsScheme, path: `/Plan of ${name} for all tenants.md`, query: `fleet/${vscode.Uri.file(file).toString()}` }));
        assert.match(table.getText(), /\| Fabrikam \(fabrikam\.com\) \| [0-9a-f-]+ \| blocked \| \d+ of \d+ \|/);
        assert.match(table.getText(), /Nothing was changed in any tenant\./);
    });
});
