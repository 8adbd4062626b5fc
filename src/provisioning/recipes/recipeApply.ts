import type { ExchangeAdminClient } from '../../exchange/ExchangeAdminClient';
import type { GraphClient } from '../../graph/GraphClient';
import { GraphRequestError } from '../../graph/GraphRequestError';
import { ExchangeCommandError } from '../../exchange/ExchangeCommandError';
import { NetworkError } from '../../net/networkErrors';
import { abortableSleep, droppedConnection } from '../../net/RequestPolicy';
import type { Logger } from '../../shared/logger';
import type { CalendarGrantJournal, CalendarGrantOptions, MailboxOutcomeKind } from '../calendar/calendarGrants';
import type { WriteContext, Written } from '../steps/contract';
import type { ReplicationWait } from '../steps/replication';
import { TenantReads } from '../steps/tenantReads';
import type { Recipe } from './recipe';
import { describeStepKind, planned, planRecipe, type PlannedWork, type RecipePlan, type RecipeStep } from './recipePlan';

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
    replication?: Partial<Pick<ReplicationWait, 'sleep' | 'timeoutMs'>>;
    calendar?: Pick<CalendarGrantOptions, 'pacer' | 'maxBatchesInFlight'>;
}

type Deps = { graph: GraphClient; exchange: ExchangeAdminClient; logger: Logger };

/**
 * Plans a recipe and applies that plan at once (the command line, tests): `applyPlan` on a plan nobody reviewed.
 * The extension's Apply command plans, shows the plan, and applies the reviewed plan itself.
 */
export async function applyRecipe(deps: Deps, recipe: Recipe, options: RecipeApplyOptions): Promise<RecipeApplySummary> {
    let plan: RecipePlan;
    try {
        plan = await planRecipe(deps, recipe, options.signal ? { signal: options.signal } : {});
    } catch (error) {
        if (options.signal?.aborted) return { recipe: recipe.name, steps: [], cancelled: true, changes: 0, passwordsStored: [], resumed: false, startedAt: new Date().toISOString(), finishedAt: new Date().toISOString() };
        throw error;
    }
    return applyPlan(deps, recipe, plan, options);
}

/**
 * Applies a plan: refuses a blocked plan before any change, then runs the `write` of every step that is not done, in
 * the plan's order, on what the plan read (no second plan, no lookup of what the plan already found). What Apply does
 * when the tenant changed after the plan was reviewed: it applies exactly what was reviewed; a write the change makes
 * impossible (an account someone else created, an address taken) stops the run with TenantChangedError, saying what
 * changed, and nothing after it runs. Each write is idempotent, so nothing is ever made twice; a journal records
 * finished steps so a cancelled or crashed apply resumes. A step whose request got no answer is run again from a fresh
 * read of that one step. Cancel stops within one request and is reported, not thrown; a failure stops the run and says
 * which step failed and which were not run.
 */
export async function applyPlan(deps: Deps, recipe: Recipe, plan: RecipePlan, options: RecipeApplyOptions): Promise<RecipeApplySummary> {
    const { graph, exchange, logger } = deps;
    const signal = options.signal;
    const o = signal ? { signal } : {};
    const startedAt = new Date().toISOString();
    const fingerprint = recipeFingerprint(recipe);
    const earlier = await options.journal?.load();
    const resumed = earlier?.recipe === fingerprint;
    const record: RecipeApplyRecord = resumed && earlier ? earlier : { recipe: fingerprint, startedAt, steps: {} };
    if (earlier && !resumed) await options.journal?.clear();

    const passwordsStored: string[] = [];
    const summary = (steps: AppliedStep[], extra: Partial<RecipeApplySummary> = {}): RecipeApplySummary => ({
        recipe: recipe.name,
        steps,
        cancelled: false,
        changes: steps.filter(s => s.outcome === 'created' || s.outcome === 'changed' || s.outcome === 'removed').length,
        passwordsStored,
        resumed,
        startedAt,
        finishedAt: new Date().toISOString(),
        ...extra,
    });
    if (!plan.applicable) throw new RecipeBlockedError(plan);

    const toRun = plan.steps.filter(s => s.status !== 'done');
    let finished = 0;
    const report = (message: string) => options.onProgress?.({ finished, total: toRun.length, message });
    const steps: AppliedStep[] = plan.steps.map(s => {
        const before = record.steps[s.id];
        // A step the plan finds done that an earlier run of this apply changed: say so (the earlier run's outcome).
        if (s.status === 'done' && before && (before.outcome === 'created' || before.outcome === 'changed' || before.outcome === 'removed')) return { ...before, byEarlierRun: true };
        return { id: s.id, kind: s.kind, target: s.target, outcome: s.status === 'done' ? 'alreadyInPlace' : 'notRun', detail: s.detail };
    });
    logger.info(`[Recipe] applying "${recipe.name}": ${toRun.length} of ${plan.steps.length} steps to run${resumed ? ' (resuming an earlier run)' : ''}`);

    // What the plan read: each account's object id, so no step looks an account up again.
    const accountIds = new Map<string, string>();
    for (const s of plan.steps) {
        const have = s[planned]?.have as { user?: { id?: string; userPrincipalName?: string } } | undefined;
        if (s.kind === 'createServiceAccount' && have?.user?.id) accountIds.set(s.target.toLowerCase(), have.user.id);
    }
    const writes: Omit<WriteContext, 'afterLostAnswer'> = {
        graph, exchange, logger, ...o,
        accountIds,
        // Accounts this recipe makes may reach Exchange and role management minutes after Entra: their steps wait.
        newAccounts: new Set(plan.steps.filter(s => s.kind === 'createServiceAccount' && s.status === 'create').map(s => s.target.toLowerCase())),
        replication: { ...options.replication, onWait: (m: string) => report(m) },
        storePassword: async (upn, password) => {
            await options.storePassword(upn, password);
            passwordsStored.push(upn);
        },
        ...(options.passwordKeptIn ? { passwordKeptIn: options.passwordKeptIn } : {}),
        onProgress: report,
    };

    for (const step of toRun) {
        const at = steps.findIndex(s => s.id === step.id);
        const work = step[planned];
        if (signal?.aborted) return finish(true);
        if (!work || work.have === undefined) throw new Error(`The plan's step ${step.id} has nothing to apply: plan the recipe again.`);
        report(`${describeStepKind(step.kind)}: ${step.target}`);
        const journal = options.journal?.calendar(step.id);
        const ctx: WriteContext = { ...writes, ...(step.kind === 'grantCalendarAccess' ? { calendar: { ...options.calendar, ...(journal ? { journal } : {}) } } : {}) };
        try {
            let retried = false;
            const done = await withRetries(
                tries => (tries === 1 ? (step.status === 'remove' ? work.step.remove(ctx, work.want, work.have) : work.step.write(ctx, work.want, work.have)) : writeAfterLostAnswer(work, ctx, step.status === 'remove')),
                message => {
                    retried = true;
                    report(`${describeStepKind(step.kind)}: ${step.target}: ${message}`);
                },
            );
            // Not done when planned, found done on a retry: the try whose answer was lost had made the change.
            if (retried && done.outcome === 'alreadyInPlace') Object.assign(done, { outcome: step.status === 'create' ? 'created' : step.status === 'remove' ? 'removed' : 'changed', detail: `${done.detail} (made by an earlier try whose answer was lost)`.trim() });
            steps[at] = { ...steps[at], ...done };
        } catch (error) {
            if (signal?.aborted || (error instanceof Error && error.name === 'AbortError')) return finish(true);
            const message = error instanceof Error ? error.message : String(error);
            steps[at] = { ...steps[at], outcome: 'failed', detail: message };
            logger.warn(`[Recipe] ${step.id} failed: ${message}`);
            await saveRecord();
            return summary(steps, { failure: { id: step.id, message } });
        }
        finished++;
        record.steps[step.id] = steps[at];
        await saveRecord();
        if (steps[at].outcome === 'notRun') return finish(true);
    }
    return finish(false);

    /**
     * A later try of a step whose earlier try got no answer: that one step is read again (its write may have landed),
     * and written only if it still differs.
     */
    async function writeAfterLostAnswer(work: PlannedWork, ctx: WriteContext, removing: boolean): Promise<Written> {
        const reads = new TenantReads(graph, exchange, o, { accounts: ctx.newAccounts, groups: new Set() });
        const have = await work.step.read(reads, work.want);
        const again = { ...ctx, afterLostAnswer: true };
        if (!removing) return work.step.write(again, work.want, have);
        // Gone on the fresh read: the try whose answer was lost removed it.
        return work.step.compare(work.want, have).status === 'remove' ? work.step.remove(again, work.want, have) : { outcome: 'alreadyInPlace', detail: 'Already gone.' };
    }

    /**
     * A step whose request got no answer, or only "unavailable" after the clients' own retries, is run again: every
     * step is idempotent, so a write that did land is found and not repeated.
     */
    async function withRetries<T>(run: (tries: number) => Promise<T>, onRetry: (message: string) => void): Promise<T> {
        for (let n = 1; ; n++) {
            try {
                return await run(n);
            } catch (error) {
                if (n >= maxStepTries || !isTransientFailure(error) || signal?.aborted) throw error;
                const pause = 1000 * 2 ** (n - 1);
                onRetry(`no answer from Microsoft (${error instanceof Error ? error.message : String(error)}); trying again in ${pause / 1000} s`);
                await (options.replication?.sleep ?? abortableSleep)(pause, signal);
            }
        }
    }

    async function saveRecord(): Promise<void> {
        await options.journal?.save(record).catch((error: unknown) => logger.warn(`[Recipe] could not write the journal: ${error instanceof Error ? error.message : String(error)}`));
    }

    async function finish(cancelled: boolean): Promise<RecipeApplySummary> {
        if (cancelled) {
            await saveRecord();
        } else {
            await options.journal?.clear();
        }
        const result = summary(steps, { cancelled });
        logger.info(`[Recipe] "${recipe.name}" ${cancelled ? 'cancelled' : 'applied'}: ${result.changes} changes`);
        return result;
    }
}

/**
 * The Microsoft Graph permissions the steps still to run will ask for (each kind says which), so the admin can be
 * asked once, before the first change, rather than once per kind of step in the middle of the apply. Exchange steps
 * need only Exchange.Manage, which planning has already asked for.
 */
export function graphPermissionsFor(plan: RecipePlan): string[] {
    return [...new Set(plan.steps.filter(s => s.status === 'create' || s.status === 'change' || s.status === 'remove').flatMap(s => [...(s[planned]?.step.writeScopes ?? [])]))].sort();
}

/** Tries per step when Microsoft gives no answer or keeps answering "unavailable". */
const maxStepTries = 5;

function isTransientFailure(error: unknown): boolean {
    if (error instanceof NetworkError) return true;
    if (error instanceof GraphRequestError) return [429, 500, 502, 503, 504].includes(error.status);
    if (error instanceof ExchangeCommandError) return [0, 429, 500, 502, 503, 504].includes(error.status);
    return error instanceof Error && droppedConnection.test(error.message);
}


/** The same recipe (whatever its formatting) gives the same fingerprint. */
export function recipeFingerprint(recipe: Recipe): string {
    const canonical = (value: unknown): unknown =>
        Array.isArray(value) ? value.map(canonical) : value && typeof value === 'object' ? Object.fromEntries(Object.keys(value).sort().map(k => [k, canonical((value as Record<string, unknown>)[k])])) : value;
    const text = JSON.stringify(canonical(recipe));
    // FNV-1a, 2 × 32 bits: a fingerprint for "same recipe", not a security hash.
    let a = 0x811c9dc5;
    let b = 0x01000193;
    for (let i = 0; i < text.length; i++) {
        a = Math.imul(a ^ text.charCodeAt(i), 0x01000193) >>> 0;
        b = Math.imul(b ^ text.charCodeAt(text.length - 1 - i), 0x01000193) >>> 0;
    }
    return `${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}
