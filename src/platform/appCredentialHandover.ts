import * as vscode from 'vscode';
import { writePrivateKeyFile } from '../auth/privateKeyFile';

/**
 * How a new app credential reaches the admin in VS Code, once. A certificate's private key goes to a file the admin
 * picks (the save dialog, `<app>.key.pem` in the workspace folder by default), written with mode 0600 and followed by
 * the certificate, which is what an app-only client needs; never into SecretStorage, the log or a message. A client
 * secret is shown once in a modal with a copy button, like a generated password.
 */
export async function savePrivateKeyFile(application: string, privateKeyPem: string, certificatePem: string, thumbprint: string): Promise<string> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `${application.replace(/[^A-Za-z0-9._-]+/g, '-')}.key.pem`;
    const target = await vscode.window.showSaveDialog({
        title: `Save the private key of ${application}'s new certificate (${thumbprint}): it is written once and kept nowhere else`,
        saveLabel: 'Save Private Key',
        filters: { 'PEM private key and certificate': ['pem'] },
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
    });
    // Nothing has reached Entra yet: without a file, no certificate is added (a certificate whose key nobody has is useless).
    if (!target) throw new Error(`No file was chosen for the private key of ${application}'s certificate: no certificate was added. Apply again and choose where to save it.`);
    if (target.scheme !== 'file') throw new Error(`The private key can only be saved to a local file, not to ${target.scheme}: no certificate was added.`);
    await writePrivateKeyFile(target.fsPath, privateKeyPem, certificatePem);
    return target.fsPath;
}

/** The one-time reveal of a new client secret: a modal with a copy button; after it the extension no longer has it. */
export async function revealClientSecretOnce(application: string, secretText: string, endDateTime: string): Promise<void> {
    let choice: string | undefined;
    try {
        choice = await vscode.window.showInformationMessage(
            `Client secret for ${application}`,
            { modal: true, detail: `${secretText}\n\nValid until ${endDateTime.slice(0, 10)}. Copy it now into the integration's settings or your vault: Entra shows it only this once and M365 Provisioner keeps no copy.` },
            'Copy Secret',
        );
    } catch {
        // Where a modal cannot be shown, offer the copy without showing the secret, so it is not lost.
        void vscode.window.showInformationMessage(`The client secret for ${application} is ready. Copy it now: it is not stored anywhere.`, 'Copy Secret').then(async later => {
            if (later === 'Copy Secret') await copy(application, secretText);
        });
        return;
    }
    if (choice === 'Copy Secret') await copy(application, secretText);
}

async function copy(application: string, secretText: string): Promise<void> {
    await vscode.env.clipboard.writeText(secretText);
    vscode.window.setStatusBarMessage(`Client secret for ${application} copied to the clipboard`, 5000);
}
