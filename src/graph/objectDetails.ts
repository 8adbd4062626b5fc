import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import type { RecipientSummary } from '../exchange/cmdlets';
import type { ExchangePages } from '../exchange/exchangePages';
import { freeUnits, groupKind, isPrivilegedRole, licenceName } from './adminNames';
import type { DirectoryPages, ListPage } from './directoryPages';
import type { DetailsFact, DetailsItem, ObjectDetails } from './detailsModel';
import { isServiceAccount } from './serviceAccounts';
import { servicePlanName } from '../shared/licensing/licenceNames';

export type { DetailsFact, DetailsItem, DetailsSection, ObjectDetails } from './detailsModel';

/** What "Show Details" reads an object from. */
export interface DetailsSources {
    directory: DirectoryPages;
    exchange: ExchangePages;
}

/** The kinds "Show Details" can read. */
export interface DetailsTarget {
    kind: 'user' | 'group' | 'role' | 'licence' | 'mailbox' | 'roleGroup' | 'distributionGroup';
    id: string;
    displayName: string;
    userPrincipalName?: string;
}

/** The one place a licence's name is rendered in the details (Microsoft's product name); the part number is in the facts. */
export function skuShownName(skuPartNumber: string | null | undefined): string {
    return licenceName(skuPartNumber);
}

/**
 * The one place a service plan's name is rendered in the details: as the admin centre names it, with Graph's plan
 * name (what recipes and PowerShell use) after it when they differ.
 */
export function planShownName(planName: string | null | undefined): string {
    if (!planName) return '';
    const friendly = servicePlanName(planName);
    return friendly === planName ? planName : `${friendly} (${planName})`;
}

const text = (value: unknown): string => {
    if (value === undefined || value === null) return '';
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return `${value}`;
    if (Array.isArray(value)) return value.map(text).join(', ');
    return JSON.stringify(value);
};

const fact = (label: string, value: unknown, copy = false): DetailsFact => ({ label, value: text(value), ...(copy && text(value) ? { copy: true } : {}) });

/** Page 1 is what the details show of a long list; the view says when there is more. */
const more = <T>(page: ListPage<T>) => (page.nextLink ? { more: 'Only the first 100 are listed; expand the folder in the Directory view for all of them.' } : {});

const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});

export function objectDetails(sources: DetailsSources, target: DetailsTarget, signal?: AbortSignal): Promise<ObjectDetails> {
    switch (target.kind) {
        case 'user':
            return userDetails(sources, target.id, signal);
        case 'group':
            return groupDetails(sources, target.id, signal);
        case 'role':
            return roleDetails(sources, target.id, signal);
        case 'licence':
            return licenceDetails(sources, target.id, signal);
        case 'mailbox':
            return mailboxDetails(sources, target.userPrincipalName ?? target.id, target.displayName, signal);
        case 'roleGroup':
            return roleGroupDetails(sources, target.id, signal);
        case 'distributionGroup':
            return mailGroupDetails(sources, target.userPrincipalName ?? target.id, signal);
    }
}

export async function userDetails(sources: DetailsSources, userId: string, signal?: AbortSignal): Promise<ObjectDetails> {
    const d = sources.directory;
    const [u, groups, roles, licences] = await Promise.all([d.user(userId, signal), d.memberOf(userId, withSignal(signal)), d.rolesOf(userId, withSignal(signal)), d.licenceDetails(userId, withSignal(signal))]);
    return {
        kind: isServiceAccount(u) ? 'Service account' : u.userType === 'Guest' ? 'Guest user' : 'User',
        name: text(u.displayName),
        summary: text(u.userPrincipalName),
        sections: [
            {
                heading: 'Identity',
                facts: [fact('User principal name', u.userPrincipalName, true), fact('Mail', u.mail, true), fact('Job title', u.jobTitle), fact('Department', u.department), fact('Office', u.officeLocation), fact('Employee type', u.employeeType), fact('Created', u.createdDateTime), fact('Object id', u.id, true)],
            },
            {
                heading: 'Account state',
                facts: [fact('Sign-in', u.accountEnabled === false ? 'blocked' : 'allowed'), fact('Usage location', u.usageLocation ?? 'not set: needed before a licence can be assigned'), fact('Password policies', u.passwordPolicies)],
            },
            {
                heading: 'Licences and service plans',
                items: licences.items.map(l => {
                    const plans = l.servicePlans ?? [];
                    const on = plans.filter(p => p.provisioningStatus !== 'Disabled');
                    const off = plans.filter(p => p.provisioningStatus === 'Disabled');
                    const detail = `Enabled plans (${on.length} of ${plans.length}): ${on.map(p => planShownName(p.servicePlanName)).join(', ') || 'none'}${off.length ? `. Disabled: ${off.map(p => planShownName(p.servicePlanName)).join(', ')}` : ''}`;
                    return { text: skuShownName(l.skuPartNumber), detail };
                }),
                empty: 'No licence',
            },
            {
                heading: 'Directory roles',
                items: roles.items.map(a => ({
                    text: text(a.roleDefinition?.displayName ?? a.roleDefinitionId),
                    detail: `scope ${a.directoryScopeId === '/' ? 'whole tenant' : text(a.directoryScopeId)}`,
                    ...(a.roleDefinition && isPrivilegedRole(a.roleDefinition) ? { badge: 'privileged' } : {}),
                })),
                empty: 'No directory role',
            },
            { heading: 'Group memberships (direct)', items: groups.items.map(g => ({ text: text(g.displayName), detail: `${groupKind(g as MicrosoftGraph.Group)} group` })), empty: 'Member of no group', ...more(groups) },
        ],
    };
}

export async function groupDetails(sources: DetailsSources, groupId: string, signal?: AbortSignal): Promise<ObjectDetails> {
    const d = sources.directory;
    const [g, members] = await Promise.all([d.group(groupId, signal), d.groupMembers(groupId, withSignal(signal))]);
    return {
        kind: `${groupKind(g)} group`,
        name: text(g.displayName),
        summary: text(g.mail ?? g.description),
        sections: [
            { heading: 'Identity', facts: [fact('Description', g.description), fact('Mail', g.mail, true), fact('Mail nickname', g.mailNickname), fact('Created', g.createdDateTime), fact('Object id', g.id, true)] },
            { heading: 'Kind', facts: [fact('Mail-enabled', g.mailEnabled), fact('Security-enabled', g.securityEnabled), fact('Group types', g.groupTypes)] },
            {
                heading: 'Direct members',
                items: members.items.map(m => ({ text: text(m.displayName), detail: [text(m['@odata.type']).replace('#microsoft.graph.', ''), text(m.userPrincipalName)].filter(Boolean).join(', ') })),
                empty: 'No members',
                ...more(members),
            },
        ],
    };
}

export async function roleDetails(sources: DetailsSources, roleId: string, signal?: AbortSignal): Promise<ObjectDetails> {
    const d = sources.directory;
    const [definitions, members] = await Promise.all([d.roleDefinitions(withSignal(signal)), d.roleMembers(roleId, withSignal(signal))]);
    const role = definitions.items.find(r => r.id === roleId);
    const privileged = role ? isPrivilegedRole(role) : false;
    return {
        kind: privileged ? 'Privileged role' : 'Directory role',
        name: text(role?.displayName ?? roleId),
        summary: privileged ? 'It can change credentials, security settings or other admins\' access.' : text(role?.description),
        sections: [
            { heading: 'Identity', facts: [fact('Description', role?.description), fact('Built in', role?.isBuiltIn), fact('Template id', role?.templateId, true), fact('Id', roleId, true)] },
            { heading: 'Members', items: members.items.map(a => ({ text: text(a.principal?.displayName ?? a.principalId), ...(a.principal?.userPrincipalName ? { detail: a.principal.userPrincipalName } : {}) })), empty: 'Nobody holds this role', ...more(members) },
        ],
    };
}

export async function licenceDetails(sources: DetailsSources, skuId: string, signal?: AbortSignal): Promise<ObjectDetails> {
    const skus = await sources.directory.subscribedSkus(withSignal(signal));
    const sku = skus.items.find(s => s.skuId === skuId);
    if (!sku) throw new Error(`The tenant has no licence with SKU id ${skuId} any more. Refresh the Directory view.`);
    return {
        kind: 'Licence',
        name: skuShownName(sku.skuPartNumber),
        summary: `${sku.consumedUnits ?? 0} of ${sku.prepaidUnits?.enabled ?? 0} used, ${freeUnits(sku)} free`,
        sections: [
            { heading: 'Identity', facts: [fact('Part number', sku.skuPartNumber, true), fact('SKU id', sku.skuId, true), fact('Capability status', sku.capabilityStatus)] },
            { heading: 'Units', facts: [fact('Enabled', sku.prepaidUnits?.enabled), fact('Consumed', sku.consumedUnits), fact('Free', freeUnits(sku)), fact('Suspended', sku.prepaidUnits?.suspended), fact('Warning', sku.prepaidUnits?.warning)] },
            {
                heading: 'Service plans',
                items: (sku.servicePlans ?? []).map(p => ({ text: planShownName(p.servicePlanName), detail: [`applies to ${text(p.appliesTo)}`, text(p.provisioningStatus), text(p.servicePlanId)].filter(Boolean).join(' · ') })),
                empty: 'No service plans',
            },
        ],
    };
}

export async function mailboxDetails(sources: DetailsSources, address: string, displayName: string, signal?: AbortSignal): Promise<ObjectDetails> {
    const permissions = await sources.exchange.calendarPermissions(address, withSignal(signal));
    return {
        kind: 'Mailbox',
        name: displayName,
        summary: address,
        sections: [
            { heading: 'Identity', facts: [fact('Address', address, true)] },
            { heading: `Calendar permissions (${permissions.folder})`, items: permissions.items.map(p => ({ text: text(p.User.DisplayName), detail: p.AccessRights.join(', ') })), empty: 'Nobody has access' },
        ],
    };
}

/** Both reads run at once; a group that is gone is said as such, rather than as its member read's error. */
function valueOf<T>(result: PromiseSettledResult<T>): T {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
}

/** A member as Exchange lists it: the name, and the address and kind that tell two of the same name apart. */
const recipientItem = (r: RecipientSummary): DetailsItem => ({ text: r.DisplayName || r.Identity, detail: [r.PrimarySmtpAddress, r.RecipientTypeDetails].filter(Boolean).join(' · ') });

export async function roleGroupDetails(sources: DetailsSources, name: string, signal?: AbortSignal): Promise<ObjectDetails> {
    const [groups, memberRead] = await Promise.allSettled([sources.exchange.roleGroups(withSignal(signal)), sources.exchange.roleGroupMembers(name, withSignal(signal))]);
    const group = valueOf(groups).items.find(g => g.Name === name);
    if (!group) throw new Error(`Exchange has no role group called ${name} any more. Refresh the Directory view.`);
    const members = valueOf(memberRead);
    return {
        kind: 'Exchange role group',
        name: group.DisplayName || group.Name,
        summary: text(group.Description),
        sections: [
            { heading: 'Identity', facts: [fact('Name', group.Name, true), fact('Description', group.Description)] },
            { heading: 'Exchange roles', items: (group.Roles ?? []).map(r => ({ text: r })), empty: 'No management roles' },
            { heading: 'Members', items: members.items.map(recipientItem), empty: 'No members' },
        ],
    };
}

/** A mail-enabled security group as Exchange has it: found by its address (one -Anr search), with its members. */
export async function mailGroupDetails(sources: DetailsSources, address: string, signal?: AbortSignal): Promise<ObjectDetails> {
    const [found, memberRead] = await Promise.allSettled([sources.exchange.mailEnabledSecurityGroups({ search: address, ...withSignal(signal) }), sources.exchange.distributionGroupMembers(address, withSignal(signal))]);
    const group = valueOf(found).items.find(g => g.PrimarySmtpAddress.toLowerCase() === address.toLowerCase());
    if (!group) throw new Error(`Exchange has no mail-enabled group at ${address} any more. Refresh the Directory view.`);
    const members = valueOf(memberRead);
    return {
        kind: 'Mail-enabled security group',
        name: group.DisplayName || group.Name,
        summary: group.PrimarySmtpAddress,
        sections: [
            { heading: 'Identity', facts: [fact('Address', group.PrimarySmtpAddress, true), fact('Name', group.Name), fact('Object id', group.ExternalDirectoryObjectId, true)] },
            {
                heading: 'Exchange settings',
                facts: [
                    fact('Group type', group.GroupType),
                    fact('Hidden from address lists', group.HiddenFromAddressListsEnabled ? 'yes' : 'no'),
                    fact('Joining', group.MemberJoinRestriction),
                    fact('Leaving', group.MemberDepartRestriction),
                    fact('Accepts mail from', group.AcceptMessagesOnlyFromSendersOrMembers?.length ? group.AcceptMessagesOnlyFromSendersOrMembers : 'anyone'),
                ],
            },
            { heading: 'Members', items: members.items.map(recipientItem), empty: 'No members', ...more(members) },
        ],
    };
}
