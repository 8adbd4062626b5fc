/**
 * The details view's rules, in the theme's own colours (VS Code's CSS variables), laid out like its settings and
 * extension pages: the name large, a toolbar of buttons, then headed sections of label/value rows.
 * https://code.visualstudio.com/api/extension-guides/webview#theming-webview-content
 */
export const detailsStyles = `
body { max-width: 900px; }
header { margin: 16px 0 8px; }
header .kind { color: var(--vscode-descriptionForeground); text-transform: none; }
header h1 { margin: 2px 0; font-size: 1.6em; word-break: break-word; }
header .summary { color: var(--vscode-descriptionForeground); word-break: break-all; }
.toolbar { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 12px 0 4px; }
.toolbar .separator { width: 1px; align-self: stretch; background: var(--vscode-widget-border, var(--vscode-panel-border)); margin: 0 4px; }
button { font-family: inherit; font-size: inherit; padding: 4px 11px; border-radius: 2px; cursor: pointer; border: 1px solid var(--vscode-button-border, transparent); color: var(--vscode-button-foreground); background: var(--vscode-button-background); }
button:hover { background: var(--vscode-button-hoverBackground); }
button:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
button.secondary { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); }
button.secondary:hover { background: var(--vscode-button-secondaryHoverBackground); }
button.danger { color: var(--vscode-errorForeground); }
button:disabled { opacity: 0.5; cursor: default; }
button.icon-button { padding: 0 6px; margin-left: 8px; font-size: 0.85em; color: var(--vscode-textLink-foreground); background: transparent; border: none; }
button.icon-button:hover { background: var(--vscode-toolbar-hoverBackground); }
.status { min-height: 1.3em; color: var(--vscode-descriptionForeground); font-size: 0.92em; margin: 4px 0 8px; }
.status.error { color: var(--vscode-errorForeground); }
section { margin: 18px 0; }
section h2 { font-size: 1.05em; font-weight: 600; margin: 0 0 6px; padding-bottom: 4px; border-bottom: 1px solid var(--vscode-widget-border, var(--vscode-panel-border)); }
section h2 .count { font-weight: normal; color: var(--vscode-descriptionForeground); margin-left: 4px; }
dl.facts { margin: 0; display: grid; grid-template-columns: minmax(140px, max-content) 1fr; column-gap: 24px; row-gap: 2px; }
dl.facts .fact { display: contents; }
dl.facts dt { color: var(--vscode-descriptionForeground); padding: 2px 0; }
dl.facts dd { margin: 0; padding: 2px 0; word-break: break-all; }
dl.facts .none { color: var(--vscode-disabledForeground, var(--vscode-descriptionForeground)); }
ul.items { list-style: none; margin: 0; padding: 0; }
ul.items li { padding: 4px 0; border-bottom: 1px solid var(--vscode-tree-inactiveIndentGuidesStroke, transparent); }
ul.items .detail { color: var(--vscode-descriptionForeground); font-size: 0.92em; word-break: break-word; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 0.85em; color: var(--vscode-badge-foreground); background: var(--vscode-badge-background); }
.empty, .more { color: var(--vscode-descriptionForeground); font-style: italic; margin: 2px 0; }
`;
