// Which cmdlet to send a mailbox first. Each command counts against Exchange's throttle (the floor of a run's time),
// and the right first command is not known before the first answers: so the run guesses from what the mailboxes
// before it showed, and each mailbox's first answer votes.

import type { MailboxTask } from './calendarMailboxTask';

/** How far one way the votes can lean: a few mailboxes the other way turn the guess round. */
const maxLean = 5;

export class FirstLook {
    /** Above 0: most of the last mailboxes had no entry yet (add first); else they had entries (read first). */
    private lean = 0;
    /** Above 0: most of the last mailboxes' calendars had a localised name (look the folder up first). */
    private localLean = 0;

    /** Only a grant that may write adds first: a read-only run and a revoke (which reports what it removes) read. */
    constructor(private readonly mayAddFirst: boolean) {}

    start(): 'read' | 'add' {
        return this.mayAddFirst && this.lean > 0 ? 'add' : 'read';
    }

    folderFirst(): boolean {
        return this.localLean > 0;
    }

    /** The mailbox's first answer about its entry: whether the grantee had one. */
    vote(task: MailboxTask, hadEntry: boolean): void {
        if (!task.folderResolved) this.voteFolder(task, false);
        if (task.voted) return;
        task.voted = true;
        this.lean = clamp(this.lean + (hadEntry ? -1 : 1));
    }

    /** The mailbox's first answer about its calendar's name: whether it is localised (not `Calendar`). */
    voteFolder(task: MailboxTask, localised: boolean): void {
        if (task.folderVoted) return;
        task.folderVoted = true;
        this.localLean = clamp(this.localLean + (localised ? 1 : -1));
    }
}

const clamp = (lean: number) => Math.max(-maxLean, Math.min(maxLean, lean));
