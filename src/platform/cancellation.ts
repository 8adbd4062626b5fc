import type * as vscode from 'vscode';

/** The services take an AbortSignal; VS Code hands out CancellationTokens. */
export function abortSignalFor(token: vscode.CancellationToken): AbortSignal {
    const controller = new AbortController();
    if (token.isCancellationRequested) controller.abort();
    else token.onCancellationRequested(() => controller.abort());
    return controller.signal;
}
