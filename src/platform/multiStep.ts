import * as vscode from 'vscode';
import { UserCancelledError } from '../shared/errors';
import type { StepPosition } from './inputSteps';

import type { EmptyListRow } from './inputSteps';

export { InputSteps, type EmptyListRow, type StepPosition } from './inputSteps';

/** A row that explains an empty list; its `value` is this marker, never handed to the command. */
export const emptyMarker: unique symbol = Symbol('empty list');
export type ExplainedItem<T> = (vscode.QuickPickItem & { value: T }) | (vscode.QuickPickItem & { value: typeof emptyMarker });

/** The explaining row of an empty list. */
export function emptyRow(row: EmptyListRow): vscode.QuickPickItem & { value: typeof emptyMarker } {
    return { label: `$(info) ${row.why}`, detail: row.whatToDo, alwaysShow: true, value: emptyMarker };
}

export interface StepPickOptions {
    title: string;
    placeHolder?: string;
    position?: StepPosition;
    /** What an empty list says (the list came back with no rows at all). */
    empty?: EmptyListRow;
}

function placeAt(input: vscode.QuickInput, title: string, position: StepPosition | undefined): void {
    input.title = title;
    input.ignoreFocusOut = true;
    if (position) {
        input.step = position.step;
        input.totalSteps = position.totalSteps;
    }
}

/**
 * One question of several, as a quick pick that shows its place in the title ("Title (2/4)") and, when its list is
 * empty, a row saying why and what to do. Escape cancels the whole command. Items can be a promise (busy meanwhile).
 */
export function pickStep<T extends vscode.QuickPickItem & { value: unknown }>(items: T[] | Promise<T[]>, options: StepPickOptions): Promise<T> {
    return showPick(items, options, false).then(chosen => chosen[0]);
}

/** The several-answers form of `pickStep` (items marked `picked` start ticked); nothing ticked cancels. */
export function pickManyStep<T extends vscode.QuickPickItem & { value: unknown }>(items: T[] | Promise<T[]>, options: StepPickOptions): Promise<T[]> {
    return showPick(items, options, true);
}

function showPick<T extends vscode.QuickPickItem & { value: unknown }>(items: T[] | Promise<T[]>, options: StepPickOptions, many: boolean): Promise<T[]> {
    return new Promise<T[]>((resolve, reject) => {
        const pick = vscode.window.createQuickPick<T | ExplainedItem<never>>();
        placeAt(pick, options.title, options.position);
        pick.placeholder = options.placeHolder;
        pick.matchOnDescription = true;
        pick.matchOnDetail = true;
        pick.canSelectMany = many;
        pick.busy = true;
        let settled = false;
        const finish = (chosen: T[] | undefined) => {
            settled = true;
            if (chosen?.length) resolve(chosen);
            else reject(new UserCancelledError());
            pick.hide();
        };
        Promise.resolve(items).then(
            list => {
                pick.busy = false;
                if (!list.length && options.empty) {
                    pick.items = [emptyRow(options.empty)];
                    return;
                }
                pick.items = list;
                if (many) pick.selectedItems = list.filter(i => i.picked);
            },
            (error: unknown) => {
                settled = true;
                reject(error instanceof Error ? error : new Error(String(error)));
                pick.hide();
            },
        );
        pick.onDidAccept(() => {
            const chosen = (many ? pick.selectedItems : pick.activeItems.slice(0, 1)).filter((i): i is T => i.value !== emptyMarker);
            finish(chosen);
        });
        pick.onDidHide(() => {
            pick.dispose();
            if (!settled) reject(new UserCancelledError());
        });
        pick.show();
    });
}

type Validation = string | vscode.InputBoxValidationMessage | undefined | null;

/**
 * One question of several, as an input box that shows its place in the title, checks the value as it is typed
 * (`validateInput` may answer later, e.g. after asking the tenant) and takes it only when the check passes.
 * Returns the trimmed value; Escape cancels the whole command.
 */
export function askStep(options: vscode.InputBoxOptions & { title: string; position?: StepPosition }): Promise<string> {
    return new Promise<string>((resolve, reject) => {
        const box = vscode.window.createInputBox();
        placeAt(box, options.title, options.position);
        box.prompt = options.prompt;
        box.placeholder = options.placeHolder;
        box.value = options.value ?? '';
        box.password = options.password ?? false;
        let settled = false;
        let checking = 0;
        const check = async (value: string): Promise<Validation> => {
            const mine = ++checking;
            box.busy = true;
            try {
                const message = await options.validateInput?.(value);
                if (mine === checking) box.validationMessage = message ?? undefined;
                return message;
            } finally {
                if (mine === checking) box.busy = false;
            }
        };
        box.onDidChangeValue(value => void check(value));
        box.onDidAccept(async () => {
            const value = box.value;
            const message = await check(value);
            if (message || value !== box.value) return;
            settled = true;
            resolve(value.trim());
            box.hide();
        });
        box.onDidHide(() => {
            box.dispose();
            if (!settled) reject(new UserCancelledError());
        });
        box.show();
        if (box.value) void check(box.value);
    });
}
