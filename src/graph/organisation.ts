import type { GraphClient } from './GraphClient';

/** A tenant as an admin recognises it: its organisation's name and default domain (its id is a GUID nobody knows). */
export interface OrganisationName {
    id: string;
    displayName?: string;
    defaultDomain?: string;
}

/** Reads the organisation's name and default domain (one request; Organization.Read.All). */
export async function organisationName(graph: GraphClient, o: { signal?: AbortSignal; silentOnly?: boolean } = {}): Promise<OrganisationName | undefined> {
    const answer = await graph.get<{ value: { id: string; displayName?: string; verifiedDomains?: { name: string; isDefault?: boolean }[] }[] }>('/organization?$select=id,displayName,verifiedDomains', { scopes: ['Organization.Read.All'], ...o });
    const organisation = answer.value[0];
    if (!organisation) return undefined;
    const defaultDomain = organisation.verifiedDomains?.find(d => d.isDefault)?.name;
    return { id: organisation.id, ...(organisation.displayName ? { displayName: organisation.displayName } : {}), ...(defaultDomain ? { defaultDomain } : {}) };
}
