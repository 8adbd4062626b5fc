import * as vscode from 'vscode';
import { CommandIds } from '../../constants';
import { freeUnits, licenceName } from '../../graph/adminNames';
import { servicePlanName } from '../../shared/licensing/licenceNames';
import { listRoleDefinitions, subscribedSkus, verifiedDomains } from '../../graph/tenantCatalogue';
import { listRoleGroups } from '../../exchange/cmdlets';
import type { RecipeProblem } from '../../provisioning/recipes/recipe';
import { checkAllFields, checkApplicationName, checkCalendarGroup, checkDirectoryRoles, checkGraphPermissions, checkGroupAddress, checkLicence, checkRoleGroups, checkScopeGroup, checkUserPrincipalNameField, type CheckedField } from '../../provisioning/recipes/recipeFieldChecks';
import { ewsOutlookOfTenant } from '../../provisioning/recipes/planWarnings';
import { signInBlockers } from '../../provisioning/steps/serviceAccounts';
import { groupAddressOf, recipeFileText, recipeFromTemplate, recipeSlug, templateDefaults } from '../../provisioning/recipes/recipeTemplates';
import type { ActionContext } from '../../platform/runAction';
import type { TenantSession } from '../../platform/tenantSession';
import { WebviewHost, type RequestHandlers } from '../WebviewHost';
import { fieldLabels, type CreateRecipeResult, type TemplateId, type WizardEvents, type WizardField, type WizardRequests, type WizardValues, wizardValidators } from './protocol';
import { writeRecipeFile, type RecipeFileTarget } from './recipeFile';

export const setupWizardViewType = 'm365Provisioner.setupWizard';
export const setupWizardTitle = 'Set Up Service Account';

/** The live checks' fields, as the form names them. */
const checkedFields: Record<CheckedField, WizardField> = {
    domain: 'domain',
    accountName: 'accountName',
    licence: 'licenceSku',
    groupAddress: 'groupAddress',
    calendarGroup: 'calendarGroup',
    directoryRoles: 'directoryRoles',
    exchangeRoleGroups: 'exchangeRoleGroups',
    appName: 'appName',
    graphPermissions: 'graphPermissions',
    appDirectoryRoles: 'appDirectoryRoles',
};

/** The recipe values' JSON pointers, as the form's fields (for the parser's problems). */
const pointerFields: [RegExp, WizardField][] = [
    [/^\/name/, 'recipeName'],
    [/^\/description/, 'description'],
    [/^\/serviceAccounts\/0\/userPrincipalName/, 'accountName'],
    [/^\/serviceAccounts\/0\/displayName/, 'displayName'],
    [/^\/serviceAccounts\/0\/usageLocation/, 'usageLocation'],
    [/^\/serviceAccounts\/0\/directoryRoles/, 'directoryRoles'],
    [/^\/serviceAccounts\/0\/exchangeRoleGroups/, 'exchangeRoleGroups'],
    [/^\/serviceAccounts\/0\/licence\/enabledPlans/, 'licencePlans'],
    [/^\/serviceAccounts\/0\/licence/, 'licenceSku'],
    [/^\/mailEnabledGroups\/0\/name/, 'groupName'],
    [/^\/mailEnabledGroups\/0\/primarySmtpAddress/, 'groupAddress'],
    [/^\/calendarGrants\/0\/membersOf/, 'calendarGroup'],
    [/^\/calendarGrants\/0\/accessRight/, 'accessRight'],
    [/^\/applications\/0\/displayName/, 'appName'],
    [/^\/applications\/0\/credential\/validDays/, 'credentialDays'],
    [/^\/applications\/0\/credential/, 'credentialType'],
    [/^\/applications\/0\/graphPermissions/, 'graphPermissions'],
    [/^\/applications\/0\/mailboxAccess\/0\/membersOf/, 'calendarGroup'],
    [/^\/applications\/0\/mailboxAccess/, 'mailboxRole'],
    [/^\/applications\/0\/directoryRoles/, 'appDirectoryRoles'],
];

/** What the wizard's requests use: the tenant it checks against, and the log. */
export type WizardContext = ActionContext<'sessions' | 'log'>;
/** The panel also loads its bundle from the extension's folder. */
export type WizardPanelContext = ActionContext<'sessions' | 'log' | 'extensionUri'>;

const problem = (field: WizardField | '', message: string) => ({ field, message: field ? `${fieldLabels[field]}: ${message}` : message });

function sessionOf(context: ActionContext<'sessions'>): TenantSession {
    const session = context.sessions.active();
    if (!session) throw new Error('Sign in to a tenant first (M365: Sign In…): the wizard checks each field against it.');
    return session;
}

/**
 * What the wizard's requests do. `createRecipe` is also what a command's `submit` input runs: the form's values are
 * parsed as a recipe, every field is checked against the tenant, and only then is the file written, opened and planned.
 */
export function setupWizardHandlers(context: WizardContext, target: RecipeFileTarget, onWritten: (uri: vscode.Uri) => void): RequestHandlers<WizardRequests> {
    const graph = () => sessionOf(context).graph;
    return {
        templateDefaults: ({ template, domain }) => Promise.resolve(templateDefaults(template, domain)),
        listDomains: (_, signal) => verifiedDomains(graph(), { signal }),
        listSkus: async (_, signal) => (await subscribedSkus(graph(), { signal })).map(s => {
            const plans = (s.servicePlans ?? []).map(p => p.servicePlanName ?? '').filter(Boolean);
            return {
                partNumber: s.skuPartNumber ?? '',
                name: licenceName(s.skuPartNumber),
                free: freeUnits(s),
                total: s.prepaidUnits?.enabled ?? 0,
                plans,
                planNames: Object.fromEntries(plans.map(p => [p, servicePlanName(p)])),
            };
        }),
        listRoles: async (_, signal) => (await listRoleDefinitions(graph(), { signal })).map(r => r.displayName ?? '').filter(Boolean),
        listRoleGroups: async (_, signal) => (await listRoleGroups(sessionOf(context).exchange, { signal })).map(g => g.DisplayName || g.Name).sort((a, b) => a.localeCompare(b)),
        checkUserPrincipalName: ({ userPrincipalName }, signal) => checkUserPrincipalNameField(graph(), userPrincipalName, { signal }),
        checkLicence: ({ sku, plans, userPrincipalName }, signal) => checkLicence(graph(), sku, plans, userPrincipalName, { signal }),
        checkGroup: ({ group }, signal) => checkCalendarGroup(graph(), group, { signal }),
        checkGroupAddress: ({ address }, signal) => checkGroupAddress(graph(), address, { signal }),
        checkRoles: ({ roles }, signal) => checkDirectoryRoles(graph(), roles, { signal, holder: 'account' }),
        checkScopeGroup: ({ group }, signal) => checkScopeGroup(sessionOf(context).exchange, group, { signal }),
        checkAppRoles: ({ roles }, signal) => checkDirectoryRoles(graph(), roles, { signal, holder: 'app' }),
        checkApplication: ({ name }, signal) => checkApplicationName(graph(), name, { signal }),
        checkGraphPermissions: ({ permissions }, signal) => checkGraphPermissions(graph(), permissions, { signal }),
        ewsOutlook: async (_, signal) => {
            const outlook = await ewsOutlookOfTenant(sessionOf(context).exchange, new Date(), { signal });
            return { ok: true, warning: true, message: outlook.message };
        },
        signInWarnings: (_, signal) => signInBlockers(graph(), { signal }),
        checkRoleGroups: ({ roleGroups }, signal) => checkRoleGroups(sessionOf(context).exchange, roleGroups, { signal }),
        createRecipe: ({ template, values }, signal) => createRecipe(context, template, values, target, onWritten, signal),
    };
}

async function createRecipe(context: WizardContext, template: TemplateId, values: WizardValues, target: RecipeFileTarget, onWritten: (uri: vscode.Uri) => void, signal: AbortSignal): Promise<CreateRecipeResult> {
    // The form first (no network): what the recipe file itself would be refused for.
    const recipe = recipeFromTemplate(template, values);
    const text = recipeFileText(recipe);
    const { parseRecipe } = await import('../../provisioning/recipes/recipe');
    const parsed = parseRecipe(text);
    if (!parsed.recipe) return { written: false, problems: parsed.problems.map((p: RecipeProblem) => problem(pointerFields.find(([re]) => re.test(p.path))?.[1] ?? '', p.message)) };

    // Then the tenant: the same checks the form makes as the admin types.
    const session = sessionOf(context);
    const checks = await checkAllFields(session, { ...values, groupAddress: groupAddressOf(values) }, { signal });
    const failed = (Object.entries(checks) as [CheckedField, { ok: boolean; message: string }][]).filter(([, c]) => !c.ok);
    // An unverified domain fails the account's check for the same reason: say it once, on the domain.
    const problems = failed.filter(([field]) => !(field === 'accountName' && checks.domain?.ok === false)).map(([field, c]) => problem(checkedFields[field], c.message));
    if (problems.length) return { written: false, problems };

    const written = await writeRecipeFile(text, recipeSlug(recipe.name), target);
    if ('refused' in written) return { written: false, problems: [problem('', written.refused)] };
    if ('cancelled' in written) return { written: false, problems: [] };
    context.log.info(`[Recipe] The setup wizard wrote ${written.uri.toString()}`);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(written.uri), { preview: false });
    onWritten(written.uri);
    // The plan is the next step the admin takes; a failure there is the plan's to report, the recipe is written.
    await Promise.resolve(vscode.commands.executeCommand(CommandIds.planRecipe, written.uri)).catch((error: unknown) => {
        context.log.warn(`[Recipe] Could not plan ${written.uri.toString()}: ${error instanceof Error ? error.message : String(error)}`);
    });
    return { written: true, uri: written.uri.toString() };
}

/** The wizard's panel: one at a time; running the command again brings it forward. */
export class SetupWizardPanel {
    private static current: SetupWizardPanel | undefined;
    readonly host: WebviewHost<WizardRequests, WizardEvents>;

    private constructor(context: WizardPanelContext) {
        this.host = new WebviewHost<WizardRequests, WizardEvents>({
            viewType: setupWizardViewType,
            title: setupWizardTitle,
            bundle: 'setupWizard',
            extensionUri: context.extensionUri,
            validators: wizardValidators,
            // Closing the panel once the recipe is written: the editor and the plan take over.
            handlers: setupWizardHandlers(context, { interactive: true }, () => this.host.dispose()),
            log: context.log,
        });
        this.host.onDidDispose(() => {
            if (SetupWizardPanel.current === this) SetupWizardPanel.current = undefined;
        });
    }

    static show(context: WizardPanelContext, template?: TemplateId): SetupWizardPanel {
        const panel = SetupWizardPanel.current ?? new SetupWizardPanel(context);
        SetupWizardPanel.current = panel;
        panel.host.panel.reveal();
        if (template) panel.host.post('chooseTemplate', { template });
        return panel;
    }
}
