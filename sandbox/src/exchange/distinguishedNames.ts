import type { DirectoryGroup, TenantState } from '../contracts';

/**
 * The distinguished name Exchange Online gives a recipient: `CN=<name>,OU=<initial domain>,OU=Microsoft Exchange Hosted
 * Organizations,DC=…,DC=prod,DC=outlook,DC=com`. A management scope's `MemberOfGroup` filter compares with it ("you need
 * to use the distinguished name": MicrosoftDocs/OfficeDocs-Exchange `Exchange/ExchangeOnline/permissions-exo/
 * application-rbac.md` points to the filterable-properties page; office-docs-powershell New-ManagementScope.md). The
 * forest part (`NAMPR01A001`) is made up; it is the same for every object of the sandbox's tenant.
 */
export function distinguishedName(state: TenantState, name: string): string {
    const initial = state.domains.find(d => d.isInitial)?.id ?? state.tenantId;
    const escaped = name.replace(/([,\\#+<>;"=])/g, '\\$1');
    return `CN=${escaped},OU=${initial},OU=Microsoft Exchange Hosted Organizations,DC=NAMPR01A001,DC=prod,DC=outlook,DC=com`;
}

/** The group's name in Exchange (its Exchange name, else its display name) as a distinguished name. */
export function groupDistinguishedName(state: TenantState, group: DirectoryGroup): string {
    return distinguishedName(state, group.exchange?.name ?? group.displayName);
}
