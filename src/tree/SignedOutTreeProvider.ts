import * as vscode from 'vscode';

/**
 * A view's provider while nobody is signed in: it has no rows, so VS Code shows the view's welcome content
 * (package.json `viewsWelcome`). The sign-in work replaces it with the accounts and directory providers.
 */
export class SignedOutTreeProvider implements vscode.TreeDataProvider<never> {
    getTreeItem(element: never): vscode.TreeItem {
        return element;
    }

    getChildren(): never[] {
        return [];
    }
}
