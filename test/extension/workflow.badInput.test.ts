import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CommandIds } from '../../src/constants';
import type { TreeNode } from '../../src/tree/directory/TreeNode';
import { assertNamesFieldAndFix, badInputCases, caseTitle, commandInput, reportCount } from '../unit/provisioning/badInput.cases';
import { find, rowsOf } from './directoryRows';
import { consentingInteraction, extensionApi, sandbox, sandboxTransport } from './sandbox';

// The bad-input table through the real commands in the extension host, each given its input object (what the setup
// wizard and other extensions pass): the message the admin is shown names the field and the fix, and the sandbox
// tenant's whole state (GET /_sandbox/state) is the same before and after.

async function tenantState(): Promise<string> {
    const answer = await sandboxTransport().send({ method: 'GET', url: `${sandbox.origin}/_sandbox/state`, headers: {} });
    assert.equal(answer.status, 200);
    return answer.body.toString('utf8');
}

/** Runs a command as a caller would and returns what the admin was shown as its error (runAction shows it once). */
async function shownError(command: string, row: TreeNode | undefined, input: unknown): Promise<{ result: unknown; shown: string[] }> {
    const window = vscode.window as { showErrorMessage: (message: string, ...items: unknown[]) => Thenable<unknown> };
    const original = window.showErrorMessage;
    const shown: string[] = [];
    window.showErrorMessage = (message: string) => {
        shown.push(message);
        return Promise.resolve(undefined);
    };
    try {
        const result = await vscode.commands.executeCommand(command, row, input);
        return { result, shown };
    } finally {
        window.showErrorMessage = original;
    }
}

describe('Bad input through the commands in a real extension host', function () {
    this.timeout(120_000);
    let userRow: TreeNode;
    let groupRow: TreeNode;
    let count = 0;

    before(async () => {
        const api = await extensionApi();
        const account = api.container.accounts.active();
        assert.ok(account, 'signed in');
        // The consents an admin gives on first use (write permissions, the Exchange app), given here once, so a case is
        // refused for its value and not for a prompt the test cannot answer.
        const tokens = api.container.accounts.tokenProvider(account, consentingInteraction('admin@contoso.com'));
        await tokens.getAccessToken({ resource: 'graph', scopes: ['User.ReadWrite.All', 'RoleManagement.ReadWrite.Directory', 'LicenseAssignment.ReadWrite.All', 'Policy.Read.All'] });
        await tokens.getAccessToken({ resource: 'exchange', scopes: ['Exchange.Manage'] });
        const [tenant] = await rowsOf();
        userRow = await find(await find(tenant, 'Users'), 'Contoso Administrator');
        groupRow = await find(await find(tenant, 'Groups'), 'Staff');
    });
    after(() => reportCount('commands in the extension host', count));

    for (const c of badInputCases) {
        it(caseTitle(c), async () => {
            const { command, input, row } = commandInput(c);
            const before = await tenantState();
            const { result, shown } = await shownError(CommandIds[command], row === 'user' ? userRow : row === 'group' ? groupRow : undefined, input);
            assert.equal(result, undefined, 'the command failed');
            assert.equal(shown.length, 1, `one error shown: ${JSON.stringify(shown)}`);
            assertNamesFieldAndFix(c, shown[0]);
            assert.equal(await tenantState(), before, 'the tenant is unchanged');
            count++;
        });
    }
});
