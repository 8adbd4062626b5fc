// The right-click actions the Directory view offers for a row, read from the extension's own manifest, so the details
// view offers exactly what the tree does for the same row (and a new menu entry appears in both). No `vscode` here.

/** The parts of package.json's `contributes` this reads. */
export interface MenuManifest {
    contributes?: {
        commands?: { command: string; title: string }[];
        menus?: Record<string, { command: string; when?: string; group?: string }[]>;
    };
}

export interface TreeAction {
    command: string;
    title: string;
    /** The menu's `8_danger` group: shown apart, as VS Code puts it last after a separator. */
    danger: boolean;
}

export const directoryViewId = 'm365Provisioner.directory';

/**
 * What the view itself does (Copy, Open in Admin Centre, Refresh), or what makes no sense on an object's page (Show
 * Details again, the folder filters): left out of the actions, since the page has its own buttons for them.
 */
const handledByTheView = new Set(['m365Provisioner.directory.showDetails', 'm365Provisioner.directory.openInAdminCentre', 'm365Provisioner.directory.copyId', 'm365Provisioner.directory.copyUpn', 'm365Provisioner.directory.refresh', 'm365Provisioner.directory.filter', 'm365Provisioner.directory.clearFilter']);

/**
 * Whether a menu's `when` clause holds for a Directory view row with this context value. Only the forms our menus use
 * are understood (`view == id`, `viewItem =~ /regex/flags`, `viewItem == value`, joined by `&&`); any other term makes
 * the entry not offered, so an entry is never shown where the tree would not show it.
 * The when-clause operators: https://code.visualstudio.com/api/references/when-clause-contexts
 */
export function menuEntryApplies(when: string | undefined, contextValue: string): boolean {
    if (!when) return true;
    return when.split('&&').every(raw => {
        const term = raw.trim();
        const view = /^view\s*==\s*([\w.-]+)$/.exec(term);
        if (view) return view[1] === directoryViewId;
        const equals = /^viewItem\s*==\s*([\w.:+-]+)$/.exec(term);
        if (equals) return equals[1] === contextValue;
        const match = /^viewItem\s*=~\s*\/(.*)\/([imsu]*)$/.exec(term);
        if (!match) return false;
        try {
            return new RegExp(match[1], match[2]).test(contextValue);
        } catch {
            return false;
        }
    });
}

/** The row's context-menu commands in the menu's own order (by group, then `@order`), each once, with its title. */
export function treeActionsFor(manifest: MenuManifest, contextValue: string): TreeAction[] {
    const titles = new Map((manifest.contributes?.commands ?? []).map(c => [c.command, c.title]));
    const entries = (manifest.contributes?.menus?.['view/item/context'] ?? [])
        .filter(e => !handledByTheView.has(e.command) && !(e.group ?? '').startsWith('inline') && menuEntryApplies(e.when, contextValue))
        .map(e => {
            const [group = '', order = '0'] = (e.group ?? '').split('@');
            return { command: e.command, group, order: Number(order) || 0 };
        })
        .sort((a, b) => a.group.localeCompare(b.group) || a.order - b.order);
    const seen = new Set<string>();
    const actions: TreeAction[] = [];
    for (const e of entries) {
        if (seen.has(e.command)) continue;
        seen.add(e.command);
        actions.push({ command: e.command, title: titles.get(e.command) ?? e.command, danger: e.group.endsWith('_danger') });
    }
    return actions;
}
