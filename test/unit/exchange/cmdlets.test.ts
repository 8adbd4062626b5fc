import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as cmdlets from '../../../src/exchange/cmdlets';
import { ExchangeAdminClient } from '../../../src/exchange/ExchangeAdminClient';
import { ExchangeCommandError } from '../../../src/exchange/ExchangeCommandError';
import { missingRoleMessage } from '../../../src/exchange/exchangeRoles';
import { sandboxFixture, type SandboxFixture } from '../../sandbox/fixture';
import { appTokens, recordingLogger, sandboxCloud } from '../graph/clientFixture';

/** The typed cmdlets product code calls (src/exchange/cmdlets.ts), each run against the sandbox's Exchange. */
describe('Typed Exchange cmdlets against the sandbox', function () {
    this.timeout(60_000);
    let f: SandboxFixture;
    let exo: ExchangeAdminClient;
    const sent: string[] = [];

    before(async () => {
        f = await sandboxFixture();
        const logger = recordingLogger();
        exo = new ExchangeAdminClient({ cloud: sandboxCloud(f), tenantId: f.sandbox.tenantId, tokens: appTokens(f, logger), transport: f.transport, logger });
        // Which cmdlet each request ran, read from what was sent rather than from the function names.
        const invoke = exo.invokePage.bind(exo);
        exo.invokePage = (cmdlet, parameters, call) => (sent.push(cmdlet), invoke(cmdlet, parameters, call));
    });
    after(() => f.stop());
    beforeEach(() => (sent.length = 0));

    it('reads users, recipients and accepted domains; an unknown identity is isNotFound', async () => {
        assert.equal((await cmdlets.getUser(exo, 'adelev@contoso.com'))?.UserPrincipalName, 'adelev@contoso.com');
        assert.equal((await cmdlets.getRecipient(exo, 'reception@contoso.com'))?.RecipientTypeDetails, 'SharedMailbox');
        assert.ok((await cmdlets.listAcceptedDomains(exo)).some(d => d.DomainName.toLowerCase() === 'contoso.com'));
        await assert.rejects(cmdlets.getUser(exo, 'nobody@contoso.com'), (e: unknown) => e instanceof ExchangeCommandError && e.isNotFound);
        assert.deepEqual(sent, ['Get-User', 'Get-Recipient', 'Get-AcceptedDomain', 'Get-User']);
    });

    it('adds a member to a role group and removes it again', async () => {
        const group = (await cmdlets.listRoleGroups(exo)).find(g => g.DisplayName === 'View-Only Organization Management');
        assert.ok(group);
        const isMember = async () => (await cmdlets.listRoleGroupMembers(exo, group.Name)).some(m => m.PrimarySmtpAddress === 'adelev@contoso.com');
        assert.equal(await isMember(), false);
        await cmdlets.addRoleGroupMember(exo, group.Name, 'adelev@contoso.com');
        assert.equal(await isMember(), true);
        await cmdlets.removeRoleGroupMember(exo, group.Name, 'adelev@contoso.com');
        assert.equal(await isMember(), false);
        assert.deepEqual(sent, ['Get-RoleGroup', 'Get-RoleGroupMember', 'Add-RoleGroupMember', 'Get-RoleGroupMember', 'Remove-RoleGroupMember', 'Get-RoleGroupMember']);
    });

    it('creates a mail-enabled security group, changes its settings and its members', async () => {
        const address = 'typed-cmdlets@contoso.com';
        const made = await cmdlets.newDistributionGroup(exo, { Name: 'Typed Cmdlets', PrimarySmtpAddress: address, Type: 'Security', MemberJoinRestriction: 'Closed', MemberDepartRestriction: 'Closed' });
        assert.equal(made?.PrimarySmtpAddress, address);
        await cmdlets.setDistributionGroup(exo, address, { HiddenFromAddressListsEnabled: true, AcceptMessagesOnlyFromSendersOrMembers: ['admin@contoso.com'] });
        const group = await cmdlets.getDistributionGroup(exo, address);
        assert.equal(group?.HiddenFromAddressListsEnabled, true);
        assert.deepEqual([group?.MemberJoinRestriction, group?.MemberDepartRestriction], ['Closed', 'Closed']);
        await cmdlets.addDistributionGroupMember(exo, address, 'adelev@contoso.com');
        assert.deepEqual((await cmdlets.listDistributionGroupMembers(exo, address)).map(m => m.PrimarySmtpAddress), ['adelev@contoso.com']);
        await cmdlets.removeDistributionGroupMember(exo, address, 'adelev@contoso.com');
        assert.deepEqual(await cmdlets.listDistributionGroupMembers(exo, address), []);
    });

    it('names the Exchange role each cmdlet needs, for every cmdlet src/exchange runs', () => {
        const src = path.resolve(__dirname, '../../../../src/exchange');
        const spelled = new Set<string>();
        for (const file of ['cmdlets.ts', 'exchangePages.ts', 'applicationAccess.ts']) {
            for (const match of fs.readFileSync(path.join(src, file), 'utf8').matchAll(/'((?:Get|Add|Set|New|Remove|Test)-[A-Za-z]+)'/g)) spelled.add(match[1]);
        }
        assert.ok(spelled.size >= 15, [...spelled].join());
        for (const cmdlet of spelled) assert.match(missingRoleMessage(cmdlet, 403), /needs the Exchange management role/, cmdlet);
    });
});
