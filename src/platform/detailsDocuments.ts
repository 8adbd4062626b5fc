import * as vscode from 'vscode';
import { DetailsScheme } from '../constants';

/**
 * Read-only Markdown documents for "Show details", kept in memory (never written to disk: they can name people).
 * Opened in VS Code's Markdown preview, they read like a page and can still be copied as text.
 */
export class DetailsDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
    private readonly pages = new Map<string, string>();
    private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
    readonly onDidChange = this.emitter.event;

    /** Stores the page under a readable name and returns its URI; the same object opened again replaces its page. */
    put(name: string, key: string, markdown: string): vscode.Uri {
        const uri = vscode.Uri.from({ scheme: DetailsScheme, path: `/${name.replace(/[\\/:*?"<>|#%]/g, '_')}.md`, query: key });
        this.pages.set(uri.toString(), markdown);
        this.emitter.fire(uri);
        return uri;
    }

    provideTextDocumentContent(uri: vscode.Uri): string {
        return this.pages.get(uri.toString()) ?? '# Gone\n\nThis details page was closed with the window it came from. Use "Show Details" again.\n';
    }

    dispose(): void {
        this.emitter.dispose();
        this.pages.clear();
    }
}
