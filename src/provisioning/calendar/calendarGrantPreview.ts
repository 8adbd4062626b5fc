// What a bulk grant or revoke would touch, read before anything is changed: the same checks and the same member
// listing the run itself uses (no second way of listing members), so the count the admin confirms is the run's.

import type { ExchangeAdminClient } from '../../exchange/ExchangeAdminClient';
import type { GraphClient } from '../../graph/GraphClient';
import { checkGrantee, checkGroup, checkRequest } from './calendarGrantChecks';
import type { CalendarGrantMember, CalendarGrantRequest } from './calendarGrantTypes';
import { listMembers, listOutsideMembers } from './calendarGroupMembers';

export interface CalendarGrantPreview {
    /** The grantee as Exchange knows it (the checks passed). */
    grantee: { identity: string; displayName: string; recipientTypeDetails: string };
    /** The mailboxes the run would read and, where they differ, change: every member with a mail address but the grantee itself. */
    mailboxes: CalendarGrantMember[];
    /** Members without a mail address: they have no mailbox, and the run finds none and skips them. */
    withoutMailbox: number;
}

/**
 * Reads only: refuses what the run would refuse (bad request, a group that is gone, a grantee that cannot hold folder
 * permissions) and lists the members the run would work on, page by page, as the run lists them. Members without a
 * user principal name and the grantee's own mailbox are left out, as the run skips them; so are members without a mail
 * address (counted), whom the run finds without a mailbox. Graph's `mail` is as near as a listing gets without reading
 * each mailbox (one Exchange read per member): a user can have an address and no mailbox, so the count shown is never
 * smaller than what the run touches, only sometimes larger (the run reports those as skipped, "no mailbox").
 */
export async function previewCalendarGrant(deps: { graph: GraphClient; exchange: ExchangeAdminClient }, request: CalendarGrantRequest, signal?: AbortSignal): Promise<CalendarGrantPreview> {
    checkRequest(request);
    await checkGroup(deps.graph, request, signal);
    const grantee = await checkGrantee(deps, request, signal, () => undefined, () => undefined);
    const mailboxes: CalendarGrantMember[] = [];
    let withoutMailbox = 0;
    const list = request.mode === 'revoke' && request.outsideGroup === true ? listOutsideMembers : listMembers;
    await list(deps.graph, request.groupId, signal, () => undefined, page => {
        for (const member of page) {
            if (member.userId === grantee.id || !member.userPrincipalName) continue;
            if (member.mail) mailboxes.push(member);
            else withoutMailbox++;
        }
    });
    return { grantee: { identity: grantee.identity, displayName: grantee.displayName, recipientTypeDetails: grantee.recipientTypeDetails }, mailboxes, withoutMailbox };
}
