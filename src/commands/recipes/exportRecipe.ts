import * as vscode from 'vscode';
import type { CloudName } from '../../auth/clouds';
import { SettingsSection } from '../../constants';
import type { ActionContext } from '../../platform/runAction';
import { pickOne } from '../../platform/actionUi';
import type { ExportTarget, OnPremisesOrganisation } from '../../provisioning/export/recipeExport';
import { givenInput } from '../shared/givenInput';
import { exportDestination, saveBesideRecipe, type ExportDestination } from './exportDestination';
import { openScript } from './openScript';
import { recipeDocument } from './recipeDocument';

const command = 'Export Recipe as PowerShell Script';

/** The clouds a script can sign in to (PowerShell has no environment for a Custom cloud), in the admin's words. */
const clouds: { value: Exclude<CloudName, 'Custom'>; label: string }[] = [
    { value: 'Global', label: 'worldwide (or GCC)' },
    { value: 'USGovernment', label: 'GCC High' },
    { value: 'USGovernmentDoD', label: 'DoD' },
    { value: 'China', label: 'operated by 21Vianet' },
];

const organisations: { value: OnPremisesOrganisation; label: string; detail: string }[] = [
    { value: 'hybrid', label: 'Hybrid: mailboxes in Exchange Online for on-premises accounts', detail: 'Enable-RemoteMailbox for accounts whose licence includes Exchange Online (Enable-Mailbox would make a second mailbox)' },
    { value: 'exchangeOnly', label: 'Exchange-only: every mailbox on Exchange Server', detail: 'Enable-Mailbox' },
];

/**
 * The cloud the script signs in to unless told: the active account's, else the one the settings sign in to (Global
 * by default). A Custom cloud (the sandbox tenant) is passed on: the export writes the worldwide names and says why.
 */
function defaultCloud(context: ActionContext<'accounts'>): CloudName {
    return context.accounts.active()?.cloud ?? vscode.workspace.getConfiguration(SettingsSection).get<CloudName>('cloud', 'Global');
}

/**
 * Writes the recipe as a PowerShell script, for an admin who runs (or files) scripts instead of applying the recipe
 * here: saved next to the recipe, or into a new, unsaved editor (`exportDestination`: asked once, then the setting
 * m365Provisioner.export.destination). Reads nothing from the tenant: the script does its own lookups when it runs.
 * Input `{ variant: 'cloud', cloud?: 'Global' | 'USGovernment' | 'USGovernmentDoD' | 'China' }` or
 * `{ variant: 'onPremises', organisation: 'hybrid' | 'exchangeOnly' }` skips the questions; what is left out is asked
 * (the cloud is not: it is the signed-in account's). `destination: 'besideRecipe' | 'untitled'` overrides the setting,
 * and `replace: true` replaces a script already beside the recipe without asking.
 */
export function exportRecipeCommand(context: ActionContext<'accounts'>, uri?: unknown, input?: unknown): Promise<unknown> {
    return exportTo(context, uri, input, undefined);
}

/** "Export Recipe to Untitled Editor": the script in a new, unsaved editor, whatever the setting says. */
export function exportRecipeUntitledCommand(context: ActionContext<'accounts'>, uri?: unknown, input?: unknown): Promise<unknown> {
    return exportTo(context, uri, input, 'untitled');
}

async function exportTo(context: ActionContext<'accounts'>, uri: unknown, input: unknown, forced: ExportDestination | undefined): Promise<unknown> {
    const given = givenInput(input, { variant: 'string', cloud: 'string', organisation: 'string', destination: 'string', replace: 'boolean' }, command);
    const oneOf = (name: string, value: string | undefined, allowed: string[]) => {
        if (value !== undefined && !allowed.includes(value)) throw new Error(`${command}: "${name}" must be ${allowed.map(v => `"${v}"`).join(' or ')}, not "${value}".`);
    };
    oneOf('variant', given.variant, ['cloud', 'onPremises']);
    // An explicit Custom is refused: a script cannot sign in to it, and the caller asked for exactly that cloud.
    oneOf('cloud', given.cloud, clouds.map(c => c.value));
    oneOf('organisation', given.organisation, organisations.map(o => o.value));
    oneOf('destination', given.destination, ['besideRecipe', 'untitled']);
    if (given.cloud !== undefined && given.variant !== 'cloud') throw new Error(`${command}: "cloud" goes with "variant": "cloud".`);
    if (given.organisation !== undefined && given.variant !== 'onPremises') throw new Error(`${command}: "organisation" goes with "variant": "onPremises".`);
    const { recipe, uri: recipeUri } = await recipeDocument(uri, 'export');
    const target = await chooseTarget(recipe.name, given, defaultCloud(context));
    // Loaded with the command, like the recipe parser: nothing of it is needed at activation.
    const { exportRecipe } = await import('../../provisioning/export/recipeExport');
    const content = exportRecipe(recipe, target);
    const destination = await exportDestination(recipeUri, forced ?? (given.destination as ExportDestination | undefined));
    if (destination === 'besideRecipe') {
        const saved = await saveBesideRecipe(recipeUri, target, content, given.replace);
        return { ...target, destination, uri: saved.uri.toString(), lines: saved.lineCount };
    }
    const document = await openScript(recipeUri, target, content);
    await vscode.window.showTextDocument(document, { preview: false });
    return { ...target, destination, uri: document.uri.toString(), lines: document.lineCount };
}

type Given = { variant?: string; cloud?: string; organisation?: string };
type TargetItem = vscode.QuickPickItem & { target: ExportTarget };

/**
 * What was given, and one question for the rest: the cloud script for each cloud (the default one first, so Enter takes
 * it) and the on-premises script for each kind of organisation; or, when only the on-premises variant was given, which
 * kind of organisation.
 */
async function chooseTarget(recipeName: string, given: Given, cloud: CloudName): Promise<ExportTarget> {
    if (given.variant === 'cloud') return { variant: 'cloud', cloud: (given.cloud as CloudName | undefined) ?? cloud };
    if (given.variant === 'onPremises' && given.organisation) return { variant: 'onPremises', organisation: given.organisation as OnPremisesOrganisation };
    const title = `Export "${recipeName}" as a PowerShell script for…`;
    const onPremises = organisations.map((o): TargetItem => ({ label: `Exchange Server and Active Directory (on-premises), ${o.label}`, detail: `ActiveDirectory module and the Exchange Management Shell; ${o.detail}; roles and licences are left to the cloud`, target: { variant: 'onPremises', organisation: o.value } }));
    if (given.variant === 'onPremises') return (await pickOne(onPremises, { title: `${title} which on-premises organisation?` })).target;
    const first = cloud === 'Custom' ? 'Global' : cloud;
    const ordered = [...clouds.filter(c => c.value === first), ...clouds.filter(c => c.value !== first)];
    const cloudItems = ordered.map((c): TargetItem => ({
        label: `Exchange Online and Microsoft Graph (cloud), Microsoft 365 ${c.label}`,
        description: c.value === cloud ? 'the cloud you sign in to' : c.value === first ? 'you sign in to a custom cloud, which PowerShell has no environment for' : undefined,
        detail: 'Microsoft Graph PowerShell SDK and ExchangeOnlineManagement v3',
        target: { variant: 'cloud', cloud: c.value },
    }));
    return (await pickOne([...cloudItems, ...onPremises], { title })).target;
}
