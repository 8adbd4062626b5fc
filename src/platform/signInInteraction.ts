import * as vscode from 'vscode';
import type { SignedInAccount, SignInAgainAnswer, SignInInteraction, SignInStep } from '../auth/Accounts';
import type { DeviceCodePrompt } from '../auth/DelegatedSignIn';
import type { SignInProblem } from '../auth/signInErrors';
import { consentPrompt } from '../auth/consentPrompt';
import type { ApiResource } from '../auth/TokenProvider';
import { abortSignalFor } from './cancellation';

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

/** The device-code modal's button: copies the code and opens the verification page, as VS Code's own sign-ins do. */
export const copyAndOpen = 'Copy & Open';

/**
 * The VS Code half of signing in: open the browser, show the device code, ask before asking for more permissions.
 * With a progress reporter the device code appears in the sign-in's progress notification, which closes when sign-in
 * ends, instead of in a toast that would outlive it.
 */
export function vscodeSignInInteraction(progress?: vscode.Progress<{ message?: string }>): SignInInteraction {
    // While a sign-in runs inside whileSigningIn, the device code goes into that progress notification.
    let current = progress;
    let step: SignInStep | undefined;
    const stepText = () => (step ? `Step ${step.step} of ${step.of}: ` : '');
    return {
        async whileSigningIn<T>(work: (signal?: AbortSignal) => Promise<T>): Promise<T> {
            if (current) return work();
            return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'M365: signing in', cancellable: true }, async (p, token) => {
                current = p;
                try {
                    return await work(abortSignalFor(token));
                } finally {
                    current = undefined;
                }
            });
        },
        signInStep(next: SignInStep): void {
            step = next;
            current?.report({ message: `${stepText()}${next.why}` });
        },
        async openBrowser(url: string): Promise<void> {
            const opened = await vscode.env.openExternal(vscode.Uri.parse(url, true));
            if (!opened) throw new Error('VS Code could not open the browser for sign-in. Use "Sign in with a device code" instead.');
        },
        showDeviceCode(prompt: DeviceCodePrompt): Promise<boolean> {
            return askToEnterDeviceCode(prompt, step, current);
        },
        confirmSignInAgain,
        preferDeviceCode: prefersDeviceCode,
    };
}

/**
 * The device code as VS Code's own GitHub and Microsoft sign-ins show it: a modal with the code and "Copy & Open"
 * (copies the code, opens the verification page with openExternal), then the cancellable progress notification
 * waits and repeats the code. False when the admin cancels the modal: the sign-in then stops.
 */
async function askToEnterDeviceCode(prompt: DeviceCodePrompt, step: SignInStep | undefined, progress: vscode.Progress<{ message?: string }> | undefined): Promise<boolean> {
    const where = vscode.Uri.parse(prompt.verificationUri, true);
    const waiting = `Waiting for you to enter the code ${prompt.userCode} at ${prompt.verificationUri}…`;
    // On the clipboard from the start, for an admin who opens the page by hand.
    void vscode.env.clipboard.writeText(prompt.userCode);
    progress?.report({ message: `${step ? `Step ${step.step} of ${step.of}: ` : ''}${waiting}` });
    const detail = [
        step ? `Step ${step.step} of ${step.of}. ${step.why}` : undefined,
        `To sign in, open ${prompt.verificationUri}, paste this one-time code and sign in as an administrator of the tenant. "${copyAndOpen}" copies the code and opens the page.`,
    ].filter(Boolean).join('\n\n');
    const choice = await vscode.window.showInformationMessage(`Your sign-in code: ${prompt.userCode}`, { modal: true, detail }, copyAndOpen);
    if (choice !== copyAndOpen) return false;
    await vscode.env.clipboard.writeText(prompt.userCode);
    const opened = await vscode.env.openExternal(where);
    if (!progress) {
        // No progress to wait in (not expected: every sign-in runs in one); a toast keeps the code in view.
        void vscode.window.showInformationMessage(`To sign in, ${opened ? '' : `open ${prompt.verificationUri} and `}enter the code ${prompt.userCode} (copied to the clipboard).`);
    }
    return true;
}

/** "Sign in again?", naming in plain words what each missing permission lets us do, and offering the wider intent. */
async function confirmSignInAgain(account: SignedInAccount, why: SignInProblem, resource: ApiResource, scopes: readonly string[]): Promise<SignInAgainAnswer> {
    const api = resource === 'graph' ? 'Microsoft Graph' : 'Exchange Online';
    if (why === 'secondClientSignIn') {
        // msal keeps tokens per app, so the second app needs its own sign-in once; the browser usually completes
        // it without a password because the account is already signed in there (we pass the login hint).
        const choice = await vscode.window.showWarningMessage(`${api} needs a one-time sign-in of ${account.username} with Microsoft's Exchange Online PowerShell app.`, {
            modal: true,
            detail: 'Microsoft Graph Command Line Tools, which signed you in, may get Microsoft Graph tokens only, so Exchange Online uses the app Connect-ExchangeOnline uses. Your browser usually completes this without asking for your password again. Sign in with "Browse, including Exchange" or "Provision" to have it done at sign-in; to use one app for both, set m365Provisioner.clientId to your own app registration.',
        }, 'Sign In');
        return choice === 'Sign In';
    }
    if (why === 'consentRequired') {
        const prompt = consentPrompt(account, resource, scopes);
        const choice = await vscode.window.showWarningMessage(prompt.message, { modal: true, detail: prompt.detail }, 'Sign In Again', ...(prompt.widenButton ? [prompt.widenButton] : []));
        return prompt.widenButton && choice === prompt.widenButton ? 'widen' : choice === 'Sign In Again';
    }
    const message = why === 'sessionRevoked'
        ? `The sign-in of ${account.username} has expired or was revoked.`
        : `Your organisation needs ${account.username} to sign in again (multi-factor authentication or Conditional Access).`;
    const choice = await vscode.window.showWarningMessage(message, { modal: true, detail: 'Sign in again to continue.' }, 'Sign In Again');
    return choice === 'Sign In Again';
}
