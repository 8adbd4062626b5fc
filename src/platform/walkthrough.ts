import * as vscode from 'vscode';
import { ContextKeys, ExtensionId } from '../constants';

/** The walkthrough's id as VS Code knows it: `<publisher>.<name>#<walkthrough id in package.json>`. */
export const WalkthroughId = `${ExtensionId}#gettingStarted`;

/** Where we remember that the walkthrough was opened once, so a restart does not open it again. */
const openedKey = 'm365Provisioner.walkthroughOpened';

/** Opens the Get Started walkthrough in the editor area (the Welcome page's own command). */
export async function openWalkthrough(): Promise<void> {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', WalkthroughId, false);
}

/**
 * Opens the walkthrough the first time the extension starts, once: remembered in globalState.
 * VS Code opens an extension's walkthrough by itself only when the extension is installed from within the running
 * window (the Extensions view, or a VSIX dropped in); one installed with `--install-extension` before the window
 * started, as on a managed workstation, never saw it (microsoft/vscode
 * src/vs/workbench/contrib/welcomeGettingStarted/browser/gettingStartedService.ts, `sessionInstalledExtensions`).
 * The admin's `workbench.welcomePage.walkthroughs.openOnInstall` is respected: off means never. It is a machine-scoped
 * setting, so in a remote window (code-server, SSH) the value that counts is the remote machine's, as VS Code reads it.
 */
export async function openWalkthroughOnFirstStart(globalState: vscode.Memento): Promise<void> {
    if (globalState.get<boolean>(openedKey)) return;
    await globalState.update(openedKey, true);
    if (!vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall', true)) return;
    await openWalkthrough();
}

/**
 * What ticks "Explore the directory" besides its own button: the first Directory folder the admin opens. Its
 * `onView:` event alone never fires for an admin who reads the walkthrough next to our side bar, because VS Code sends
 * it only when the view becomes visible and the Directory is visible whenever our container is open
 * (gettingStartedService.ts listens to `onDidChangeViewVisibility`). A context key is also checked when the walkthrough
 * is registered, so it counts even if the Welcome page was not loaded yet.
 */
export function tickExploreOnFirstFolder(directoryView: vscode.TreeView<unknown>): vscode.Disposable {
    const listener = directoryView.onDidExpandElement(() => {
        void vscode.commands.executeCommand('setContext', ContextKeys.directoryExplored, true);
        listener.dispose();
    });
    return listener;
}
