import * as vscode from 'vscode';
import { UserCancelledError } from '../shared/errors';

/** One object a bulk change would touch, as the preview lists it. */
export interface BulkRow {
    label: string;
    description?: string;
}

export interface BulkQuestion {
    /** The modal's question, with the count: "Give X Editor on 56 mailboxes in Staff?". */
    question: string;
    /** Under it: the first few by name, what is left out and why, what happens to each. */
    detail: string;
    /** The button that makes the change, e.g. "Grant Access". */
    button: string;
    /** The button that lists every object first, e.g. "Show Mailboxes". */
    previewButton: string;
    /** Every object the change would touch, in the preview. */
    rows: readonly BulkRow[];
}

/**
 * The question before a change to many objects at once: a modal with the count and the first names, and a preview of
 * all of them (a quick pick whose first row makes the change and whose other rows are the objects) for an admin who
 * wants to see every one first. Anything but the change's button or row cancels, and nothing is changed.
 */
export async function confirmBulk(q: BulkQuestion): Promise<void> {
    for (;;) {
        const choice = await vscode.window.showWarningMessage(q.question, { modal: true, detail: q.detail }, q.button, q.previewButton);
        if (choice === q.button) return;
        if (choice !== q.previewButton) throw new UserCancelledError();
        const answer = await preview(q);
        if (answer === 'confirm') return;
        if (answer === 'cancel') throw new UserCancelledError();
    }
}

type PreviewRow = vscode.QuickPickItem & { action?: 'confirm' | 'back' };

/** Every object, with the change's own row first and a way back to the question. */
function preview(q: BulkQuestion): Promise<'confirm' | 'back' | 'cancel'> {
    return new Promise(resolve => {
        const pick = vscode.window.createQuickPick<PreviewRow>();
        pick.title = q.question;
        pick.placeholder = `${q.rows.length} in all: type to find one; choose "${q.button}" to go ahead, Escape to cancel`;
        pick.ignoreFocusOut = true;
        pick.matchOnDescription = true;
        pick.items = [
            { label: `$(check) ${q.button}`, description: `all ${q.rows.length}`, alwaysShow: true, action: 'confirm' },
            { label: '$(arrow-left) Back to the question', alwaysShow: true, action: 'back' },
            { label: `${q.rows.length} in all`, kind: vscode.QuickPickItemKind.Separator },
            ...q.rows.map(r => ({ label: r.label, ...(r.description ? { description: r.description } : {}) })),
        ];
        let answered: 'confirm' | 'back' | undefined;
        pick.onDidAccept(() => {
            const action = pick.selectedItems[0]?.action;
            if (!action) return;
            answered = action;
            pick.hide();
        });
        pick.onDidHide(() => {
            pick.dispose();
            resolve(answered ?? 'cancel');
        });
        pick.show();
    });
}

/** "Anna Smith, Bo Li, Chen Wu and 53 more": the first few names of a list, for a question's detail. */
export function firstNames(names: readonly string[], shown = 5): string {
    if (names.length <= shown) return names.join(', ');
    return `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`;
}
