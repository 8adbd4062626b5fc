// What Verify found different, one item per difference, in the admin's words: which mailboxes, which roles, which
// members, which licence plans. Carried on each verified step (`VerifiedStep.drift`), so the notification, the
// "Show Differences" page and the Recipe Plan view read the same list.

import type { CalendarGrantRequest, MailboxOutcome } from '../calendar/calendarGrantTypes';
import { describeStepKind, type RecipeStep } from './recipePlan';

/** One difference: what it is about (a mailbox, an account's role, a group's member…) and how it differs. */
export interface DriftItem {
    subject: string;
    detail: string;
}

/** The mailboxes of a read-only calendar check that are not as the recipe says, or could not be read. */
export function calendarDrift(request: CalendarGrantRequest, outcomes: readonly MailboxOutcome[]): DriftItem[] {
    const grantee = request.grantee;
    return outcomes.filter(o => o.outcome === 'differs' || o.outcome === 'failed').map(o => ({
        subject: o.displayName && o.displayName !== o.userPrincipalName ? `${o.displayName} (${o.userPrincipalName})` : o.userPrincipalName,
        detail: o.outcome === 'failed'
            ? `could not be read: ${o.reason ?? 'no reason given'}`
            : request.mode === 'revoke'
                ? `still gives ${grantee} ${(o.previousRights ?? []).join(', ') || 'access'}`
                : o.previousRights?.length
                    ? `gives ${grantee} ${o.previousRights.join(', ')}, not ${request.accessRight}`
                    : `gives ${grantee} no access (${request.accessRight} wanted)`,
    }));
}

/** Any other step that is not done: the step's object and what the plan would do about it. */
export function stepDrift(step: RecipeStep): DriftItem[] {
    return [{ subject: `${describeStepKind(step.kind)}: ${step.target}`, detail: step.detail }];
}

/** A verified step as the drift readers see it. */
export interface DriftedStep extends RecipeStep {
    inSync: boolean;
    drift?: DriftItem[];
}

/** One sentence naming what drifted, for a notification: the first few subjects of each drifted step. */
export function driftSentence(steps: readonly DriftedStep[], shown = 3): string {
    const drifted = steps.filter(s => !s.inSync);
    const parts = drifted.map(s => {
        const items = s.drift ?? [];
        if (s.kind === 'grantCalendarAccess' && items.length) {
            const names = items.slice(0, shown).map(i => i.subject).join(', ');
            return `${items.length} calendar${items.length === 1 ? '' : 's'} (${names}${items.length > shown ? ', …' : ''})`;
        }
        return `${describeStepKind(s.kind)}: ${s.target}`;
    });
    return parts.slice(0, shown).join('; ') + (parts.length > shown ? `; and ${parts.length - shown} more` : '');
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** Every difference, as a read-only page: one section per drifted step, one table row per difference. */
export function driftMarkdown(recipe: string, checkedAt: string, steps: readonly DriftedStep[], cancelled: boolean): string {
    const drifted = steps.filter(s => !s.inSync);
    const lines = [`# ${recipe}: differences from the tenant`, '', `Checked ${checkedAt}${cancelled ? ' (the check was cancelled part-way: what was not read is not listed)' : ''}. ${drifted.length} of ${steps.length} steps differ; Apply brings them back in line.`, ''];
    if (!drifted.length) lines.push('None: the tenant is as the recipe says.', '');
    for (const step of drifted) {
        const items = step.drift ?? stepDrift(step);
        lines.push(`## ${describeStepKind(step.kind)}: ${step.target}`, '', step.detail, '', '| What | How it differs |', '| --- | --- |', ...items.map(i => `| ${cell(i.subject)} | ${cell(i.detail)} |`), '');
    }
    return lines.join('\n');
}
