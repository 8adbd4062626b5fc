import type { CalendarEvent, SandboxContext, SandboxRequest } from '../contracts';
import { badRequest } from './errors';
import { mailboxWithAccess } from './mailboxAccess';
import { mailboxOf } from './mailboxRoutes';

/*
 * A small faithful subset of a user's default calendar: GET and POST /users/{id}/calendar/events
 * (microsoftgraph/microsoft-graph-docs-contrib `api-reference/v1.0/api/calendar-list-events.md`,
 * `calendar-post-events.md`; the fields from `api-reference/v1.0/resources/event.md`: id, subject, start and end as
 * dateTimeTimeZone, organizer, createdDateTime, lastModifiedDateTime). Reading needs Calendars.Read (or ReadBasic or
 * ReadWrite), creating Calendars.ReadWrite — delegated as usual, app-only from Entra or from an RBAC for Applications
 * assignment whose scope holds the mailbox (mailboxAccess.ts).
 */

const readPermissions = ['Calendars.ReadBasic', 'Calendars.Read', 'Calendars.ReadWrite'];
/** Event properties a create may carry; the sandbox keeps subject, start and end and ignores the rest of these. */
const eventProperties = new Set(['subject', 'body', 'start', 'end', 'location', 'locations', 'attendees', 'isAllDay', 'showAs', 'categories', 'importance', 'sensitivity', 'isReminderOn', 'reminderMinutesBeforeStart', 'responseRequested', 'allowNewTimeProposals', 'isOnlineMeeting', 'onlineMeetingProvider', 'transactionId', 'recurrence']);
/** Outlook resources page by `$top` (10 unless asked) and `$skip` in @odata.nextLink (calendar-list-events.md). */
const defaultTop = 10;
const maxTop = 1000;

function dateTimeTimeZone(value: unknown, name: string): { dateTime: string; timeZone: string } {
    const v = value as { dateTime?: unknown; timeZone?: unknown } | undefined;
    if (!v || typeof v.dateTime !== 'string' || typeof v.timeZone !== 'string' || Number.isNaN(Date.parse(v.dateTime.endsWith('Z') ? v.dateTime : `${v.dateTime}Z`))) {
        // Graph's wording for a missing or unreadable start/end is not documented (FIDELITY.md A66): refuse it plainly.
        throw badRequest(`The event's '${name}' must be a dateTimeTimeZone with a dateTime and a timeZone.`, 'ErrorInvalidRequest');
    }
    return { dateTime: v.dateTime, timeZone: v.timeZone };
}

function pageSize(request: SandboxRequest, name: '$top' | '$skip', fallback: number): number {
    const raw = request.url.searchParams.get(name);
    if (raw === null) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || (name === '$top' && (n < 1 || n > maxTop))) throw badRequest(`Invalid value '${raw}' for query option '${name}'.`, 'ErrorInvalidUrlQuery');
    return n;
}

/** `GET /users/{id}/calendar/events`: the events, oldest first, a page at a time. */
export function listEvents(ctx: SandboxContext, request: SandboxRequest, userKey: string): Record<string, unknown> {
    const mailbox = mailboxWithAccess(ctx, request, () => mailboxOf(ctx, userKey), readPermissions, false);
    const top = pageSize(request, '$top', defaultTop);
    const skip = pageSize(request, '$skip', 0);
    const events = mailbox.calendarEvents ?? [];
    const base = `${request.url.origin}/graph/v1.0/users/${encodeURIComponent(userKey)}/calendar/events`;
    return {
        '@odata.context': `${request.url.origin}/graph/v1.0/$metadata#users('${mailbox.userId}')/calendar/events`,
        value: events.slice(skip, skip + top),
        ...(skip + top < events.length ? { '@odata.nextLink': `${base}?$top=${top}&$skip=${skip + top}` } : {}),
    };
}

/** `POST /users/{id}/calendar/events`: the new event, organised by the mailbox's owner. */
export function createEvent(ctx: SandboxContext, request: SandboxRequest, userKey: string): CalendarEvent {
    const mailbox = mailboxWithAccess(ctx, request, () => mailboxOf(ctx, userKey), ['Calendars.ReadWrite'], true);
    const body = (request.body ?? {}) as Record<string, unknown>;
    for (const name of Object.keys(body)) {
        if (!name.startsWith('@odata.') && !eventProperties.has(name)) throw badRequest(`The property '${name}' does not exist on type 'microsoft.graph.event'. Make sure to only use property names that are defined by the type.`, 'RequestBodyRead');
    }
    const now = new Date(ctx.now()).toISOString();
    const owner = ctx.state.users.get(mailbox.userId);
    const event: CalendarEvent = {
        id: Buffer.from(`event/${ctx.newId()}`).toString('base64url'),
        subject: typeof body.subject === 'string' ? body.subject : '',
        start: dateTimeTimeZone(body.start, 'start'),
        end: dateTimeTimeZone(body.end, 'end'),
        organizer: { emailAddress: { name: owner?.displayName ?? mailbox.alias, address: mailbox.primarySmtpAddress } },
        createdDateTime: now,
        lastModifiedDateTime: now,
    };
    (mailbox.calendarEvents ??= []).push(event);
    return event;
}
