import type { DirectoryUser, Mailbox, TenantState } from '../contracts';
import { exchangePlanIds } from './catalogue';

/** Whether a user's licences include an enabled Exchange Online plan (which is what gives a user a mailbox). */
export function hasExchangePlan(state: TenantState, user: DirectoryUser): boolean {
    return user.assignedLicenses.some(licence => {
        const sku = state.skus.find(s => s.skuId === licence.skuId);
        return sku?.servicePlans.some(p => exchangePlanIds.has(p.servicePlanId) && !licence.disabledPlans.includes(p.servicePlanId)) ?? false;
    });
}

/** Gives a licensed user a mailbox (as Exchange Online does after licence assignment); returns it, or undefined. */
export function provisionMailbox(state: TenantState, user: DirectoryUser, createdDateTime: string): Mailbox | undefined {
    const existing = state.mailboxes.get(user.id);
    if (existing || !hasExchangePlan(state, user)) return existing;
    const mailbox: Mailbox = {
        userId: user.id,
        recipientTypeDetails: 'UserMailbox',
        primarySmtpAddress: user.mail ?? user.userPrincipalName,
        alias: user.mailNickname,
        createdDateTime,
        calendarFolderName: 'Calendar',
        calendarPermissions: [
            { principal: 'Default', accessRights: ['AvailabilityOnly'] },
            { principal: 'Anonymous', accessRights: ['None'] },
        ],
    };
    state.mailboxes.set(user.id, mailbox);
    return mailbox;
}
