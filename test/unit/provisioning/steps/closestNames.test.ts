import * as assert from 'node:assert/strict';
import { GraphClient } from '../../../../src/graph/GraphClient';
import { ExchangeAdminClient } from '../../../../src/exchange/ExchangeAdminClient';
import { closestNames } from '../../../../src/provisioning/steps/closestNames';
import { resolveRole } from '../../../../src/provisioning/steps/directoryRoles';
import { ProvisioningInputError } from '../../../../src/provisioning/errors';
import { resolveRoleGroup } from '../../../../src/provisioning/steps/roleGroups';
import { sandboxFixture, type SandboxFixture } from '../../../sandbox/fixture';
import { recordingLogger, sandboxClients } from '../../graph/clientFixture';

const roles = ['Application Administrator', 'Billing Administrator', 'Exchange Administrator', 'Exchange Recipient Administrator', 'Global Administrator', 'Global Reader', 'Reports Reader', 'Security Reader', 'Service Support Administrator', 'User Administrator'];

describe('closestNames: "Did you mean" by spelling and words, not by the alphabet', () => {
    const cases: [string, string[]][] = [
        ['Service Suport Administrator', ['Service Support Administrator']],
        ['Servcie Support Administrator', ['Service Support Administrator']],
        ['Service Support Admin', ['Service Support Administrator']],
        ['Exchange Admin', ['Exchange Administrator', 'Exchange Recipient Administrator']],
        ['Reports Readr', ['Reports Reader']],
        ['Global Admin', ['Global Administrator']],
        // One common word is not closeness: "Admin" alone would otherwise offer every "… Administrator".
        ['Admin', []],
        ['Helpdesk Administrator', []],
        ['', []],
    ];
    for (const [typed, expected] of cases) it(`"${typed}" → ${expected.length ? expected.join(', ') : 'nothing'}`, () => assert.deepEqual(closestNames(typed, roles), expected));

    it('treats hyphens and spaces alike, and offers at most three', () => {
        assert.deepEqual(closestNames('View Only Org Management', ['View-Only Organization Management', 'Organization Management']), ['View-Only Organization Management']);
        const five = ['Global Read', 'Global Reader', 'Global Readers', 'Global Readerz', 'Global Reading'];
        const offered = closestNames('Global Reder', five);
        assert.equal(offered.length, 3, `five are close; three are offered: ${offered.join(', ')}`);
        assert.equal(offered[0], 'Global Reader', 'the closest first');
    });
});

describe('unknown role and role-group names against the sandbox tenant', function () {
    this.timeout(60_000);
    let f: SandboxFixture;
    let graph: GraphClient;
    let exchange: ExchangeAdminClient;
    const logger = recordingLogger();
    const message = async (run: () => Promise<unknown>) => {
        try {
            await run();
        } catch (error) {
            assert.ok(error instanceof ProvisioningInputError, String(error));
            return error.message;
        }
        return assert.fail('was accepted');
    };

    before(async () => {
        f = await sandboxFixture();
        ({ graph, exchange } = sandboxClients(f, logger));
    });
    after(() => f.stop());

    it('a misspelt role is answered with the role it resembles, never the first roles of the alphabet', async () => {
        const text = await message(() => resolveRole(graph, 'Service Suport Administrator'));
        assert.match(text, /Did you mean "Service Support Administrator"\?/);
        assert.doesNotMatch(text, /Global Administrator|Application Administrator/);
    });

    it('a privileged role offered for a typo is said to be privileged', async () => {
        const text = await message(() => resolveRole(graph, 'Global Admin'));
        assert.match(text, /"Global Administrator" \(privileged: it can change credentials, security settings or admins\)/);
    });

    it('a name like no role says so instead of guessing', async () => {
        assert.match(await message(() => resolveRole(graph, 'Calendar Robot')), /No role has a name close to it/);
    });

    it('a misspelt Exchange role group is answered with the one it resembles', async () => {
        assert.match(await message(() => resolveRoleGroup(exchange, 'View Only Organisation Management')), /Did you mean "View-Only Organization Management"\?/);
    });
});
