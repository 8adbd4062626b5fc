import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { dispatchRequest, parseToHost, type EventMap, type ParamValidators, type RequestMap, type ToWebview } from './rpc';

export type RequestHandlers<R extends RequestMap> = { [M in keyof R]: (params: R[M]['params'], signal: AbortSignal) => Promise<R[M]['result']> };

export interface WebviewHostOptions<R extends RequestMap> {
    viewType: string;
    title: string;
    /** The bundle esbuild writes to dist/webview/<bundle>.js from src/webview-ui/<bundle>/main.ts. */
    bundle: string;
    extensionUri: vscode.Uri;
    validators: ParamValidators<R>;
    handlers: RequestHandlers<R>;
    log: vscode.LogOutputChannel;
    /** The panel's own rules, added to the shared ones under the same nonce. */
    styles?: string;
    /** How long a shown page may take to say `ready` before the admin is told it did not load. */
    loadTimeoutMs?: number;
    /** Tells the admin a page never loaded (tests observe it here). */
    reportLoadFailure?: (title: string) => void;
}

/** Long enough for a first load on a busy machine (the frame, its service worker, our bundle); a healthy one takes < 1 s. */
const defaultLoadTimeoutMs = 15_000;

/**
 * A webview panel with a typed request protocol: a strict CSP whose only script is our bundle (by nonce), nothing
 * posted before the page says `ready`, every request checked (known method, well-formed params) before its handler
 * runs, answers matched to requests by id, stale requests aborted when the page cancels them, and every listener and
 * running request ended with the panel.
 *
 * A page that has not said `ready` 15 s after it shows is reported, with Reload Window. VS Code's webview frame can stay
 * blank: seen in code-server under load, the frame waited for its service worker for good and never wrote our page
 * (its performance marks stop at `content/started`), and so did every new frame in that window, a new panel's or a tab
 * shown again; reloading the window mended it each time.
 */
export class WebviewHost<R extends RequestMap, E extends EventMap> implements vscode.Disposable {
    readonly panel: vscode.WebviewPanel;
    /** The page as set, kept for tests that check its CSP. */
    readonly html: string;
    private ready = false;
    private readonly queued: ToWebview[] = [];
    private readonly running = new Map<number, AbortController>();
    private readonly disposables: vscode.Disposable[] = [];
    private disposed = false;

    constructor(private readonly options: WebviewHostOptions<R>) {
        const webviewRoot = vscode.Uri.joinPath(options.extensionUri, 'dist', 'webview');
        this.panel = vscode.window.createWebviewPanel(options.viewType, options.title, vscode.ViewColumn.Active, {
            enableScripts: true,
            localResourceRoots: [webviewRoot],
        });
        this.html = pageHtml(this.panel.webview, vscode.Uri.joinPath(webviewRoot, `${options.bundle}.js`), options.title, options.styles ?? '');
        this.panel.webview.html = this.html;
        this.disposables.push(
            this.panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
            this.panel.onDidDispose(() => this.dispose()),
        );
        this.watchLoad();
    }

    readonly onDidDispose = (listener: () => void): vscode.Disposable => this.panel.onDidDispose(listener);

    /** A notification to the page; held until the page is ready (a message posted earlier would be lost). */
    post<M extends keyof E & string>(method: M, params: E[M]): void {
        this.send({ kind: 'evt', method, params });
    }

    dispose(): void {
        if (this.disposed) return;
        this.disposed = true;
        for (const request of this.running.values()) request.abort();
        this.running.clear();
        for (const d of this.disposables.splice(0)) d.dispose();
        this.panel.dispose();
    }

    /** Waits for the shown page's `ready`; time hidden does not count, as VS Code loads a page only when it shows. */
    private watchLoad(): void {
        const timeout = this.options.loadTimeoutMs ?? defaultLoadTimeoutMs;
        const timer = setTimeout(() => {
            if (this.ready || this.disposed) return;
            if (!this.panel.visible) {
                const shown = this.panel.onDidChangeViewState(({ webviewPanel }) => {
                    if (!webviewPanel.visible) return;
                    shown.dispose();
                    this.watchLoad();
                });
                this.disposables.push(shown);
                return;
            }
            this.options.log.error(`[Webview] ${this.options.viewType}: the page did not load in ${Math.round(timeout / 1000)} s`);
            (this.options.reportLoadFailure ?? reportLoadFailure)(this.options.title);
        }, timeout);
        this.disposables.push({ dispose: () => clearTimeout(timer) });
    }

    private receive(raw: unknown): void {
        const message = parseToHost(raw);
        if (!message) {
            this.options.log.warn(`[Webview] ${this.options.viewType}: dropped a message that is not a request`);
            return;
        }
        if (message.kind === 'ready') {
            this.ready = true;
            for (const m of this.queued.splice(0)) void this.panel.webview.postMessage(m);
            return;
        }
        if (message.kind === 'cancel') {
            this.running.get(message.id)?.abort();
            return;
        }
        const abort = new AbortController();
        this.running.get(message.id)?.abort();
        this.running.set(message.id, abort);
        dispatchRequest(this.options.validators, this.options.handlers, message.method, message.params, abort.signal).then(
            result => this.answer(message.id, abort, { kind: 'res', id: message.id, ok: true, result }),
            (error: unknown) => {
                const text = error instanceof Error ? error.message : String(error);
                if (!abort.signal.aborted) this.options.log.warn(`[Webview] ${this.options.viewType} ${message.method.slice(0, 64)} failed: ${text}`);
                this.answer(message.id, abort, { kind: 'res', id: message.id, ok: false, error: abort.signal.aborted ? 'Cancelled' : text });
            },
        );
    }

    private answer(id: number, abort: AbortController, message: ToWebview): void {
        if (this.running.get(id) === abort) this.running.delete(id);
        // A cancelled request's answer is stale: the page has moved on and ignores it anyway.
        if (!abort.signal.aborted) this.send(message);
    }

    private send(message: ToWebview): void {
        if (this.disposed) return;
        if (!this.ready) this.queued.push(message);
        else void this.panel.webview.postMessage(message);
    }
}

/**
 * The page: our bundle as a module script under a nonce, our own styles under the same nonce. The web components'
 * styles are constructed stylesheets (adoptedStyleSheets), which style-src does not govern, so no 'unsafe-inline'.
 */
function pageHtml(webview: vscode.Webview, script: vscode.Uri, title: string, styles: string): string {
    const nonce = randomBytes(16).toString('base64');
    const csp = [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${webview.cspSource} 'nonce-${nonce}'`, `font-src ${webview.cspSource}`, `img-src ${webview.cspSource} data:`].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">
body { padding: 0 20px 24px; max-width: 760px; color: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
h1 { font-size: 1.5em; font-weight: 600; }
h2 { font-size: 1.1em; font-weight: 600; margin: 20px 0 4px; }
.field { display: flex; flex-direction: column; gap: 2px; margin: 10px 0; }
.field vscode-textfield, .field vscode-single-select, .field vscode-multi-select, .field vscode-textarea { width: 100%; max-width: 520px; }
.row { display: flex; gap: 8px; align-items: end; }
.check { min-height: 1.3em; font-size: 0.92em; }
.check.ok { color: var(--vscode-testing-iconPassed, var(--vscode-foreground)); }
.check.warning { color: var(--vscode-editorWarning-foreground); }
.check.error { color: var(--vscode-errorForeground); }
.check.pending { color: var(--vscode-descriptionForeground); }
.hint { color: var(--vscode-descriptionForeground); font-size: 0.92em; }
.actions { margin-top: 20px; display: flex; gap: 8px; align-items: center; }
.problems { color: var(--vscode-errorForeground); }
${styles}
</style>
</head>
<body>
<main id="app" aria-live="polite"></main>
<script type="module" nonce="${nonce}" src="${webview.asWebviewUri(script).toString()}"></script>
</body>
</html>`;
}

function reportLoadFailure(title: string): void {
    const reload = 'Reload Window';
    void vscode.window.showErrorMessage(`The "${title}" tab stayed blank: VS Code did not load its page. Reloading the window mends this; then open it again.`, reload).then(choice => {
        if (choice === reload) void vscode.commands.executeCommand('workbench.action.reloadWindow');
    });
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
