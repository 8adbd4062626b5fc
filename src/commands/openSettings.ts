import * as vscode from 'vscode';
import { SettingsSection } from '../constants';

/** Opens the Settings editor filtered to this extension: cloud, custom endpoints, app registration, tenant. */
export async function openSettings(): Promise<void> {
    await vscode.commands.executeCommand('workbench.action.openSettings', `@ext:m365-provisioner.m365-provisioner ${SettingsSection}`);
}
