import type { DirectoryUser, Mailbox, MailboxFolderPermissionEntry, MailboxType, TenantState } from '../contracts';
import { exchangePlanIds } from './catalogue';

/** The calendar folder's name in a mailbox whose owner works in another language (DESIGN.md §1). */
export const localisedCalendarNames: Readonly<Record<string, string>> = { de: 'Kalender', nl: 'Agenda', fr: 'Calendrier', es: 'Calendario', it: 'Calendario', sv: 'Kalender' };

/** The entries every new Exchange Online calendar has: colleagues see free/busy, anonymous users nothing. */
export function defaultCalendarPermissions(): MailboxFolderPermissionEntry[] {
    return [
        { principal: 'Default', accessRights: ['AvailabilityOnly'] },
        { principal: 'Anonymous', accessRights: ['None'] },
    ];
}

/** Whether a user's licences switch on an Exchange Online plan (which is what gives a user a mailbox). */
export function hasExchangePlan(state: TenantState, user: DirectoryUser): boolean {
    return user.assignedLicenses.some(licence => {
        const sku = state.skus.find(s => s.skuId === licence.skuId);
        return sku?.servicePlans.some(p => exchangePlanIds.has(p.servicePlanId) && !licence.disabledPlans.includes(p.servicePlanId)) ?? false;
    });
}

/** A new mailbox for a user (not stored). */
export function newMailbox(user: DirectoryUser, type: MailboxType, createdDateTime: string, calendarFolderName = 'Calendar'): Mailbox {
    return {
        userId: user.id,
        recipientTypeDetails: type,
        primarySmtpAddress: user.mail ?? user.userPrincipalName,
        alias: user.mailNickname,
        createdDateTime,
        calendarFolderName,
        calendarPermissions: defaultCalendarPermissions(),
    };
}

/** Gives a licensed user a mailbox, as Exchange Online does after licence assignment; returns it, or undefined. */
export function provisionMailbox(state: TenantState, user: DirectoryUser, createdDateTime: string): Mailbox | undefined {
    const existing = state.mailboxes.get(user.id);
    if (existing || !hasExchangePlan(state, user)) return existing;
    const mailbox = newMailbox(user, 'UserMailbox', createdDateTime);
    state.mailboxes.set(user.id, mailbox);
    if (!user.mail) user.mail = mailbox.primarySmtpAddress;
    return mailbox;
}

/**
 * Brings a user's mailbox in line with their licences after a change: a new Exchange plan provisions one, losing the
 * last Exchange plan removes the user mailbox (Exchange soft-deletes it; the sandbox simply drops it). Shared and room
 * mailboxes need no licence and are left alone.
 */
export function syncMailboxWithLicences(state: TenantState, user: DirectoryUser, nowIso: string): Mailbox | undefined {
    const mailbox = state.mailboxes.get(user.id);
    if (mailbox && mailbox.recipientTypeDetails !== 'UserMailbox') return mailbox;
    if (hasExchangePlan(state, user)) return provisionMailbox(state, user, nowIso);
    if (mailbox) state.mailboxes.delete(user.id);
    return undefined;
}
