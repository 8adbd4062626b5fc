import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ExtensionId, OutputChannelName, ViewIds } from '../../src/constants';
import type { ExtensionApi } from '../../src/extension';

interface ContributedCommand {
    command: string;
}

async function activatedApi(): Promise<ExtensionApi> {
    const extension = vscode.extensions.getExtension<ExtensionApi>(ExtensionId);
    assert.ok(extension, `extension ${ExtensionId} is loaded`);
    return extension.activate();
}

describe('Activation in a real extension host', () => {
    it('activates and exposes its container', async () => {
        const api = await activatedApi();
        assert.equal(api.container.log.name, OutputChannelName);
    });

    it('registers every command package.json contributes, and no other m365Provisioner command', async () => {
        await activatedApi();
        const extension = vscode.extensions.getExtension(ExtensionId)!;
        const contributed = ((extension.packageJSON as { contributes: { commands: ContributedCommand[] } }).contributes.commands)
            .map(c => c.command)
            .sort();
        // VS Code adds `<viewId>.focus`, `.open`, … for every view; those are not ours to register.
        const generated = ['focus', 'open', 'removeView', 'resetViewLocation', 'toggleVisibility'];
        const viewCommand = (c: string) => Object.values(ViewIds).some(v => generated.some(g => c === `${v}.${g}`));
        const registered = (await vscode.commands.getCommands(true))
            .filter(c => c.startsWith('m365Provisioner.') && !viewCommand(c))
            .sort();
        assert.deepEqual(registered, contributed);
    });

    it('opens the Accounts and Directory views in its activity-bar container', async () => {
        await activatedApi();
        // Focusing a view fails when the view is not contributed or has no provider.
        await vscode.commands.executeCommand(`${ViewIds.accounts}.focus`);
        await vscode.commands.executeCommand(`${ViewIds.directory}.focus`);
    });
});
