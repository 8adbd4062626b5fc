import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { newAppCertificate } from '../../auth/appCertificate';
import { writePrivateKeyFile } from '../../auth/privateKeyFile';
import { addCertificate, addClientSecret, removeCertificate, removeClientSecret } from '../../graph/applications';
import { confirmChange, pickOne, revealPasswordOnce, withCancellableProgress } from '../../platform/actionUi';
import { audited } from '../../platform/audit';
import type { ActionContext } from '../../platform/runAction';
import { defaultValidDays } from '../../provisioning/steps/applicationWants';
import { UserCancelledError } from '../../shared/errors';
import { ApplicationNode, AppCredentialNode } from '../../tree/directory/ApplicationNode';
import { givenInput } from '../shared/givenInput';
import { activeSession, nodeArgument } from '../shared/nodeArgument';
import { refreshWholeDirectory } from '../shared/refreshDirectory';

type CredentialType = 'clientSecret' | 'certificate';

/** What a caller (a test, another extension) may give "Add Credential…" instead of being asked. */
const addShape = { type: 'string', description: 'string', privateKeyFile: 'string' } as const;
const lifetimes: Record<CredentialType, number[]> = { clientSecret: [30, 90, 180], certificate: [180, 365, 730] };

/** The app row a command was run on (or the selected one), or the app a credential row belongs to. */
function applicationArgument(context: ActionContext<'directoryView'>, arg: unknown): ApplicationNode {
    const node = nodeArgument(context, arg);
    if (node instanceof ApplicationNode) return node;
    if (node instanceof AppCredentialNode) return node.application;
    throw new Error('Select an application in the Directory view\'s Applications folder.');
}

/**
 * Adds a credential to roll to: a client secret with a short lifetime, shown once and kept nowhere; or a certificate
 * made here, whose private key goes (with the certificate, as the command-line tool's --certificate reads it) into a
 * file the admin picks, readable only by them, and is then forgotten. The old credential stays until removed, so the
 * integration can switch over first. Returns what was added, never the secret or the key.
 */
export async function addAppCredentialCommand(context: ActionContext<'sessions' | 'directoryView' | 'directoryTree' | 'audit'>, arg?: unknown, input?: unknown): Promise<{ type: CredentialType; keyId?: string; endDateTime: string } | undefined> {
    const title = 'Add Credential';
    const given = givenInput(input, addShape, title);
    const raw = input as { validDays?: unknown } | undefined;
    if (given.type !== undefined && given.type !== 'clientSecret' && given.type !== 'certificate') throw new Error(`${title}: "type" must be "clientSecret" or "certificate".`);
    if (raw?.validDays !== undefined && (typeof raw.validDays !== 'number' || !Number.isInteger(raw.validDays) || raw.validDays < 1 || raw.validDays > 730)) throw new Error(`${title}: "validDays" must be a whole number of days from 1 to 730.`);
    const session = activeSession(context);
    const node = applicationArgument(context, arg);
    const app = node.app;
    const name = app.displayName ?? app.appId ?? '';
    const type: CredentialType = given.type ?? (await pickOne([
        { label: '$(key) Client secret', detail: `Shown once; lasts ${defaultValidDays.clientSecret} days unless you choose otherwise. A secret is a password: prefer a certificate for anything unattended.`, value: 'clientSecret' as const },
        { label: '$(verified) Certificate', detail: 'Made here; its private key is written once to a file you choose and kept nowhere else.', value: 'certificate' as const },
    ], { title: `${title}: ${name}`, placeHolder: 'Which kind of credential?' })).value;
    const days = typeof raw?.validDays === 'number' ? raw.validDays : given.type ? defaultValidDays[type] : (await pickOne(lifetimes[type].map(d => ({ label: `${d} days`, description: d === defaultValidDays[type] ? 'recommended' : '', value: d })), { title: `${title}: ${name}`, placeHolder: 'How long should it last?' })).value;
    const end = new Date(Date.now() + days * 24 * 3600 * 1000);
    const description = given.description ?? `Added by M365 Provisioner ${new Date().toISOString().slice(0, 10)}`;

    if (type === 'clientSecret') {
        const added = await withCancellableProgress(`Adding a client secret to ${name}…`, signal =>
            audited(context.audit, session, 'addAppCredential', name, () => addClientSecret(session.graph, app.id ?? '', description, end, { signal }), r => ({ detail: `client secret ${r.keyId ?? ''}, ends ${String(r.endDateTime ?? '').slice(0, 10)}` })),
        );
        refreshWholeDirectory(context);
        await revealPasswordOnce(`${name} (client secret)`, added.secretText ?? '');
        return { type, ...(added.keyId ? { keyId: added.keyId } : {}), endDateTime: String(added.endDateTime ?? end.toISOString()) };
    }

    const file = given.privateKeyFile ?? (await vscode.window.showSaveDialog({
        title: `${title}: where to save ${name}'s private key (PEM, with its certificate)`,
        defaultUri: vscode.Uri.file(`${name.replace(/[^\w.-]+/g, '-')}.pem`),
        filters: { 'PEM (certificate and private key)': ['pem'] },
        saveLabel: 'Save Private Key',
    }))?.fsPath;
    if (!file) throw new UserCancelledError();
    const certificate = newAppCertificate(name, days);
    // The key is on disk before Entra trusts the certificate: a key with no certificate in Entra is harmless, a
    // certificate whose key was lost is not. Readable by the admin only; never kept by us.
    await writePrivateKeyFile(file, certificate.privateKeyPem, certificate.certificatePem);
    try {
        await withCancellableProgress(`Adding a certificate to ${name}…`, signal =>
            audited(context.audit, session, 'addAppCredential', name, () => addCertificate(session.graph, app.id ?? '', { derBase64: certificate.derBase64, displayName: `CN=${name}` }, { signal }), () => ({ detail: `certificate ${certificate.thumbprint}, ends ${certificate.notAfter.toISOString().slice(0, 10)}` })),
        );
    } catch (error) {
        // Entra did not take it: the key file would only confuse.
        await fs.rm(file, { force: true });
        throw error;
    }
    refreshWholeDirectory(context);
    void vscode.window.showInformationMessage(`Added a certificate to ${name} (thumbprint ${certificate.thumbprint}, valid until ${certificate.notAfter.toISOString().slice(0, 10)}). Its private key is in ${file}, and nowhere else: give it to the integration, then remove the old credential.`);
    return { type, endDateTime: certificate.notAfter.toISOString() };
}

/** Removes one secret or certificate, after a confirmation that names both and what stops working. */
export async function removeAppCredentialCommand(context: ActionContext<'sessions' | 'directoryView' | 'directoryTree' | 'audit'>, arg?: unknown, input?: unknown): Promise<'removed'> {
    const given = givenInput(input, { confirmed: 'boolean' }, 'Remove Credential');
    const session = activeSession(context);
    const node = nodeArgument(context, arg);
    if (!(node instanceof AppCredentialNode)) throw new Error('Select a credential under an application (Applications → the app → Credentials) to remove it.');
    const app = node.application.app;
    const name = app.displayName ?? app.appId ?? '';
    const c = node.credential;
    const what = c.kind === 'certificate' ? 'certificate' : 'client secret';
    if (!given.confirmed) {
        await confirmChange(`Remove the ${what} "${c.displayName}" from ${name}?`, `Whatever signs in as ${name} with this ${what} stops working at once. Make sure it already uses another credential (it ${node.expiry.text}).`, 'Remove Credential');
    }
    await withCancellableProgress(`Removing the ${what} from ${name}…`, signal =>
        audited(context.audit, session, 'removeAppCredential', name, () => (c.kind === 'certificate' ? removeCertificate(session.graph, app.id ?? '', c.keyId, { signal }) : removeClientSecret(session.graph, app.id ?? '', c.keyId, { signal })), () => ({ detail: `${what} ${c.keyId}` })),
    );
    refreshWholeDirectory(context);
    return 'removed';
}

/** Copies the application (client) id, what an integration's settings ask for. */
export async function copyAppIdCommand(context: ActionContext<'directoryView'>, arg?: unknown): Promise<void> {
    const app = applicationArgument(context, arg).app;
    await vscode.env.clipboard.writeText(app.appId ?? '');
    vscode.window.setStatusBarMessage(`Copied the application (client) id of ${app.displayName ?? ''}`, 3000);
}
