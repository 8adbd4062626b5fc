import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import type { GraphClient } from './GraphClient';

/**
 * What a tenant offers to choose from: the licences it has bought, the directory roles it defines and the domains it
 * has verified. Each is small (a handful to a few hundred), read whole, and wanted by the Directory view, the
 * pickers, the setup wizard and the steps alike, so each is read by one function here.
 */
type Options = { signal?: AbortSignal };

/** Licences the tenant has bought. Graph allows no `$filter` on subscribedSkus: read them all and choose here. */
export async function subscribedSkus(graph: GraphClient, o: Options = {}): Promise<MicrosoftGraph.SubscribedSku[]> {
    return (await graph.get<{ value: MicrosoftGraph.SubscribedSku[] }>('/subscribedSkus', { scopes: ['Organization.Read.All'], ...o })).value;
}

/** Every directory role definition (built-in and custom, every page), by name: pickers, the Roles folder, name lookups. */
export async function listRoleDefinitions(graph: GraphClient, o: Options = {}): Promise<MicrosoftGraph.UnifiedRoleDefinition[]> {
    const all: MicrosoftGraph.UnifiedRoleDefinition[] = [];
    for await (const page of graph.pages<MicrosoftGraph.UnifiedRoleDefinition>('/roleManagement/directory/roleDefinitions?$select=id,displayName,description,templateId,isBuiltIn,isEnabled', { scopes: ['RoleManagement.Read.Directory'], ...o })) all.push(...page);
    return all.sort((a, b) => (a.displayName ?? '').localeCompare(b.displayName ?? ''));
}

/** The tenant's verified domains, the only ones a UPN may use; the default first. */
export async function verifiedDomains(graph: GraphClient, o: Options = {}): Promise<string[]> {
    const domains = await graph.get<{ value: MicrosoftGraph.Domain[] }>('/domains', { scopes: ['Domain.Read.All'], ...o });
    return domains.value.filter(d => d.isVerified).sort((a, b) => Number(b.isDefault) - Number(a.isDefault)).map(d => d.id ?? '');
}
