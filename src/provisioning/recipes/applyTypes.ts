import type { CalendarGrantJournal, CalendarGrantOptions, MailboxOutcomeKind } from '../calendar/calendarGrants';
import type { WriteContext } from '../steps/contract';
import type { ReplicationWait } from '../steps/replication';
import type { RecipePlan, RecipeStep } from './recipePlan';

/** What happened to one step of the plan when applying. */
export type AppliedOutcome = 'created' | 'changed' | 'removed' | 'alreadyInPlace' | 'failed' | 'notRun';

export interface AppliedStep {
    id: string;
    kind: RecipeStep['kind'];
    target: string;
    outcome: AppliedOutcome;
    detail: string;
    /** Calendar grants: mailboxes per outcome. */
    mailboxes?: Partial<Record<MailboxOutcomeKind, number>>;
    /** True when an earlier, cancelled or interrupted apply of the same recipe made this change. */
    byEarlierRun?: boolean;
    /** The object ids this step's writes named or made (at most 20), for its audit line. */
    objectIds?: string[];
    /** The `request-id` of this step's last write (or of the failed request), for its audit line and Microsoft support. */
    requestId?: string;
}

export interface RecipeApplySummary {
    recipe: string;
    steps: AppliedStep[];
    cancelled: boolean;
    /** The step that failed, and why; the steps after it were not run. */
    failure?: { id: string; message: string };
    /** Steps that changed the tenant in this run or the earlier run it resumed. */
    changes: number;
    /** Accounts created whose passwords were handed to `storePassword`. */
    passwordsStored: string[];
    resumed: boolean;
    startedAt: string;
    finishedAt: string;
}

/** A recipe whose plan has blocked steps: nothing was changed. Each step names the recipe field to fix. */
export class RecipeBlockedError extends Error {
    constructor(readonly plan: RecipePlan) {
        const blocked = plan.steps.filter(s => s.status === 'blocked');
        super(`The recipe "${plan.recipe}" cannot be applied: ${blocked.length} step${blocked.length === 1 ? ' is' : 's are'} blocked. ${blocked.slice(0, 3).map(s => `${s.path ?? s.id}: ${s.detail}`).join(' ')}${blocked.length > 3 ? ` …and ${blocked.length - 3} more.` : ''} Nothing was changed.`);
        this.name = 'RecipeBlockedError';
    }
}

/** What a cancelled or crashed apply leaves behind, so the next apply of the same recipe resumes. */
export interface RecipeApplyRecord {
    /** A fingerprint of the recipe; a changed recipe starts over. */
    recipe: string;
    startedAt: string;
    steps: Record<string, AppliedStep>;
}

export interface RecipeApplyJournal {
    load(): Promise<RecipeApplyRecord | undefined>;
    save(record: RecipeApplyRecord): Promise<void>;
    clear(): Promise<void>;
    /** The per-mailbox journal of one calendar-grant step. */
    calendar(stepId: string): CalendarGrantJournal & { clear(): Promise<void> };
}

export interface RecipeApplyProgress {
    /** Steps finished of those to run (done steps excluded). */
    finished: number;
    total: number;
    message: string;
}

export interface RecipeApplyOptions {
    signal?: AbortSignal;
    journal?: RecipeApplyJournal;
    onProgress?: (p: RecipeApplyProgress) => void;
    /**
     * Receives a new account's generated password the moment it exists (before anything else can fail), to keep in
     * SecretStorage until the admin asks to see it. The engine keeps no copy.
     */
    storePassword: (userPrincipalName: string, password: string) => Promise<void>;
    /** Where `storePassword` keeps it, in the admin's words (for the step's detail), e.g. "/secure/passwords.jsonl". */
    passwordKeptIn?: string;
    /**
     * Writes a new app certificate's private key once (the admin's file, mode 0600) and returns where, in the admin's
     * words. Without it, an apply that would make a certificate fails at that step with nothing added to Entra.
     */
    keepPrivateKey?: WriteContext['keepPrivateKey'];
    /** Shows a new client secret once; the engine keeps no copy. */
    revealSecret?: WriteContext['revealSecret'];
    replication?: Partial<Pick<ReplicationWait, 'sleep' | 'timeoutMs'>>;
    /**
     * Told as each step run in this apply finishes or fails, with its object ids and request id (the extension writes
     * one audit line per step that changed something). Awaited, so its line is written before the next step runs.
     */
    onStepFinished?: (step: AppliedStep) => Promise<void>;
    calendar?: Pick<CalendarGrantOptions, 'pacer' | 'maxBatchesInFlight'>;
}

