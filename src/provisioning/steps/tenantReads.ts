import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import { getDistributionGroup, getRecipient, getUser, listAcceptedDomains, listDistributionGroupMembers, listRoleGroupMembers, listRoleGroups, type DistributionGroupSummary, type RecipientSummary, type RoleGroupSummary } from '../../exchange/cmdlets';
import type { ExchangeAdminClient } from '../../exchange/ExchangeAdminClient';
import { ExchangeCommandError } from '../../exchange/ExchangeCommandError';
import type { GraphClient } from '../../graph/GraphClient';
import { filterParam, odataString } from '../../graph/odata';
import { applicationOwners, applicationsNamed, appRoleAssignmentsOf, exchangeOnlineAppId, microsoftGraphAppId, servicePrincipalOf } from '../../graph/applications';
import { listExchangeServicePrincipals, listManagementScopes, roleAssignmentsOf, type ExchangeServicePrincipal, type ManagementRoleAssignment, type ManagementScope } from '../../exchange/applicationAccess';
import { listRoleDefinitions, subscribedSkus, verifiedDomains } from '../../graph/tenantCatalogue';
import { countTransitiveUsers, resolveGroup, userIfAny } from './lookup';

type Signal = { signal?: AbortSignal };

/**
 * Everything the steps read from the tenant, each thing read at most once per plan (or per command): a recipe with
 * three accounts reads the domains, the licences, the role definitions and the role groups once, and each account
 * once, however many steps ask. Reads are shared as promises, so steps planned side by side never read twice either.
 *
 * `recipeMakes` names what the recipe being planned creates (accounts by UPN, groups by address, lower case), or an
 * account the caller has just created, so a step that needs one of them before it exists (or before Exchange has it)
 * plans "create" instead of "blocked: no such recipient".
 */
export class TenantReads {
    private readonly memo = new Map<string, Promise<unknown>>();
    /** Licence units this plan already counts on, by SKU id: a second account needs a second free unit. */
    readonly unitsCounted = new Map<string, number>();

    constructor(
        private readonly graphClient: GraphClient | undefined,
        /** Either client is absent for commands that use only the other; reading through it then is a programming error. */
        private readonly exo: ExchangeAdminClient | undefined,
        readonly o: Signal = {},
        readonly recipeMakes: { accounts: ReadonlySet<string>; groups: ReadonlySet<string> } = { accounts: new Set(), groups: new Set() },
    ) {}

    get graph(): GraphClient {
        if (!this.graphClient) throw new Error('This step reads Microsoft Graph, but it was given no Graph client.');
        return this.graphClient;
    }

    get exchange(): ExchangeAdminClient {
        if (!this.exo) throw new Error('This step reads Exchange, but it was given no Exchange client.');
        return this.exo;
    }

    private once<T>(key: string, read: () => Promise<T>): Promise<T> {
        let found = this.memo.get(key) as Promise<T> | undefined;
        if (!found) {
            found = read();
            this.memo.set(key, found);
        }
        return found;
    }

    /** The tenant's verified domains, the default first: the only ones a UPN may use. */
    verifiedDomains(): Promise<string[]> {
        return this.once('domains', async () => {
            return verifiedDomains(this.graph, this.o);
        });
    }

    /**
     * The domains Exchange takes mail for, lower case (Get-AcceptedDomain; office-docs-powershell Get-AcceptedDomain.md:
     * DomainName, DomainType). A group's address must be on one of them.
     */
    acceptedDomains(): Promise<string[]> {
        return this.once('acceptedDomains', async () => (await listAcceptedDomains(this.exchange, this.o)).map(d => String(d.DomainName).toLowerCase()));
    }

    /** Every licence the tenant has (Graph allows no $filter on subscribedSkus; a tenant has a handful). */
    skus(): Promise<MicrosoftGraph.SubscribedSku[]> {
        return this.once('skus', () => subscribedSkus(this.graph, this.o));
    }

    roleDefinitions(): Promise<MicrosoftGraph.UnifiedRoleDefinition[]> {
        return this.once('roleDefinitions', () => listRoleDefinitions(this.graph, this.o));
    }

    roleGroups(): Promise<RoleGroupSummary[]> {
        return this.once('roleGroups', () => listRoleGroups(this.exchange, this.o));
    }

    /** The user with this UPN or object id (licences and usage location included), or undefined. */
    user(upnOrId: string): Promise<MicrosoftGraph.User | undefined> {
        return this.once(`user:${upnOrId.trim().toLowerCase()}`, () => userIfAny(this.graph, upnOrId, this.o));
    }

    /** The principal's tenant-wide directory role assignments, all of them in one read. */
    roleAssignments(principalId: string): Promise<MicrosoftGraph.UnifiedRoleAssignment[]> {
        return this.once(`assignments:${principalId}`, async () => {
            const answer = await this.graph.get<{ value: MicrosoftGraph.UnifiedRoleAssignment[] }>(`/roleManagement/directory/roleAssignments?${filterParam(`principalId eq ${odataString(principalId)}`)}`, { scopes: ['RoleManagement.Read.Directory'], ...this.o });
            return answer.value.filter(a => a.directoryScopeId === '/');
        });
    }

    /** Members of an Exchange role group (by its Name), each by every name Exchange gives it, lower case. */
    roleGroupMembers(name: string): Promise<string[][]> {
        return this.once(`roleGroupMembers:${name.toLowerCase()}`, async () => {
            return (await listRoleGroupMembers(this.exchange, name, this.o)).map(namesOf);
        });
    }

    /**
     * The role groups the user is a member of. Get-RoleGroup names each group's members (by display name), so only a
     * group that may hold the user is asked for its member list.
     */
    async roleGroupsOf(user: Pick<MicrosoftGraph.User, 'id' | 'displayName' | 'userPrincipalName'>): Promise<RoleGroupSummary[]> {
        const names = new Set([user.displayName, user.userPrincipalName, user.id].filter(Boolean).map(n => String(n).toLowerCase()));
        const candidates = (await this.roleGroups()).filter(g => (g.Members ?? []).some(m => names.has(m.toLowerCase())));
        const holds = await Promise.all(candidates.map(async g => (await this.roleGroupMembers(g.Name)).some(m => m.some(n => names.has(n)))));
        return candidates.filter((_, i) => holds[i]);
    }

    /** Who answers to an address in Exchange, or undefined when nobody does. */
    recipient(address: string): Promise<RecipientSummary | undefined> {
        return this.once(`recipient:${address.trim().toLowerCase()}`, () => unlessNotFound(getRecipient(this.exchange, address.trim(), this.o)));
    }

    /** The user as Exchange knows it (Get-User: mailbox or not), or undefined while Exchange has not got it. */
    exchangeUser(identity: string): Promise<RecipientSummary | undefined> {
        return this.once(`exchangeUser:${identity.trim().toLowerCase()}`, () => unlessNotFound(getUser(this.exchange, identity.trim(), this.o)));
    }

    distributionGroup(address: string): Promise<DistributionGroupSummary | undefined> {
        return this.once(`distributionGroup:${address.trim().toLowerCase()}`, () => getDistributionGroup(this.exchange, address.trim(), this.o));
    }

    /** Members of a mail-enabled group, as Exchange lists them. */
    distributionGroupMemberList(address: string): Promise<RecipientSummary[]> {
        return this.once(`distributionGroupMembers:${address.trim().toLowerCase()}`, () => listDistributionGroupMembers(this.exchange, address.trim(), this.o));
    }

    /** Members of a mail-enabled group, each by every name Exchange gives it, lower case. */
    async distributionGroupMembers(address: string): Promise<string[][]> {
        return (await this.distributionGroupMemberList(address)).map(namesOf);
    }

    /** A group by object id or exact display name (refused when none or several match). */
    group(nameOrId: string): Promise<MicrosoftGraph.Group> {
        return this.once(`group:${nameOrId.trim().toLowerCase()}`, () => resolveGroup(this.graph, nameOrId, this.o));
    }

    transitiveUsers(groupId: string): Promise<{ users: number; withMail: number }> {
        return this.once(`transitiveUsers:${groupId}`, () => countTransitiveUsers(this.graph, groupId, this.o));
    }

    /** App registrations with this display name (Entra does not keep names unique: the steps refuse two). */
    applicationsNamed(displayName: string): Promise<MicrosoftGraph.Application[]> {
        return this.once(`applications:${displayName.trim().toLowerCase()}`, async () => (await applicationsNamed(this.graph, displayName.trim(), this.o)).filter(a => a.displayName?.toLowerCase() === displayName.trim().toLowerCase()));
    }

    /** The registration's owners (by object id). */
    applicationOwners(applicationId: string): Promise<MicrosoftGraph.DirectoryObject[]> {
        return this.once(`applicationOwners:${applicationId}`, () => applicationOwners(this.graph, applicationId, this.o));
    }

    /** The service principal of an application id (the tenant's own app, Microsoft Graph, Exchange Online), or undefined. */
    servicePrincipal(appId: string): Promise<MicrosoftGraph.ServicePrincipal | undefined> {
        return this.once(`servicePrincipal:${appId.toLowerCase()}`, () => servicePrincipalOf(this.graph, appId, this.o));
    }

    /** The API's service principal in this tenant, with the app roles (application permissions) it offers. */
    resourceServicePrincipal(api: 'Microsoft Graph' | 'Office 365 Exchange Online'): Promise<MicrosoftGraph.ServicePrincipal | undefined> {
        return this.servicePrincipal(api === 'Microsoft Graph' ? microsoftGraphAppId : exchangeOnlineAppId);
    }

    /** The application permissions granted to a service principal, on every API. */
    appRoleAssignments(servicePrincipalId: string): Promise<MicrosoftGraph.AppRoleAssignment[]> {
        return this.once(`appRoleAssignments:${servicePrincipalId}`, () => appRoleAssignmentsOf(this.graph, servicePrincipalId, this.o));
    }

    /** Exchange's pointer to the app's service principal (RBAC for Applications), or undefined. */
    async exchangeServicePrincipal(appId: string): Promise<ExchangeServicePrincipal | undefined> {
        const all = await this.once('exchangeServicePrincipals', () => listExchangeServicePrincipals(this.exchange, this.o));
        return all.find(sp => sp.AppId.toLowerCase() === appId.toLowerCase());
    }

    /** Every management scope of the organisation (a handful). */
    managementScopes(): Promise<ManagementScope[]> {
        return this.once('managementScopes', () => listManagementScopes(this.exchange, this.o));
    }

    /** The Exchange role assignments of a service principal pointer (by its Identity). */
    exchangeRoleAssignments(pointer: string): Promise<ManagementRoleAssignment[]> {
        return this.once(`exchangeRoleAssignments:${pointer.toLowerCase()}`, () => roleAssignmentsOf(this.exchange, pointer, this.o));
    }

    /**
     * Whether this account or group is expected to exist by the time the step writes, though a read may not show it
     * yet: the recipe being planned creates it, or the caller has just created or seen it (Exchange and role management
     * learn of a new account minutes after Entra).
     */
    expected(upnOrAddress: string): boolean {
        const key = upnOrAddress.trim().toLowerCase();
        return this.recipeMakes.accounts.has(key) || this.recipeMakes.groups.has(key);
    }
}

/** What Exchange answered, or undefined when it says the object is not there. */
async function unlessNotFound<T>(answer: Promise<T | undefined>): Promise<T | undefined> {
    try {
        return await answer;
    } catch (error) {
        if (error instanceof ExchangeCommandError && error.isNotFound) return undefined;
        throw error;
    }
}

/** Every name Exchange gives a recipient, lower case: a member typed by UPN is found by any of them. */
export function namesOf(r: { Identity?: string; DisplayName?: string; PrimarySmtpAddress?: string; ExternalDirectoryObjectId?: string; UserPrincipalName?: string }): string[] {
    return [r.Identity, r.DisplayName, r.PrimarySmtpAddress, r.ExternalDirectoryObjectId, r.UserPrincipalName].filter((v): v is string => Boolean(v)).map(v => v.toLowerCase());
}
