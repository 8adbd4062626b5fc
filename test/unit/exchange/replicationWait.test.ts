import * as assert from 'node:assert/strict';
import type { ExchangeAdminClient } from '../../../src/exchange/ExchangeAdminClient';
import { exchangeErrorFrom } from '../../../src/exchange/ExchangeCommandError';
import { addMailGroupMember } from '../../../src/provisioning/steps/mailGroups';
import { addRoleGroupMember } from '../../../src/provisioning/steps/roleGroups';

/**
 * The replication waits decide from what the caller knows (it has just seen the account), not from a text only the
 * sandbox used: real Exchange answers a -Member it has not received with `Couldn't find object "…"` (pipe form, as a
 * public Q&A quotes it), exactly what it says of a name that never existed.
 */
describe('Waiting for Exchange to see a new account, with the errors real Exchange sends', () => {
    const notFoundIdentity = (name: string) => exchangeErrorFrom('Get-User', 404, { error: { code: 'NotFound', message: 'Error executing cmdlet', details: [{ code: 'Client', target: '', message: `Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't be performed because object '${name}' couldn't be found on 'AM0PR01MB0001.EURPRD01.PROD.OUTLOOK.COM'.` }] } }, 'r');
    const unknownMember = (cmdlet: string, name: string) => exchangeErrorFrom(cmdlet, 404, { error: { code: 'NotFound', message: 'Error executing cmdlet', details: [{ code: 'Context', target: '', message: JSON.stringify({ Message: `Couldn't find object "${name}". Please make sure that it was spelled correctly or specify a different object.`, TypeName: 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException', StackTrace: null, InnerError: null }) }] } }, 'r');

    /** A fake Exchange: each cmdlet answers from its own script of outcomes (an error to throw, or a value). */
    function exchange(script: Record<string, (Error | unknown[])[]>) {
        const calls: string[] = [];
        const exo = {
            invoke: (cmdlet: string) => {
                calls.push(cmdlet);
                const next = script[cmdlet]?.length ? script[cmdlet].shift() : [];
                return next instanceof Error ? Promise.reject(next) : Promise.resolve({ value: next ?? [], warnings: [] });
            },
        } as unknown as ExchangeAdminClient;
        return { exo, calls };
    }
    const noSleep = () => Promise.resolve();

    it('Add-RoleGroupMember that does not know the member yet, after Get-User saw it, is tried again until it does', async () => {
        const { exo, calls } = exchange({
            'Get-RoleGroup': [[{ Name: 'ViewOnlyOrganizationManagement', DisplayName: 'View-Only Organization Management', Description: '', Members: [], Roles: [] }]],
            'Get-User': [notFoundIdentity('svc@contoso.com'), [{ Identity: 'svc' }]],
            'Get-RoleGroupMember': [[]],
            'Add-RoleGroupMember': [unknownMember('Add-RoleGroupMember', 'svc@contoso.com'), unknownMember('Add-RoleGroupMember', 'svc@contoso.com'), []],
        });
        const waits: string[] = [];
        assert.equal(await addRoleGroupMember(exo, 'View-Only Organization Management', 'svc@contoso.com', { sleep: noSleep, onWait: m => waits.push(m), accountExists: true }), 'added');
        assert.deepEqual(calls.filter(c => c === 'Add-RoleGroupMember').length, 3);
        // The step's read asked Get-User once (not there yet: expected, since the caller says the account exists); the
        // write's look found it at once, then waited twice for Add-RoleGroupMember.
        assert.deepEqual(calls.filter(c => c === 'Get-User').length, 2);
        assert.equal(waits.length, 2, 'two waits for Add-RoleGroupMember');
    });

    it('Add-DistributionGroupMember likewise; but an unknown group (-Identity) is no reason to wait', async () => {
        const group = { Identity: 'sa-group', PrimarySmtpAddress: 'sa-group@contoso.com', RecipientTypeDetails: 'MailUniversalSecurityGroup' };
        const first = exchange({ 'Get-User': [[{ Identity: 'svc' }]], 'Get-Recipient': [[group]], 'Add-DistributionGroupMember': [unknownMember('Add-DistributionGroupMember', 'svc@contoso.com'), []] });
        assert.equal(await addMailGroupMember(first.exo, 'sa-group@contoso.com', 'svc@contoso.com', { sleep: noSleep, accountExists: true }), 'added');
        assert.equal(first.calls.filter(c => c === 'Add-DistributionGroupMember').length, 2);
        // A group Exchange does not have is refused by the step's read, before any add and without a wait.
        const waits: string[] = [];
        const noGroup = exchange({ 'Get-User': [[{ Identity: 'svc' }]], 'Get-Recipient': [notFoundIdentity('nogroup@contoso.com')] });
        await assert.rejects(addMailGroupMember(noGroup.exo, 'nogroup@contoso.com', 'svc@contoso.com', { sleep: noSleep, onWait: m => waits.push(m), accountExists: true }), /There is no mail-enabled group nogroup@contoso\.com/);
        assert.equal(noGroup.calls.filter(c => c === 'Add-DistributionGroupMember').length, 0);
        assert.deepEqual(waits, []);
    });
});
