import * as vscode from 'vscode';
import type { SignedInAccount, SignInInteraction } from '../auth/Accounts';
import type { DeviceCodePrompt } from '../auth/DelegatedSignIn';
import type { SignInProblem } from '../auth/signInErrors';
import type { ApiResource } from '../auth/TokenProvider';

/** Remote hosts whose browser runs on another machine than the extension host, so a loopback redirect cannot arrive. */
const remoteHosts = new Set(['ssh-remote', 'dev-container', 'attached-container', 'codespaces', 'tunnel', 'k8s-container']);

/**
 * Whether delegated sign-in should use the device code flow: the browser flow's loopback redirect must reach the
 * extension host's machine, which a browser elsewhere (SSH, containers, Codespaces, VS Code in a browser) cannot.
 * The `m365Provisioner.signInMethod` setting overrides the automatic choice.
 */
export function prefersDeviceCode(): boolean {
    const setting = vscode.workspace.getConfiguration('m365Provisioner').get<string>('signInMethod', 'auto');
    if (setting !== 'auto') return setting === 'deviceCode';
    return (vscode.env.remoteName !== undefined && remoteHosts.has(vscode.env.remoteName)) || vscode.env.uiKind === vscode.UIKind.Web;
}

/**
 * The VS Code half of signing in: open the browser, show the device code, ask before asking for more permissions.
 * With a progress reporter the device code appears in the sign-in's progress notification, which closes when sign-in
 * ends, instead of in a toast that would outlive it.
 */
export function vscodeSignInInteraction(progress?: vscode.Progress<{ message?: string }>): SignInInteraction {
    // While a sign-in runs inside whileSigningIn, the device code goes into that progress notification.
    let current = progress;
    return {
        async whileSigningIn<T>(work: () => Promise<T>): Promise<T> {
            if (current) return work();
            return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'M365: signing in again' }, async p => {
                current = p;
                try {
                    return await work();
                } finally {
                    current = undefined;
                }
            });
        },
        async openBrowser(url: string): Promise<void> {
            const opened = await vscode.env.openExternal(vscode.Uri.parse(url, true));
            if (!opened) throw new Error('VS Code could not open the browser for sign-in. Use "Sign in with a device code" instead.');
        },
        showDeviceCode(prompt: DeviceCodePrompt): void {
            const text = `open ${prompt.verificationUri} and enter the code ${prompt.userCode} (copied to the clipboard).`;
            void vscode.env.clipboard.writeText(prompt.userCode);
            if (current) {
                current.report({ message: `To sign in, ${text}` });
                return;
            }
            void vscode.window.showInformationMessage(`To sign in, ${text}`, 'Open Sign-in Page').then(choice => {
                if (choice) void vscode.env.openExternal(vscode.Uri.parse(prompt.verificationUri, true));
            });
        },
        async confirmSignInAgain(account: SignedInAccount, why: SignInProblem, resource: ApiResource, scopes: readonly string[]): Promise<boolean> {
            const api = resource === 'graph' ? 'Microsoft Graph' : 'Exchange Online';
            if (why === 'secondClientSignIn') {
                // msal keeps tokens per app, so the second app needs its own sign-in once; the browser usually completes
                // it without a password because the account is already signed in there (we pass the login hint).
                const choice = await vscode.window.showWarningMessage(`${api} needs a one-time sign-in of ${account.username} with Microsoft's Exchange Online PowerShell app.`, {
                    modal: true,
                    detail: 'Microsoft Graph Command Line Tools, which signed you in, may get Microsoft Graph tokens only, so Exchange Online uses the app Connect-ExchangeOnline uses. Your browser usually completes this without asking for your password again. To use one app for both, set m365Provisioner.clientId to your own app registration.',
                }, 'Sign In');
                return choice === 'Sign In';
            }
            const message =
                why === 'consentRequired'
                    ? `This action needs ${api} permission ${scopes.join(', ')}, which ${account.username} has not granted to the app yet.`
                    : why === 'sessionRevoked'
                      ? `The sign-in of ${account.username} has expired or was revoked.`
                      : `Your organisation needs ${account.username} to sign in again (multi-factor authentication or Conditional Access).`;
            const detail = why === 'consentRequired' ? 'Sign in again to grant it. An administrator may need to consent for the organisation.' : 'Sign in again to continue.';
            const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, 'Sign In Again');
            return choice === 'Sign In Again';
        },
        preferDeviceCode: prefersDeviceCode,
    };
}
