import * as vscode from 'vscode';
import { CommandIds } from '../../constants';
import { confirmByTyping, confirmChange, restoreNotes, withCancellableProgress } from '../../platform/actionUi';
import { revealClientSecretOnce, savePrivateKeyFile } from '../../platform/appCredentialHandover';
import { audited } from '../../platform/audit';
import { recipeApplyJournal } from '../../platform/recipeStore';
import { vscodeSignInInteraction } from '../../platform/signInInteraction';
import type { ActionContext } from '../../platform/runAction';
import type { RecipeApplySummary } from '../../provisioning/recipes/recipeApply';
import type { PlanWarning } from '../../provisioning/recipes/planWarnings';
import { describeStepKind } from '../../provisioning/recipes/recipePlan';
import { activeSession } from '../shared/nodeArgument';
import { givenInput } from '../shared/givenInput';
import { refreshWholeDirectory } from '../shared/refreshDirectory';
import { planAndShow, type PlanShowing } from './planRecipe';
import { recipeDocument } from './recipeDocument';
import { showInPlanView } from './recipeView';

/**
 * "Apply": plans the recipe, asks once with the list of changes (unless `{ confirmed: true }` is given by a caller that
 * showed the plan itself), then creates or changes what is missing, in order, with progress and cancel. A cancelled or
 * failed apply says what was done and what was not; applying again resumes (finished steps are not repeated). New
 * accounts' passwords go to SecretStorage, revealed once on request.
 */
export async function applyRecipeCommand(context: ActionContext<PlanShowing | 'globalState' | 'accounts' | 'recipePasswords' | 'audit' | 'log' | 'directoryTree'>, uri?: unknown, input?: unknown): Promise<RecipeApplySummary> {
    const given = givenInput(input, { confirmed: 'boolean', typedToDelete: 'strings' }, 'Apply Recipe');
    const doc = await recipeDocument(uri, 'apply');
    const session = activeSession(context);
    const { applyPlan, RecipeBlockedError, graphPermissionsFor, credentialsHandedOver } = await import('../../provisioning/recipes/recipeApply');
    const plan = await withCancellableProgress(`Planning ${doc.recipe.name}…`, signal => planAndShow(context, doc, signal));
    if (!plan.applicable) throw new RecipeBlockedError(plan);
    const toRun = plan.steps.filter(s => s.status !== 'done');
    const journal = recipeApplyJournal(context.globalState, session.account.tenantId, doc.uri);
    const resuming = (await journal.load()) !== undefined;
    if (toRun.length && !given.confirmed) {
        // A bulk step says what it touches ("Calendar access: Editor on 56 mailboxes in Staff"), read by the plan.
        const list = toRun.slice(0, 12).map(s => `• ${describeStepKind(s.kind)}: ${s.touches ?? s.target} (${s.status === 'create' ? 'create' : s.status === 'remove' ? 'REMOVE' : 'change'}${s.privileged ? ', PRIVILEGED ROLE' : ''})`).join('\n');
        const privileged = toRun.filter(s => s.privileged).length;
        // A new credential is handed over once, during the apply: say how before the admin says yes.
        const handover = credentialsHandedOver(plan).map(c => (c.type === 'certificate'
            ? `${c.application}: a new certificate's private key will be written once to a file you choose (a save dialog), and kept nowhere else.`
            : `${c.application}: a new client secret will be shown once; copy it then, it is kept nowhere.`)).join('\n');
        await confirmChange(
            `Apply ${doc.recipe.name} to ${await session.tenantName()}? ${toRun.length} step${toRun.length === 1 ? '' : 's'} to run${privileged ? `, ${privileged} giving a privileged role` : ''}.`,
            `${list}${toRun.length > 12 ? `\n…and ${toRun.length - 12} more (see the Recipe Plan view)` : ''}${handover ? `\n\n${handover}` : ''}${reviewWarnings(plan.warnings)}\n\n${resuming ? 'An earlier apply of this recipe stopped part-way; what it finished is not repeated. ' : ''}Every change is written to the audit log.`,
            'Apply',
        );
    }
    // Deleting an account (or a group, when no account goes) asks the admin to type its name, also after "confirmed".
    const deleted = toRun.filter(s => s.status === 'remove' && (s.kind === 'createServiceAccount' || s.kind === 'createMailGroup')).map(s => s.target);
    if (deleted.length) {
        const tenant = await session.tenantName();
        await confirmByTyping(deleted, given.typedToDelete, name => `Apply deletes ${name} from ${tenant}`, name => (toRun.some(s => s.kind === 'createServiceAccount' && s.target === name) ? restoreNotes.account : restoreNotes.group));
    }
    // One consent prompt for everything this apply will change, before the first change (not one per kind of step).
    const permissions = graphPermissionsFor(plan);
    if (permissions.length) await context.accounts.tokenProvider(session.account, vscodeSignInInteraction()).getAccessToken({ resource: 'graph', scopes: permissions });
    const passwords = context.recipePasswords;
    const summary = await withCancellableProgress(`Applying ${doc.recipe.name}`, (signal, report) =>
        audited(
            context.audit,
            session,
            'applyRecipe',
            `${doc.recipe.name} (${vscode.workspace.asRelativePath(doc.uri)})`,
            // Exactly the plan the admin reviewed: no second plan (see applyPlan for a tenant that changed meanwhile).
            () => applyPlan({ graph: session.graph, exchange: session.exchange, logger: context.log }, doc.recipe, plan, {
                signal,
                journal,
                onProgress: p => report(`${Math.min(p.finished + 1, p.total)} of ${p.total}: ${p.message}`),
                storePassword: (upn, password) => passwords.store(session.account.tenantId, upn, password),
                passwordKeptIn: 'VS Code\'s secret storage until you reveal it',
                keepPrivateKey: savePrivateKeyFile,
                revealSecret: revealClientSecretOnce,
            }),
            s => ({ result: s.cancelled ? 'cancelled' : s.failure ? 'partial' : s.changes ? 'succeeded' : 'unchanged', detail: s.steps.map(x => `${x.id} ${x.outcome}`).join('; ').slice(0, 480) }),
        ),
    );
    await forgetPasswordsOfDeleted(context, session.account.tenantId, summary);
    await showInPlanView(context, doc, { applied: summary });
    refreshWholeDirectory(context);
    // Passwords of this recipe's accounts still waiting, this run's or a cancelled earlier run's.
    const accounts = new Set(doc.recipe.serviceAccounts.map(a => a.userPrincipalName.trim().toLowerCase()));
    const waiting = passwords.waiting(session.account.tenantId).map(w => w.userPrincipalName).filter(u => accounts.has(u.toLowerCase()));
    announceOutcome(summary, doc.recipe.name, waiting);
    return summary;
}

/** The plan's warnings in the Apply review, each once, so the admin reads them before saying yes. */
function reviewWarnings(warnings: readonly PlanWarning[] | undefined): string {
    return warnings?.length ? `\n\nBefore you apply:\n${warnings.map(w => `⚠ ${w.message}`).join('\n')}` : '';
}

/** The end of an apply, in one message: what was done, what failed, what was not run, and the password to reveal. */
function announceOutcome(summary: RecipeApplySummary, name: string, waiting: string[]): void {
    const names = (outcomes: string[]) => summary.steps.filter(s => outcomes.includes(s.outcome)).map(s => s.target);
    const done = names(['created', 'changed']);
    const notRun = names(['notRun']);
    const reveal = waiting.length ? ['Reveal Password'] : [];
    const then = (choice: string | undefined) => {
        if (choice === 'Reveal Password') void vscode.commands.executeCommand(CommandIds.revealRecipePassword, waiting.length === 1 ? { userPrincipalName: waiting[0] } : undefined);
    };
    if (summary.failure) {
        void vscode.window.showErrorMessage(`${name} was applied only in part. Done: ${done.join(', ') || 'nothing'}. Failed: ${summary.failure.id}: ${summary.failure.message} Not run: ${notRun.join(', ') || 'nothing'}. Fix the cause and Apply again: finished steps are not repeated.`, ...reveal).then(then);
    } else if (summary.cancelled) {
        void vscode.window.showWarningMessage(`${name}: cancelled. Done: ${done.join(', ') || 'nothing'}. Not run: ${notRun.join(', ') || 'nothing'}. Apply again to resume.`, ...reveal).then(then);
    } else {
        void vscode.window.showInformationMessage(summary.changes ? `${name} applied: ${summary.changes} change${summary.changes === 1 ? '' : 's'}${waiting.length ? `. The password of ${waiting.join(', ')} is kept in VS Code's secret storage until you reveal it.` : '.'}` : `${name} is already applied: nothing was changed.`, ...reveal).then(then);
    }
}

/** A password still waiting to be revealed for an account this apply deleted opens nothing any more: it is dropped. */
export async function forgetPasswordsOfDeleted(context: ActionContext<'recipePasswords'>, tenantId: string, summary: RecipeApplySummary): Promise<void> {
    for (const step of summary.steps) {
        if (step.kind === 'createServiceAccount' && step.outcome === 'removed') await context.recipePasswords.take(tenantId, step.target);
    }
}
