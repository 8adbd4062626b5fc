import * as vscode from 'vscode';
import type { ActionContext } from '../../platform/runAction';
import { verifiedDomains } from '../../graph/tenantCatalogue';
import { templateDefaults } from '../../provisioning/recipes/recipeTemplates';
import { dispatchRequest } from '../../webviews/rpc';
import { badField, templateIds, wizardValidators, type CreateRecipeResult, type TemplateId, type WizardValues } from '../../webviews/setupWizard/protocol';
import { setupWizardHandlers, SetupWizardPanel } from '../../webviews/setupWizard/SetupWizardPanel';
import { givenInput } from '../shared/givenInput';
import { activeSession } from '../shared/nodeArgument';

const commandName = 'Set Up Service Account';

/** What the command returns: the recipe written, the refusal, or (for tests) the panel it opened. */
export type SetUpServiceAccountResult =
    | { uri: string }
    | { refused: { field: string; message: string }[] }
    | { panel: { viewType: string; title: string; html: string } };

interface WizardInput {
    template?: TemplateId;
    values?: Partial<WizardValues>;
    folder?: string;
    submit?: boolean;
    overwrite?: boolean;
}

/**
 * Opens the setup wizard (a webview; the admin picks a template and fills the fields, each checked against the
 * tenant as typed). With `{ template, values, folder, submit: true }` it writes the recipe without asking, through
 * the same request and checks as the wizard's "Create Recipe".
 */
export async function setUpServiceAccountCommand(context: ActionContext<'sessions' | 'log' | 'extensionUri'>, _node?: unknown, input?: unknown): Promise<unknown> {
    const given = wizardInput(input);
    if (!given.submit) {
        const { host } = SetupWizardPanel.show(context, given.template);
        return { panel: { viewType: host.panel.viewType, title: host.panel.title, html: host.html } } satisfies SetUpServiceAccountResult;
    }
    const template = given.template ?? 'blank';
    const session = activeSession(context);
    const values: WizardValues = { ...templateDefaults(template, given.values?.domain ?? (await verifiedDomains(session.graph))[0] ?? ''), ...given.values };
    const handlers = setupWizardHandlers(context, { interactive: false, ...(given.folder ? { folder: given.folder } : {}), ...(given.overwrite ? { overwrite: true } : {}) }, () => undefined);
    const result = (await dispatchRequest(wizardValidators, handlers, 'createRecipe', { template, values }, new AbortController().signal)) as CreateRecipeResult;
    if (result.written) return { uri: result.uri } satisfies SetUpServiceAccountResult;
    const message = `${commandName}: the recipe was not written. ${result.problems.map(p => p.message).join(' ')}`;
    context.log.warn(`[Recipe] ${message}`);
    void vscode.window.showErrorMessage(message);
    return { refused: result.problems } satisfies SetUpServiceAccountResult;
}

/** The command's input, checked at the boundary like every command's (see givenInput). */
function wizardInput(input: unknown): WizardInput {
    const given = givenInput(input, { template: 'string', folder: 'string', submit: 'boolean', overwrite: 'boolean' }, commandName);
    if (given.template !== undefined && !(templateIds as readonly string[]).includes(given.template)) throw new Error(`${commandName}: "template" must be one of ${templateIds.join(', ')}.`);
    const values = (input as { values?: unknown } | undefined)?.values;
    if (values !== undefined) {
        const bad = badField(values, { partial: true });
        if (bad !== undefined) throw new Error(`${commandName}: "values.${bad}" is not a wizard field of the right type.`);
    }
    if (given.submit && !given.template) throw new Error(`${commandName}: "submit" needs a "template" (${templateIds.join(', ')}).`);
    return { ...given, template: given.template as TemplateId | undefined, ...(values !== undefined ? { values: values as Partial<WizardValues> } : {}) };
}
