import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import type { ExchangeAdminClient } from '../../exchange/ExchangeAdminClient';
import { ExchangeCommandError } from '../../exchange/ExchangeCommandError';
import { getRecipient } from '../../exchange/cmdlets';
import { freeUnits, isPrivilegedRole, licenceName } from '../../graph/adminNames';
import { servicePlanName } from '../../shared/licensing/licenceNames';
import { applicationsNamed, microsoftGraphAppId, servicePrincipalOf } from '../../graph/applications';
import type { GraphClient } from '../../graph/GraphClient';
import { filterEquals, filterParam } from '../../graph/odata';
import { resolveRole } from '../steps/directoryRoles';
import { AmbiguousNameError, ProvisioningInputError } from '../errors';
import { checkGroupAddress as groupAddressForm, checkPlans, checkUserPrincipalName } from '../fields';
import { findSku, planIds } from '../steps/licences';
import { subscribedSkus } from '../../graph/tenantCatalogue';
import { countTransitiveUsers, resolveGroup, userIfAny } from '../steps/lookup';
import { resolveRoleGroup } from '../steps/roleGroups';
import { leastPrivilegedInstead } from './leastPrivilegedRoles';
import { userPrincipalNameOf, type RecipeCheckedValues } from './recipeTemplateValues';
import { unverifiedDomainProblem } from '../steps/serviceAccounts';
import { verifiedDomains } from '../../graph/tenantCatalogue';

/**
 * The setup wizard's live checks of one field against the tenant, each answered in the admin's words. `ok: false`
 * means the recipe would be refused (or blocked in its plan); `warning` marks an answer that is fine but worth a look
 * (an account that exists and will be adopted).
 */
export interface FieldCheck {
    ok: boolean;
    message: string;
    warning?: boolean;
}

type Signal = { signal?: AbortSignal };
const pass = (message: string, warning = false): FieldCheck => (warning ? { ok: true, message, warning } : { ok: true, message });
const fail = (message: string): FieldCheck => ({ ok: false, message });

/** Problems the admin fixes in what they typed become a failed check; anything else (network, permission) is thrown. */
function asCheck(error: unknown): FieldCheck {
    if (error instanceof ProvisioningInputError || error instanceof AmbiguousNameError) return fail(error.message);
    throw error;
}

export async function checkDomain(graph: GraphClient, domain: string, o: Signal = {}): Promise<FieldCheck> {
    const wanted = domain.trim().toLowerCase();
    if (!wanted) return fail('Choose one of the tenant\'s verified domains.');
    const problem = unverifiedDomainProblem(wanted, await verifiedDomains(graph, o));
    return problem ? fail(problem) : pass(`${wanted} is a verified domain of this tenant.`);
}

/**
 * The service account's user principal name: its form, its domain, and whether someone has it already. An existing
 * account is not a problem: the recipe adopts it (adds what is missing, removes nothing), which the admin should know.
 */
export async function checkUserPrincipalNameField(graph: GraphClient, upn: string, o: Signal = {}): Promise<FieldCheck> {
    const value = upn.trim();
    const form = checkUserPrincipalName(value);
    if (form) return fail(form);
    const domain = await checkDomain(graph, value.split('@')[1], o);
    if (!domain.ok) return domain;
    const user = await userIfAny(graph, value, o);
    if (!user) return pass(`${value} is free: the recipe will create it.`);
    const marked = user.employeeType === 'ServiceAccount' ? 'a service account' : `not marked as a service account${user.displayName ? ` (${user.displayName})` : ''}`;
    return pass(`${value} exists already, ${marked}: the recipe will adopt it, adding what it lacks and removing nothing.`, true);
}

/**
 * The licence: the tenant has it, its plans are the ones named, and a unit is free (unless the account, when it
 * exists, holds one already).
 */
export async function checkLicence(graph: GraphClient, sku: string, plans: string[] | 'all', upn = '', o: Signal = {}): Promise<FieldCheck> {
    if (!sku.trim()) return pass('No licence: the account gets no mailbox.');
    const plansProblem = checkPlans(plans);
    if (plansProblem) return fail(plansProblem);
    let found: MicrosoftGraph.SubscribedSku;
    try {
        found = findSku(await subscribedSkus(graph, o), sku);
        if (plans !== 'all') planIds(found, plans);
    } catch (error) {
        return asCheck(error);
    }
    const name = `${licenceName(found.skuPartNumber)} (${found.skuPartNumber ?? ''})`;
    // The plans by the names the admin centre shows; the recipe file keeps Graph's plan names.
    const what = plans === 'all' ? 'all its plans' : plans.map(servicePlanName).join(', ');
    const user = upn.includes('@') ? await userIfAny(graph, upn.trim(), o) : undefined;
    if (user?.assignedLicenses?.some(l => l.skuId === found.skuId)) return pass(`${upn.trim()} has ${name} already; the recipe switches on ${what}.`);
    const free = freeUnits(found);
    if (free < 1) return fail(`${name} has no free licence: ${found.consumedUnits ?? 0} of ${found.prepaidUnits?.enabled ?? 0} are used. Buy more, free one, or choose another licence.`);
    return pass(`${name}: ${free} of ${found.prepaidUnits?.enabled ?? 0} free; the account gets ${what}.`);
}

/** The group whose members' calendars are shared: it exists (one of that name), and how many mailboxes that is. */
export async function checkCalendarGroup(graph: GraphClient, name: string, o: Signal = {}): Promise<FieldCheck> {
    if (!name.trim()) return pass('No calendar access is given.');
    let group: MicrosoftGraph.Group;
    try {
        group = await resolveGroup(graph, name, o);
    } catch (error) {
        return asCheck(error);
    }
    const mailboxes = (await countTransitiveUsers(graph, group.id ?? '', o)).withMail;
    const label = group.displayName ?? name.trim();
    if (!mailboxes) return pass(`${label} has no members with a mailbox: the grant would change no calendar.`, true);
    return pass(`${label}: ${mailboxes} member${mailboxes === 1 ? '' : 's'} with a mailbox (nested groups included).`);
}

/**
 * The group an app's mailbox access is limited to (RBAC for Applications): a management scope names it by the
 * distinguished name Exchange shows for mail-enabled groups and follows its direct members only (OfficeDocs-Exchange
 * application-rbac.md; filter-properties.md, MemberOfGroup), so it must be a group Exchange lists as a recipient.
 */
export async function checkScopeGroup(exchange: ExchangeAdminClient, name: string, o: Signal = {}): Promise<FieldCheck> {
    const wanted = name.trim();
    if (!wanted) return fail('Name the mail-enabled group whose members\' mailboxes the app may use, or let the recipe make one.');
    let group: Awaited<ReturnType<typeof getRecipient>>;
    try {
        group = await getRecipient(exchange, wanted, o);
    } catch (error) {
        if (!(error instanceof ExchangeCommandError && error.isNotFound)) throw error;
        group = undefined;
    }
    if (!group) return fail(`Exchange knows no mail-enabled group "${wanted}": a management scope names a mail-enabled security group and follows its direct members. Give one, or let the recipe make one.`);
    if (!/Group$/i.test(group.RecipientTypeDetails)) return fail(`"${wanted}" is ${group.RecipientTypeDetails} in Exchange, not a group.`);
    return pass(`${group.DisplayName || wanted}: the app may use the mailboxes of its direct members (nested groups do not count).`);
}

/**
 * The mail-enabled group's address: its form, a verified domain, and who has it. A mail-enabled security group with it
 * is adopted; anything else with that address (a person, a Microsoft 365 group) cannot be.
 */
export async function checkGroupAddress(graph: GraphClient, address: string, o: Signal = {}): Promise<FieldCheck> {
    const value = address.trim();
    const form = groupAddressForm(value);
    if (form) return fail(form);
    const domain = value.split('@')[1];
    const verified = await checkDomain(graph, domain, o);
    if (!verified.ok) return verified;
    const filter = filterParam(filterEquals('mail', value));
    const groups = (await graph.get<{ value: MicrosoftGraph.Group[] }>(`/groups?${filter}&$select=id,displayName,mailEnabled,securityEnabled,groupTypes`, { scopes: ['Group.Read.All'], ...o })).value;
    const group = groups[0];
    if (group) {
        if (group.mailEnabled && group.securityEnabled && !group.groupTypes?.includes('Unified')) return pass(`${value} is the mail-enabled security group "${group.displayName ?? ''}": the recipe will adopt it.`, true);
        return fail(`${value} is already the address of "${group.displayName ?? ''}", which is not a mail-enabled security group. Choose another address.`);
    }
    const users = (await graph.get<{ value: MicrosoftGraph.User[] }>(`/users?${filter}&$select=id,displayName`, { scopes: ['User.Read.All'], ...o })).value;
    if (users[0]) return fail(`${value} is already the address of ${users[0].displayName ?? 'a user'}. Choose another address.`);
    return pass(`${value} is free: the recipe will create the group.`);
}

/**
 * Directory roles by the names the Entra admin centre shows; each must exist, once. For a user account (`holder`
 * 'account'), a role Microsoft marks privileged is a warning naming the least-privileged role that does the job
 * (leastPrivilegedRoles.ts); an app's service principal has no password to steal, so its roles are only checked.
 */
export async function checkDirectoryRoles(graph: GraphClient, roles: string[], o: Signal & { holder?: 'account' | 'app' } = {}): Promise<FieldCheck> {
    const wanted = roles.map(r => r.trim()).filter(Boolean);
    if (!wanted.length) return pass('No directory role.');
    const privileged: string[] = [];
    try {
        for (const role of wanted) if (isPrivilegedRole(await resolveRole(graph, role, o))) privileged.push(role);
    } catch (error) {
        return asCheck(error);
    }
    const found = `${wanted.join(', ')}: ${wanted.length === 1 ? 'a role' : 'roles'} of this tenant, for the whole tenant.`;
    if (!privileged.length || o.holder === 'app') return pass(found);
    return pass(`${found} ${privileged.map(r => `${r} is privileged for an account with a password; least-privileged instead: ${leastPrivilegedInstead(r)}.`).join(' ')}`, true);
}

/**
 * The app registration's name: a new one is created; one registration of that name is the recipe's (adopted, as an
 * existing account is); several are refused, since the recipe could not tell which it means.
 */
export async function checkApplicationName(graph: GraphClient, name: string, o: Signal = {}): Promise<FieldCheck> {
    const wanted = name.trim();
    if (!wanted) return fail('Name the app registration, e.g. "MyTimetable Calendar Integration".');
    const found = await applicationsNamed(graph, wanted, o);
    if (!found.length) return pass(`No app registration is named ${wanted}: the recipe will register it (single tenant).`);
    if (found.length === 1) return pass(`${wanted} is already registered (client id ${found[0].appId ?? '?'}): the recipe adds only what it lacks.`, true);
    return fail(`${found.length} app registrations are named ${wanted}: choose another name, or rename the others in the Entra admin centre (App registrations).`);
}

/** Microsoft Graph application permissions by value (User.Read.All): each must be one of Graph's app roles. */
export async function checkGraphPermissions(graph: GraphClient, permissions: string[], o: Signal = {}): Promise<FieldCheck> {
    const wanted = [...new Set(permissions.map(p => p.trim()).filter(Boolean))];
    if (!wanted.length) return pass('No Microsoft Graph permission.');
    const graphApp = await servicePrincipalOf(graph, microsoftGraphAppId, o);
    const offered = new Map((graphApp?.appRoles ?? []).filter(r => r.allowedMemberTypes?.includes('Application') && r.value).map(r => [r.value!.toLowerCase(), r]));
    const unknown = wanted.filter(p => !offered.has(p.toLowerCase()));
    if (unknown.length) return fail(`${unknown.join(', ')}: not ${unknown.length === 1 ? 'an application permission' : 'application permissions'} of Microsoft Graph. Use the values Microsoft's permissions reference lists, e.g. User.Read.All.`);
    const writes = wanted.filter(p => /ReadWrite|\.Send$|Write\./i.test(p));
    return pass(`${wanted.join(', ')}: granted with admin consent, for the whole tenant.${writes.length ? ` ${writes.join(', ')} can change data everywhere in the tenant; for mailboxes, a mailbox access limited to a group is narrower.` : ''}`, writes.length > 0);
}

/** Exchange role groups by name; each must exist. */
export async function checkRoleGroups(exchange: ExchangeAdminClient, names: string[], o: Signal = {}): Promise<FieldCheck> {
    const wanted = names.map(r => r.trim()).filter(Boolean);
    if (!wanted.length) return pass('No Exchange role group.');
    try {
        for (const name of wanted) await resolveRoleGroup(exchange, name, o);
    } catch (error) {
        return asCheck(error);
    }
    return pass(`${wanted.join(', ')}: ${wanted.length === 1 ? 'a role group' : 'role groups'} of this organisation.`);
}

/** The wizard's fields that are checked against the tenant, by the name of the value they check. */
export type CheckedField = 'domain' | 'accountName' | 'licence' | 'groupAddress' | 'calendarGroup' | 'directoryRoles' | 'exchangeRoleGroups' | 'appName' | 'graphPermissions' | 'appDirectoryRoles';

/** What the field checks need from the wizard's values. */
export type CheckedValues = RecipeCheckedValues;

/**
 * Every live check at once, as the wizard's "Create Recipe" makes them before writing anything: only the parts the
 * values use (no Exchange call without role groups). The domain is checked on its own so a refusal names that field.
 */
export async function checkAllFields(deps: { graph: GraphClient; exchange: ExchangeAdminClient }, v: CheckedValues, o: Signal = {}): Promise<Partial<Record<CheckedField, FieldCheck>>> {
    const upn = userPrincipalNameOf(v);
    // An app-only recipe has no account (the wizard leaves its name empty): no domain or account to check.
    const checks: [CheckedField, Promise<FieldCheck>][] = v.accountName.trim() || !v.appName?.trim()
        ? [['domain', checkDomain(deps.graph, v.domain, o)], ['accountName', checkUserPrincipalNameField(deps.graph, upn, o)]]
        : [];
    if (v.appName?.trim()) checks.push(['appName', checkApplicationName(deps.graph, v.appName, o)]);
    if (v.graphPermissions?.some(p => p.trim())) checks.push(['graphPermissions', checkGraphPermissions(deps.graph, v.graphPermissions, o)]);
    if (v.appDirectoryRoles?.some(r => r.trim())) checks.push(['appDirectoryRoles', checkDirectoryRoles(deps.graph, v.appDirectoryRoles, { ...o, holder: 'app' })]);
    if (v.licenceSku.trim()) checks.push(['licence', checkLicence(deps.graph, v.licenceSku, v.licencePlans, upn, o)]);
    if (v.groupName.trim()) checks.push(['groupAddress', checkGroupAddress(deps.graph, v.groupAddress, o)]);
    // An app's mailbox scope is an Exchange group (its own check); an account's calendar grant, a directory group.
    if (v.calendarGroup.trim()) checks.push(['calendarGroup', v.appName?.trim() ? checkScopeGroup(deps.exchange, v.calendarGroup, o) : checkCalendarGroup(deps.graph, v.calendarGroup, o)]);
    if (v.directoryRoles.some(r => r.trim())) checks.push(['directoryRoles', checkDirectoryRoles(deps.graph, v.directoryRoles, { ...o, holder: 'account' })]);
    if (v.exchangeRoleGroups.some(r => r.trim())) checks.push(['exchangeRoleGroups', checkRoleGroups(deps.exchange, v.exchangeRoleGroups, o)]);
    const answers = await Promise.all(checks.map(([, check]) => check));
    return Object.fromEntries(checks.map(([field], i) => [field, answers[i]]));
}
