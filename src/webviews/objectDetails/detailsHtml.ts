// The details view's page as HTML text, from the view model: imported by the page (which sets it) and by the unit
// tests (which read it), so what is tested is what is drawn. No `vscode`, no DOM. Every tenant value goes through
// `escapeHtml`: names are user-controlled text, and a display name like `<img onerror=…>` must show as text.
import type { DetailsFact, DetailsItem, DetailsSection } from '../../graph/detailsModel';
import type { DetailsView } from './protocol';

/** Text for an element's content or a quoted attribute: the five characters HTML gives meaning to, as entities. */
export function escapeHtml(value: string): string {
    return value.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
}

const e = escapeHtml;

/** A copy button carries the value it copies; the host copies only values the view offers. */
const copyButton = (label: string, value: string) => `<button type="button" class="icon-button" data-copy="${e(value)}" title="Copy ${e(label)}" aria-label="Copy ${e(label)}">Copy</button>`;

function factRow(f: DetailsFact): string {
    const value = f.value ? `<span class="value">${e(f.value)}</span>` : '<span class="value none">—</span>';
    return `<div class="fact"><dt>${e(f.label)}</dt><dd>${value}${f.copy && f.value ? copyButton(f.label, f.value) : ''}</dd></div>`;
}

function itemRow(i: DetailsItem): string {
    const badge = i.badge ? ` <span class="badge">${e(i.badge)}</span>` : '';
    const detail = i.detail ? `<div class="detail">${e(i.detail)}</div>` : '';
    return `<li><div class="item">${e(i.text)}${badge}</div>${detail}</li>`;
}

function section(s: DetailsSection): string {
    const facts = s.facts?.length ? `<dl class="facts">${s.facts.map(factRow).join('')}</dl>` : '';
    const count = s.items ? ` <span class="count">${s.items.length}${s.more ? '+' : ''}</span>` : '';
    const items = s.items ? (s.items.length ? `<ul class="items">${s.items.map(itemRow).join('')}</ul>` : `<p class="empty">${e(s.empty ?? 'None')}</p>`) : '';
    const more = s.more ? `<p class="more">${e(s.more)}</p>` : '';
    return `<section><h2>${e(s.heading)}${count}</h2>${facts}${items}${more}</section>`;
}

/**
 * The page: the object's name and kind, a toolbar (Refresh, Open in Admin Centre, then the tree's actions for the row,
 * the dangerous ones last and apart), and one section per heading.
 */
export function detailsHtml(view: DetailsView, status = ''): string {
    const d = view.details;
    const action = (a: DetailsView['actions'][number]) => `<button type="button" class="${a.danger ? 'secondary danger' : 'secondary'}" data-run="${e(a.command)}">${e(a.title)}</button>`;
    const actions = view.actions.filter(a => !a.danger).map(action).join('');
    const danger = view.actions.filter(a => a.danger).map(action).join('');
    return `<header>
<div class="kind">${e(d.kind)} · ${e(view.tenant)}</div>
<h1>${e(d.name)}</h1>
<div class="summary">${e(d.summary)}</div>
</header>
<nav class="toolbar" aria-label="Actions">
<button type="button" data-refresh>Refresh</button><button type="button" class="secondary" data-admin-centre>Open in Admin Centre</button>${actions}${danger ? `<span class="separator"></span>${danger}` : ''}
</nav>
<p class="status" role="status">${e(status || `Read at ${view.readAt.slice(11, 19)} UTC`)}</p>
${d.sections.map(section).join('\n')}`;
}
