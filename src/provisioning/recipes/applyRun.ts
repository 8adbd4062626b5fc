import type { Logger } from '../../shared/logger';
import type { AppliedStep, RecipeApplyOptions, RecipeApplyRecord, RecipeApplySummary } from './applyTypes';
import type { Recipe } from './recipe';
import { recipeFingerprint } from './recipeFingerprint';
import type { RecipePlan } from './recipePlan';

const changed = (outcome: AppliedStep['outcome']) => outcome === 'created' || outcome === 'changed' || outcome === 'removed';

/**
 * The bookkeeping of one apply: each step's outcome, the journal that lets a cancelled or crashed apply resume (a
 * changed recipe starts over), the passwords handed over, and the summary at the end.
 */
export class ApplyRun {
    readonly steps: AppliedStep[];
    readonly passwordsStored: string[] = [];
    private readonly startedAt = new Date().toISOString();

    private constructor(private readonly recipe: Recipe, plan: RecipePlan, private readonly record: RecipeApplyRecord, readonly resumed: boolean, private readonly options: RecipeApplyOptions, private readonly logger: Logger) {
        this.steps = plan.steps.map(s => {
            const before = record.steps[s.id];
            // A step the plan finds done that an earlier run of this apply changed: say so (the earlier run's outcome).
            if (s.status === 'done' && before && changed(before.outcome)) return { ...before, byEarlierRun: true };
            return { id: s.id, kind: s.kind, target: s.target, outcome: s.status === 'done' ? 'alreadyInPlace' : 'notRun', detail: s.detail };
        });
    }

    static async start(recipe: Recipe, plan: RecipePlan, options: RecipeApplyOptions, logger: Logger): Promise<ApplyRun> {
        const fingerprint = recipeFingerprint(recipe);
        const earlier = await options.journal?.load();
        const resumed = earlier?.recipe === fingerprint;
        if (earlier && !resumed) await options.journal?.clear();
        return new ApplyRun(recipe, plan, resumed && earlier ? earlier : { recipe: fingerprint, startedAt: new Date().toISOString(), steps: {} }, resumed, options, logger);
    }

    /** A step finished (or was cut short by a cancel): kept in the journal at once. */
    async finished(id: string, outcome: Partial<AppliedStep>): Promise<AppliedStep> {
        const at = this.steps.findIndex(s => s.id === id);
        this.steps[at] = { ...this.steps[at], ...outcome };
        this.record.steps[id] = this.steps[at];
        await this.save();
        return this.steps[at];
    }

    /** A step failed: the run stops there, saying which step and why; the journal keeps what was done. */
    async failed(id: string, message: string, traced: Pick<AppliedStep, 'objectIds' | 'requestId'> = {}): Promise<RecipeApplySummary> {
        const at = this.steps.findIndex(s => s.id === id);
        this.steps[at] = { ...this.steps[at], ...traced, outcome: 'failed', detail: message };
        this.logger.warn(`[Recipe] ${id} failed: ${message}`);
        await this.save();
        return this.summary({ failure: { id, message } });
    }

    /** The end: a finished apply clears its journal, a cancelled one keeps it for the next apply to resume. */
    async end(cancelled: boolean): Promise<RecipeApplySummary> {
        if (cancelled) await this.save();
        else await this.options.journal?.clear();
        const result = this.summary({ cancelled });
        this.logger.info(`[Recipe] "${this.recipe.name}" ${cancelled ? 'cancelled' : 'applied'}: ${result.changes} changes`);
        return result;
    }

    private summary(extra: Partial<RecipeApplySummary>): RecipeApplySummary {
        return { recipe: this.recipe.name, steps: this.steps, cancelled: false, changes: this.steps.filter(s => changed(s.outcome)).length, passwordsStored: this.passwordsStored, resumed: this.resumed, startedAt: this.startedAt, finishedAt: new Date().toISOString(), ...extra };
    }

    private async save(): Promise<void> {
        await this.options.journal?.save(this.record).catch((error: unknown) => this.logger.warn(`[Recipe] could not write the journal: ${error instanceof Error ? error.message : String(error)}`));
    }
}
