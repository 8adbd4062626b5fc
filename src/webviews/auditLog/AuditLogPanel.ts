import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { readAuditPage } from '../../audit/auditLogReader';
import type { ActionContext } from '../../platform/runAction';
import { WebviewHost, type RequestHandlers } from '../WebviewHost';
import { auditPageSize, auditViewValidators, type AuditRowsPage, type AuditViewEvents, type AuditViewFilter, type AuditViewRequests, type FilterChoice } from './protocol';

export const auditViewType = 'm365Provisioner.auditLog';
export const auditViewTitle = 'M365 Audit Log';

/** What the view uses: the log, the tenants' names, who is signed in (for the filters), and the bundle's folder. */
export type AuditViewContext = ActionContext<'audit' | 'tenantNames' | 'accounts' | 'log' | 'extensionUri'>;

/** The newest lines the filters' choices are read from: bounded, so a years-long log costs one read of its end. */
const facetLines = 2000;

/** The filter choices: tenants and accounts in the newest part of the log, and those signed in now. */
async function filterChoices(context: AuditViewContext): Promise<Pick<AuditRowsPage, 'tenants' | 'accounts'>> {
    const recent = (await readAuditPage(context.audit.file, {}, facetLines)).records;
    const tenants = new Map<string, string>();
    const accounts = new Map<string, string>();
    for (const a of context.accounts.list()) {
        tenants.set(a.tenantId.toLowerCase(), context.tenantNames.label(a.tenantId));
        accounts.set(a.username.toLowerCase(), a.username);
    }
    for (const r of recent) {
        const known = context.tenantNames.get(r.tenant);
        if (!tenants.has(r.tenant.toLowerCase())) tenants.set(r.tenant.toLowerCase(), known ? context.tenantNames.label(r.tenant) : r.tenantName ? `${r.tenantName}${r.tenantDomain ? ` (${r.tenantDomain})` : ''}` : r.tenant);
        if (!accounts.has(r.who.toLowerCase())) accounts.set(r.who.toLowerCase(), r.who);
    }
    const sorted = (m: Map<string, string>): FilterChoice[] => [...m].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label));
    return { tenants: sorted(tenants), accounts: sorted(accounts) };
}

/** What the view's requests do: read a page of the log, open the raw file, copy a request id. */
export function auditViewHandlers(context: AuditViewContext): RequestHandlers<AuditViewRequests> {
    return {
        rows: async ({ filter, before }) => {
            const page = await readAuditPage(context.audit.file, toReaderFilter(filter), auditPageSize, before);
            return { rows: page.records, ...(page.before !== undefined ? { before: page.before } : {}), ...(await filterChoices(context)), file: context.audit.file };
        },
        openRawFile: async () => {
            if (!fs.existsSync(context.audit.file)) return false;
            // The raw JSON lines, as a SIEM reads them: read-only preview, never an editable copy.
            await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(context.audit.file)), { preview: true, viewColumn: vscode.ViewColumn.Beside });
            return true;
        },
        copyRequestId: async ({ requestId }) => {
            await vscode.env.clipboard.writeText(requestId);
            vscode.window.setStatusBarMessage(`Request id ${requestId} copied`, 4000);
            return true;
        },
    };
}

function toReaderFilter(filter: AuditViewFilter) {
    return { ...(filter.tenant ? { tenant: filter.tenant } : {}), ...(filter.who ? { who: filter.who } : {}), ...(filter.from ? { from: filter.from } : {}), ...(filter.to ? { to: filter.to } : {}) };
}

/** The audit view's panel: one at a time; running "Show Audit Log" again brings it forward. */
export class AuditLogPanel {
    private static current: AuditLogPanel | undefined;
    readonly host: WebviewHost<AuditViewRequests, AuditViewEvents>;

    private constructor(context: AuditViewContext) {
        this.host = new WebviewHost<AuditViewRequests, AuditViewEvents>({
            viewType: auditViewType,
            title: auditViewTitle,
            bundle: 'auditLog',
            extensionUri: context.extensionUri,
            validators: auditViewValidators,
            handlers: auditViewHandlers(context),
            log: context.log,
        });
        // A change made while the view is open shows at once.
        const appended = context.audit.onDidAppend(() => this.host.post('appended', {}));
        this.host.onDidDispose(() => {
            appended.dispose();
            if (AuditLogPanel.current === this) AuditLogPanel.current = undefined;
        });
    }

    static show(context: AuditViewContext): AuditLogPanel {
        const panel = AuditLogPanel.current ?? new AuditLogPanel(context);
        AuditLogPanel.current = panel;
        panel.host.panel.reveal();
        return panel;
    }
}
