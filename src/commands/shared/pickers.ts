import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as vscode from 'vscode';
import { listRoleGroups, type DistributionGroupSummary, type RecipientSummary, type RoleGroupSummary } from '../../exchange/cmdlets';
import { freeUnits, groupKind, isPrivilegedRole, licenceName } from '../../graph/adminNames';
import { servicePlanName } from '../../shared/licensing/licenceNames';
import type { ListPage, PageRequest } from '../../graph/directoryPages';
import { listRoleDefinitions, subscribedSkus } from '../../graph/tenantCatalogue';
import { emptyMarker, emptyRow, pickManyStep, pickStep, type EmptyListRow, type StepPosition } from '../../platform/multiStep';
import type { TenantSession } from '../../platform/tenantSession';
import { UserCancelledError } from '../../shared/errors';
import { emptyLists, emptySearch, userWithoutMailbox } from './emptyPickers';

interface Item<T> extends vscode.QuickPickItem { value: T }

/**
 * A quick pick that searches the tenant as the admin types (one request per pause in typing, server-side, quotes
 * escaped by the query layer), so it works the same with 10 users or 100,000. Several matches are listed to choose
 * from: a name is never guessed. A search that finds nothing says why and what to do (`explainEmpty`, which may ask
 * the tenant once more, e.g. whether the name is a user without a mailbox), instead of an empty list.
 */
function searchPick<T>(
    title: string,
    placeholder: string,
    search: (request: PageRequest) => Promise<ListPage<T>>,
    toItem: (value: T) => Omit<Item<T>, 'value'>,
    explainEmpty: (text: string, signal: AbortSignal) => Promise<EmptyListRow>,
    position?: StepPosition,
): Promise<T> {
    return new Promise<T>((resolve, reject) => {
        const pick = vscode.window.createQuickPick<Item<T> | Item<typeof emptyMarker>>();
        pick.title = title;
        if (position) {
            pick.step = position.step;
            pick.totalSteps = position.totalSteps;
        }
        pick.placeholder = placeholder;
        pick.ignoreFocusOut = true;
        pick.matchOnDescription = true;
        let timer: NodeJS.Timeout | undefined;
        let abort: AbortController | undefined;
        let settled = false;
        const load = (text: string) => {
            abort?.abort();
            abort = new AbortController();
            const signal = abort.signal;
            pick.busy = true;
            search({ search: text, signal })
                .then(async page => {
                    if (signal.aborted) return;
                    pick.items = page.items.length ? page.items.map(v => ({ ...toItem(v), value: v, alwaysShow: true })) : [emptyRow(await explainEmpty(text.trim(), signal))];
                    pick.busy = false;
                })
                .catch((error: unknown) => {
                    if (signal.aborted) return;
                    pick.busy = false;
                    pick.items = [];
                    pick.placeholder = `Search failed: ${error instanceof Error ? error.message : String(error)}`;
                });
        };
        pick.onDidChangeValue(text => {
            if (timer) clearTimeout(timer);
            timer = setTimeout(() => load(text), 300);
        });
        pick.onDidAccept(() => {
            const chosen = pick.selectedItems[0];
            if (!chosen) return;
            settled = true;
            if (chosen.value === emptyMarker) reject(new UserCancelledError());
            else resolve(chosen.value);
            pick.hide();
        });
        pick.onDidHide(() => {
            abort?.abort();
            if (timer) clearTimeout(timer);
            pick.dispose();
            if (!settled) reject(new UserCancelledError());
        });
        pick.show();
        load('');
    });
}

const noExplanation = (kind: 'user' | 'group' | 'mailGroup') => (text: string) => Promise.resolve(emptySearch(kind, text));

export function pickUser(session: TenantSession, title: string, position?: StepPosition): Promise<MicrosoftGraph.User> {
    return searchPick(title, 'Type a name, UPN or address to search the tenant', r => session.directory.users(r), u => ({
        label: `$(${u.employeeType === 'ServiceAccount' ? 'robot' : 'person'}) ${u.displayName ?? ''}`,
        description: u.userPrincipalName ?? '',
        detail: [u.jobTitle, u.department, u.accountEnabled === false ? 'sign-in blocked' : undefined].filter(Boolean).join(' · ') || undefined,
    }), noExplanation('user'), position);
}

export function pickGroup(session: TenantSession, title: string, position?: StepPosition): Promise<MicrosoftGraph.Group> {
    return searchPick(title, 'Type a group name to search the tenant', r => session.directory.groups(r), g => ({ label: `$(organization) ${g.displayName ?? ''}`, description: [groupKind(g), g.mail].filter(Boolean).join(' · ') }), noExplanation('group'), position);
}

/**
 * A user or mail-enabled group Exchange can give folder permissions to (searched with -Anr). When none matches, one
 * more search, of the directory's users: a user found there has no mailbox, and the empty list says so.
 */
export function pickRecipient(session: TenantSession, title: string, position?: StepPosition): Promise<RecipientSummary> {
    const explain = async (text: string, signal: AbortSignal) => {
        if (!text) return emptySearch('grantee', text);
        const users = await session.directory.users({ search: text, signal }).catch(() => undefined);
        const user = users?.items[0];
        return user ? userWithoutMailbox(user.displayName ?? user.userPrincipalName ?? text) : emptySearch('grantee', text);
    };
    return searchPick<RecipientSummary>(
        title,
        'Type a name or address: a mailbox or a mail-enabled security group',
        r => session.exchangePages.grantees(r),
        r => ({ label: `$(${/Group/.test(r.RecipientTypeDetails) ? 'organization' : 'mail'}) ${r.DisplayName}`, description: `${r.PrimarySmtpAddress} · ${r.RecipientTypeDetails}` }),
        explain,
        position,
    );
}

export async function pickRole(session: TenantSession, title: string, position?: StepPosition): Promise<MicrosoftGraph.UnifiedRoleDefinition> {
    const roles = listRoleDefinitions(session.graph);
    return (await pickStep(roles.then(all => all.map(r => ({
        label: `${isPrivilegedRole(r) ? '$(warning) ' : ''}${r.displayName ?? ''}`,
        description: isPrivilegedRole(r) ? 'privileged' : '',
        detail: r.description ?? '',
        value: r,
    }))), { title, placeHolder: 'Choose a directory role (privileged roles are marked)', empty: emptyLists.roles, ...(position ? { position } : {}) })).value;
}

export async function pickSku(session: TenantSession, title: string, position?: StepPosition): Promise<MicrosoftGraph.SubscribedSku> {
    const skus = subscribedSkus(session.graph);
    return (await pickStep(skus.then(all => all.map(s => ({
        label: `$(credit-card) ${licenceName(s.skuPartNumber)}`,
        description: `${s.skuPartNumber ?? ''} · ${freeUnits(s)} free of ${s.prepaidUnits?.enabled ?? 0}`,
        detail: freeUnits(s) === 0 ? '$(error) No free licence: assigning it to someone new will fail' : undefined,
        value: s,
    }))), { title, placeHolder: 'Choose the licence (free units shown)', empty: emptyLists.licences, ...(position ? { position } : {}) })).value;
}

/**
 * Which plans to have on; preselects what the user already has on, or the given defaults. Each row reads as the admin
 * centre names the plan, with Graph's plan name (what a recipe holds, and what is returned) beside it.
 */
export async function pickPlans(sku: MicrosoftGraph.SubscribedSku, preselected: string[], title: string, position?: StepPosition): Promise<string[]> {
    const choice = await pickManyStep(
        (sku.servicePlans ?? []).map(p => ({ label: servicePlanName(p.servicePlanName ?? ''), description: [p.servicePlanName, p.appliesTo].filter(Boolean).join(' · '), picked: preselected.includes(p.servicePlanId ?? '') || preselected.includes(p.servicePlanName ?? ''), value: p.servicePlanName ?? '' })),
        { title, placeHolder: 'Tick only the service plans the account needs (the rest are switched off)', empty: emptyLists.plans, ...(position ? { position } : {}) },
    );
    return choice.map(c => c.value);
}

export async function pickRoleGroup(session: TenantSession, title: string, position?: StepPosition): Promise<RoleGroupSummary> {
    const groups = listRoleGroups(session.exchange);
    return (await pickStep(groups.then(all => all.map(g => ({ label: `$(shield) ${g.DisplayName || g.Name}`, description: `${g.Members?.length ?? 0} members`, detail: g.Description, value: g }))), { title, placeHolder: 'Choose an Exchange role group', empty: emptyLists.roleGroups, ...(position ? { position } : {}) })).value;
}

export async function pickMailGroup(session: TenantSession, title: string, position?: StepPosition): Promise<DistributionGroupSummary> {
    return searchPick(title, 'Type the name or address of a mail-enabled security group', r => session.exchangePages.mailEnabledSecurityGroups(r), g => ({ label: `$(mail) ${g.DisplayName}`, description: g.PrimarySmtpAddress }), noExplanation('mailGroup'), position);
}

/** One member of a role group or mail-enabled group, by the address Exchange knows it by. */
export async function pickMember(members: RecipientSummary[], title: string, group: string, position?: StepPosition): Promise<string> {
    return (await pickStep(members.map(m => ({ label: m.DisplayName, description: m.PrimarySmtpAddress, value: m.PrimarySmtpAddress || m.Identity })), { title, empty: emptyLists.members(group), ...(position ? { position } : {}) })).value;
}

export async function pickDomain(domains: string[], title: string, position?: StepPosition): Promise<string> {
    if (domains.length === 1) return domains[0];
    return (await pickStep(domains.map((d, i) => ({ label: d, description: i === 0 ? 'default' : '', value: d })), { title, placeHolder: 'Choose a verified domain', empty: emptyLists.domains, ...(position ? { position } : {}) })).value;
}
