import type { RecipientSummary } from '../../src/exchange/cmdlets';
import { ExchangeCommandError } from '../../src/exchange/ExchangeCommandError';
import type { ListPage } from '../../src/graph/directoryPages';
import { agrees, differs, notChecked, type SmokeCheck, type SmokeContext } from '../context';
import { calendarFolders, errorBodyShape, exchangeOf, missingMailbox } from './exchangeObservations';

/** An Exchange folder's first page as the Directory view reads it (src/exchange/exchangePages.ts). */
const folder = (name: string, read: (pages: NonNullable<SmokeContext['exchangePages']>) => Promise<ListPage<unknown>>): SmokeCheck => ({
    ref: 'XI1',
    name: `${name} folder: first page`,
    run: async ctx => {
        const page = await ctx.observe(`folder:${name}`, () => {
            if (!ctx.exchangePages) throw new Error(ctx.exchangeUnavailable ?? 'no Exchange client');
            return read(ctx.exchangePages);
        });
        return agrees(`${page.items.length} items${page.nextLink ? ', and a next link' : ''}`);
    },
});

/** Get-Recipient's documented -RecipientTypeDetails values that are not mail-enabled (Get-Recipient.md). */
const notMailEnabled = new Set(['User', 'DisabledUser', 'Group', 'UniversalSecurityGroup', 'UniversalDistributionGroup', 'GlobalSecurityGroup', 'NonUniversalGroup']);

/** Texts real Exchange puts in `error.message` (the issue's pinned bodies; CIPP-API New-ExoRequest.ps1). */
const fixedMessages = ['Error executing cmdlet', 'Invalid Operation'];

const notFoundType = 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException';

export const exchangeChecks: SmokeCheck[] = [
    folder('Exchange role groups', pages => pages.roleGroups()),
    folder('Mail-enabled groups', pages => pages.mailEnabledSecurityGroups()),
    folder('Mailboxes', pages => pages.mailboxes()),
    {
        ref: 'A7',
        name: 'Get-Mailbox for a missing mailbox answers 404',
        run: async ctx => {
            const a = await missingMailbox(ctx);
            if (!a.error) return differs(`Exchange found a mailbox named ${a.identity}`);
            return a.status === 404 ? agrees('404 for ManagementObjectNotFoundException (other error classes not provoked: they need writes)') : differs(`answered ${a.status}`);
        },
    },
    {
        ref: 'XI2',
        name: 'error.message is a fixed text, not the exception',
        run: async ctx => {
            const shape = errorBodyShape((await missingMailbox(ctx)).rawBody);
            if (!shape.parsed) return differs(shape.empty ? 'the error body was empty' : 'the error body was not JSON');
            return fixedMessages.includes(shape.message ?? '') ? agrees(`"${shape.message ?? ''}"`) : differs(`error.message is "${shape.message ?? ''}"`);
        },
    },
    {
        ref: 'A12',
        name: 'ManagementObjectNotFoundException comes in the pipe form (ExNNNNNN|Type|text)',
        run: async ctx => {
            const shape = errorBodyShape((await missingMailbox(ctx)).rawBody);
            if (!shape.parsed) return differs(shape.empty ? 'the error body was empty' : 'the error body was not JSON');
            const seen = `details[0].message in the ${shape.detailForm} form${shape.detailType ? `, type ${shape.detailType}` : ''}`;
            return shape.detailForm === 'pipe' && shape.detailType === notFoundType ? agrees(seen) : differs(seen);
        },
    },
    {
        ref: 'XI3',
        name: 'innererror.internalexception is spelled in lower case',
        run: async ctx => {
            const shape = errorBodyShape((await missingMailbox(ctx)).rawBody);
            if (!shape.internalExceptionKey) return notChecked('this error body has no innererror.internalexception');
            return shape.internalExceptionKey === 'internalexception' ? agrees('internalexception') : differs(`the key is "${shape.internalExceptionKey}"`);
        },
    },
    {
        ref: 'XI3',
        name: "the project's client reads the exception type and not-found from it",
        run: async ctx => {
            const { error } = await missingMailbox(ctx);
            if (!error) return notChecked('Exchange raised no error');
            const ok = error.exceptionType.endsWith('ManagementObjectNotFoundException') && error.isNotFound && !error.message.includes('|');
            return ok ? agrees(`type ${error.exceptionType}; message "${error.message}"`) : differs(`exceptionType "${error.exceptionType}", isNotFound ${String(error.isNotFound)}, message "${error.message}"`);
        },
    },
    {
        ref: 'XI5',
        name: 'Get-Recipient lists mail-enabled recipients only',
        run: async ctx => {
            const page = await exchangeOf(ctx).invokePage<RecipientSummary>('Get-Recipient', {}, { pageSize: 100 });
            const wrong = page.value.filter(r => notMailEnabled.has(r.RecipientTypeDetails));
            if (!page.value.length) return notChecked('Get-Recipient listed nothing');
            return wrong.length ? differs(`${wrong.length} of ${page.value.length} are not mail-enabled: ${[...new Set(wrong.map(r => r.RecipientTypeDetails))].join(', ')}`) : agrees(`${page.value.length} recipients, types ${[...new Set(page.value.map(r => r.RecipientTypeDetails))].join(', ')}`);
        },
    },
    {
        ref: 'A11',
        name: 'Get-Recipient without -ResultSize stops at 1000, across pages',
        run: async ctx => {
            // Pages of 500, so the cap (if any) has to hold across pages; at most three pages are read.
            let total = 0;
            let next: string | undefined;
            let pages = 0;
            let warnings: string[] = [];
            do {
                const page = await exchangeOf(ctx).invokePage<RecipientSummary>('Get-Recipient', {}, { pageSize: 500, ...(next ? { nextLink: next } : {}) });
                total += page.value.length;
                warnings = [...warnings, ...page.warnings];
                next = page.nextLink;
                pages++;
            } while (next && pages < 3);
            if (total > 1000) return differs(`${total} recipients over ${pages} pages without -ResultSize`);
            if (total < 1000) return notChecked(`the tenant has ${total} recipients, fewer than 1000`);
            return next ? differs('1000 recipients and still a next link') : agrees(`1000 over ${pages} pages, then no next link${warnings.length ? `; warning: ${warnings[0]}` : ''}`);
        },
    },
    {
        ref: 'A9',
        name: 'Get-MailboxFolderStatistics returns FolderType without being asked',
        run: async ctx => {
            const read = await calendarFolders(ctx);
            if (!read) return notChecked('the tenant listed no mailbox');
            const { folders } = read;
            if (!folders.length) return differs('no folder returned for -FolderScope Calendar');
            const calendar = folders.find(f => f.FolderType === 'Calendar');
            if (calendar) return agrees(`FolderType Calendar on "${String(calendar.Name)}"`);
            return folders.some(f => 'FolderType' in f) ? differs(`FolderType present, but no folder has Calendar: ${folders.map(f => String(f.FolderType)).join(', ')}`) : differs(`no FolderType property; properties: ${Object.keys(folders[0]).slice(0, 12).join(', ')}`);
        },
    },
    {
        ref: 'XI4',
        name: 'Get-MailboxFolderPermission -User without an entry: "There is no existing permission entry found for user: …"',
        run: async ctx => {
            // The calendar engine reads each member's entry this way and treats this error as "no entry" (calendarGrants.ts).
            const read = await calendarFolders(ctx);
            const mailboxes = (await ctx.observe('folder:Mailboxes', () => ctx.exchangePages?.mailboxes() ?? Promise.reject(new Error(ctx.exchangeUnavailable ?? 'no Exchange client')))).items;
            const other = mailboxes.find(m => m.UserPrincipalName !== read?.upn);
            if (!read || !other) return notChecked('needs two mailboxes');
            const found = read.folders.find(f => f.FolderType === 'Calendar')?.Name;
            const name = typeof found === 'string' ? found : 'Calendar';
            try {
                await exchangeOf(ctx).invoke('Get-MailboxFolderPermission', { Identity: `${read.upn}:\\${name}`, User: other.UserPrincipalName }, { anchorMailbox: read.upn });
                return notChecked(`${other.UserPrincipalName} has an entry on ${read.upn}'s calendar`);
            } catch (error) {
                if (!(error instanceof ExchangeCommandError)) throw error;
                const raw = [...ctx.recorded.answers()].reverse().find(a => a.cmdlet === 'Get-MailboxFolderPermission' && a.status >= 400);
                const shape = errorBodyShape(raw?.errorBody ?? '');
                const seen = `${error.status}, details in the ${shape.detailForm} form, type "${error.exceptionType}", message "${error.message}"`;
                return /UserNotFoundInPermissionEntry/.test(error.exceptionType) && /^There is no existing permission entry found for user/.test(error.message) ? agrees(seen) : differs(seen);
            }
        },
    },
    {
        ref: 'A13',
        name: 'a missing Exchange role answers 403 with an empty or NUL body',
        run: ctx => {
            const refused = ctx.recorded.answers().find(a => a.cmdlet && a.status === 403);
            if (!refused) return notChecked('the signed-in admin was refused no cmdlet; sign in as an admin without Exchange roles to see it');
            const shape = errorBodyShape(refused.errorBody);
            return shape.empty ? agrees(`${refused.cmdlet ?? ''}: 403, empty body`) : differs(`${refused.cmdlet ?? ''}: 403 with a body (${refused.errorBody.length} characters)`);
        },
    },
];
