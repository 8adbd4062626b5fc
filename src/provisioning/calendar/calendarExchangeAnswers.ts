// What Exchange's answers to the folder-permission cmdlets mean for one mailbox. Exchange says most things only in
// an exception type or a message, so each reading is named here once, next to why it is read so.

import type { ExchangeCommandError } from '../../exchange/ExchangeCommandError';
import type { CalendarGrantMember } from './calendarGrantTypes';

/** Whether the grantee's rights are the wanted ones (Exchange answers in its own case and order). */
export function sameRights(have: string[], want: string[]): boolean {
    const a = new Set(have.map(r => r.toLowerCase()));
    const b = new Set(want.map(r => r.toLowerCase()));
    return a.size === b.size && [...a].every(r => b.has(r));
}

/** Answers that mean "later": throttled, briefly unavailable, or no answer at all. */
export function isTransient(error: ExchangeCommandError): boolean {
    return error.status === 0 || error.status === 429 || error.status === 503 || error.status === 504 || error.status === 424;
}

/** A 429 or 424 says the command was not run at all (so a write can simply be sent again). */
export function wasNotRun(error: ExchangeCommandError): boolean {
    return error.status === 429 || error.status === 424;
}

/** The grantee has no entry on this folder (Get-/Set-/Remove-MailboxFolderPermission -User). */
export function isNoEntry(error: ExchangeCommandError): boolean {
    return /UserNotFoundInPermissionEntry/i.test(error.exceptionType) || /There is no existing permission entry/i.test(error.message);
}

/** The folder is not there (e.g. `:\Calendar` on a mailbox whose calendar is `Kalender`); the mailbox is. */
export function isFolderMissing(error: ExchangeCommandError): boolean {
    if (!error.isNotFound || isNoEntry(error)) return false;
    return /StoreTasks\.ManagementObjectNotFoundException|FolderNotFound/i.test(error.exceptionType) || /:\\/.test(error.message);
}

/** The mailbox is not there: Exchange's "object not found" naming the member, not the folder nor the grantee. */
export function isMailboxMissing(error: ExchangeCommandError, member: CalendarGrantMember): boolean {
    if (!error.isNotFound || isNoEntry(error) || isFolderMissing(error)) return false;
    // "…because object 'anna@contoso.com' couldn't be found on '…'", or (not yet replicated) "Couldn't find object "…""
    const named = (/object '([^']+)'/.exec(error.message)?.[1] ?? /object "([^"]+)"/.exec(error.message)?.[1] ?? '').toLowerCase();
    return !named || named === member.userPrincipalName.toLowerCase() || named === member.userId.toLowerCase();
}
