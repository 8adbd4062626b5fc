import * as vscode from 'vscode';
import type { ActionContext } from '../../platform/runAction';
import { pickOne } from '../../platform/actionUi';
import type { ExportVariant } from '../../provisioning/recipeExport';
import { givenInput } from '../provisioning/givenInput';
import { recipeDocument } from './recipeDocument';

const variants: { label: string; detail: string; value: ExportVariant }[] = [
    { label: 'Exchange Online and Microsoft Graph (cloud)', detail: 'Microsoft Graph PowerShell SDK and ExchangeOnlineManagement v3', value: 'cloud' },
    { label: 'Exchange Server and Active Directory (on-premises)', detail: 'ActiveDirectory module and the Exchange Management Shell; roles and licences are left to the cloud', value: 'onPremises' },
];

/**
 * Writes the recipe as a PowerShell script into a new, unsaved editor, for an admin who runs (or files) scripts
 * instead of applying the recipe here. Reads nothing from the tenant: the script does its own lookups when it runs.
 * Input `{ variant: 'cloud' | 'onPremises' }` skips the question.
 */
export async function exportRecipeCommand(_context: ActionContext, uri?: unknown, input?: unknown): Promise<unknown> {
    const given = givenInput(input, { variant: 'string' }, 'Export Recipe as PowerShell Script');
    if (given.variant !== undefined && !variants.some(v => v.value === given.variant)) {
        throw new Error(`Export Recipe as PowerShell Script: "variant" must be ${variants.map(v => `"${v.value}"`).join(' or ')}, not "${given.variant}".`);
    }
    const { recipe } = await recipeDocument(uri, 'export');
    const variant = (given.variant as ExportVariant | undefined) ?? (await pickOne(variants, { title: `Export "${recipe.name}" as a PowerShell script for…` })).value;
    // Loaded with the command, like the recipe parser: nothing of it is needed at activation.
    const { exportRecipe } = await import('../../provisioning/recipeExport');
    const content = exportRecipe(recipe, variant);
    const document = await vscode.workspace.openTextDocument({ language: 'powershell', content });
    await vscode.window.showTextDocument(document, { preview: false });
    return { variant, uri: document.uri.toString(), lines: document.lineCount };
}
