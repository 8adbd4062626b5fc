import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSandbox, type RunningSandbox } from '../../sandbox/src/server';
import { loadHarness, stopAll, Workbench, type CodeServer } from './workbench';

const vsix = path.resolve(__dirname, '..', '..', '..', 'dist', 'm365-provisioner.vsix');
const view = 'Directory';

/**
 * Issue 18, items 6 and 8, as an admin sees them: licences and service plans by the names the admin centre uses (the
 * raw ids in the tooltip), and folders in name order.
 */
describe('Directory view through the UI: names instead of ids, lists in name order', function () {
    this.timeout(180_000);
    let sandbox: RunningSandbox;
    let server: CodeServer;
    let workbench: Workbench;
    const row = (label: string) => workbench.treeRow(view, label);
    const expand = (folder: string, expected: string) => workbench.expandRow(view, folder, expected);
    /** The labels of the rows one level below `folder`'s level, in the order the tree shows them. */
    const rowsUnder = async (folder: string): Promise<string[]> => {
        const level = Number(await row(folder).getAttribute('aria-level')) + 1;
        // The page's elements, typed by what is read of them (these tests compile without the DOM library).
        type Row = { getAttribute(name: string): string | null; querySelector(selector: string): { textContent: string | null } | null };
        const rows = await workbench.treeRows(view).evaluateAll((elements: Row[], wanted: number) => elements
            .filter(e => Number(e.getAttribute('aria-level')) === wanted)
            .map(e => ({ at: Number(e.getAttribute('data-index')), label: e.querySelector('.label-name')?.textContent ?? '' })), level);
        // The list draws only the rows in sight, not necessarily in document order: data-index is the row's place.
        return rows.sort((a, b) => a.at - b.at).map(r => r.label);
    };
    /** The tooltip of a row, as the hover shows it. */
    const hoverText = async (label: string): Promise<string> => {
        await workbench.page.mouse.move(0, 0);
        await row(label).locator('.label-name').hover();
        const hover = workbench.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: label }).first();
        await hover.waitFor();
        return hover.innerText();
    };
    /** Drags the sash on the side bar's right edge by `by` pixels; `undo` drags it back. */
    const dragSideBar = async (by: number) => {
        const bar = await workbench.page.locator('.part.sidebar').boundingBox();
        const drag = async (from: number, to: number) => {
            if (!bar) return;
            const y = bar.y + bar.height / 2;
            await workbench.page.mouse.move(from, y);
            await workbench.page.mouse.down();
            await workbench.page.mouse.move(to, y, { steps: 5 });
            await workbench.page.mouse.up();
        };
        const edge = bar ? bar.x + bar.width : 0;
        await drag(edge, edge + by);
        return { undo: () => drag(edge + by, edge) };
    };
    const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
    const assertInNameOrder = (names: string[], what: string) => {
        assert.ok(names.length > 3, `${what}: ${names.join(', ')}`);
        assert.deepEqual(names, [...names].sort((a, b) => collator.compare(a, b)), `${what} in name order`);
    };

    before(async () => {
        sandbox = await startSandbox({ port: 0, deviceCodeIntervalSeconds: 1 });
        const harness = await loadHarness();
        const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'm365p-ui-lists-'));
        server = await harness.startCodeServer({ runDir, folder: path.join(runDir, 'workspace'), vsix, removeRunDir: true, settings: harness.sandboxSettings(sandbox) });
        workbench = await Workbench.open(server, harness.chromiumArgs);
        await workbench.signInWithDeviceCode(sandbox.origin, /Contoso Administrator/);
        await workbench.viewPane('Accounts').locator('.pane-header').click();
        await workbench.expandView(view);
        await row('Contoso (contoso.com)').waitFor();
    });
    afterEach(async function () {
        await workbench?.screenshotIfFailed(this.currentTest);
    });
    after(() => stopAll(workbench, server, sandbox));

    it('lists Users and Groups in name order, not in the order they were created', async () => {
        const created = [...sandbox.state().users.values()].map(u => u.displayName);
        assert.equal(created[0], 'Contoso Administrator', 'the tenant made its admin first');
        await expand('Users', 'Adele Vance');
        const users = await rowsUnder('Users');
        assertInNameOrder(users, 'Users');
        assert.equal(users[0], [...created].sort((a, b) => collator.compare(a, b))[0], 'the first row is the first name, not the first account made');
        await row('Users').click();

        await expand('Groups', 'Staff');
        assertInNameOrder(await rowsUnder('Groups'), 'Groups');
        await row('Groups').click();
    });

    it('names licences and their service plans as the admin centre does, with the raw ids in the tooltip', async () => {
        await expand('Licences', 'Office 365 E3');
        assert.deepEqual(await rowsUnder('Licences'), ['Office 365 E3', 'Office 365 E3 Developer']);
        const licence = await hoverText('Office 365 E3');
        assert.match(licence, /Part number: ENTERPRISEPACK/);
        assert.match(licence, /SKU id: 6fd2c87f-b296-42f0-b197-1e91e994b900/);
        await expand('Office 365 E3', 'Service plans');
        await expand('Service plans', 'Exchange Online (Plan 2)');
        const plans = await rowsUnder('Service plans');
        assert.ok(plans.includes('SharePoint (Plan 2)') && plans.includes('Microsoft 365 Apps for enterprise'), plans.join(', '));
        assert.ok(!plans.some(p => /^[A-Z0-9_]+$/.test(p)), `no raw plan names: ${plans.join(', ')}`);
        // For docs/screenshots: notifications cleared and the side bar widened so the names are read whole.
        await workbench.runCommand('Notifications: Clear All Notifications');
        const widen = await dragSideBar(220);
        const plan = await hoverText('Exchange Online (Plan 2)');
        assert.match(plan, /Plan name: EXCHANGE_S_ENTERPRISE/);
        assert.match(plan, /Plan id: efb87545-963c-4e0d-99df-69c6916d9eb0/);
        await workbench.screenshotToDocs('licences-friendly-names');
        await workbench.page.mouse.move(0, 0);
        await widen.undo();
        await row('Office 365 E3').click();
        await row('Licences').click();
    });

    it('shows a user\'s service plans by name, each on or off', async () => {
        await expand('Users', 'Adele Vance');
        // Adele's own folders share their names with the tenant's (Groups, Licences): find rows by their depth below hers.
        const adele = Number(await row('Adele Vance').getAttribute('aria-level'));
        const at = async (depth: number, label: string) => {
            const found = workbench.treeRows(view).and(workbench.page.locator(`[aria-level="${adele + depth}"]`)).filter({ has: workbench.page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();
            await found.waitFor();
            return found;
        };
        await row('Adele Vance').click();
        await (await at(1, 'Licences')).click();
        await (await at(2, 'Office 365 E3')).click();
        const exchange = await at(3, 'Exchange Online (Plan 2)');
        assert.equal(await exchange.locator('.label-description').innerText(), 'on');
        await workbench.screenshot('lists-user-plans');
    });
});
