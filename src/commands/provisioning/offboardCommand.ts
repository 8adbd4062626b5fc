import * as vscode from 'vscode';
import { confirmByTyping, confirmChange, restoreNotes, withCancellableProgress } from '../../platform/actionUi';
import { audited, auditRecipeSteps } from '../../platform/audit';
import type { ActionContext } from '../../platform/runAction';
import type { RecipeApplySummary } from '../../provisioning/recipes/recipeApply';
import { describeStepKind } from '../../provisioning/recipes/recipePlan';
import { forgetPasswordsOfDeleted } from '../recipes/applyRecipe';
import { planAndShow, type PlanShowing } from '../recipes/planRecipe';
import { showInPlanView } from '../recipes/recipeView';
import { givenInput } from '../shared/givenInput';
import { refreshWholeDirectory } from '../shared/refreshDirectory';
import { nameOf, targetUser } from '../shared/targets';

/**
 * "Offboard Service Account…": writes the account's offboarding recipe from what the tenant shows it holds, opens it
 * and plans it (the Recipe Plan view lists every removal, in the order they run), then asks the admin to confirm and
 * to type the account's name, and applies exactly that plan. The recipe stays open to save with the integration's
 * documentation. Returns the apply's summary, or undefined when there is nothing to offboard.
 */
export async function offboardServiceAccountCommand(context: ActionContext<PlanShowing | 'directoryView' | 'audit' | 'log' | 'recipePasswords' | 'directoryTree'>, arg?: unknown, input?: unknown): Promise<RecipeApplySummary | undefined> {
    const given = givenInput(input, { confirmed: 'boolean', typedToDelete: 'strings' }, 'Offboard Service Account');
    const { session, user } = await targetUser(context, arg, 'Offboard which service account?');
    const upn = nameOf(user);
    const { offboardingRecipeFor } = await import('../../provisioning/recipes/offboardingRecipe');
    const recipe = await withCancellableProgress(`Reading what ${upn} holds…`, signal => offboardingRecipeFor({ graph: session.graph, exchange: session.exchange }, user.id ?? upn, { signal }));
    const text = `${JSON.stringify({ $schema: 'https://m365-provisioner/schemas/m365recipe.schema.json', ...recipe }, null, 4)}\n`;
    const document = await vscode.workspace.openTextDocument({ language: 'json', content: text });
    await vscode.window.showTextDocument(document, { preview: false, preserveFocus: true });
    const doc = { uri: document.uri, text, recipe };
    const plan = await withCancellableProgress(`Planning the offboarding of ${upn}…`, signal => planAndShow(context, doc, signal));
    const toRun = plan.steps.filter(s => s.status !== 'done');
    if (!toRun.length) {
        void vscode.window.showInformationMessage(`${upn} holds nothing to take away and is not in the tenant; nothing to offboard.`);
        return undefined;
    }
    if (!given.confirmed) {
        await confirmChange(
            `Offboard ${upn}? ${toRun.length} step${toRun.length === 1 ? '' : 's'}, ending with its deletion.`,
            `${toRun.map(s => `• ${describeStepKind(s.kind)}: ${s.detail}`).join('\n')}\n\nThe offboarding recipe is open beside you; every change is written to the audit log.`,
            'Offboard',
        );
    }
    const tenant = await session.tenantName();
    await confirmByTyping([upn], given.typedToDelete, name => `Offboarding deletes ${name} from ${tenant}`, () => restoreNotes.account);
    const { applyPlan } = await import('../../provisioning/recipes/recipeApply');
    const summary = await withCancellableProgress(`Offboarding ${upn}`, (signal, report) =>
        audited(context.audit, session, 'offboardServiceAccount', upn, () => applyPlan({ graph: session.graph, exchange: session.exchange, logger: context.log }, recipe, plan, {
            signal,
            onProgress: p => report(`${Math.min(p.finished + 1, p.total)} of ${p.total}: ${p.message}`),
            storePassword: () => Promise.reject(new Error('Offboarding creates no account.')),
            onStepFinished: auditRecipeSteps(context.audit, session, recipe.name),
        }), s => ({ result: s.cancelled ? 'cancelled' : s.failure ? 'partial' : 'succeeded', detail: s.steps.map(x => `${x.id} ${x.outcome}`).join('; ').slice(0, 480) })),
    );
    await forgetPasswordsOfDeleted(context, session.account.tenantId, summary);
    await showInPlanView(context, doc, { applied: summary });
    refreshWholeDirectory(context);
    if (summary.failure) void vscode.window.showErrorMessage(`Offboarding ${upn} stopped at ${summary.failure.id}: ${summary.failure.message} The Recipe Plan view shows what was done and what was not.`);
    else if (summary.cancelled) void vscode.window.showWarningMessage(`Offboarding ${upn} was cancelled part-way; the Recipe Plan view shows what was done. Run it again to finish.`);
    else {
        // The offboarding recipe is the record of what was taken away: offered to be kept with the integration's papers.
        void vscode.window.showInformationMessage(`${upn} is offboarded: ${summary.changes} change${summary.changes === 1 ? '' : 's'}. Entra keeps the deleted account 30 days in Deleted users.`, 'Save Recipe…').then(async choice => {
            if (choice !== 'Save Recipe…') return;
            await vscode.window.showTextDocument(document, { preview: false });
            await vscode.commands.executeCommand('workbench.action.files.saveAs');
        });
    }
    return summary;
}
