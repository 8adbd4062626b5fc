import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import type { ExchangeAdminClient } from '../../exchange/ExchangeAdminClient';
import type { GraphClient } from '../../graph/GraphClient';
import { ProvisioningInputError } from '../errors';
import { TenantReads } from '../steps/tenantReads';
import type { Recipe, RecipeMailEnabledGroup } from './recipe';

/**
 * "Offboard Service Account…": a recipe that takes away what the tenant shows the account holds, then deletes it:
 * its tenant-wide directory roles, its Exchange role groups, its licence (any other licence is released with the
 * account), and its membership of mail-enabled security groups (the groups stay). The admin sees it as a recipe and a
 * plan before anything changes, and can save it next to the integration's other recipes.
 *
 * Calendar access given to the account itself is not listed: finding it means reading every mailbox. Access given
 * through a group goes with the group membership.
 */
export async function offboardingRecipeFor(deps: { graph: GraphClient; exchange: ExchangeAdminClient }, upnOrId: string, o: { signal?: AbortSignal } = {}): Promise<Recipe> {
    const reads = new TenantReads(deps.graph, deps.exchange, o);
    const user = await reads.user(upnOrId);
    if (!user?.id || !user.userPrincipalName) throw new ProvisioningInputError(`There is no user ${upnOrId.trim()} in this tenant to offboard. Pick the account in the Directory view.`, 'user');
    const upn = user.userPrincipalName;
    const [definitions, assignments, skus, roleGroups, groups] = await Promise.all([reads.roleDefinitions(), reads.roleAssignments(user.id), reads.skus(), reads.roleGroupsOf(user), mailGroupsOf(deps.graph, user.id, o)]);
    const roles = assignments.map(a => definitions.find(d => d.id === a.roleDefinitionId)?.displayName).filter((n): n is string => Boolean(n));
    const sku = skus.find(s => s.skuId === user.assignedLicenses?.[0]?.skuId);
    return {
        name: `Offboard ${user.displayName ?? upn}`,
        description: `Takes away what ${upn} holds, then disables and deletes it (Entra keeps a deleted user 30 days in Deleted users). Written from the tenant on ${new Date().toISOString().slice(0, 10)}.`,
        serviceAccounts: [{
            userPrincipalName: upn,
            displayName: user.displayName ?? upn,
            usageLocation: user.usageLocation ?? 'US',
            ...(roles.length ? { directoryRoles: [...new Set(roles)].sort() } : {}),
            ...(roleGroups.length ? { exchangeRoleGroups: roleGroups.map(g => g.DisplayName || g.Name) } : {}),
            ...(sku?.skuPartNumber ? { licence: { sku: sku.skuPartNumber, enabledPlans: 'all' as const } } : {}),
            ensure: 'absent',
        }],
        ...(groups.length ? { mailEnabledGroups: groups.map((g): RecipeMailEnabledGroup => ({ name: g.displayName ?? g.mail ?? '', primarySmtpAddress: g.mail ?? '', members: [upn] })) } : {}),
    };
}

/** Mail-enabled security groups the account is a direct member of (Exchange's groups; Microsoft 365 groups are not). */
async function mailGroupsOf(graph: GraphClient, userId: string, o: { signal?: AbortSignal }): Promise<MicrosoftGraph.Group[]> {
    const groups: MicrosoftGraph.Group[] = [];
    for await (const page of graph.pages<MicrosoftGraph.Group & { '@odata.type'?: string }>(`/users/${encodeURIComponent(userId)}/memberOf?$select=id,displayName,mail,mailEnabled,securityEnabled,groupTypes`, { scopes: ['Group.Read.All'], ...o })) {
        groups.push(...page.filter(g => g['@odata.type'] === '#microsoft.graph.group' && g.mailEnabled && g.securityEnabled && !(g.groupTypes ?? []).includes('Unified') && g.mail));
    }
    return groups;
}
