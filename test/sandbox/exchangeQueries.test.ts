import * as assert from 'node:assert/strict';
import { readExchangeError } from './exchangeErrorBody';
import { sandboxFixture, type SandboxFixture } from './fixture';

interface Answer { status: number; value: Record<string, unknown>[]; message: string; exceptionType: string }

describe('Sandbox Exchange admin API: -Anr, -Filter (OPATH) and -ResultSize on the Get- recipient cmdlets', function () {
    this.timeout(30_000);
    let f: SandboxFixture;
    let app: string;

    before(async () => {
        f = await sandboxFixture();
        app = await f.appToken('exchange');
        // Exchange lists distribution groups only once someone made one; the seed has none.
        assert.equal((await run('New-DistributionGroup', { Name: 'Finance Team', Alias: 'finance-team', PrimarySmtpAddress: 'finance-team@contoso.com' })).status, 200);
        assert.equal((await run('New-DistributionGroup', { Name: "O'Brien's Team", Alias: 'obriens-team', PrimarySmtpAddress: 'obriens-team@contoso.com', Type: 'Security' })).status, 200);
    });
    after(() => f.stop());

    async function run(cmdlet: string, parameters: Record<string, unknown> = {}): Promise<Answer> {
        const answer = await f.transport.send({
            method: 'POST',
            url: `${f.sandbox.exchangeUrl}/adminapi/beta/${f.sandbox.tenantId}/InvokeCommand`,
            headers: { authorization: `Bearer ${app}`, 'content-type': 'application/json' },
            body: JSON.stringify({ CmdletInput: { CmdletName: cmdlet, Parameters: parameters } }),
        });
        if (answer.status >= 400) {
            const error = readExchangeError(answer.body);
            return { status: answer.status, value: [], message: error.message, exceptionType: error.type };
        }
        const json = JSON.parse(answer.body.toString('utf8')) as { value?: Record<string, unknown>[] };
        return { status: answer.status, value: json.value ?? [], message: '', exceptionType: '' };
    }
    const smtp = (a: Answer) => a.value.map(v => String(v.PrimarySmtpAddress)).sort();
    const state = () => f.sandbox.state();
    const departmentOf = (userId: string) => state().users.get(userId)?.department;

    it('-Anr finds by a case-insensitive prefix of display name, alias, first or last name, and SMTP address', async () => {
        for (const anr of ['adele', 'ADELE V', 'adelev', 'Vance', 'adelev@', 'adelev@contoso.com', 'Vance Adele']) {
            const found = await run('Get-Mailbox', { Anr: anr });
            assert.equal(found.status, 200, `${anr}: ${found.message}`);
            assert.ok(smtp(found).includes('adelev@contoso.com'), `${anr} finds Adele Vance: ${smtp(found).join(', ')}`);
        }
        const byAddress = await run('Get-Mailbox', { Anr: 'adelev@contoso.com' });
        assert.deepEqual(smtp(byAddress), ['adelev@contoso.com']);
        const allVances = [...state().users.values()].filter(u => u.surname === 'Vance' && state().mailboxes.has(u.id)).map(u => u.mail);
        assert.deepEqual(smtp(await run('Get-Mailbox', { Anr: 'vance' })), allVances.sort());
        assert.deepEqual((await run('Get-Mailbox', { Anr: 'nobody-has-this-name' })).value, []);
    });

    it('-Anr works on Get-User, Get-Recipient and Get-DistributionGroup, but not beside -Identity or empty', async () => {
        assert.deepEqual((await run('Get-User', { Anr: 'helpdesk' })).value.map(u => u.UserPrincipalName), ['helpdesk@contoso.com']);
        assert.deepEqual(smtp(await run('Get-Recipient', { Anr: 'recep' })), ['reception@contoso.com']);
        assert.deepEqual(smtp(await run('Get-DistributionGroup', { Anr: 'financ' })), ['finance-team@contoso.com']);
        const both = await run('Get-Mailbox', { Identity: 'adelev', Anr: 'adele' });
        assert.equal(both.status, 400);
        assert.equal(both.exceptionType, 'Microsoft.Exchange.Configuration.Tasks.ParameterBindingException');
        assert.match(both.message, /Parameter set cannot be resolved/);
        assert.equal((await run('Get-Recipient', { Anr: '' })).status, 400);
    });

    it('-ResultSize caps the count, takes Unlimited in any case, and refuses anything else', async () => {
        const mailboxes = state().mailboxes.size;
        assert.equal((await run('Get-Mailbox', { ResultSize: 5 })).value.length, 5);
        assert.equal((await run('Get-Mailbox', { ResultSize: '7' })).value.length, 7);
        assert.equal((await run('Get-Mailbox', { ResultSize: 'unlimited' })).value.length, mailboxes);
        assert.equal((await run('Get-User', { ResultSize: 3 })).value.length, 3);
        assert.equal((await run('Get-Recipient', { ResultSize: 2, RecipientTypeDetails: 'SharedMailbox' })).value.length, 2);
        assert.equal((await run('Get-DistributionGroup', { ResultSize: 1 })).value.length, 1);
        for (const bad of ['lots', 0, -1]) {
            const refused = await run('Get-Mailbox', { ResultSize: bad });
            assert.equal(refused.status, 400, String(bad));
            assert.match(refused.message, /Cannot process argument transformation on parameter 'ResultSize'/);
        }
    });

    it('-Filter: -eq, -ne and -like on the documented properties, names and values in any case', async () => {
        assert.deepEqual(smtp(await run('Get-Mailbox', { Filter: "DisplayName -eq 'Adele Vance'" })), ['adelev@contoso.com']);
        assert.deepEqual(smtp(await run('Get-Mailbox', { Filter: "recipienttypedetails -EQ 'sharedmailbox'" })), ['invoices@contoso.com', 'reception@contoso.com', 'support@contoso.com']);
        assert.deepEqual(smtp(await run('Get-Mailbox', { Filter: 'RecipientTypeDetails -eq SharedMailbox' })).length, 3, 'a bare word is a value');
        const adel = await run('Get-Mailbox', { Filter: "Alias -like 'ADEL*'" });
        assert.ok(adel.value.length >= 1 && adel.value.every(m => String(m.Alias).startsWith('adel')));
        const contosoSales = await run('Get-Mailbox', { Filter: "PrimarySmtpAddress -like '*@contoso.com' -and Department -eq 'sales'" });
        const sales = [...state().mailboxes.values()].filter(m => departmentOf(m.userId) === 'Sales');
        assert.equal(contosoSales.value.length, sales.length);
        assert.ok(sales.length > 0);
        const salesOrLegal = await run('Get-User', { Filter: "Department -eq 'Sales' -or Department -eq 'Legal'" });
        assert.equal(salesOrLegal.value.length, [...state().users.values()].filter(u => u.department === 'Sales' || u.department === 'Legal').length);
        const notSales = await run('Get-Mailbox', { Filter: "Department -ne 'Sales'", ResultSize: 'Unlimited' });
        assert.equal(notSales.value.length, state().mailboxes.size - sales.length, 'mailboxes without a department are not Sales either');
        const middle = await run('Get-Recipient', { Filter: "DisplayName -like '*Team'" });
        assert.deepEqual(smtp(middle), ['finance-team@contoso.com', 'obriens-team@contoso.com']);
    });

    it('-Filter: doubled quotes, parentheses, -not, and RecipientTypeDetails of groups', async () => {
        assert.deepEqual(smtp(await run('Get-DistributionGroup', { Filter: "DisplayName -eq 'O''Brien''s Team'" })), ['obriens-team@contoso.com']);
        assert.deepEqual(smtp(await run('Get-Recipient', { Filter: 'RecipientTypeDetails -eq "MailUniversalSecurityGroup"' })), ['obriens-team@contoso.com']);
        const itButAdmins = await run('Get-Mailbox', { Filter: "(Department -eq 'IT') -and -not (Alias -like 'admin*' -or Alias -eq 'helpdesk')" });
        const expected = [...state().mailboxes.values()].filter(m => departmentOf(m.userId) === 'IT' && m.alias !== 'admin' && m.alias !== 'helpdesk').map(m => m.primarySmtpAddress).sort();
        assert.deepEqual(smtp(itButAdmins), expected);
        assert.ok(expected.length > 0);
        assert.deepEqual(smtp(await run('Get-Mailbox', { Identity: 'adelev', Filter: "Department -eq 'Nowhere'" })), []);
    });

    it('-Filter it cannot parse gets Exchange\'s ParameterBindingException with the position, never a silent "all"', async () => {
        const cases: [string, RegExp][] = [
            ['DisplayName -eq', /Invalid filter syntax\. For a description of the filter parameter syntax see the command help\. "DisplayName -eq" at position 16\./],
            ["DisplayName -contains 'x'", /Invalid filter syntax.*at position 13\./],
            ["DisplayName -eq 'unterminated", /Invalid filter syntax.*at position 17\./],
            ["(Alias -eq 'a'", /Invalid filter syntax.*at position 15\./],
            ["Alias -eq 'a' Alias -eq 'b'", /Invalid filter syntax.*at position 15\./],
            ["Office -eq 'Seattle'", /'Office' is not a recognized filterable property/],
        ];
        for (const [filter, message] of cases) {
            const answer = await run('Get-Mailbox', { Filter: filter });
            assert.equal(answer.status, 400, filter);
            assert.equal(answer.exceptionType, 'Microsoft.Exchange.Configuration.Tasks.ParameterBindingException', filter);
            assert.match(answer.message, /^Cannot bind parameter 'Filter' to the target\. Exception setting "Filter": /, filter);
            assert.match(answer.message, message, filter);
        }
        // Bound before the cmdlet runs: a bad filter is reported even beside an identity that does not exist.
        assert.equal((await run('Get-DistributionGroup', { Identity: 'no-such-group', Filter: 'Alias -eq' })).status, 400);
    });
});
