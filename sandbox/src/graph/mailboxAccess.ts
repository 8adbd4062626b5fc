import type { SandboxContext, SandboxRequest } from '../contracts';
import { appMayUseMailbox } from '../exchange/appAuthorization';
import { GraphError } from './errors';
import { requirePermission } from './permissions';

/**
 * Graph's answer when an app-only caller may not use a mailbox: 403 `ErrorAccessDenied`, "Access is denied. Check
 * credentials and try again." — the answer Microsoft documents for an app outside its Application Access Policy (the
 * feature RBAC for Applications replaces: MicrosoftDocs/OfficeDocs-Exchange `…/permissions-exo/application-rbac.md`) and
 * that public reports quote for mailbox calls without the application permission; that a scope refusal under RBAC for
 * Applications reads the same is A65.
 */
export const mailboxAccessDenied = () => new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');

/**
 * Who may use a mailbox through Graph: a delegated caller as Graph checks any call (the token's `scp` and the
 * signed-in admin's role: permissions.ts), checked before the mailbox is looked up, as before; an app-only caller with
 * the Entra application permission (tenant-wide) or an Exchange RBAC for Applications assignment whose scope holds the
 * mailbox (exchange/appAuthorization.ts), checked once the mailbox is known.
 */
export function mailboxWithAccess<M extends { userId: string }>(ctx: SandboxContext, request: SandboxRequest, find: () => M, accepted: readonly string[], write: boolean): M {
    if (request.principal.kind !== 'application') {
        requirePermission(ctx.state, request.principal, accepted, write);
        return find();
    }
    const mailbox = find();
    if (!appMayUseMailbox(ctx.state, request.principal, mailbox.userId, accepted)) throw mailboxAccessDenied();
    return mailbox;
}
