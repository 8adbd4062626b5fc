import type { ExchangeAdminClient } from '../../exchange/ExchangeAdminClient';
import type { GraphClient } from '../../graph/GraphClient';
import type { Logger } from '../../shared/logger';
import { countOutcomes, runCalendarGrant, type MailboxOutcomeKind } from '../calendar/calendarGrants';
import type { Recipe } from './recipe';
import { calendarRequestFor, type CalendarAccessHave, type CalendarAccessWant } from '../steps/calendarAccess';
import { planned, planRecipe, type RecipeStep } from './recipePlan';
import type { MailboxAccessWant } from '../steps/applicationWants';
import { checkMailboxScope, type MailboxAccessHave } from '../steps/mailboxAccess';
import { calendarDrift, stepDrift, type DriftItem } from './verifyDrift';

/** One part of the recipe checked against the tenant: `inSync`, or drifted with what differs. */
export interface VerifiedStep extends RecipeStep {
    inSync: boolean;
    /** Calendar grants: mailboxes per outcome of the read-only check (`differs` = drift). */
    mailboxes?: Partial<Record<MailboxOutcomeKind, number>>;
    /**
     * A step not in sync: every difference, each naming its object (for a calendar grant, each mailbox that differs or
     * could not be read; otherwise the step's account, role, member or licence plans and what the plan would do).
     */
    drift?: DriftItem[];
}

export interface RecipeVerification {
    recipe: string;
    steps: VerifiedStep[];
    /** True when the tenant is exactly as the recipe says (every step in sync). */
    inSync: boolean;
    cancelled: boolean;
    checkedAt: string;
}

/**
 * Drift between the tenant and a recipe, reading only. Verify is the plan (the same read and compare of every step:
 * anything not done is drift), and for each calendar grant every member's calendar, read in bulk without a single write;
 * for mailbox access limited to a group, Test-ServicePrincipalAuthorization for one member and one non-member.
 */
export async function verifyRecipe(
    deps: { graph: GraphClient; exchange: ExchangeAdminClient; logger: Logger },
    recipe: Recipe,
    o: { signal?: AbortSignal; onProgress?: (message: string) => void } = {},
): Promise<RecipeVerification> {
    const signal = o.signal ? { signal: o.signal } : {};
    const plan = await planRecipe(deps, recipe, signal);
    const steps: VerifiedStep[] = [];
    let cancelled = false;
    for (const step of plan.steps) {
        if (step.kind === 'scopeMailboxAccess' && step.status === 'done' && step[planned]?.want.ensure !== 'absent' && !cancelled) {
            // The scope exists as planned; whether it really holds is Exchange's own answer for a member and a non-member.
            const work = step[planned];
            const check = await checkMailboxScope(deps.exchange, work?.want as MailboxAccessWant, work?.have as MailboxAccessHave, signal);
            const verified = { ...step, status: check.inSync ? 'done' as const : 'change' as const, detail: `${step.detail} ${check.detail}`, inSync: check.inSync };
            steps.push(check.inSync ? verified : { ...verified, drift: stepDrift(verified) });
            continue;
        }
        if (step.kind !== 'grantCalendarAccess' || (step.status !== 'change' && step.status !== 'remove') || cancelled) {
            steps.push(step.status === 'done' ? { ...step, inSync: true } : { ...step, inSync: false, drift: stepDrift(step) });
            continue;
        }
        // The group the plan found, not looked up again.
        const work = step[planned];
        const revoking = step.status === 'remove';
        const request = calendarRequestFor(work?.want as CalendarAccessWant, work?.have as CalendarAccessHave, revoking ? 'revoke' : 'grant');
        const right = request.accessRight;
        const result = await runCalendarGrant(deps, request, {
            ...signal,
            readOnly: true,
            onProgress: p => o.onProgress?.(`Calendars of ${request.groupName}: ${p.finished} of ${p.total} read`),
        });
        cancelled = result.cancelled;
        const counts = countOutcomes(result.outcomes);
        const differs = counts.differs ?? 0;
        const failed = counts.failed ?? 0;
        const inSync = !differs && !failed && !result.cancelled;
        const parts = [revoking ? `${counts.notPresent ?? 0} of ${result.outcomes.length} calendars give ${request.grantee} no access` : `${counts.alreadyInPlace ?? 0} of ${result.outcomes.length} calendars have ${right}`, differs ? `${differs} ${revoking ? 'still do' : 'do not'}` : '', counts.skipped ? `${counts.skipped} skipped (no mailbox, or the grantee itself)` : '', failed ? `${failed} could not be read` : '', result.cancelled ? 'the check was cancelled part-way' : ''].filter(Boolean);
        steps.push({ ...step, status: inSync ? 'done' : step.status, detail: `${parts.join('; ')}.`, inSync, mailboxes: counts, ...(inSync ? {} : { drift: calendarDrift(request, result.outcomes) }) });
    }
    return { recipe: recipe.name, steps, inSync: !cancelled && steps.every(s => s.inSync), cancelled, checkedAt: new Date().toISOString() };
}
