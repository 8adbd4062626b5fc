import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import { productName } from '../shared/licensing/licenceNames';

/** What admins call a licence Graph names by part number (Microsoft's published names, src/shared/licensing). */
export function licenceName(skuPartNumber: string | null | undefined): string {
    return skuPartNumber ? productName(skuPartNumber) : 'Unknown licence';
}

/** Units an admin can still assign: enabled minus consumed (suspended and warning units cannot be assigned). */
export function freeUnits(sku: MicrosoftGraph.SubscribedSku): number {
    return Math.max(0, (sku.prepaidUnits?.enabled ?? 0) - (sku.consumedUnits ?? 0));
}

/** The kind of group in the admin centre's words. */
export function groupKind(group: Pick<MicrosoftGraph.Group, 'groupTypes' | 'mailEnabled' | 'securityEnabled'>): string {
    if (group.groupTypes?.includes('Unified')) return 'Microsoft 365';
    if (group.mailEnabled && group.securityEnabled) return 'Mail-enabled security';
    if (group.mailEnabled) return 'Distribution';
    return 'Security';
}

/**
 * Roles Microsoft labels PRIVILEGED in "Microsoft Entra built-in roles" (they can change credentials, security
 * settings or other admins' access), by template id. v1.0 has no `isPrivileged`, so the list lives here.
 */
export const privilegedRoleTemplateIds = new Set([
    '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3', // Application Administrator
    'cf1c38e5-3621-4004-a7cb-879624dced7c', // Application Developer
    'c4e39bd9-1100-46d3-8c65-fb160da0071f', // Authentication Administrator
    '158c047a-c907-4556-b7ef-446551a6b5f7', // Cloud Application Administrator
    '7698a772-787b-4ac8-901f-60d6b08affd2', // Cloud Device Administrator
    'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9', // Conditional Access Administrator
    'd29b2b05-8046-44ba-8758-1e26182fcf32', // Directory Synchronization Accounts
    '9360feb5-f418-4baa-8175-e2a00bac4301', // Directory Writers
    '8329153b-31d0-4727-b945-745eb3bc5f31', // Domain Name Administrator
    'be2f45a1-457d-42af-a067-6ec1fa63bc45', // External Identity Provider Administrator
    '62e90394-69f5-4237-9190-012177145e10', // Global Administrator
    'f2ef992c-3afb-46b9-b7cf-a126ee74c451', // Global Reader
    '729827e3-9c14-49f7-bb1b-9608f156bbb8', // Helpdesk Administrator
    '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2', // Hybrid Identity Administrator
    '3a2c62db-5318-420d-8d74-23affee5d9d5', // Intune Administrator
    '4ba39ca4-527c-499a-b93d-d9b492c50246', // Partner Tier1 Support
    'e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8', // Partner Tier2 Support
    '966707d0-3269-4727-9be2-8c3a10f19b9d', // Password Administrator
    '7be44c8a-adaf-4e2a-84d6-ab2649e08a13', // Privileged Authentication Administrator
    'e8611ab8-c189-46e8-94e1-60213ab1f814', // Privileged Role Administrator
    '194ae4cb-b126-40b2-bd5b-6091b380977d', // Security Administrator
    '5f2222b1-57c3-48ba-8ad5-d4759f1fde6f', // Security Operator
    '5d6b6bb7-de71-4623-b4af-96380a352509', // Security Reader
    'fe930be7-5e62-47db-91af-98c3a49a38b1', // User Administrator
]);

export function isPrivilegedRole(role: Pick<MicrosoftGraph.UnifiedRoleDefinition, 'templateId' | 'id'>): boolean {
    return privilegedRoleTemplateIds.has(role.templateId ?? role.id ?? '');
}
