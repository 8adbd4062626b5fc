// What a run has found so far: the members listed, each one's final outcome (those an earlier run finished
// included), and counts per outcome. Progress reports and the summary are read from it.

import { mailboxOutcomeKinds, type CalendarGrantMember, type CalendarGrantProgress, type MailboxOutcome, type MailboxOutcomeKind } from './calendarGrantTypes';

export class CalendarGrantTally {
    readonly members: CalendarGrantMember[] = [];
    readonly outcomes: MailboxOutcome[] = [];
    readonly counts = Object.fromEntries(mailboxOutcomeKinds.map(k => [k, 0])) as Record<MailboxOutcomeKind, number>;
    /** The group's user count as Graph gives it on the first page. */
    expectedMembers: number | undefined;
    /** Members whose final outcome came from the journal. */
    resumedFrom = 0;

    private readonly earlier = new Map<string, MailboxOutcome>();

    /** Final outcomes from an earlier, cancelled run of the same request, carried over as their members are listed. */
    carryOver(earlier: readonly MailboxOutcome[]): void {
        for (const outcome of earlier) this.earlier.set(outcome.userId, outcome);
    }

    /** Members just listed; returns those still to be worked on (the others an earlier run finished). */
    listed(page: CalendarGrantMember[]): CalendarGrantMember[] {
        const toDo: CalendarGrantMember[] = [];
        for (const member of page) {
            this.members.push(member);
            const before = this.earlier.get(member.userId);
            if (before && before.outcome !== 'failed') {
                this.add(before);
                this.resumedFrom++;
            } else {
                toDo.push(member);
            }
        }
        return toDo;
    }

    add(outcome: MailboxOutcome): void {
        this.outcomes.push(outcome);
        this.counts[outcome.outcome]++;
    }

    progress(): CalendarGrantProgress {
        return { total: Math.max(this.expectedMembers ?? 0, this.members.length), finished: this.outcomes.length, counts: { ...this.counts } };
    }

    /** The members a cancelled run did not finish. */
    notDone(): CalendarGrantMember[] {
        const done = new Set(this.outcomes.map(o => o.userId));
        return this.members.filter(m => !done.has(m.userId));
    }

    /** For the log: "3 granted, 1 skipped", or "nothing to do". */
    describe(): string {
        return mailboxOutcomeKinds.filter(k => this.counts[k]).map(k => `${this.counts[k]} ${k}`).join(', ') || 'nothing to do';
    }
}
