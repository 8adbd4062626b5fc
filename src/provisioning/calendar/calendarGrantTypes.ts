// What a calendar grant is asked, and what it answers per mailbox and for the whole run: the words every caller
// (the menu commands, recipe apply and verify, the command line, the report) shares with the engine.

import type { CalendarAccessRight } from './calendarAccessRights';

export interface CalendarGrantRequest {
    mode: 'grant' | 'revoke';
    groupId: string;
    groupName: string;
    /** UPN or SMTP address of a user or mail-enabled group. */
    grantee: string;
    /** Ignored for revoke. */
    accessRight: CalendarAccessRight;
    /**
     * Revoke only: work on every mailbox OUTSIDE the group (the tenant's users with a mail address who are not in it or
     * a group nested in it), to take away access a recipe with "exact" does not give.
     */
    outsideGroup?: boolean;
}

/** `differs`: only in a read-only run (verify): the mailbox is not as requested, and nothing was sent to change it. */
export type MailboxOutcomeKind = 'granted' | 'changed' | 'alreadyInPlace' | 'revoked' | 'notPresent' | 'differs' | 'skipped' | 'failed';
export const mailboxOutcomeKinds: readonly MailboxOutcomeKind[] = ['granted', 'changed', 'alreadyInPlace', 'revoked', 'notPresent', 'differs', 'skipped', 'failed'];

export interface MailboxOutcome {
    userId: string;
    userPrincipalName: string;
    displayName: string;
    outcome: MailboxOutcomeKind;
    /** The calendar folder as Exchange names it, e.g. `anna@contoso.com:\Kalender`. */
    folder?: string;
    /** The grantee's rights before a change or a removal. */
    previousRights?: string[];
    reason?: string;
    /** Exchange's request id of the command that settled this mailbox (what support asks for). */
    requestId?: string;
}

export interface CalendarGrantProgress {
    total: number;
    finished: number;
    counts: Record<MailboxOutcomeKind, number>;
}

export interface CalendarGrantMember {
    userId: string;
    userPrincipalName: string;
    displayName: string;
    /** Graph's `mail`, when the user has one: a member without it has no mailbox (the preview counts it apart). */
    mail?: string;
}

export interface CalendarGrantSummary {
    request: CalendarGrantRequest;
    /** Every member's outcome, those carried over from the journal included. */
    outcomes: MailboxOutcome[];
    cancelled: boolean;
    /** Members whose final outcome came from the journal (not touched by this run). */
    resumedFrom: number;
    startedAt: string;
    finishedAt: string;
    /** Graph requests the engine made, and Exchange HTTP requests (each `$batch` and each retry counts once). */
    requests: { graph: number; exchange: number };
    /** Answers 429 (whole requests, and commands inside a batch). */
    throttled: number;
    /** Users found in the group, nested groups included (0 when the run stopped before listing them). */
    members?: number;
    /** The grantee as Exchange knows it. */
    grantee?: { identity: string; displayName: string; recipientTypeDetails: string };
    /** A cancelled run: the members it did not finish (the next run reads them again before changing anything). */
    notDone?: CalendarGrantMember[];
    /** A run cancelled while the group was still being listed: members Graph counted that were not listed yet. */
    unlisted?: number;
}

/** How many mailboxes ended in each outcome (only the outcomes that occur). */
export function countOutcomes(outcomes: readonly MailboxOutcome[]): Partial<Record<MailboxOutcomeKind, number>> {
    const counts: Partial<Record<MailboxOutcomeKind, number>> = {};
    for (const m of outcomes) counts[m.outcome] = (counts[m.outcome] ?? 0) + 1;
    return counts;
}

/** Bad input found BEFORE any change: the message says what is wrong and how to fix it. */
export class CalendarGrantInputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'CalendarGrantInputError';
    }
}
