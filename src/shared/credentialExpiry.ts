/**
 * How soon an app credential (client secret or certificate) runs out, in the words the Applications folder shows.
 * Thirty days is the warning window: about the lead time a vendor needs to take a new secret or certificate, and what
 * credential-expiry trackers (maester, CIPP) warn at.
 */
export const expiresSoonDays = 30;

export type ExpiryState = 'valid' | 'expiresSoon' | 'expired';

export interface CredentialExpiry {
    state: ExpiryState;
    /** "expires in 12 days", "expires today", "expired 3 days ago", "no end date". */
    text: string;
    /** Whole days left (negative once expired); undefined when the credential has no end date. */
    daysLeft?: number;
}

const dayMs = 24 * 3600 * 1000;

export function credentialExpiry(endDateTime: string | Date | null | undefined, now: Date = new Date()): CredentialExpiry {
    const end = endDateTime ? new Date(endDateTime).getTime() : Number.NaN;
    if (Number.isNaN(end)) return { state: 'valid', text: 'no end date' };
    const left = end - now.getTime();
    if (left <= 0) {
        const ago = Math.floor(-left / dayMs);
        return { state: 'expired', daysLeft: -ago, text: ago === 0 ? 'expired today' : `expired ${ago} day${ago === 1 ? '' : 's'} ago` };
    }
    const days = Math.floor(left / dayMs);
    const text = days === 0 ? 'expires today' : `expires in ${days} day${days === 1 ? '' : 's'}`;
    return { state: days <= expiresSoonDays ? 'expiresSoon' : 'valid', daysLeft: days, text };
}

/** The worst of several credentials: expired beats expiring soon beats valid (an app row shows the one to act on). */
export function worstExpiry(expiries: readonly CredentialExpiry[]): ExpiryState {
    if (expiries.some(e => e.state === 'expired')) return 'expired';
    return expiries.some(e => e.state === 'expiresSoon') ? 'expiresSoon' : 'valid';
}
