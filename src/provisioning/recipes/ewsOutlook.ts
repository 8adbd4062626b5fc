/**
 * What the retirement of EWS in Exchange Online means for an integration that uses it (the calendar guide's vendor app
 * signs in as a user and calls EWS), read from the tenant's own organisation settings. Plain logic, no request: the
 * plan and the wizard read the settings (src/exchange) and pass them in with today's date.
 *
 * Message Center MC1227454: EWS in Exchange Online is blocked from 1 October 2026 for a tenant that has not set
 * EWSEnabled and allow-listed the app (tenants left unset are switched off), and turned off for good on 1 April 2027.
 * The settings are Set-OrganizationConfig's -EwsEnabled ($true, $false or $null: not configured), -EwsApplicationAccessPolicy
 * (EnforceAllowList or EnforceBlockList) and -EwsAllowList (user agents of the apps allowed): office-docs-powershell
 * `exchange/exchange-ps/ExchangePowerShell/Set-OrganizationConfig.md`.
 */
export interface EwsSettings {
    ewsEnabled: boolean | null;
    ewsApplicationAccessPolicy: string | null;
    ewsAllowList: string[] | null;
}

/** 1 October 2026 and 1 April 2027, as MC1227454 dates them (00:00 UTC: the notice gives days, not hours). */
export const ewsBlockedUnlessAllowed = new Date(Date.UTC(2026, 9, 1));
export const ewsTurnedOff = new Date(Date.UTC(2027, 3, 1));

/** Whether the vendor's EWS app works today, and the sentence that says so. */
export interface EwsOutlook {
    /** false: the app cannot use EWS today; true: it can, but the dates still apply; 'allowListed': only an allow-listed app. */
    worksToday: boolean | 'allowListed';
    message: string;
}

// Plain data with no import: the wizard's browser bundle shows the notice before the tenant is read.
const notice = 'Microsoft blocks EWS in Exchange Online from 1 October 2026 unless the tenant sets EwsEnabled and allow-lists the app, and turns it off for good on 1 April 2027 (Message Center MC1227454).';
const instead = 'The app-only calendar template replaces it: Microsoft Graph with an app registration, limited to a group\'s mailboxes by Exchange RBAC for Applications.';

/** The notice alone, before the tenant's settings are read: an integration that calls EWS, the dates, and what replaces it. */
export const ewsRetirementNotice = `The vendor's calendar app uses EWS. ${notice} ${instead}`;

export function ewsOutlook(settings: EwsSettings, now: Date): EwsOutlook {
    if (now >= ewsTurnedOff) return { worksToday: false, message: `EWS in Exchange Online is off for good since 1 April 2027 (MC1227454): an integration that calls EWS no longer works in any tenant. ${instead}` };
    const allowList = (settings.ewsAllowList ?? []).filter(Boolean);
    const allowListOnly = settings.ewsApplicationAccessPolicy === 'EnforceAllowList';
    const listed = allowList.length ? `the allow list has ${allowList.map(a => `"${a}"`).join(', ')}: the vendor's app must be one of them` : 'the allow list is empty';
    if (settings.ewsEnabled === false) return { worksToday: false, message: `EWS is switched off in this tenant (EwsEnabled is $false): the vendor's EWS app does not work here today. ${notice} ${instead}` };
    if (now >= ewsBlockedUnlessAllowed) {
        if (settings.ewsEnabled !== true) return { worksToday: false, message: `EwsEnabled is not set in this tenant, so EWS is blocked here since 1 October 2026: the vendor's EWS app does not work today. ${notice} ${instead}` };
        if (!allowListOnly || !allowList.length) return { worksToday: false, message: `EwsEnabled is $true but no app is allow-listed (EwsApplicationAccessPolicy ${settings.ewsApplicationAccessPolicy ?? 'not set'}), so EWS is blocked for the vendor's app since 1 October 2026. ${notice} ${instead}` };
        return { worksToday: 'allowListed', message: `EWS is allowed here until 1 April 2027 for allow-listed apps only (${listed}). ${notice} ${instead}` };
    }
    const today = settings.ewsEnabled === true && allowListOnly
        ? `EWS works here today for allow-listed apps only (${listed}), and keeps working until 1 April 2027 for them.`
        : `EWS works here today, but this tenant has not ${settings.ewsEnabled === true ? 'allow-listed any app' : 'set EwsEnabled and allow-listed the app'}, so the vendor's EWS app stops on 1 October 2026.`;
    return { worksToday: settings.ewsEnabled === true && allowListOnly ? 'allowListed' : true, message: `${today} ${notice} ${instead}` };
}
