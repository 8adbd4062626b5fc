// Counts, at the HTTP level, the Exchange cmdlets a run sent and those Exchange let through (ran): a request answered
// 429 or 503 as a whole ran nothing; inside a `$batch`, an item answered 429 (throttled) or 424 (not run) ran nothing.
import type { HttpRequest, HttpResponse } from '../../src/net/HttpTransport';

export const writeCmdlets = new Set(['Add-MailboxFolderPermission', 'Set-MailboxFolderPermission', 'Remove-MailboxFolderPermission']);

export interface CmdletCounts {
    /** Cmdlets sent (each retry counts). */
    sent: number;
    /** Cmdlets Exchange ran, by name. */
    ran: Record<string, number>;
    /** Write cmdlets sent (Add/Set/Remove-MailboxFolderPermission), whether they ran or not. */
    writesSent: number;
}

export const emptyCounts = (): CmdletCounts => ({ sent: 0, ran: {}, writesSent: 0 });
export const ranTotal = (c: CmdletCounts): number => Object.values(c.ran).reduce((a, b) => a + b, 0);
export const minus = (a: CmdletCounts, b: CmdletCounts): CmdletCounts => ({
    sent: a.sent - b.sent,
    writesSent: a.writesSent - b.writesSent,
    ran: Object.fromEntries(Object.entries(a.ran).map(([k, n]): [string, number] => [k, n - (b.ran[k] ?? 0)]).filter(([, n]) => n !== 0)),
});

type Body = { CmdletInput?: { CmdletName: string }; requests?: { id: string; body: { CmdletInput: { CmdletName: string } } }[] };

export function countingTransport(inner: { send(r: HttpRequest): Promise<HttpResponse> }, counts: CmdletCounts): { send(r: HttpRequest): Promise<HttpResponse> } {
    return {
        send: async (r: HttpRequest) => {
            const response = await inner.send(r);
            if (!r.url.includes('/adminapi/')) return response;
            const body = JSON.parse(String(r.body ?? '{}')) as Body;
            const names = body.CmdletInput ? [{ id: '', name: body.CmdletInput.CmdletName }] : (body.requests ?? []).map(i => ({ id: String(i.id), name: i.body.CmdletInput.CmdletName }));
            counts.sent += names.length;
            counts.writesSent += names.filter(n => writeCmdlets.has(n.name)).length;
            if (response.status === 429 || response.status === 503) return response;
            let notRun = new Set<string>();
            if (body.requests && response.status === 200) {
                const items = (JSON.parse(response.body.toString('utf8')) as { responses?: { id: string; status: number }[] }).responses ?? [];
                notRun = new Set(items.filter(i => i.status === 429 || i.status === 424).map(i => String(i.id)));
            }
            for (const n of names) if (!notRun.has(n.id)) counts.ran[n.name] = (counts.ran[n.name] ?? 0) + 1;
            return response;
        },
    };
}
