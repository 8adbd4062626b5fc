import type { ExchangeAdminClient } from '../../exchange/ExchangeAdminClient';
import type { GraphClient } from '../../graph/GraphClient';
import { recordWrites, WriteTrail } from '../../net/writeTrail';
import type { Logger } from '../../shared/logger';
import type { WriteContext, Written } from '../steps/contract';
import { ApplyRun } from './applyRun';
import { RecipeBlockedError, type RecipeApplyOptions, type RecipeApplySummary } from './applyTypes';
import { runPlannedStep } from './plannedStepRetries';
import type { Recipe } from './recipe';
import { describeStepKind, planned, planRecipe, type RecipePlan } from './recipePlan';

export { RecipeBlockedError, type AppliedOutcome, type AppliedStep, type RecipeApplyJournal, type RecipeApplyOptions, type RecipeApplyProgress, type RecipeApplyRecord, type RecipeApplySummary } from './applyTypes';
export { recipeFingerprint } from './recipeFingerprint';

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
 * Applies a plan: refuses a blocked plan before any change, then writes (or removes) every step that is not done, in
 * the plan's order, from what the plan read (no second plan, no lookup of what the plan already found). What Apply does
 * when the tenant changed after the plan was reviewed: it applies exactly what was reviewed; a write the change makes
 * impossible (an account someone else created, an address taken) stops the run with TenantChangedError, saying what
 * changed, and nothing after it runs. Each write is idempotent, so nothing is ever made twice; a journal records
 * finished steps so a cancelled or crashed apply resumes; a step whose request got no answer is run again from a fresh
 * read of that one step (runPlannedStep). Cancel stops within one request and is reported, not thrown; a failure stops
 * the run and says which step failed and which were not run.
 */
export async function applyPlan(deps: Deps, recipe: Recipe, plan: RecipePlan, options: RecipeApplyOptions): Promise<RecipeApplySummary> {
    if (!plan.applicable) throw new RecipeBlockedError(plan);
    const run = await ApplyRun.start(recipe, plan, options, deps.logger);
    const toRun = plan.steps.filter(s => s.status !== 'done');
    let finished = 0;
    const report = (message: string) => options.onProgress?.({ finished, total: toRun.length, message });
    deps.logger.info(`[Recipe] applying "${recipe.name}": ${toRun.length} of ${plan.steps.length} steps to run${run.resumed ? ' (resuming an earlier run)' : ''}`);
    const writes = writeContext(deps, plan, options, run, report);
    for (const step of toRun) {
        if (options.signal?.aborted) return run.end(true);
        report(`${describeStepKind(step.kind)}: ${step.target}`);
        const journal = options.journal?.calendar(step.id);
        const ctx: WriteContext = { ...writes, ...(step.kind === 'grantCalendarAccess' ? { calendar: { ...options.calendar, ...(journal ? { journal } : {}) } } : {}) };
        // Each step's writes on a trail of their own: its object ids and last request id go on its audit line.
        const trail = new WriteTrail();
        const traced = (requestId?: string) => ({ ...(trail.objectIds().length ? { objectIds: trail.objectIds() } : {}), ...(requestId ?? trail.lastRequestId ? { requestId: requestId ?? trail.lastRequestId } : {}) });
        let outcome: Written;
        try {
            outcome = await recordWrites(() => runPlannedStep(step, ctx, { ...(options.replication?.sleep ? { sleep: options.replication.sleep } : {}), onRetry: message => report(`${describeStepKind(step.kind)}: ${step.target}: ${message}`) }), trail);
        } catch (error) {
            if (options.signal?.aborted || (error instanceof Error && error.name === 'AbortError')) return run.end(true);
            const summary = await run.failed(step.id, error instanceof Error ? error.message : String(error), traced(requestIdOf(error)));
            const failedStep = summary.steps.find(s => s.id === step.id);
            if (failedStep) await options.onStepFinished?.(failedStep);
            return summary;
        }
        finished++;
        const done = await run.finished(step.id, { ...outcome, ...traced() });
        await options.onStepFinished?.(done);
        if (done.outcome === 'notRun') return run.end(true);
    }
    return run.end(false);
}

/** The request id a Graph or Exchange error carries (both name it `requestId`). */
function requestIdOf(error: unknown): string | undefined {
    const id = (error as { requestId?: unknown } | undefined)?.requestId;
    return typeof id === 'string' && id ? id : undefined;
}

/** What every write of this apply shares: the clients, cancel, waits with progress, and what the plan already knows. */
function writeContext(deps: Deps, plan: RecipePlan, options: RecipeApplyOptions, run: ApplyRun, report: (message: string) => void): WriteContext {
    // What the plan read: each account's object id, so no step looks an account up again.
    const accountIds = new Map<string, string>();
    for (const s of plan.steps) {
        const have = s[planned]?.have as { user?: { id?: string } } | undefined;
        if (s.kind === 'createServiceAccount' && have?.user?.id) accountIds.set(s.target.toLowerCase(), have.user.id);
    }
    return {
        ...deps,
        ...(options.signal ? { signal: options.signal } : {}),
        accountIds,
        // Accounts this recipe makes may reach Exchange and role management minutes after Entra: their steps wait.
        newAccounts: new Set(plan.steps.filter(s => s.kind === 'createServiceAccount' && s.status === 'create').map(s => s.target.toLowerCase())),
        replication: { ...options.replication, onWait: report },
        storePassword: async (upn, password) => {
            await options.storePassword(upn, password);
            run.passwordsStored.push(upn);
        },
        ...(options.passwordKeptIn ? { passwordKeptIn: options.passwordKeptIn } : {}),
        ...(options.keepPrivateKey ? { keepPrivateKey: options.keepPrivateKey } : {}),
        ...(options.revealSecret ? { revealSecret: options.revealSecret } : {}),
        onProgress: report,
    };
}

/**
 * The credentials this plan makes and how each is handed over (a certificate's private key to a file, a client secret
 * shown once), so the review can say so and a caller with no way to hand one over refuses before any change.
 */
export function credentialsHandedOver(plan: RecipePlan): { application: string; type: 'certificate' | 'clientSecret' }[] {
    return plan.steps.filter(s => s.kind === 'addAppCredential' && s.status === 'create').map(s => {
        const want = s[planned]?.want as { application?: string; type?: 'certificate' | 'clientSecret' } | undefined;
        return { application: want?.application ?? s.target, type: want?.type ?? 'certificate' };
    });
}

/**
 * The Microsoft Graph permissions the steps still to run will ask for (each kind says which), so the admin can be
 * asked once, before the first change, rather than once per kind of step in the middle of the apply. Exchange steps
 * need only Exchange.Manage, which planning has already asked for.
 */
export function graphPermissionsFor(plan: RecipePlan): string[] {
    const scopesOf = (s: RecipePlan['steps'][number]) => {
        const step = s[planned]?.step;
        if (s.status === 'remove') return step?.removeScopes ?? step?.writeScopes ?? [];
        return s.status === 'create' || s.status === 'change' ? step?.writeScopes ?? [] : [];
    };
    return [...new Set(plan.steps.flatMap(s => [...scopesOf(s)]))].sort();
}
