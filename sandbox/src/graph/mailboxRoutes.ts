import type { Mailbox, MailboxFolderPermissionEntry, SandboxContext, SandboxRequest } from '../contracts';
import { badRequest, GraphError, notFound } from './errors';
import { mailboxWithAccess } from './mailboxAccess';
import { findUser } from './writes';

/** Exchange folder rights as Graph's calendarPermission roles. Graph shares calendars with users only, not groups. */
const roleOf: Record<string, string> = { None: 'none', AvailabilityOnly: 'freeBusyRead', LimitedDetails: 'limitedRead', Reviewer: 'read', Editor: 'write' };
const rightsOf = Object.fromEntries(Object.entries(roleOf).map(([k, v]) => [v, k]));

export function mailboxOf(ctx: SandboxContext, userKey: string): Mailbox {
    const user = findUser(ctx, userKey);
    const mailbox = ctx.state.mailboxes.get(user.id);
    if (!mailbox) throw new GraphError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
    return mailbox;
}

function permissionShape(ctx: SandboxContext, entry: MailboxFolderPermissionEntry): Record<string, unknown> {
    const user = ctx.state.users.get(entry.principal);
    const group = ctx.state.groups.get(entry.principal);
    const name = entry.principal === 'Default' ? 'My Organization' : user?.displayName ?? group?.displayName ?? entry.principal;
    const address = user?.mail ?? group?.mail ?? group?.exchange?.primarySmtpAddress;
    return {
        id: Buffer.from(entry.principal).toString('base64url'),
        emailAddress: { name, ...(address ? { address } : {}) },
        isRemovable: entry.principal !== 'Default',
        isInsideOrganization: true,
        role: roleOf[entry.accessRights[0]] ?? 'custom',
        allowedRoles: ['none', 'freeBusyRead', 'limitedRead', 'read', 'write'],
    };
}

export function listCalendarPermissions(ctx: SandboxContext, request: SandboxRequest, userKey: string): Record<string, unknown>[] {
    const mailbox = mailboxWithAccess(ctx, request, () => mailboxOf(ctx, userKey), ['Calendars.Read', 'Calendars.ReadWrite', 'Calendars.ReadBasic'], false);
    return mailbox.calendarPermissions.filter(e => e.principal !== 'Anonymous').map(e => permissionShape(ctx, e));
}

export function createCalendarPermission(ctx: SandboxContext, request: SandboxRequest, userKey: string): Record<string, unknown> {
    const mailbox = mailboxWithAccess(ctx, request, () => mailboxOf(ctx, userKey), ['Calendars.ReadWrite'], true);
    const body = (request.body ?? {}) as { emailAddress?: { address?: string }; role?: string };
    const address = body.emailAddress?.address?.toLowerCase() ?? '';
    const grantee = [...ctx.state.users.values()].find(u => (u.mail ?? u.userPrincipalName).toLowerCase() === address);
    if (!grantee) throw badRequest(`The user '${address}' is not valid for sharing; Microsoft Graph shares calendars with users only.`, 'ErrorInvalidUser');
    const rights = rightsOf[body.role ?? ''];
    if (!rights) throw badRequest(`The role '${body.role ?? ''}' is not valid.`, 'ErrorInvalidParameter');
    if (mailbox.calendarPermissions.some(e => e.principal === grantee.id)) throw new GraphError(409, 'ErrorItemSave', 'A permission for this user already exists.');
    const entry = { principal: grantee.id, accessRights: [rights] };
    mailbox.calendarPermissions.push(entry);
    return permissionShape(ctx, entry);
}

export function updateCalendarPermission(ctx: SandboxContext, request: SandboxRequest, userKey: string, permissionId: string, remove: boolean): Record<string, unknown> | undefined {
    const mailbox = mailboxWithAccess(ctx, request, () => mailboxOf(ctx, userKey), ['Calendars.ReadWrite'], true);
    const principal = Buffer.from(permissionId, 'base64url').toString('utf8');
    const entry = mailbox.calendarPermissions.find(e => e.principal === principal);
    if (!entry) throw notFound(permissionId);
    if (remove) {
        if (principal === 'Default') throw badRequest('The default permission cannot be removed.', 'ErrorInvalidRequest');
        mailbox.calendarPermissions = mailbox.calendarPermissions.filter(e => e !== entry);
        return undefined;
    }
    const rights = rightsOf[String((request.body as { role?: string } | undefined)?.role ?? '')];
    if (!rights) throw badRequest('The role is not valid.', 'ErrorInvalidParameter');
    entry.accessRights = [rights];
    return permissionShape(ctx, entry);
}

export function getCalendarPermission(ctx: SandboxContext, request: SandboxRequest, userKey: string, permissionId: string): Record<string, unknown> {
    const mailbox = mailboxWithAccess(ctx, request, () => mailboxOf(ctx, userKey), ['Calendars.Read', 'Calendars.ReadWrite', 'Calendars.ReadBasic'], false);
    const principal = Buffer.from(permissionId, 'base64url').toString('utf8');
    const entry = mailbox.calendarPermissions.find(e => e.principal === principal);
    if (!entry) throw notFound(permissionId);
    return permissionShape(ctx, entry);
}

const settable = new Set(['timeZone', 'dateFormat', 'timeFormat', 'language', 'automaticRepliesSetting', 'workingHours', 'delegateMeetingMessageDeliveryOptions']);

export function updateMailboxSettings(ctx: SandboxContext, request: SandboxRequest, userKey: string): Record<string, unknown> {
    const mailbox = mailboxWithAccess(ctx, request, () => mailboxOf(ctx, userKey), ['MailboxSettings.ReadWrite'], true);
    const body = (request.body ?? {}) as Record<string, unknown>;
    for (const name of Object.keys(body)) {
        if (!settable.has(name)) throw badRequest(`The property '${name}' does not exist on type 'microsoft.graph.mailboxSettings' or cannot be changed.`, 'RequestBodyRead');
    }
    mailbox.settings = { ...(mailbox.settings ?? {}), ...body };
    return mailboxSettings(ctx, { ...request, principal: { ...request.principal, scopes: [...request.principal.scopes, 'MailboxSettings.Read'], roles: [...request.principal.roles, 'MailboxSettings.Read'] } }, userKey);
}

export function mailboxSettings(ctx: SandboxContext, request: SandboxRequest, userKey: string): Record<string, unknown> {
    const mailbox = mailboxWithAccess(ctx, request, () => mailboxOf(ctx, userKey), ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'], false);
    const locale = ({ Kalender: 'de-DE', Agenda: 'nl-NL', Calendrier: 'fr-FR', Calendario: 'es-ES' } as Record<string, string>)[mailbox.calendarFolderName] ?? 'en-US';
    return {
        timeZone: 'UTC',
        dateFormat: 'yyyy-MM-dd',
        timeFormat: 'HH:mm',
        language: { locale, displayName: locale },
        userPurpose: mailbox.recipientTypeDetails === 'SharedMailbox' ? 'shared' : 'user',
        automaticRepliesSetting: { status: 'disabled', externalAudience: 'none', internalReplyMessage: '', externalReplyMessage: '' },
        ...(mailbox.settings ?? {}),
    };
}
