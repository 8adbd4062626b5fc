import type { ActionContext } from '../../platform/runAction';
import { AuditLogPanel, type AuditViewContext } from '../../webviews/auditLog/AuditLogPanel';

/**
 * "Show Audit Log": the audit view, one row per change, newest first, with filters by tenant, account and days and a
 * button for the raw JSON-lines file (what a SIEM collects). Returns the panel (for tests).
 */
export function showAuditLog(context: ActionContext<'audit' | 'tenantNames' | 'accounts' | 'log' | 'extensionUri'>): Promise<AuditLogPanel> {
    return Promise.resolve(AuditLogPanel.show(context satisfies AuditViewContext));
}
