// The audit view's messages, imported by the host (AuditLogPanel) and the webview UI: no `vscode`, no Node.
import type { AuditRecord } from '../../audit/auditRecord';
import { hasOnlyKeys, type ParamValidators } from '../rpc';

/** What the filters narrow to: a tenant id, an account, and days (ISO, inclusive); empty = all. */
export interface AuditViewFilter {
    tenant: string;
    who: string;
    from: string;
    to: string;
}

/** One row: one change, as the log has it (newest first). */
export type AuditRow = AuditRecord;

/** A choice in a filter: the value and what the admin reads ("Contoso (contoso.com)" for a tenant id). */
export interface FilterChoice {
    value: string;
    label: string;
}

export interface AuditRowsPage {
    rows: AuditRow[];
    /** Pass back as `before` for older rows; absent when the start of the log was reached. */
    before?: number;
    /** The tenants and accounts the filters offer: those in the newest part of the log and those signed in now. */
    tenants: FilterChoice[];
    accounts: FilterChoice[];
    /** Where the raw file is, for the admin (and their SIEM's collector). */
    file: string;
}

/** Requests from the webview. */
export type AuditViewRequests = {
    rows: { params: { filter: AuditViewFilter; before?: number }; result: AuditRowsPage };
    openRawFile: { params: Record<string, never>; result: boolean };
    copyRequestId: { params: { requestId: string }; result: boolean };
};

/** Notifications from the host. */
export type AuditViewEvents = {
    /** A change was written to the log while the view is open: read the first page again. */
    appended: Record<string, never>;
};

/** Rows per page. */
export const auditPageSize = 100;

const isDay = (v: unknown): v is string => v === '' || (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v));
const isShort = (v: unknown): v is string => typeof v === 'string' && v.length <= 320;
const isFilter = (v: unknown): v is AuditViewFilter => hasOnlyKeys(v, ['tenant', 'who', 'from', 'to']) && isShort(v.tenant) && isShort(v.who) && isDay(v.from) && isDay(v.to);
const isOffset = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
/** Request ids are GUIDs (Graph) or similar tokens: letters, digits and dashes, nothing a clipboard should not get. */
export const isRequestId = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9-]{1,100}$/.test(v);

/** The host runs these on every request before its handler (see dispatchRequest). */
export const auditViewValidators: ParamValidators<AuditViewRequests> = {
    rows: (p): p is AuditViewRequests['rows']['params'] => hasOnlyKeys(p, ['filter', 'before']) && isFilter(p.filter) && (p.before === undefined || isOffset(p.before)),
    openRawFile: (p): p is Record<string, never> => p === undefined || hasOnlyKeys(p, []),
    copyRequestId: (p): p is AuditViewRequests['copyRequestId']['params'] => hasOnlyKeys(p, ['requestId']) && isRequestId(p.requestId),
};
