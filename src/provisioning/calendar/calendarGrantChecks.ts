// What a grant checks before it changes anything: the request's fields, that the group exists, and that the grantee
// is an Exchange recipient that can hold folder permissions. Each refusal says what is wrong and how to fix it.

import type { ExchangeAdminClient } from '../../exchange/ExchangeAdminClient';
import { ExchangeCommandError } from '../../exchange/ExchangeCommandError';
import { getRecipient, getUser, type RecipientSummary } from '../../exchange/cmdlets';
import type { GraphClient } from '../../graph/GraphClient';
import { GraphRequestError } from '../../graph/GraphRequestError';
import { filterEquals, filterParam } from '../../graph/odata';
import { checkAccessRight, fields } from '../fields';
import { CalendarGrantInputError, type CalendarGrantRequest } from './calendarGrantTypes';
import { groupReadScopes } from './calendarGroupMembers';

/** The grantee as Exchange knows it (`id`: its Entra object id, to skip its own mailbox). */
export interface CheckedGrantee { identity: string; displayName: string; recipientTypeDetails: string; id: string }

/** Recipient types that can hold folder permissions (mail-enabled security principals). */
const grantable = new Set(['UserMailbox', 'SharedMailbox', 'RoomMailbox', 'EquipmentMailbox', 'LinkedMailbox', 'MailUser', 'MailUniversalSecurityGroup']);

export function checkRequest(request: CalendarGrantRequest): void {
    if (request.mode !== 'grant' && request.mode !== 'revoke') throw new CalendarGrantInputError(`Unknown mode "${String(request.mode)}": use "grant" to give access or "revoke" to remove it.`);
    if (!request.groupId?.trim()) throw new CalendarGrantInputError('No group was chosen: pick the group whose members\' calendars to change.');
    if (!request.grantee?.trim()) throw new CalendarGrantInputError('No grantee was given: enter the UPN or SMTP address of the user or mail-enabled security group that should get access.');
    // The same field checks as every other entry point (fields/index.ts).
    const problem = fields.grantee.check(request.grantee) ?? (request.mode === 'grant' ? checkAccessRight(String(request.accessRight)) : undefined);
    if (problem) throw new CalendarGrantInputError(problem);
}

export async function checkGroup(graph: GraphClient, request: CalendarGrantRequest, signal: AbortSignal | undefined): Promise<void> {
    try {
        await graph.get(`/groups/${encodeURIComponent(request.groupId.trim())}?$select=id,displayName`, { scopes: groupReadScopes, ...(signal ? { signal } : {}) });
    } catch (error) {
        if (error instanceof GraphRequestError && (error.status === 404 || error.status === 400)) {
            throw new CalendarGrantInputError(`The group "${request.groupName}" (id ${request.groupId}) does not exist in this tenant${error.requestId ? ` (request id ${error.requestId})` : ''}. It may have been deleted: refresh the Directory view and pick the group again.`);
        }
        throw error;
    }
}

/** The grantee must be an Exchange recipient that can hold folder permissions; says what it is when it cannot. */
export async function checkGrantee(
    deps: { graph: GraphClient; exchange: ExchangeAdminClient },
    request: CalendarGrantRequest,
    signal: AbortSignal | undefined,
    countExchange: () => void,
    countGraph: () => void,
): Promise<CheckedGrantee> {
    const grantee = request.grantee.trim();
    const o = signal ? { signal } : {};
    let recipient: (RecipientSummary & { RecipientType?: string }) | undefined;
    try {
        countExchange();
        recipient = await getRecipient(deps.exchange, grantee, o);
    } catch (error) {
        if (!(error instanceof ExchangeCommandError)) throw error;
        if (error.isNotYetReplicated) throw new CalendarGrantInputError(`Exchange does not know "${grantee}" yet: a new account or group reaches Exchange Online minutes (up to 30) after it is created. Try again later.`);
        if (error.isAmbiguous) throw new CalendarGrantInputError(`"${grantee}" matches several Exchange recipients. Give the grantee's primary SMTP address instead.`);
        if (!error.isNotFound) throw error;
    }
    if (!recipient) {
        // Exchange lists only mail recipients; say what the name is instead, if anything.
        try {
            countExchange();
            const user = await getUser(deps.exchange, grantee, o);
            if (user) throw noMailbox(grantee, user.DisplayName);
        } catch (error) {
            if (!(error instanceof ExchangeCommandError) || !error.isNotFound) throw error;
        }
        countGraph();
        const groups = await deps.graph.get<{ value: { displayName: string; mailEnabled: boolean }[] }>(`/groups?${filterParam(filterEquals('displayName', grantee))}&$select=displayName,mailEnabled,securityEnabled`, { scopes: groupReadScopes, ...o });
        if (groups.value.some(g => !g.mailEnabled)) throw notMailEnabled(grantee, groups.value[0].displayName);
        throw new CalendarGrantInputError(`Exchange has no recipient "${grantee}". Check the spelling, and give the UPN or primary SMTP address of a user with a mailbox or of a mail-enabled security group.`);
    }
    const type = recipient.RecipientTypeDetails;
    const named = `"${grantee}" (${recipient.DisplayName})`;
    if (grantable.has(type)) return { identity: recipient.PrimarySmtpAddress || grantee, displayName: recipient.DisplayName, recipientTypeDetails: type, id: recipient.ExternalDirectoryObjectId };
    if (type === 'User' || type === 'DisabledUser' || recipient.RecipientType === 'User') throw noMailbox(grantee, recipient.DisplayName);
    if (recipient.RecipientType === 'Group' || /^(Universal|NonUniversal|Global)\w*Group$/.test(type)) throw notMailEnabled(grantee, recipient.DisplayName);
    if (type === 'MailUniversalDistributionGroup' || type === 'MailNonUniversalGroup' || type === 'DynamicDistributionGroup') {
        throw new CalendarGrantInputError(`${named} is a distribution group, not a security group: folder permissions need a security principal. Use a mail-enabled security group (New-DistributionGroup -Type Security), or convert this one.`);
    }
    if (type === 'GroupMailbox') throw new CalendarGrantInputError(`${named} is a Microsoft 365 group, which cannot hold calendar folder permissions. Use a mail-enabled security group instead.`);
    throw new CalendarGrantInputError(`${named} is a ${type}, which cannot hold folder permissions. Use a user with a mailbox or a mail-enabled security group.`);
}

const noMailbox = (grantee: string, displayName: string) =>
    new CalendarGrantInputError(`"${grantee}" (${displayName}) is a user without a mailbox, so Exchange cannot grant it folder permissions. Give the user an Exchange Online licence and wait for the mailbox, or grant to a mail-enabled security group that contains the user.`);
const notMailEnabled = (grantee: string, displayName: string) =>
    new CalendarGrantInputError(`"${grantee}" (${displayName}) is a security group that is not mail-enabled, so Exchange cannot grant it folder permissions. Use a mail-enabled security group (New-DistributionGroup -Type Security) and put the members in it.`);
