import * as vscode from 'vscode';
import type { NewAppCertificate } from '../../auth/appCertificate';
import { writePrivateKeyFile } from '../../auth/privateKeyFile';
import { SettingsSection } from '../../constants';
import { confirmChange, withCancellableProgress } from '../../platform/actionUi';
import { audited } from '../../platform/audit';
import type { ActionContext } from '../../platform/runAction';
import { signInTargetFromSettings } from '../../platform/signInTarget';
import type { TenantSession } from '../../platform/tenantSession';
import {
    appOnlyExchangePermissions, appOnlyGraphPermissions, delegatedExchangePermissions, delegatedGraphPermissions, ownAppName, ownAppOnlyName, registerOwnApp,
    type OwnRegistrationKind, type OwnRegistrationResult,
} from '../../provisioning/ownRegistration';
import { UserCancelledError } from '../../shared/errors';
import { signIn } from '../accounts/signIn';
import { givenInput } from '../shared/givenInput';
import { activeSession } from '../shared/nodeArgument';
import { refreshWholeDirectory } from '../shared/refreshDirectory';

type Context = ActionContext<'sessions' | 'audit' | 'accounts' | 'directoryTree'>;

/** What the command hands back to a caller (a test): ids and what was done, never a key. */
export interface OwnRegistrationSummary { appId: string; id: string; done: string[]; consentGranted: boolean }

/** A delegated sign-in as an admin: an app-only session cannot act for a person who may consent. */
function adminSession(context: Context, title: string): TenantSession {
    const session = activeSession(context);
    if (session.account.kind === 'application') throw new Error(`${title} needs an administrator signed in as a person (an Application Administrator to register, a Global Administrator or Privileged Role Administrator to consent), not an app.`);
    return session;
}

/** Registers (or completes) the one kind, audited; the consent that could not be given is said, not failed. */
async function register(context: Context, session: TenantSession, kind: OwnRegistrationKind, keepPrivateKey?: (c: NewAppCertificate) => Promise<void>): Promise<OwnRegistrationResult> {
    const name = kind === 'delegated' ? ownAppName : ownAppOnlyName;
    const result = await withCancellableProgress(`Registering ${name}…`, signal =>
        audited(context.audit, session, kind === 'delegated' ? 'registerOwnApp' : 'registerOwnAppOnly', name, () => registerOwnApp(session.graph, kind, { signal, ...(keepPrivateKey ? { keepPrivateKey } : {}) }), r => ({
            result: r.done.length ? 'succeeded' : 'unchanged',
            detail: `app id ${r.appId}${r.done.length ? `: ${r.done.join('; ')}` : ': already complete'}${r.consent.granted ? '' : '; admin consent not granted (not allowed)'}`,
        })),
    );
    refreshWholeDirectory(context);
    if (!result.consent.granted) void vscode.window.showWarningMessage(result.consent.message);
    return result;
}

/**
 * "Register M365 Provisioner in This Tenant…": the extension's own single-tenant public client, with the delegated
 * permissions it uses, consented for everyone where the admin may, then (if the admin wants) the extension switched to
 * it (m365Provisioner.clientId in user settings) and a new sign-in. Run again, it completes what is missing. A caller
 * may pass `{ switchToIt: boolean }`: then nothing is asked, and with true the setting is changed but the sign-in is
 * left to the caller.
 */
export async function registerOwnAppCommand(context: Context, _arg?: unknown, input?: unknown): Promise<OwnRegistrationSummary> {
    const title = 'Register M365 Provisioner in This Tenant';
    const given = givenInput(input, { switchToIt: 'boolean' }, title);
    const session = adminSession(context, title);
    if (given.switchToIt === undefined) {
        await confirmChange(
            `Register ${ownAppName} in this tenant?`,
            `Creates (or completes) a single-tenant app registration "${ownAppName}" with public client flows and the redirect URI http://localhost, its service principal, and admin consent for everyone to the delegated permissions the extension uses:\n\nMicrosoft Graph: ${delegatedGraphPermissions.join(', ')}\nOffice 365 Exchange Online: ${delegatedExchangePermissions.join(', ')}\n\nDelegated permissions act only within what the signed-in person may do.`,
            'Register',
        );
    }
    const result = await register(context, session, 'delegated');
    const summary = { appId: result.appId, id: result.id, done: result.done, consentGranted: result.consent.granted };
    const current = vscode.workspace.getConfiguration(SettingsSection).get<string>('clientId', '');
    if (current.toLowerCase() === result.appId.toLowerCase() || given.switchToIt === false) return summary;
    const switchIt = given.switchToIt ?? (await vscode.window.showInformationMessage(
        `${ownAppName} is registered in this tenant (application id ${result.appId})${result.done.length ? '' : ', as it already was'}. Sign in with it from now on?`,
        { modal: true, detail: 'Sets m365Provisioner.clientId in your user settings and signs you in again. Other tenants need their own registration, or the default client id back.' },
        'Switch and Sign In Again',
    )) === 'Switch and Sign In Again';
    if (!switchIt) return summary;
    await vscode.workspace.getConfiguration(SettingsSection).update('clientId', result.appId, vscode.ConfigurationTarget.Global);
    if (given.switchToIt === undefined) await signIn(context);
    return summary;
}

/**
 * "Register M365 Provisioner for App-Only Use…": a confidential registration with a certificate made here (its
 * private key, with the certificate, written once to a file the admin picks), the application permissions of the
 * command-line tool's jobs granted by app role assignments, then how to use it with the CLI, and (if the admin wants)
 * an app-only sign-in here, whose credential VS Code's SecretStorage keeps. A caller may pass
 * `{ privateKeyFile: string, signInHere: boolean }`.
 */
export async function registerOwnAppOnlyCommand(context: Context, _arg?: unknown, input?: unknown): Promise<OwnRegistrationSummary> {
    const title = 'Register M365 Provisioner for App-Only Use';
    const given = givenInput(input, { privateKeyFile: 'string', signInHere: 'boolean' }, title);
    const session = adminSession(context, title);
    if (given.privateKeyFile === undefined) {
        await confirmChange(
            `Register ${ownAppOnlyName} in this tenant?`,
            `Creates (or completes) a single-tenant app registration "${ownAppOnlyName}" with a certificate made on this computer, its service principal, and admin consent to these application permissions, which act on the whole tenant without a person:\n\nMicrosoft Graph: ${appOnlyGraphPermissions.join(', ')}\nOffice 365 Exchange Online: ${appOnlyExchangePermissions.join(', ')}\n\nYou choose where the private key is saved; M365 Provisioner keeps no copy.`,
            'Register',
        );
    }
    let keyFile: string | undefined;
    let certificate: NewAppCertificate | undefined;
    const keepPrivateKey = async (made: NewAppCertificate) => {
        keyFile = given.privateKeyFile ?? (await vscode.window.showSaveDialog({
            title: `${title}: where to save the private key (PEM, with its certificate)`,
            defaultUri: vscode.Uri.file('m365-provisioner-app-only.pem'),
            filters: { 'PEM (certificate and private key)': ['pem'] },
            saveLabel: 'Save Private Key',
        }))?.fsPath;
        if (!keyFile) throw new UserCancelledError();
        await writePrivateKeyFile(keyFile, made.privateKeyPem, made.certificatePem);
        certificate = made;
    };
    const result = await register(context, session, 'appOnly', keepPrivateKey);
    const tenantId = session.account.tenantId;
    const cli = `m365-provisioner verify <recipe>.m365recipe.json --tenant ${tenantId} --client-id ${result.appId} --certificate ${keyFile ?? '<the PEM file you saved>'}`;
    const usage = `${ownAppOnlyName} (application id ${result.appId}) is ready for the command line:\n\n${cli}\n\nFor Exchange work, give its service principal an Exchange role too (e.g. Exchange Administrator, or RBAC for Applications scoped to the mailboxes it needs).${certificate ? '' : '\n\nIt already had a valid certificate, so no new one was made; use the PEM file saved when it was.'}`;
    const made = certificate;
    const signInHere = made
        ? given.signInHere ?? (given.privateKeyFile === undefined && (await vscode.window.showInformationMessage(`${ownAppOnlyName} is registered.`, { modal: true, detail: `${usage}\n\nSign in as this app here as well? VS Code's secret storage then keeps the certificate and key for the app-only sign-in.` }, 'Sign In as This App')) === 'Sign In as This App')
        : false;
    if (!made && given.privateKeyFile === undefined) void vscode.window.showInformationMessage(usage, { modal: true });
    if (signInHere && made) {
        await context.accounts.signInApp({ ...signInTargetFromSettings(), tenant: tenantId, clientId: result.appId }, { kind: 'certificate', certificatePem: made.certificatePem, privateKeyPem: made.privateKeyPem });
    }
    return { appId: result.appId, id: result.id, done: result.done, consentGranted: result.consent.granted };
}
