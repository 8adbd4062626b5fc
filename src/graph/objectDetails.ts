import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import type { ExchangePages } from '../exchange/exchangePages';
import { freeUnits, groupKind, isPrivilegedRole, licenceName } from './adminNames';
import type { DirectoryPages, ListPage } from './directoryPages';
import { isServiceAccount } from './serviceAccounts';
import { servicePlanName } from '../shared/licensing/licenceNames';

/** What "Show details" reads for an object, as one Markdown page an admin can read, print or paste into a ticket. */
export interface DetailsSources {
    directory: DirectoryPages;
    exchange: ExchangePages;
}

type Row = [string, unknown];

/** A plan as the admin centre names it, with Graph's plan name (what recipes and PowerShell use) after it. */
function planLabel(name: string | null | undefined): string {
    const friendly = servicePlanName(name ?? '');
    return friendly === name || !name ? (name ?? '') : `${friendly} (${name})`;
}

/** Markdown text for a table cell or heading: characters that would change the layout are escaped. */
function md(value: unknown): string {
    if (value === undefined || value === null || value === '') return '—';
    const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? `${value}` : JSON.stringify(value);
    return text.replace(/[\\`*[\]<>|#]/g, '\\$&').replace(/\r?\n/g, ' ');
}

function table(rows: Row[]): string {
    return ['| property | value |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${md(Array.isArray(v) ? v.join(', ') : v)} |`)].join('\n');
}

function bullets(items: string[], empty: string): string {
    return items.length ? items.map(i => `- ${i}`).join('\n') : `_${empty}_`;
}

/** Page 1 is what the details show of a long list; the text says when there is more. */
function more<T>(page: ListPage<T>): string {
    return page.nextLink ? '\n\n_Only the first 100 are listed; expand the folder in the Directory view for all of them._' : '';
}

export async function userDetails(sources: DetailsSources, userId: string, signal?: AbortSignal): Promise<string> {
    const d = sources.directory;
    const [user, groups, roles, licences] = await Promise.all([d.user(userId, signal), d.memberOf(userId, { ...(signal ? { signal } : {}) }), d.rolesOf(userId, { ...(signal ? { signal } : {}) }), d.licenceDetails(userId, { ...(signal ? { signal } : {}) })]);
    const u = user;
    const parts = [
        `# ${md(u.displayName)}`,
        `${isServiceAccount(u) ? 'Service account' : u.userType === 'Guest' ? 'Guest user' : 'User'} · ${md(u.userPrincipalName)}`,
        '## Properties',
        table([
            ['User principal name', u.userPrincipalName],
            ['Mail', u.mail],
            ['Sign-in', u.accountEnabled === false ? 'blocked' : 'allowed'],
            ['Usage location', u.usageLocation ?? 'not set: needed before a licence can be assigned'],
            ['Job title', u.jobTitle],
            ['Department', u.department],
            ['Office', u.officeLocation],
            ['Employee type', u.employeeType],
            ['Password policies', u.passwordPolicies],
            ['Created', u.createdDateTime],
            ['Object id', u.id],
        ]),
        '## Group memberships (direct)',
        bullets(groups.items.map(g => `${md(g.displayName)} (${groupKind(g as MicrosoftGraph.Group)})`), 'Member of no group') + more(groups),
        '## Directory roles',
        bullets(roles.items.map(a => `${md(a.roleDefinition?.displayName ?? a.roleDefinitionId)}${a.roleDefinition && isPrivilegedRole(a.roleDefinition) ? ' **(privileged)**' : ''}, scope ${md(a.directoryScopeId === '/' ? 'whole tenant' : a.directoryScopeId)}`), 'No directory role'),
        '## Licences',
        licences.items.length
            ? licences.items.map(l => {
                  const plans = l.servicePlans ?? [];
                  const on = plans.filter(p => p.provisioningStatus !== 'Disabled');
                  const off = plans.filter(p => p.provisioningStatus === 'Disabled');
                  return `### ${md(licenceName(l.skuPartNumber))}\n\nEnabled plans (${on.length} of ${plans.length}): ${on.map(p => md(planLabel(p.servicePlanName))).join(', ') || 'none'}${off.length ? `\n\nDisabled: ${off.map(p => md(planLabel(p.servicePlanName))).join(', ')}` : ''}`;
              }).join('\n\n')
            : '_No licence_',
    ];
    return parts.join('\n\n') + '\n';
}

export async function groupDetails(sources: DetailsSources, groupId: string, signal?: AbortSignal): Promise<string> {
    const d = sources.directory;
    const [g, members] = await Promise.all([d.group(groupId, signal), d.groupMembers(groupId, { ...(signal ? { signal } : {}) })]);
    return [
        `# ${md(g.displayName)}`,
        `${groupKind(g)} group`,
        '## Properties',
        table([['Description', g.description], ['Mail', g.mail], ['Mail nickname', g.mailNickname], ['Mail-enabled', g.mailEnabled], ['Security-enabled', g.securityEnabled], ['Group types', g.groupTypes], ['Created', g.createdDateTime], ['Object id', g.id]]),
        '## Direct members',
        bullets(members.items.map(m => `${md(m.displayName)} (${md((m['@odata.type'] ?? '').replace('#microsoft.graph.', ''))}${m.userPrincipalName ? `, ${md(m.userPrincipalName)}` : ''})`), 'No members') + more(members),
    ].join('\n\n') + '\n';
}

export async function roleDetails(sources: DetailsSources, roleId: string, signal?: AbortSignal): Promise<string> {
    const d = sources.directory;
    const [definitions, members] = await Promise.all([d.roleDefinitions({ ...(signal ? { signal } : {}) }), d.roleMembers(roleId, { ...(signal ? { signal } : {}) })]);
    const role = definitions.items.find(r => r.id === roleId);
    return [
        `# ${md(role?.displayName ?? roleId)}`,
        role && isPrivilegedRole(role) ? '**Privileged role**: it can change credentials, security settings or other admins\' access.' : 'Directory role',
        '## Properties',
        table([['Description', role?.description], ['Built in', role?.isBuiltIn], ['Template id', role?.templateId], ['Id', roleId]]),
        '## Members',
        bullets(members.items.map(a => `${md(a.principal?.displayName ?? a.principalId)}${a.principal?.userPrincipalName ? ` (${md(a.principal.userPrincipalName)})` : ''}`), 'Nobody holds this role') + more(members),
    ].join('\n\n') + '\n';
}

export async function licenceDetails(sources: DetailsSources, skuId: string, signal?: AbortSignal): Promise<string> {
    const skus = await sources.directory.subscribedSkus({ ...(signal ? { signal } : {}) });
    const sku = skus.items.find(s => s.skuId === skuId);
    if (!sku) throw new Error(`The tenant has no licence with SKU id ${skuId} any more. Refresh the Directory view.`);
    return [
        `# ${md(licenceName(sku.skuPartNumber))}`,
        `${md(sku.skuPartNumber)} · ${sku.consumedUnits ?? 0} of ${sku.prepaidUnits?.enabled ?? 0} used, ${freeUnits(sku)} free`,
        '## Units',
        table([['Enabled', sku.prepaidUnits?.enabled], ['Consumed', sku.consumedUnits], ['Suspended', sku.prepaidUnits?.suspended], ['Warning', sku.prepaidUnits?.warning], ['Capability status', sku.capabilityStatus], ['SKU id', sku.skuId]]),
        '## Service plans',
        ['| plan | applies to | status | id |', '| --- | --- | --- | --- |', ...(sku.servicePlans ?? []).map(p => `| ${md(planLabel(p.servicePlanName))} | ${md(p.appliesTo)} | ${md(p.provisioningStatus)} | ${md(p.servicePlanId)} |`)].join('\n'),
    ].join('\n\n') + '\n';
}

export async function mailboxDetails(sources: DetailsSources, address: string, displayName: string, signal?: AbortSignal): Promise<string> {
    const permissions = await sources.exchange.calendarPermissions(address, { ...(signal ? { signal } : {}) });
    return [
        `# ${md(displayName)}`,
        `Mailbox ${md(address)}`,
        `## Calendar permissions (${md(permissions.folder)})`,
        ['| who | access rights |', '| --- | --- |', ...permissions.items.map(p => `| ${md(p.User.DisplayName)} | ${md(p.AccessRights.join(', '))} |`)].join('\n'),
    ].join('\n\n') + '\n';
}
