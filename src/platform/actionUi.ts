import * as vscode from 'vscode';
import { UserCancelledError } from '../shared/errors';

/**
 * Runs long work in a cancellable notification; Cancel aborts the AbortSignal the VS Code-free layers take, so it
 * stops within one request. `report` replaces the message (what is happening now, with counts).
 */
export function withCancellableProgress<T>(title: string, work: (signal: AbortSignal, report: (message: string, increment?: number) => void) => Promise<T>): Promise<T> {
    return Promise.resolve(
        vscode.window.withProgress<T>({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
            const abort = new AbortController();
            const subscription = token.onCancellationRequested(() => abort.abort());
            return work(abort.signal, (message, increment) => progress.report({ message, ...(increment !== undefined ? { increment } : {}) })).finally(() => { subscription.dispose(); });
        }),
    );
}

/** The tenant the commands change (the active account's), by name; set once by the composition root. */
let targetTenant: () => Promise<string | undefined> = () => Promise.resolve(undefined);

/**
 * Says how confirmations name the tenant a change goes to. Every command changes the active account's tenant (the
 * Directory view shows only that one), so one answer serves every confirmation.
 */
export function nameTenantInConfirmations(name: () => Promise<string | undefined>): vscode.Disposable {
    targetTenant = name;
    return new vscode.Disposable(() => { if (targetTenant === name) targetTenant = () => Promise.resolve(undefined); });
}

/** A question about a change, opening with the tenant it goes to: "In Contoso (contoso.com): …". */
export async function inTargetTenant(message: string): Promise<string> {
    const tenant = await targetTenant().catch(() => undefined);
    return tenant ? `In ${tenant}: ${message}` : message;
}

/**
 * A modal question before a change; anything but the button cancels. Its first words name the tenant the change goes
 * to, "In Contoso (contoso.com): Remove …?", so with several tenants signed in a change in the wrong one is seen before
 * it is made (callers phrase the question without the tenant).
 */
export async function confirmChange(message: string, detail: string, button: string): Promise<void> {
    const choice = await vscode.window.showWarningMessage(await inTargetTenant(message), { modal: true, detail }, button);
    if (choice !== button) throw new UserCancelledError();
}

/** What the typed-name box says can be undone, per kind of thing deleted. */
export const restoreNotes = {
    account: 'Entra keeps a deleted account 30 days in Deleted users, where it can be restored.',
    group: 'Exchange does not keep a removed group: it cannot be restored.',
};

/**
 * The stronger confirmation a deletion asks for, as the admin centres and GitHub do: the admin types the name of what
 * goes (each account to delete, in turn). Anything else, or Escape, cancels and nothing changes. A caller that passes
 * the command an input object (a test, another extension) gives the names it confirms as `typedToDelete` instead;
 * one missing refuses the command before anything changes.
 */
export async function confirmByTyping(names: string[], typedToDelete: string[] | undefined, what: (name: string) => string, undo: (name: string) => string): Promise<void> {
    if (typedToDelete) {
        const typed = new Set(typedToDelete.map(t => t.trim().toLowerCase()));
        const missing = names.filter(n => !typed.has(n.toLowerCase()));
        if (missing.length) throw new Error(`Nothing was changed: this deletes ${missing.join(', ')}; give each name in typedToDelete to confirm.`);
        return;
    }
    for (const name of names) {
        const typed = await vscode.window.showInputBox({
            title: what(name),
            prompt: `Type ${name} to confirm. ${undo(name)}`,
            placeHolder: name,
            ignoreFocusOut: true,
            validateInput: value => (value.trim().toLowerCase() === name.toLowerCase() || !value ? undefined : `Type exactly ${name}.`),
        });
        if (typed?.trim().toLowerCase() !== name.toLowerCase()) throw new UserCancelledError();
    }
}

/**
 * The one-time reveal of a generated password: in a modal (not a toast that lingers, not the log), with a button that
 * copies it. After this the extension no longer has it.
 */
export async function revealPasswordOnce(account: string, password: string): Promise<void> {
    let choice: string | undefined;
    try {
        choice = await vscode.window.showInformationMessage(
            `Password for ${account}`,
            { modal: true, detail: `${password}\n\nCopy it now into your password manager or the integration's settings: it is shown only this once and is not stored anywhere.` },
            'Copy Password',
        );
    } catch {
        // Where a modal cannot be shown, offer the copy without showing the password, so it is not lost. Not awaited:
        // a notification can wait for a click indefinitely, and the action itself is done.
        void vscode.window.showInformationMessage(`The password for ${account} is ready. Copy it now: it is not stored anywhere.`, 'Copy Password').then(async later => {
            if (later === 'Copy Password') await copyPassword(account, password);
        });
        return;
    }
    if (choice === 'Copy Password') await copyPassword(account, password);
}

async function copyPassword(account: string, password: string): Promise<void> {
    await vscode.env.clipboard.writeText(password);
    vscode.window.setStatusBarMessage(`Password for ${account} copied to the clipboard`, 5000);
}

/** Asks for text, with validation while typing; Escape cancels the whole action. */
export async function askText(options: vscode.InputBoxOptions): Promise<string> {
    const value = await vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
    if (value === undefined) throw new UserCancelledError();
    return value.trim();
}

export async function pickOne<T extends vscode.QuickPickItem>(items: T[] | Promise<T[]>, options: vscode.QuickPickOptions): Promise<T> {
    const choice = await vscode.window.showQuickPick(items, { ignoreFocusOut: true, matchOnDescription: true, matchOnDetail: true, ...options });
    if (!choice) throw new UserCancelledError();
    return choice;
}
