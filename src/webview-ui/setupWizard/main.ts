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
import { accessRights, applicationMailboxRoles, credentialTypeNames, credentialTypes, fieldLabels, templateIds, templateTitles, type FieldCheck, type SkuChoice, type TemplateId, type WizardEvents, type WizardField, type WizardRequests, type WizardValues } from '../../webviews/setupWizard/protocol';
import { ewsRetirementNotice } from '../../provisioning/recipes/ewsOutlook';
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

type Section = 'account' | 'access' | 'licence' | 'group' | 'calendar' | 'application';
const sectionsOf: Record<TemplateId, Section[]> = {
    reporting: ['account', 'access'],
    calendar: ['account', 'licence', 'group', 'calendar'],
    reportingAppOnly: ['application'],
    calendarAppOnly: ['application', 'group'],
    blank: ['account', 'access', 'licence', 'group', 'calendar'],
};

/** Where the classic guide has a modern replacement: the warning offers to switch to it. */
const appOnlyInstead: Partial<Record<TemplateId, TemplateId>> = { calendar: 'calendarAppOnly', reporting: 'reportingAppOnly' };

/** Graph application permissions an integration commonly asks for; the chosen ones are kept even when not listed. */
const commonGraphPermissions = ['User.Read.All', 'Group.Read.All', 'GroupMember.Read.All', 'Organization.Read.All', 'Reports.Read.All', 'Directory.Read.All', 'Device.Read.All', 'AuditLog.Read.All', 'Calendars.Read', 'Calendars.ReadWrite', 'Mail.Read', 'MailboxSettings.Read'];

const api = vscodeApi<SavedState>();
const rpc = new RpcClient<WizardRequests, WizardEvents>(api);
const state: SavedState = api.getState() ?? { checks: {} };
const lists = { domains: [] as string[], skus: [] as SkuChoice[], roles: [] as string[], roleGroups: [] as string[], problem: '' };
let busy = false;
let problems: string[] = [];
let roleGroupsAsked = false;
/** Warnings about the template's design, read from the tenant: EWS's retirement, sign-in policies. */
const notices = { ews: undefined as FieldCheck | undefined, ewsAsked: false, signIn: [] as string[] };

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

/**
 * What EWS's retirement means in this tenant: its Exchange settings, read when the admin asks (Exchange's first call may
 * ask for its permission, which the page must not do unasked).
 */
function checkEws(): void {
    const template = state.template;
    notices.ewsAsked = true;
    draw();
    rpc.request('ewsOutlook', {}).result.then(
        check => { if (state.template === template) { notices.ews = check; draw(); } },
        (error: unknown) => { if (state.template === template) { notices.ews = { ok: false, message: `Could not read this tenant's EWS settings: ${errorText(error)}` }; draw(); } },
    );
}

/**
 * The honest warnings for a template that copies a guide's design: the classic calendar one relies on EWS (what its
 * retirement means in this tenant); an account with a password may be blocked by security defaults or Conditional Access.
 */
function loadNotices(template: TemplateId): void {
    notices.ews = template === 'calendar' ? { ok: true, warning: true, message: ewsRetirementNotice } : undefined;
    notices.ewsAsked = false;
    notices.signIn = [];
    if (sectionsOf[template].includes('account')) {
        rpc.request('signInWarnings', {}).result.then(list => { if (state.template === template) { notices.signIn = list; draw(); } }, () => undefined);
    }
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
        loadNotices(template);
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
    for (const key of ['recipeName', 'accountName', 'displayName', 'usageLocation', 'directoryRoles', 'exchangeRoleGroups', 'licenceSku', 'groupAddress', 'calendarGroup', 'appName', 'graphPermissions', 'appDirectoryRoles'] as CheckKey[]) check(key, immediately);
}

/** One field's check: the form here, the tenant through the host (only for the parts the template uses). */
function check(key: CheckKey, immediately = false): void {
    const v = state.values;
    if (!v) return;
    const account = uses('account');
    const app = uses('application');
    // A field of a section the template does not show has nothing to say.
    if ((!account && ['accountName', 'displayName', 'usageLocation'].includes(key)) || (!app && key === 'appName')) {
        checks.schedule(key, undefined);
        return;
    }
    const local = localCheck(key, v);
    if (local !== undefined) {
        checks.schedule(key, undefined);
        if (local) state.checks[key] = local;
        return;
    }
    const inUse: Record<CheckKey, boolean> = {
        recipeName: true, displayName: true, usageLocation: true, accountName: true,
        directoryRoles: uses('access'), exchangeRoleGroups: uses('access'), licenceSku: uses('licence') && !!v.licenceSku,
        groupAddress: uses('group') && !!v.groupName.trim(), calendarGroup: (uses('calendar') || (app && !!v.mailboxRole && !v.groupName.trim())) && !!v.calendarGroup.trim(),
        appName: app, graphPermissions: app && v.graphPermissions.length > 0, appDirectoryRoles: app && v.appDirectoryRoles.length > 0,
    };
    const requests: Partial<Record<CheckKey, () => ReturnType<typeof rpc.request<'checkGroup'>>>> = {
        accountName: () => rpc.request('checkUserPrincipalName', { userPrincipalName: userPrincipalNameOf(v) }),
        directoryRoles: () => rpc.request('checkRoles', { roles: v.directoryRoles }),
        exchangeRoleGroups: () => rpc.request('checkRoleGroups', { roleGroups: v.exchangeRoleGroups }),
        licenceSku: () => rpc.request('checkLicence', { sku: v.licenceSku, plans: v.licencePlans, userPrincipalName: userPrincipalNameOf(v) }),
        groupAddress: () => rpc.request('checkGroupAddress', { address: groupAddressOf(v) }),
        calendarGroup: () => (app ? rpc.request('checkScopeGroup', { group: v.calendarGroup }) : rpc.request('checkGroup', { group: v.calendarGroup })),
        appName: () => rpc.request('checkApplication', { name: v.appName }),
        graphPermissions: () => rpc.request('checkGraphPermissions', { permissions: v.graphPermissions }),
        appDirectoryRoles: () => rpc.request('checkAppRoles', { roles: v.appDirectoryRoles }),
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

function multiPick(field: 'directoryRoles' | 'exchangeRoleGroups' | 'appDirectoryRoles' | 'graphPermissions', known: string[], v: WizardValues): TemplateResult {
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
                ${plans.map(p => html`<vscode-option value=${p} description=${p} title=${p} ?selected=${chosenPlans.includes(p)}>${sku?.planNames[p] ?? p}</vscode-option>`)}
            </vscode-multi-select>
        </div>` : nothing}
        ${checkLine('licenceSku')}`;
}

function groupSection(v: WizardValues): TemplateResult {
    const app = uses('application');
    return html`<h2>Mail-enabled security group</h2>
        <div class="hint">${app
            ? 'The app may use the mailboxes of this group\'s direct members only (Exchange follows no nested group): add the staff whose calendars it writes. Leave the name empty to name an existing mail-enabled group instead.'
            : 'Holds the account; it is the group that gets calendar access, so more accounts can share the work later.'}</div>
        ${textField('groupName', v, { placeholder: 'Leave empty for no group' })}
        ${v.groupName.trim() ? html`
            ${textField('groupAddress', v, { check: 'groupAddress', placeholder: app ? 'e.g. mytimetable-calendars@contoso.com' : groupAddressOf(v) })}
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

function applicationSection(v: WizardValues): TemplateResult {
    return html`<h2>App registration</h2>
        <div class="hint">The integration signs in as this app (app-only): no user account, no password. Single tenant; the recipe grants admin consent to what it lists.</div>
        ${textField('appName', v, { check: 'appName', placeholder: 'e.g. MyTimetable Calendar Integration' })}
        <div class="row">
            <div class="field">
                ${label('credentialType')}
                <vscode-single-select id="credentialType" label=${fieldLabels.credentialType} .value=${v.credentialType} @change=${(e: Event) => setValue('credentialType', target(e).value as WizardValues['credentialType'])}>
                    ${credentialTypes.map(t => html`<vscode-option value=${t} ?selected=${t === v.credentialType}>${credentialTypeNames[t]}</vscode-option>`)}
                </vscode-single-select>
            </div>
            <div class="field">
                ${label('credentialDays')}
                <vscode-textfield id="credentialDays" type="number" min="1" max="730" label=${fieldLabels.credentialDays} .value=${String(v.credentialDays)} @input=${(e: Event) => { const days = Number(target(e).value); if (Number.isInteger(days) && days >= 1 && days <= 730) setValue('credentialDays', days); }}></vscode-textfield>
            </div>
        </div>
        <div class="hint">${v.credentialType === 'clientSecret' ? 'A secret is a password: keep it short-lived (Microsoft recommends less than 12 months) and roll it before it expires.' : 'The private key is written once to a file you choose and never kept by M365 Provisioner.'}</div>
        ${multiPick('graphPermissions', commonGraphPermissions, v)}
        <vscode-checkbox id="exchangeManagement" label=${fieldLabels.exchangeManagement} ?checked=${v.exchangeManagement} @change=${(e: Event) => setValue('exchangeManagement', target(e).checked)}></vscode-checkbox>
        ${multiPick('appDirectoryRoles', lists.roles, v)}
        <div class="field">
            ${label('mailboxRole')}
            <vscode-single-select id="mailboxRole" label=${fieldLabels.mailboxRole} .value=${v.mailboxRole} @change=${(e: Event) => setValue('mailboxRole', target(e).value as WizardValues['mailboxRole'])}>
                <vscode-option value="" ?selected=${!v.mailboxRole}>No mailbox access</vscode-option>
                ${applicationMailboxRoles.map(r => html`<vscode-option value=${r} ?selected=${r === v.mailboxRole}>${r}</vscode-option>`)}
            </vscode-single-select>
        </div>
        ${v.mailboxRole && !v.groupName.trim() ? html`<div class="field">
            <vscode-label for="calendarGroup">Only the mailboxes of the members of</vscode-label>
            <vscode-textfield id="calendarGroup" label="Only the mailboxes of the members of" .value=${v.calendarGroup} placeholder="A group name, e.g. Staff" @input=${(e: Event) => setValue('calendarGroup', target(e).value)}></vscode-textfield>
            <div class="hint">Exchange RBAC for Applications: a management scope of this mail-enabled group's direct members and the role assigned with it. Nobody else's mailbox.</div>
            ${checkLine('calendarGroup')}
        </div>` : nothing}`;
}

/** The warnings about the chosen template's design, each with what to do instead. */
function noticesSection(): TemplateResult | typeof nothing {
    const instead = state.template ? appOnlyInstead[state.template] : undefined;
    const switchButton = instead ? html`<vscode-button id="useAppOnly" secondary @click=${() => void chooseTemplate(instead)}>Use "${templateTitles[instead].title}" instead</vscode-button>` : nothing;
    const items = [...(notices.ews ? [notices.ews.message] : []), ...notices.signIn];
    if (!items.length) return nothing;
    const ewsButton = notices.ews && !notices.ewsAsked ? html`<vscode-button id="checkEws" secondary @click=${checkEws}>Check This Tenant's EWS Settings</vscode-button>` : nothing;
    return html`<div class="notices" role="status">
        <ul>${items.map(i => html`<li class="check warning">${i}</li>`)}</ul>
        ${ewsButton} ${switchButton}
    </div>`;
}

function form(v: WizardValues): TemplateResult {
    return html`
        <h2>Recipe</h2>
        ${textField('recipeName', v, { check: 'recipeName', hint: 'Also the file\'s name.' })}
        <div class="field">
            ${label('description')}
            <vscode-textarea id="description" label=${fieldLabels.description} .value=${v.description} rows="2" @input=${(e: Event) => setValue('description', target(e).value)}></vscode-textarea>
        </div>
        ${noticesSection()}
        ${uses('account') ? accountSection(v) : nothing}
        ${uses('application') ? applicationSection(v) : nothing}
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
    if (state.template) loadNotices(state.template);
    loadRoleGroups();
    checkAll(true);
}
draw();
