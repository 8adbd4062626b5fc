// The setup wizard's page: choose a template, fill the fields (each checked against the tenant as typed), write the
// recipe. Everything that touches the tenant or the disk is a request to the host; this page only shows and asks.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-multi-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-radio-group/index.js';
import '@vscode-elements/elements/dist/vscode-radio/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { html, nothing, render, type TemplateResult } from 'lit';
import { accessRights, fieldLabels, templateIds, templateTitles, type SkuChoice, type TemplateId, type WizardEvents, type WizardField, type WizardRequests, type WizardValues } from '../../webviews/setupWizard/protocol';
import { groupAddressOf, userPrincipalNameOf } from '../../provisioning/recipes/recipeTemplateValues';
import { RpcClient } from '../shared/rpcClient';
import { vscodeApi } from '../shared/vscodeApi';
import { checkKeysFor, localCheck, type CheckKey } from './fields';
import { LiveChecks, type ShownCheck } from './liveChecks';

/** What survives the panel being hidden (vscode.setState): the choice, the values and the checks' answers. */
interface SavedState {
    template?: TemplateId;
    values?: WizardValues;
    checks: Partial<Record<CheckKey, ShownCheck>>;
}

type Section = 'access' | 'licence' | 'group' | 'calendar';
const sectionsOf: Record<TemplateId, Section[]> = {
    reporting: ['access'],
    calendar: ['licence', 'group', 'calendar'],
    blank: ['access', 'licence', 'group', 'calendar'],
};

const api = vscodeApi<SavedState>();
const rpc = new RpcClient<WizardRequests, WizardEvents>(api);
const state: SavedState = api.getState() ?? { checks: {} };
const lists = { domains: [] as string[], skus: [] as SkuChoice[], roles: [] as string[], roleGroups: [] as string[], problem: '' };
let busy = false;
let problems: string[] = [];
let roleGroupsAsked = false;

const checks = new LiveChecks<CheckKey>((key, check) => {
    if (check) state.checks[key] = check;
    else delete state.checks[key];
    save();
});

function save(): void {
    api.setState(state);
    draw();
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
const uses = (section: Section) => (state.template ? sectionsOf[state.template].includes(section) : false);

/** The tenant's lists for the pickers; loaded once per page. */
const domainsLoaded = rpc.request('listDomains', {}).result.then(
    domains => { lists.domains = domains; draw(); },
    (error: unknown) => { lists.problem = `Could not read the tenant's domains: ${errorText(error)}`; draw(); },
);
rpc.request('listSkus', {}).result.then(skus => { lists.skus = skus; draw(); }, (error: unknown) => { lists.problem = `Could not read the tenant's licences: ${errorText(error)}`; draw(); });
rpc.request('listRoles', {}).result.then(roles => { lists.roles = roles; draw(); }, () => undefined);

/** Exchange is asked only when a role group is in play: its first call may ask the admin to consent. */
function loadRoleGroups(): void {
    if (roleGroupsAsked || !uses('access')) return;
    roleGroupsAsked = true;
    rpc.request('listRoleGroups', {}).result.then(names => { lists.roleGroups = names; draw(); }, (error: unknown) => { lists.problem = `Could not read Exchange role groups: ${errorText(error)}`; draw(); });
}

async function chooseTemplate(template: TemplateId): Promise<void> {
    state.template = template;
    state.values = undefined;
    state.checks = {};
    problems = [];
    save();
    await domainsLoaded;
    try {
        const values = await rpc.request('templateDefaults', { template, domain: lists.domains[0] ?? '' }).result;
        if (state.template !== template) return;
        state.values = values;
        loadRoleGroups();
        checkAll(true);
        save();
    } catch (error) {
        problems = [errorText(error)];
        draw();
    }
}

function setValue<F extends WizardField>(field: F, value: WizardValues[F]): void {
    if (!state.values || state.values[field] === value) return;
    state.values = { ...state.values, [field]: value };
    for (const key of checkKeysFor(field)) check(key);
    save();
}

function checkAll(immediately = false): void {
    for (const key of ['recipeName', 'accountName', 'displayName', 'usageLocation', 'directoryRoles', 'exchangeRoleGroups', 'licenceSku', 'groupAddress', 'calendarGroup'] as CheckKey[]) check(key, immediately);
}

/** One field's check: the form here, the tenant through the host (only for the parts the template uses). */
function check(key: CheckKey, immediately = false): void {
    const v = state.values;
    if (!v) return;
    const local = localCheck(key, v);
    if (local !== undefined) {
        checks.schedule(key, undefined);
        if (local) state.checks[key] = local;
        return;
    }
    const inUse: Record<CheckKey, boolean> = {
        recipeName: true, displayName: true, usageLocation: true, accountName: true,
        directoryRoles: uses('access'), exchangeRoleGroups: uses('access'), licenceSku: uses('licence') && !!v.licenceSku,
        groupAddress: uses('group') && !!v.groupName.trim(), calendarGroup: uses('calendar') && !!v.calendarGroup.trim(),
    };
    const requests: Partial<Record<CheckKey, () => ReturnType<typeof rpc.request<'checkGroup'>>>> = {
        accountName: () => rpc.request('checkUserPrincipalName', { userPrincipalName: userPrincipalNameOf(v) }),
        directoryRoles: () => rpc.request('checkRoles', { roles: v.directoryRoles }),
        exchangeRoleGroups: () => rpc.request('checkRoleGroups', { roleGroups: v.exchangeRoleGroups }),
        licenceSku: () => rpc.request('checkLicence', { sku: v.licenceSku, plans: v.licencePlans, userPrincipalName: userPrincipalNameOf(v) }),
        groupAddress: () => rpc.request('checkGroupAddress', { address: groupAddressOf(v) }),
        calendarGroup: () => rpc.request('checkGroup', { group: v.calendarGroup }),
    };
    checks.schedule(key, inUse[key] ? requests[key] : undefined, immediately);
}

async function createRecipe(): Promise<void> {
    if (!state.template || !state.values || busy) return;
    busy = true;
    problems = [];
    draw();
    try {
        const result = await rpc.request('createRecipe', { template: state.template, values: state.values }).result;
        // Written: the host opens the file and closes this panel.
        if (!result.written) problems = result.problems.map(p => p.message);
    } catch (error) {
        problems = [errorText(error)];
    } finally {
        busy = false;
        draw();
    }
}

// ── drawing ─────────────────────────────────────────────────────────────────────────────────────────────────────────

type ValueOf = { value: string; checked: boolean };
const target = (e: Event) => e.target as unknown as ValueOf;
const listOf = (e: Event) => (e.target as unknown as { value: string[] }).value;

function checkLine(key: CheckKey): TemplateResult {
    const c = state.checks[key];
    return html`<div class="check ${c?.state ?? ''}" role="status" data-check=${key}>${c?.message ?? ''}</div>`;
}

function label(field: WizardField): TemplateResult {
    return html`<vscode-label for=${field}>${fieldLabels[field]}</vscode-label>`;
}

function textField(field: WizardField & keyof { [K in WizardField as WizardValues[K] extends string ? K : never]: 1 }, v: WizardValues, options: { check?: CheckKey; hint?: string; placeholder?: string } = {}): TemplateResult {
    return html`<div class="field">
        ${label(field)}
        <vscode-textfield id=${field} label=${fieldLabels[field]} .value=${v[field]} placeholder=${options.placeholder ?? ''} @input=${(e: Event) => setValue(field, target(e).value)}></vscode-textfield>
        ${options.hint ? html`<div class="hint">${options.hint}</div>` : nothing}
        ${options.check ? checkLine(options.check) : nothing}
    </div>`;
}

/** Options for a picker: the tenant's, plus the chosen ones it lacks (so a template's name shows, and its check says why it is wrong). */
const withChosen = (known: string[], chosen: string[]) => [...known, ...chosen.filter(c => c && !known.includes(c))];

function multiPick(field: 'directoryRoles' | 'exchangeRoleGroups', known: string[], v: WizardValues): TemplateResult {
    return html`<div class="field">
        ${label(field)}
        <vscode-multi-select id=${field} label=${fieldLabels[field]} .value=${v[field]} @change=${(e: Event) => setValue(field, listOf(e))}>
            ${withChosen(known, v[field]).map(name => html`<vscode-option value=${name} ?selected=${v[field].includes(name)}>${name}</vscode-option>`)}
        </vscode-multi-select>
        ${checkLine(field)}
    </div>`;
}

function accountSection(v: WizardValues): TemplateResult {
    return html`<h2>Service account</h2>
        <div class="row">
            ${textField('accountName', v, { placeholder: 'e.g. sa-mytt-exch' })}
            <div class="field">
                ${label('domain')}
                <vscode-single-select id="domain" label=${fieldLabels.domain} .value=${v.domain} @change=${(e: Event) => setValue('domain', target(e).value)}>
                    ${withChosen(lists.domains, [v.domain]).map(d => html`<vscode-option value=${d} ?selected=${d === v.domain}>${d}</vscode-option>`)}
                </vscode-single-select>
            </div>
        </div>
        ${checkLine('accountName')}
        ${textField('displayName', v, { check: 'displayName' })}
        ${textField('usageLocation', v, { check: 'usageLocation', hint: 'Two letters, e.g. US, GB, NL: where the account is used. Licences need it.' })}`;
}

function licenceSection(v: WizardValues): TemplateResult {
    const sku = lists.skus.find(s => s.partNumber.toLowerCase() === v.licenceSku.toLowerCase() || s.name.toLowerCase() === v.licenceSku.toLowerCase());
    const plans = sku?.plans ?? (Array.isArray(v.licencePlans) ? v.licencePlans : []);
    const chosenPlans = v.licencePlans === 'all' ? plans : v.licencePlans;
    const skuOptions = [{ value: '', text: 'No licence' }, ...lists.skus.map(s => ({ value: s.partNumber, text: `${s.name} (${s.partNumber}): ${s.free} of ${s.total} free` }))];
    if (v.licenceSku && !sku) skuOptions.push({ value: v.licenceSku, text: v.licenceSku });
    const chooseSku = (value: string) => {
        const next = lists.skus.find(s => s.partNumber === value);
        // The guide's advice for an integration that only needs a mailbox: switch on Exchange Online alone.
        const exchange = next?.plans.filter(p => p.startsWith('EXCHANGE')) ?? [];
        state.values = { ...v, licenceSku: value, licencePlans: state.template === 'calendar' && exchange.length ? exchange : 'all' };
        check('licenceSku');
        save();
    };
    const choosePlans = (chosen: string[]) => setValue('licencePlans', chosen.length === plans.length || !chosen.length ? 'all' : chosen);
    return html`<h2>Licence</h2>
        <div class="field">
            ${label('licenceSku')}
            <vscode-single-select id="licenceSku" label=${fieldLabels.licenceSku} .value=${sku?.partNumber ?? v.licenceSku} @change=${(e: Event) => chooseSku(target(e).value)}>
                ${skuOptions.map(o => html`<vscode-option value=${o.value} ?selected=${o.value === (sku?.partNumber ?? v.licenceSku)}>${o.text}</vscode-option>`)}
            </vscode-single-select>
        </div>
        ${v.licenceSku ? html`<div class="field">
            ${label('licencePlans')}
            <vscode-multi-select id="licencePlans" label=${fieldLabels.licencePlans} .value=${chosenPlans} @change=${(e: Event) => choosePlans(listOf(e))}>
                ${plans.map(p => html`<vscode-option value=${p} ?selected=${chosenPlans.includes(p)}>${p}</vscode-option>`)}
            </vscode-multi-select>
        </div>` : nothing}
        ${checkLine('licenceSku')}`;
}

function groupSection(v: WizardValues): TemplateResult {
    return html`<h2>Mail-enabled security group</h2>
        <div class="hint">Holds the account; it is the group that gets calendar access, so more accounts can share the work later.</div>
        ${textField('groupName', v, { placeholder: 'Leave empty for no group' })}
        ${v.groupName.trim() ? html`
            ${textField('groupAddress', v, { check: 'groupAddress', placeholder: groupAddressOf(v) })}
            <vscode-checkbox id="hiddenFromAddressLists" label=${fieldLabels.hiddenFromAddressLists} ?checked=${v.hiddenFromAddressLists} @change=${(e: Event) => setValue('hiddenFromAddressLists', target(e).checked)}></vscode-checkbox>` : nothing}`;
}

function calendarSection(v: WizardValues): TemplateResult {
    return html`<h2>Calendar access</h2>
        ${textField('calendarGroup', v, { check: 'calendarGroup', placeholder: 'A group name, e.g. Staff; leave empty for none', hint: 'Members of nested groups count too. Each member\'s calendar is checked when the recipe is applied.' })}
        ${v.calendarGroup.trim() ? html`<div class="field">
            ${label('accessRight')}
            <vscode-single-select id="accessRight" label=${fieldLabels.accessRight} .value=${v.accessRight} @change=${(e: Event) => setValue('accessRight', target(e).value as WizardValues['accessRight'])}>
                ${accessRights.map(r => html`<vscode-option value=${r} ?selected=${r === v.accessRight}>${r}</vscode-option>`)}
            </vscode-single-select>
        </div>` : nothing}`;
}

function form(v: WizardValues): TemplateResult {
    return html`
        <h2>Recipe</h2>
        ${textField('recipeName', v, { check: 'recipeName', hint: 'Also the file\'s name.' })}
        <div class="field">
            ${label('description')}
            <vscode-textarea id="description" label=${fieldLabels.description} .value=${v.description} rows="2" @input=${(e: Event) => setValue('description', target(e).value)}></vscode-textarea>
        </div>
        ${accountSection(v)}
        ${uses('access') ? html`<h2>Access</h2>${multiPick('directoryRoles', lists.roles, v)}${multiPick('exchangeRoleGroups', lists.roleGroups, v)}` : nothing}
        ${uses('licence') ? licenceSection(v) : nothing}
        ${uses('group') ? groupSection(v) : nothing}
        ${uses('calendar') ? calendarSection(v) : nothing}
        <div class="actions">
            <vscode-button id="create" ?disabled=${busy} @click=${() => void createRecipe()}>Create Recipe</vscode-button>
            <span class="hint">${busy ? 'Checking every field and writing the recipe…' : 'Writes a recipe file and shows its plan; nothing in the tenant changes yet.'}</span>
        </div>
        ${problems.length ? html`<ul class="problems" role="alert">${problems.map(p => html`<li>${p}</li>`)}</ul>` : nothing}`;
}

function draw(): void {
    const app = document.getElementById('app');
    if (!app) return;
    render(html`
        <h1>Set Up Service Account</h1>
        <p class="hint">Choose what the vendor's guide asks for, then adjust the fields. Each is checked against the tenant as you type.</p>
        <vscode-radio-group variant="vertical" aria-label="Template">
            ${templateIds.map(t => html`<vscode-radio name="template" value=${t} ?checked=${state.template === t} @change=${(e: Event) => { if (target(e).checked) void chooseTemplate(t); }}>${templateTitles[t].title}</vscode-radio>`)}
        </vscode-radio-group>
        ${state.template ? html`<p class="hint">${templateTitles[state.template].detail}</p>` : nothing}
        ${lists.problem ? html`<p class="problems" role="alert">${lists.problem}</p>` : nothing}
        ${state.values ? form(state.values) : state.template ? html`<p class="hint">Loading the template…</p>` : nothing}
    `, app);
}

rpc.on('chooseTemplate', ({ template }) => void chooseTemplate(template));
if (state.values) {
    // Back from hidden or a reload: the tenant may have changed meanwhile, so ask again.
    loadRoleGroups();
    checkAll(true);
}
draw();
