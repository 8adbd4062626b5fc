// One mailbox under way in a grant: where it is (its next cmdlet) and what it has learnt so far, and the cmdlet
// that step sends.

import type { BatchCommand } from '../../exchange/exchangeBatch';
import type { CalendarGrantMember } from './calendarGrantTypes';

export type MailboxStep = 'read' | 'findFolder' | 'add' | 'set' | 'remove';

export interface MailboxTask {
    member: CalendarGrantMember;
    step: MailboxStep;
    /** Where this mailbox started: `add` when the run guessed that the grantee has no entry yet (see `FirstLook`). */
    start: 'read' | 'add';
    /** Whether this mailbox's first answer has voted yet (see `FirstLook`), and whether its folder name has. */
    voted: boolean;
    folderVoted: boolean;
    folder: string;
    folderResolved: boolean;
    transientTries: number;
    /** Answers 429 or 424 (not run), counted apart: a paced run sends throttled commands again itself. */
    notRunTries: number;
    rereads: number;
    /** A write whose answer never came: if a read then finds the wanted state, this is what happened. */
    uncertainWrite?: 'granted' | 'changed' | 'revoked';
    previousRights?: string[];
}

/** A mailbox not yet asked anything: its calendar assumed to be `:\Calendar` until Exchange says otherwise. */
export function newMailboxTask(member: CalendarGrantMember, start: 'read' | 'add', folderFirst: boolean): MailboxTask {
    return { member, step: folderFirst ? 'findFolder' : start, start, voted: false, folderVoted: false, folder: `${member.userPrincipalName}:\\Calendar`, folderResolved: false, transientTries: 0, notRunTries: 0, rereads: 0 };
}

/**
 * The cmdlet for the mailbox's current step, anchored on the mailbox (Exchange routes a batch's command to the
 * mailbox's server by it). `want`: the rights to grant (empty for a revoke).
 */
export function mailboxCommand(task: MailboxTask, granteeIdentity: string, want: string[]): BatchCommand {
    const upn = task.member.userPrincipalName;
    const base = { anchorMailbox: upn };
    switch (task.step) {
        case 'read':
            return { ...base, cmdlet: 'Get-MailboxFolderPermission', parameters: { Identity: task.folder, User: granteeIdentity } };
        case 'findFolder':
            return { ...base, cmdlet: 'Get-MailboxFolderStatistics', parameters: { Identity: upn, FolderScope: 'Calendar' } };
        case 'add':
            return { ...base, cmdlet: 'Add-MailboxFolderPermission', parameters: { Identity: task.folder, User: granteeIdentity, AccessRights: want } };
        case 'set':
            return { ...base, cmdlet: 'Set-MailboxFolderPermission', parameters: { Identity: task.folder, User: granteeIdentity, AccessRights: want } };
        case 'remove':
            return { ...base, cmdlet: 'Remove-MailboxFolderPermission', parameters: { Identity: task.folder, User: granteeIdentity, Confirm: false } };
    }
}
