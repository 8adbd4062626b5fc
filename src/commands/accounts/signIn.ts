import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import type { AppCredential } from '../../auth/AppOnlySignIn';
import type { SignedInAccount, SignInTarget } from '../../auth/Accounts';
import { signInIntents, type SignInIntentId } from '../../auth/signInIntents';
import { UserCancelledError } from '../../shared/errors';
import { abortSignalFor } from '../../platform/cancellation';
import type { ActionContext } from '../../platform/runAction';
import { prefersDeviceCode, vscodeSignInInteraction } from '../../platform/signInInteraction';
import { signInTargetFromSettings } from '../../platform/signInTarget';

type Method = 'browser' | 'deviceCode' | 'appSecret' | 'appCertificate';

/**
 * Sign in: as a user (browser or device code) for what they will do in the tenant (one consent for it), or as an app
 * (client secret or certificate).
 */
export async function signIn(context: ActionContext<'accounts' | 'sessions'>): Promise<SignedInAccount> {
    const target = signInTargetFromSettings();
    const method = await pickMethod();
    const accounts = context.accounts;
    let account: SignedInAccount;
    if (method === 'browser' || method === 'deviceCode') {
        const intent = await pickIntent();
        account = await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: method === 'browser' ? 'Signing in with your browser' : 'Signing in with a device code', cancellable: true },
            (progress, token) => accounts.signInDelegated(target, method, vscodeSignInInteraction(progress), { intent, signal: abortSignalFor(token) }),
        );
    } else {
        const appTarget = await askAppTarget(target);
        const credential = method === 'appSecret' ? await askSecret(appTarget.clientId) : await askCertificate();
        account = await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: `Checking the app's ${credential.kind}…` },
            () => accounts.signInApp(appTarget, credential),
        );
    }
    // The tenant by name, read silently (Organization.Read.All is in every intent); its id when it cannot be read.
    const tenant = await context.sessions.forAccount(account).tenantName();
    void vscode.window.showInformationMessage(`Signed in as ${account.kind === 'application' ? `app ${account.clientId}` : account.username} to ${tenant}.`);
    return account;
}

/** What the admin will do in this tenant: each choice is one sign-in that asks for all it needs (signInIntents.ts). */
async function pickIntent(): Promise<SignInIntentId> {
    const items = signInIntents.map(intent => ({ intent: intent.id, label: intent.label, description: intent.summary, detail: intent.asks }));
    const choice = await vscode.window.showQuickPick(items, {
        title: 'Sign in to Microsoft 365: what will you do in this tenant?',
        placeHolder: 'One sign-in asks for the permissions of your choice; anything more is asked for when first needed.',
        ignoreFocusOut: true,
        matchOnDetail: true,
    });
    if (!choice) throw new UserCancelledError();
    return choice.intent;
}

async function pickMethod(): Promise<Method> {
    const delegated: (vscode.QuickPickItem & { method: Method })[] = [
        { method: 'browser', label: '$(globe) Sign in with your browser', detail: 'Opens the sign-in page; the answer comes back to VS Code on a local port.' },
        { method: 'deviceCode', label: '$(device-mobile) Sign in with a device code', detail: 'Enter a code on any device; works over SSH, in containers and in Codespaces.' },
    ];
    if (prefersDeviceCode()) delegated.reverse();
    const items: (vscode.QuickPickItem & { method?: Method })[] = [
        ...delegated,
        { label: 'Automation', kind: vscode.QuickPickItemKind.Separator },
        { method: 'appSecret', label: '$(key) Sign in as an app with a client secret', detail: 'App-only: the app registration\'s own application permissions.' },
        { method: 'appCertificate', label: '$(verified) Sign in as an app with a certificate', detail: 'App-only, with a certificate and private key (PEM files).' },
    ];
    const choice = await vscode.window.showQuickPick(items, { title: 'Sign in to Microsoft 365', placeHolder: 'How do you want to sign in?', ignoreFocusOut: true });
    if (!choice?.method) throw new UserCancelledError();
    return choice.method;
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function askAppTarget(target: SignInTarget): Promise<SignInTarget> {
    const tenant = await vscode.window.showInputBox({
        title: 'App-only sign-in (1/3): tenant',
        prompt: 'The tenant id or a verified domain such as contoso.onmicrosoft.com (app-only sign-in needs a specific tenant).',
        value: target.tenant === 'organizations' || target.tenant === 'common' ? '' : target.tenant,
        ignoreFocusOut: true,
        validateInput: v => (!v.trim() || v.trim() === 'organizations' || v.trim() === 'common' ? 'Enter a tenant id or domain: "organizations" and "common" do not work for app-only sign-in.' : undefined),
    });
    if (tenant === undefined) throw new UserCancelledError();
    const clientId = await vscode.window.showInputBox({
        title: 'App-only sign-in (2/3): application (client) id',
        prompt: 'The app registration\'s application (client) id, a GUID.',
        ignoreFocusOut: true,
        validateInput: v => (guid.test(v.trim()) ? undefined : 'An application (client) id is a GUID such as 00000000-0000-0000-0000-000000000000.'),
    });
    if (clientId === undefined) throw new UserCancelledError();
    return { ...target, tenant: tenant.trim(), clientId: clientId.trim() };
}

async function askSecret(clientId: string): Promise<AppCredential> {
    const secret = await vscode.window.showInputBox({
        title: 'App-only sign-in (3/3): client secret',
        prompt: `The client secret of app ${clientId}. It is kept in VS Code's secret storage, never in settings or files.`,
        password: true,
        ignoreFocusOut: true,
        validateInput: v => (v.trim().length < 8 ? 'That is too short to be a client secret.' : undefined),
    });
    if (secret === undefined) throw new UserCancelledError();
    return { kind: 'secret', secret: secret.trim() };
}

async function askCertificate(): Promise<AppCredential> {
    const pick = async (title: string) => {
        const files = await vscode.window.showOpenDialog({ title, canSelectMany: false, filters: { 'PEM files': ['pem', 'crt', 'cer', 'key'] } });
        if (!files?.[0]) throw new UserCancelledError();
        return fs.readFile(files[0].fsPath, 'utf8');
    };
    const certificatePem = await pick('App-only sign-in (3/3): the certificate (PEM)');
    const privateKeyPem = await pick('App-only sign-in (3/3): its private key (PEM)');
    if (!certificatePem.includes('BEGIN CERTIFICATE')) throw new Error('The certificate file is not a PEM certificate (no "BEGIN CERTIFICATE" line).');
    if (!/BEGIN (RSA |EC )?PRIVATE KEY/.test(privateKeyPem)) throw new Error('The key file is not an unencrypted PEM private key (no "BEGIN PRIVATE KEY" line).');
    return { kind: 'certificate', certificatePem, privateKeyPem };
}
