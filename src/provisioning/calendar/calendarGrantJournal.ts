// The journal of a grant: the mailboxes a run finished, so that a cancelled or interrupted run of the same request
// resumes instead of starting over. One implementation for every caller (the menu commands and recipe apply), kept
// in whatever key-value store the caller has (VS Code's globalState on the extension's side).

import type { Logger } from '../../shared/logger';
import type { CalendarGrantRequest, MailboxOutcome } from './calendarGrantTypes';

/** What the engine needs of a journal. */
export interface CalendarGrantJournal {
    /** Outcomes already final from an earlier, cancelled run of the same request. */
    load(): Promise<MailboxOutcome[]>;
    append(outcomes: MailboxOutcome[]): Promise<void>;
}

/** A journal kept between runs under one key: its caller clears it when a run finished, or to start over. */
export interface KeptCalendarGrantJournal extends CalendarGrantJournal {
    readonly key: string;
    clear(): Promise<void>;
}

/** One value per key; VS Code's `Memento` (globalState) is one, without this wing importing `vscode`. */
export interface JournalStore {
    get<T>(key: string): T | undefined;
    update(key: string, value: unknown): PromiseLike<void>;
}

export function keptCalendarGrantJournal(store: JournalStore, key: string): KeptCalendarGrantJournal {
    const stored = () => store.get<MailboxOutcome[]>(key) ?? [];
    return {
        key,
        load: () => Promise.resolve(stored()),
        append: async outcomes => { await store.update(key, [...stored(), ...outcomes]); },
        clear: async () => { await store.update(key, undefined); },
    };
}

/**
 * What makes two runs the same request, as a key part: a journal resumes only a run of the same mode, group,
 * grantee and right (another right on the same mailboxes is new work).
 */
export function calendarGrantRequestKey(request: CalendarGrantRequest): string {
    return `${request.mode}.${request.groupId}.${request.grantee.toLowerCase()}.${request.mode === 'grant' ? request.accessRight : ''}`;
}

/**
 * The run's side of the journal: final outcomes gathered, written once per batch in order. A write that fails is
 * logged, not thrown: the journal helps a later run resume, and is never a reason for this run to fail.
 */
export class JournalWriter {
    private writes: Promise<void> = Promise.resolve();
    private pending: MailboxOutcome[] = [];

    constructor(private readonly journal: CalendarGrantJournal | undefined, private readonly logger: Logger) {}

    record(outcome: MailboxOutcome): void {
        this.pending.push(outcome);
    }

    /** Starts writing what was recorded since the last flush (after the writes before it). */
    flush(): void {
        if (this.pending.length && this.journal) {
            const entries = this.pending;
            const journal = this.journal;
            this.writes = this.writes.then(() => journal.append(entries)).catch((error: unknown) => this.logger.warn(`[Calendar] could not write the journal: ${error instanceof Error ? error.message : String(error)}`));
        }
        this.pending = [];
    }

    /** Every write started so far has ended. */
    settled(): Promise<void> {
        return this.writes;
    }
}
