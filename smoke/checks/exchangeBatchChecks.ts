import type { BatchCommandResult } from '../../src/exchange/exchangeBatch';
import { exchangeBatchSize, exchangeScopes } from '../../src/exchange/ExchangeAdminClient';
import { agrees, differs, notChecked, type SmokeCheck, type SmokeContext } from '../context';
import { exchangeOf, firstMailbox } from './exchangeObservations';

/** Two reads through the client's own `$batch`: relative item URLs, no X-CmdletName, the system-mailbox anchor. */
function plainBatch(ctx: SmokeContext): Promise<BatchCommandResult<unknown>[]> {
    return ctx.observe('batch:plain', () => exchangeOf(ctx).invokeBatch([{ cmdlet: 'Get-RoleGroup', parameters: { ResultSize: 1 } }, { cmdlet: 'Get-Mailbox', parameters: { ResultSize: 1 } }]));
}

const failures = (results: BatchCommandResult<unknown>[]) => results.flatMap(r => (r.ok ? [] : [`${r.error.cmdlet}: ${r.error.status} ${r.error.message}`]));

export const exchangeBatchChecks: SmokeCheck[] = [
    {
        ref: 'A2',
        name: 'Exchange $batch takes relative item URLs',
        run: async ctx => {
            const failed = failures(await plainBatch(ctx));
            return failed.length ? differs(failed.join('; ')) : agrees('both items answered 200');
        },
    },
    {
        ref: 'A4',
        name: 'Exchange $batch items need no X-CmdletName header',
        run: async ctx => {
            const failed = failures(await plainBatch(ctx));
            return failed.length ? differs(failed.join('; ')) : agrees('both items ran without it');
        },
    },
    {
        ref: 'A3',
        name: 'Exchange $batch honours a per-item UPN: anchor',
        run: async ctx => {
            const mailbox = await firstMailbox(ctx);
            if (!mailbox) return notChecked('the tenant listed no mailbox');
            const upn = mailbox.UserPrincipalName;
            const [result] = await exchangeOf(ctx).invokeBatch([{ cmdlet: 'Get-MailboxFolderStatistics', parameters: { Identity: upn, FolderScope: 'Calendar' }, anchorMailbox: upn }]);
            return result.ok ? agrees(`UPN:${upn} → ${result.value.length} folders`) : differs(`${result.error.status} ${result.error.message}`);
        },
    },
    {
        ref: 'A5',
        name: `Exchange $batch refuses more than ${exchangeBatchSize} items`,
        run: async ctx => {
            // The client never sends more than 10, so this one request is built by hand: 11 reads, as the client shapes items.
            const tenant = encodeURIComponent(ctx.tenantId);
            const anchor = `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${ctx.tenantId}`;
            const requests = Array.from({ length: exchangeBatchSize + 1 }, (_, k) => ({
                id: String(k + 1),
                method: 'POST',
                url: `/adminapi/beta/${tenant}/InvokeCommand`,
                headers: { 'Content-Type': 'application/json', Prefer: 'odata.maxpagesize=1', 'X-AnchorMailbox': anchor },
                body: { CmdletInput: { CmdletName: 'Get-RoleGroup', Parameters: { ResultSize: 1 } } },
            }));
            const token = await ctx.tokens.getAccessToken({ resource: 'exchange', scopes: exchangeScopes });
            const answer = await ctx.transport.send({
                method: 'POST',
                url: `${ctx.cloud.exchangeEndpoint}/adminapi/beta/${tenant}/$batch`,
                headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', prefer: 'odata.continue-on-error', 'x-anchormailbox': anchor },
                body: JSON.stringify({ requests }),
            });
            if (answer.status === 400) return agrees(`400 for ${exchangeBatchSize + 1} items`);
            if (answer.status === 200) {
                const items = (JSON.parse(answer.body.toString('utf8')) as { responses?: { status: number }[] }).responses ?? [];
                return differs(`200 for ${exchangeBatchSize + 1} items (${items.filter(i => i.status === 200).length} answered 200): 10 is not a server limit`);
            }
            return differs(`answered ${answer.status}`);
        },
    },
];
