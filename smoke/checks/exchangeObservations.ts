import { randomUUID } from 'node:crypto';
import type { ExchangeAdminClient } from '../../src/exchange/ExchangeAdminClient';
import type { MailboxSummary } from '../../src/exchange/cmdlets';
import { ExchangeCommandError } from '../../src/exchange/ExchangeCommandError';
import type { SmokeContext } from '../context';

/** The Exchange client, or an error the runner turns into "not checked: …" (no Exchange token). */
export function exchangeOf(ctx: SmokeContext): ExchangeAdminClient {
    if (!ctx.exchange) throw new Error(ctx.exchangeUnavailable ?? 'no Exchange client');
    return ctx.exchange;
}

/** Get-Mailbox for a mailbox that does not exist: the client's typed error and the raw body it came from. */
export interface MissingMailboxAnswer {
    identity: string;
    /** Undefined if Exchange found a mailbox by that made-up name (it should not). */
    error?: ExchangeCommandError;
    status: number;
    rawBody: string;
}

export function missingMailbox(ctx: SmokeContext): Promise<MissingMailboxAnswer> {
    return ctx.observe('missingMailbox', async () => {
        const identity = `m365p-smoke-missing-${randomUUID().slice(0, 8)}`;
        try {
            await exchangeOf(ctx).invoke('Get-Mailbox', { Identity: identity });
            return { identity, status: 200, rawBody: '' };
        } catch (error) {
            if (!(error instanceof ExchangeCommandError)) throw error;
            const raw = [...ctx.recorded.answers()].reverse().find(a => a.cmdlet === 'Get-Mailbox' && a.status >= 400);
            return { identity, error, status: raw?.status ?? error.status, rawBody: raw?.errorBody ?? '' };
        }
    });
}

/** How an Exchange error body carries the exception, as public clients have seen it (REAL-WORLD-FACTS, issue 13). */
export interface ErrorBodyShape {
    /** `error.message` (a fixed text such as "Error executing cmdlet" in real bodies). */
    message?: string;
    /** `pipe`: `ExNNNNNN|Type|text`; `json`: a JSON string `{Message, TypeName, …}`; `other`: neither; `none`: no details. */
    detailForm: 'pipe' | 'json' | 'other' | 'none';
    detailType?: string;
    /** Which key `error.innererror` uses for the inner exception, if any. */
    internalExceptionKey?: string;
    /** The body was empty or NUL bytes only. */
    empty: boolean;
    parsed: boolean;
}

export function errorBodyShape(raw: string): ErrorBodyShape {
    if (!raw.replace(/\0/g, '').trim()) return { detailForm: 'none', empty: true, parsed: false };
    let body: { error?: { message?: string; details?: { message?: string }[]; innererror?: Record<string, unknown> } };
    try {
        body = JSON.parse(raw) as typeof body;
    } catch {
        return { detailForm: 'none', empty: false, parsed: false };
    }
    const error = body.error ?? {};
    const detail = error.details?.[0]?.message;
    const internalExceptionKey = Object.keys(error.innererror ?? {}).find(k => k.toLowerCase() === 'internalexception');
    const base = { ...(error.message !== undefined ? { message: error.message } : {}), ...(internalExceptionKey ? { internalExceptionKey } : {}), empty: false, parsed: true };
    if (detail === undefined) return { ...base, detailForm: 'none' };
    const pipe = /^(?:Ex[0-9A-F]*)?\|([^|]+)\|/.exec(detail);
    if (pipe) return { ...base, detailForm: 'pipe', detailType: pipe[1] };
    if (detail.trim().startsWith('{')) {
        try {
            const nested = JSON.parse(detail) as { TypeName?: string };
            return { ...base, detailForm: 'json', ...(nested.TypeName ? { detailType: nested.TypeName } : {}) };
        } catch {
            // Not JSON after all: falls through to "other".
        }
    }
    return { ...base, detailForm: 'other' };
}

/** The first mailbox of the mailboxes folder's page, to read folder statistics and permissions on. */
export async function firstMailbox(ctx: SmokeContext): Promise<MailboxSummary | undefined> {
    const page = await ctx.observe('folder:Mailboxes', () => {
        if (!ctx.exchangePages) throw new Error(ctx.exchangeUnavailable ?? 'no Exchange client');
        return ctx.exchangePages.mailboxes();
    });
    return page.items[0];
}

/** The first mailbox's calendar folders as `Get-MailboxFolderStatistics -FolderScope Calendar` lists them. */
export async function calendarFolders(ctx: SmokeContext): Promise<{ upn: string; folders: Record<string, unknown>[] } | undefined> {
    const mailbox = await firstMailbox(ctx);
    if (!mailbox) return undefined;
    const upn = mailbox.UserPrincipalName;
    return ctx.observe('calendarFolders', async () => ({ upn, folders: (await exchangeOf(ctx).invoke<Record<string, unknown>>('Get-MailboxFolderStatistics', { Identity: upn, FolderScope: 'Calendar' }, { anchorMailbox: upn })).value }));
}
