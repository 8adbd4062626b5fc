// The audit view's page: one row per change, newest first, filters by tenant, account and days, older rows a page at a
// time, and the raw JSON-lines file on request. Reading the log, copying and opening files are requests to the host.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { html, nothing, render, type TemplateResult } from 'lit';
import type { AuditRow, AuditViewEvents, AuditViewFilter, AuditViewRequests, FilterChoice } from '../../webviews/auditLog/protocol';
import { RpcClient, type PendingRequest } from '../shared/rpcClient';
import { vscodeApi } from '../shared/vscodeApi';

/** What survives the panel being hidden: the filters. */
interface SavedState {
    filter: AuditViewFilter;
}

const api = vscodeApi<SavedState>();
const rpc = new RpcClient<AuditViewRequests, AuditViewEvents>(api);
const state: SavedState = api.getState() ?? { filter: { tenant: '', who: '', from: '', to: '' } };
const view = {
    rows: [] as AuditRow[],
    before: undefined as number | undefined,
    tenants: [] as FilterChoice[],
    accounts: [] as FilterChoice[],
    file: '',
    loading: false,
    problem: '',
};
let pending: PendingRequest<unknown> | undefined;

// The page's own layout (a constructed stylesheet: CSP's style-src does not govern it, so no 'unsafe-inline').
const sheet = new CSSStyleSheet();
sheet.replaceSync(`
body { max-width: none; }
.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; margin: 8px 0 12px; }
.filters label { display: flex; flex-direction: column; gap: 2px; font-size: 0.92em; }
select, input { background: var(--vscode-dropdown-background); color: var(--vscode-dropdown-foreground); border: 1px solid var(--vscode-dropdown-border, transparent); padding: 3px 4px; font: inherit; }
table { border-collapse: collapse; width: 100%; }
th { text-align: left; font-weight: 600; border-bottom: 1px solid var(--vscode-panel-border); padding: 4px 8px; position: sticky; top: 0; background: var(--vscode-editor-background); }
td { padding: 4px 8px; vertical-align: top; border-bottom: 1px solid var(--vscode-panel-border); }
tr:hover td { background: var(--vscode-list-hoverBackground); }
.when { white-space: nowrap; }
.when, .request { font-family: var(--vscode-editor-font-family); font-size: 0.92em; }
.request { word-break: break-all; min-width: 14em; }
.muted { color: var(--vscode-descriptionForeground); font-size: 0.9em; }
.result-failed, .result-partial { color: var(--vscode-errorForeground); }
.result-cancelled { color: var(--vscode-editorWarning-foreground); }
.copy { background: none; border: none; color: var(--vscode-textLink-foreground); cursor: pointer; padding: 0 4px; font: inherit; }
.more { margin: 12px 0; }
`);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Reads the newest page for the filters (again), or the next older page. */
function load(older = false): void {
    pending?.cancel();
    view.loading = true;
    view.problem = '';
    draw();
    const request = rpc.request('rows', { filter: state.filter, ...(older && view.before !== undefined ? { before: view.before } : {}) });
    pending = request;
    request.result.then(
        page => {
            view.rows = older ? [...view.rows, ...page.rows] : page.rows;
            view.before = page.before;
            view.tenants = page.tenants;
            view.accounts = page.accounts;
            view.file = page.file;
            view.loading = false;
            draw();
        },
        (error: unknown) => {
            if (errorText(error) === 'Cancelled') return;
            view.loading = false;
            view.problem = `Could not read the audit log: ${errorText(error)}`;
            draw();
        },
    );
}

function setFilter(part: keyof AuditViewFilter, value: string): void {
    state.filter = { ...state.filter, [part]: value };
    api.setState(state);
    load();
}

const valueOf = (e: Event) => (e.target as HTMLInputElement | HTMLSelectElement).value;

/** A tenant as the admin knows it: the name the log or the names store has, the id below it. */
function tenantCell(row: AuditRow): TemplateResult {
    const known = view.tenants.find(t => t.value === row.tenant.toLowerCase())?.label;
    const name = row.tenantName ? `${row.tenantName}${row.tenantDomain ? ` (${row.tenantDomain})` : ''}` : known ?? row.tenant;
    return html`<span title=${`Tenant id ${row.tenant}`}>${name}</span>`;
}

function requestCell(row: AuditRow): TemplateResult | typeof nothing {
    if (!row.requestId) return nothing;
    const id = row.requestId;
    return html`<span>${id}</span><button class="copy" title="Copy the request id (for Microsoft support)" aria-label=${`Copy request id ${id}`} @click=${() => void rpc.request('copyRequestId', { requestId: id }).result.catch(() => undefined)}>Copy</button>`;
}

function rowView(row: AuditRow): TemplateResult {
    const when = new Date(row.when);
    const shown = Number.isNaN(when.getTime()) ? row.when : when.toLocaleString();
    const ids = row.objectIds?.length ? `Object ids: ${row.objectIds.join(', ')}` : '';
    return html`<tr data-action=${row.action}>
        <td class="when" title=${row.when}>${shown}</td>
        <td>${row.who}</td>
        <td>${tenantCell(row)}</td>
        <td>${row.action}${row.recipe ? html`<div class="muted">in ${row.recipe}</div>` : nothing}</td>
        <td title=${[ids, row.detail ?? ''].filter(Boolean).join('\n')}>${row.target}${ids ? html`<div class="muted">${ids}</div>` : nothing}</td>
        <td class=${`result-${row.result}`}>${row.result}</td>
        <td class="request">${requestCell(row)}</td>
    </tr>`;
}

function choices(label: string, part: 'tenant' | 'who', all: string, options: FilterChoice[]): TemplateResult {
    const current = state.filter[part];
    // A filter kept from before whose value is no longer offered stays selectable, so the page shows what it filters by.
    const list = current && !options.some(o => o.value === current) ? [...options, { value: current, label: current }] : options;
    return html`<label>${label}
        <select aria-label=${label} .value=${current} @change=${(e: Event) => setFilter(part, valueOf(e))}>
            <option value="" ?selected=${!current}>${all}</option>
            ${list.map(o => html`<option value=${o.value} ?selected=${o.value === current}>${o.label}</option>`)}
        </select>
    </label>`;
}

function draw(): void {
    const f = state.filter;
    const filtered = Boolean(f.tenant || f.who || f.from || f.to);
    render(html`
        <h1>Audit log</h1>
        <p class="muted">Every change M365 Provisioner made or tried, one row each, newest first. Underneath it is a JSON-lines file${view.file ? html` (<code>${view.file}</code>)` : nothing}, one record per line, for SIEM tools.</p>
        <div class="filters">
            ${choices('Tenant', 'tenant', 'All tenants', view.tenants)}
            ${choices('Account', 'who', 'All accounts', view.accounts)}
            <label>From <input type="date" aria-label="From" .value=${f.from} @change=${(e: Event) => setFilter('from', valueOf(e))}></label>
            <label>To <input type="date" aria-label="To" .value=${f.to} @change=${(e: Event) => setFilter('to', valueOf(e))}></label>
            ${filtered ? html`<vscode-button secondary @click=${() => { state.filter = { tenant: '', who: '', from: '', to: '' }; api.setState(state); load(); }}>Clear Filters</vscode-button>` : nothing}
            <vscode-button secondary @click=${() => load()}>Refresh</vscode-button>
            <vscode-button secondary @click=${() => void rpc.request('openRawFile', {}).result.then(opened => { if (!opened) { view.problem = 'Nothing has been written to the audit log yet.'; draw(); } }, (error: unknown) => { view.problem = errorText(error); draw(); })}>Open Raw JSON Lines</vscode-button>
        </div>
        ${view.problem ? html`<p class="result-failed">${view.problem}</p>` : nothing}
        ${view.rows.length ? html`<table>
            <thead><tr><th>When</th><th>Who</th><th>Tenant</th><th>Action</th><th>Target</th><th>Result</th><th>Request id</th></tr></thead>
            <tbody>${view.rows.map(rowView)}</tbody>
        </table>` : view.loading ? nothing : html`<p>${filtered ? 'No change matches these filters.' : 'No change has been made in a tenant yet.'}</p>`}
        ${view.loading ? html`<p class="muted">Reading…</p>` : view.before !== undefined ? html`<div class="more"><vscode-button secondary @click=${() => load(true)}>Load Older Changes</vscode-button></div>` : nothing}
    `, document.getElementById('app') ?? document.body);
}

rpc.on('appended', () => load());
load();
