import * as vscode from 'vscode';
import type { RecipeProblem } from '../provisioning/recipes/recipe';

const isRecipe = (document: vscode.TextDocument) => document.uri.path.toLowerCase().endsWith('.m365recipe.json');
/** The end of the value that starts at a position: a JSON string, or a bare word (number, true, false, null). */
const valuePattern = /"(?:[^"\\]|\\.)*"|[^\s,[\]{}:]+/;

/**
 * A problem's place in the document: the value its JSON pointer names. An object or list is marked by its opening
 * bracket only (a 100,000-deep one would otherwise be one 200,000-character squiggle); else the line's end.
 */
export function rangeOf(document: vscode.TextDocument, offset: number | undefined): vscode.Range {
    const start = document.positionAt(offset ?? 0);
    const bracket = document.getText(new vscode.Range(start, start.translate(0, 1)));
    if (bracket === '{' || bracket === '[') return new vscode.Range(start, start.translate(0, 1));
    return document.getWordRangeAtPosition(start, valuePattern) ?? new vscode.Range(start, document.lineAt(start.line).range.end);
}

/**
 * Problems of recipe files in the Problems panel, as the admin types: the file's form (checked against the schema
 * and the actions' own rules), and, after a plan, what the tenant lacks (an unknown role, a group that does not
 * exist). The latter stay until the file changes or is planned again.
 */
export class RecipeDiagnostics implements vscode.Disposable {
    private readonly collection = vscode.languages.createDiagnosticCollection('m365-recipe');
    private readonly tenantProblems = new Map<string, vscode.Diagnostic[]>();
    private readonly timers = new Map<string, NodeJS.Timeout>();
    private readonly subscriptions: vscode.Disposable[];

    constructor() {
        this.subscriptions = [
            vscode.workspace.onDidOpenTextDocument(d => this.schedule(d, 0)),
            vscode.workspace.onDidChangeTextDocument(e => {
                this.tenantProblems.delete(e.document.uri.toString());
                this.schedule(e.document, 300);
            }),
            vscode.workspace.onDidCloseTextDocument(d => {
                this.tenantProblems.delete(d.uri.toString());
                this.collection.delete(d.uri);
            }),
        ];
        for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
    }

    /**
     * What a plan found blocked in the tenant, pointing at the recipe's fields; and, as warnings, what the admin should
     * know before applying (the plan's warnings: EWS's retirement, a privileged role, a sign-in policy).
     */
    setTenantProblems(document: vscode.TextDocument, problems: RecipeProblem[], warnings: RecipeProblem[] = []): void {
        this.tenantProblems.set(document.uri.toString(), [
            ...problems.map(p => this.diagnostic(document, p)),
            ...warnings.map(p => this.diagnostic(document, p, vscode.DiagnosticSeverity.Warning)),
        ]);
        this.schedule(document, 0);
    }

    private schedule(document: vscode.TextDocument, delayMs: number): void {
        if (!isRecipe(document)) return;
        const key = document.uri.toString();
        clearTimeout(this.timers.get(key));
        this.timers.set(key, setTimeout(() => void this.check(document), delayMs));
    }

    private async check(document: vscode.TextDocument): Promise<void> {
        this.timers.delete(document.uri.toString());
        if (document.isClosed) return;
        // Loaded on the first recipe file: the schema validator is not needed at activation.
        const { parseRecipe } = await import('../provisioning/recipes/recipe');
        // parseRecipe bounds its own work (size first, depth without recursion, lists before entries: recipeLimits.ts)
        // and never throws; should it ever, the file says so instead of keeping the last text's problems.
        let problems: RecipeProblem[];
        try {
            problems = parseRecipe(document.getText()).problems;
        } catch (error) {
            problems = [{ path: '', offset: 0, message: `The recipe could not be checked (${error instanceof Error ? error.message : String(error)}). Plan, Apply and Export will refuse it too; please report this with the file.` }];
        }
        this.collection.set(document.uri, [...problems.map(p => this.diagnostic(document, p)), ...(this.tenantProblems.get(document.uri.toString()) ?? [])]);
    }

    private diagnostic(document: vscode.TextDocument, problem: RecipeProblem, severity = vscode.DiagnosticSeverity.Error): vscode.Diagnostic {
        const diagnostic = new vscode.Diagnostic(rangeOf(document, problem.offset), problem.message, severity);
        diagnostic.source = 'M365 recipe';
        diagnostic.code = problem.path || undefined;
        return diagnostic;
    }

    dispose(): void {
        for (const timer of this.timers.values()) clearTimeout(timer);
        for (const s of this.subscriptions) s.dispose();
        this.collection.dispose();
    }
}
