/** What VS Code gives a webview page: messages to the host, and state kept while the panel is hidden. */
export interface VsCodeApi<S> {
    postMessage(message: unknown): void;
    getState(): S | undefined;
    setState(state: S): void;
}

declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

let api: VsCodeApi<unknown> | undefined;

/** VS Code allows one call to acquireVsCodeApi per page; every module gets the same object. */
export function vscodeApi<S>(): VsCodeApi<S> {
    api ??= acquireVsCodeApi<unknown>();
    return api as VsCodeApi<S>;
}
