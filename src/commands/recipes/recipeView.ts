import * as vscode from 'vscode';
import { ViewIds } from '../../constants';
import type { RecipeApplySummary } from '../../provisioning/recipes/recipeApply';
import { describeStepKind, type RecipePlan, type RecipeStepKind } from '../../provisioning/recipes/recipePlan';
import type { RecipeVerification } from '../../provisioning/recipes/recipeVerify';
import type { DriftItem } from '../../provisioning/recipes/verifyDrift';
import { redrawRecipeLenses } from '../../editor/recipeCodeLens';
import { rangeOf } from '../../editor/recipeDiagnostics';
import type { PlanRow, PlanRowStatus, PlanViewContent } from '../../tree/plan/RecipePlanTreeProvider';
import { statusLabel } from '../../tree/plan/RecipePlanTreeProvider';
import type { ActionContext } from '../../platform/runAction';
import { loadRecipeModule, type RecipeDocument } from './recipeDocument';


/** "2 to create, 1 already done": the counts of a list of statuses, in a fixed order. */
export function countLine(statuses: PlanRowStatus[]): string {
    const order: PlanRowStatus[] = ['blocked', 'failed', 'drift', 'create', 'change', 'remove', 'created', 'changed', 'removed', 'notRun', 'done', 'alreadyInPlace', 'inSync'];
    return order.map(s => [s, statuses.filter(x => x === s).length] as const).filter(([, n]) => n).map(([s, n]) => `${n} ${statusLabel(s)}`).join(', ') || 'nothing to do';
}

type Step = { id: string; kind: RecipeStepKind; target: string; detail: string; path?: string; drift?: DriftItem[] };

async function rows<T extends Step>(doc: RecipeDocument, steps: T[], status: (s: T) => PlanRowStatus): Promise<PlanRow[]> {
    const { offsetOf } = await loadRecipeModule();
    const document = await vscode.workspace.openTextDocument(doc.uri);
    // A drifted step's rows are Verify's own differences (which mailboxes, which roles), as the notification names them.
    return steps.map(s => ({
        id: s.id,
        kind: describeStepKind(s.kind),
        target: s.target,
        status: status(s),
        detail: s.detail,
        range: rangeOf(document, offsetOf(doc.text, s.path ?? s.id)),
        ...(s.drift?.length ? { differences: s.drift.map(d => `${d.subject}: ${d.detail}`) } : {}),
    }));
}

/** Shows a plan, an apply or a verify in the Recipe Plan view, and brings the view forward. */
export async function showInPlanView(context: ActionContext<'recipePlan'>, doc: RecipeDocument, result: { plan: RecipePlan } | { applied: RecipeApplySummary } | { verified: RecipeVerification }): Promise<PlanViewContent> {
    let content: PlanViewContent;
    if ('plan' in result) {
        const r = await rows(doc, result.plan.steps, s => s.status);
        // The view's rows are steps; its summary names the plan's warnings, which the Problems panel shows at their entries.
        const warnings = result.plan.warnings?.length ?? 0;
        content = { title: 'Plan', recipeName: doc.recipe.name, uri: doc.uri, summary: `${countLine(r.map(x => x.status))}${warnings ? `; ${warnings} warning${warnings === 1 ? '' : 's'} (Problems panel)` : ''}`, rows: r };
    } else if ('applied' in result) {
        const a = result.applied;
        const r = await rows(doc, a.steps, s => s.outcome);
        const state = a.failure ? `stopped at a failure; ` : a.cancelled ? 'cancelled; ' : '';
        content = { title: 'Apply', recipeName: doc.recipe.name, uri: doc.uri, summary: `${state}${countLine(r.map(x => x.status))}`, rows: r };
    } else {
        const v = result.verified;
        const r = await rows(doc, v.steps, s => (s.status === 'blocked' ? 'blocked' : s.inSync ? 'inSync' : 'drift'));
        content = { title: 'Verify', recipeName: doc.recipe.name, uri: doc.uri, summary: v.inSync ? 'in sync: the tenant is as the recipe says' : countLine(r.map(x => x.status)), rows: r };
    }
    context.recipePlan.show(content);
    await vscode.commands.executeCommand(`${ViewIds.recipePlan}.focus`).then(undefined, () => undefined);
    redrawRecipeLenses();
    return content;
}
