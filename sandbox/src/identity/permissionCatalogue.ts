import type { ResourcePermission } from '../contracts';

/**
 * The resource APIs' permissions the sandbox knows, with Microsoft's own ids, so that requiredResourceAccess,
 * appRoleAssignments and oauth2PermissionGrants written by a real client (or copied from Microsoft's docs) mean the
 * same here. Sources:
 * - Microsoft Graph: microsoftgraph/microsoft-graph-docs-contrib:concepts/permissions-reference.md (each permission's
 *   "Identifier" row: Application id, Delegated id).
 * - Office 365 Exchange Online: MicrosoftDocs/office-docs-powershell:exchange/docs-conceptual/app-only-auth-powershell-v2.md
 *   (the manifest's requiredResourceAccess with Exchange.ManageAsApp, dc50a0fb-09a3-484d-be87-e023b12c6440).
 *   Exchange.Manage's delegated id is from the Office 365 Exchange Online service principal's published scopes as
 *   public client code uses it (an assumption: FIDELITY.md A48).
 */

export const microsoftGraphAppId = '00000003-0000-0000-c000-000000000000';
export const exchangeOnlineAppId = '00000002-0000-0ff1-ce00-000000000000';
/** Microsoft's services tenant, the owner organisation of first-party apps (appOwnerOrganizationId). */
export const microsoftServicesTenantId = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';

/** [value, application (app role) id or '', delegated (scope) id or '', display name]. */
const graph: [string, string, string, string][] = [
    ['User.Read', '', 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', 'Sign in and read user profile'],
    ['User.Read.All', 'df021288-bdef-4463-88db-98f22de89214', 'a154be20-db9c-4678-8ab7-66f6cc099a59', 'Read all users\' full profiles'],
    ['User.ReadWrite.All', '741f803b-c850-494e-b5df-cde7c675a1ca', '204e0828-b5ca-4ad8-b9f3-f32a958e7cc4', 'Read and write all users\' full profiles'],
    ['Group.Read.All', '5b567255-7703-4780-807c-7be8301ae99b', '5f8c59db-677d-491f-a6b8-5f174b11ec1d', 'Read all groups'],
    ['Group.ReadWrite.All', '62a82d76-70ea-41e2-9197-370581804d09', '4e46008b-f24c-477d-8fff-7bb4ec7aafe0', 'Read and write all groups'],
    ['GroupMember.Read.All', '98830695-27a2-44f7-8c18-0c3ebc9698f6', 'bc024368-1153-4739-b217-4326f2e966d0', 'Read all group memberships'],
    ['Directory.Read.All', '7ab1d382-f21e-4acd-a863-ba3e13f7da61', '06da0dbc-49e2-44d2-8312-53f166ab848a', 'Read directory data'],
    ['Directory.ReadWrite.All', '19dbc75e-c2e2-444c-a770-ec69d8559fc7', 'c5366453-9fb0-48a5-a156-24f0c49a4b84', 'Read and write directory data'],
    ['RoleManagement.Read.Directory', '483bed4a-2ad3-4361-a73b-c83ccdbdc53c', '741c54c3-0c1e-44a1-818b-3f97ab4e8c83', 'Read all directory RBAC settings'],
    ['RoleManagement.ReadWrite.Directory', '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8', 'd01b97e9-cbc0-49fe-810a-750afd5527a3', 'Read and write all directory RBAC settings'],
    ['Organization.Read.All', '498476ce-e0fe-48b0-b801-37ba7e2685c6', '4908d5b9-3fb2-4b1e-9336-1888b7937185', 'Read organization information'],
    ['Domain.Read.All', 'dbb9058a-0e50-45d7-ae91-66909b5d4664', '2f9ee017-59c1-4f1d-9472-bd5529a7b311', 'Read domains'],
    ['Calendars.Read', '798ee544-9d2d-430c-a058-570e29e34338', '465a38f9-76ea-45b9-9f34-9e8b0d4b0b42', 'Read calendars in all mailboxes'],
    ['Calendars.ReadWrite', 'ef54d2bf-783f-4e0f-bca1-3210c0444d99', '1ec239c2-d7c9-4623-a91a-a9775856bb36', 'Read and write calendars in all mailboxes'],
    ['MailboxSettings.Read', '40f97065-369a-49f4-947c-6a255697ae91', '87f447af-9fa4-4c32-9dfa-4a57a73d18ce', 'Read all user mailbox settings'],
    ['MailboxSettings.ReadWrite', '6931bccd-447a-43d1-b442-00a195474933', '818c620a-27a9-40bd-a6a5-d96f7d610b4b', 'Read and write all user mailbox settings'],
    ['Application.Read.All', '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30', 'c79f8feb-a9db-4090-85f9-90d820caa0eb', 'Read all applications'],
    ['Application.ReadWrite.All', '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9', 'bdfbf15f-ee85-4955-8675-146e8e5296b5', 'Read and write all applications'],
    ['Application.ReadWrite.OwnedBy', '18a4783c-866b-4cc7-a460-3d5e5662c884', '', 'Manage apps that this app creates or owns'],
    ['AppRoleAssignment.ReadWrite.All', '06b708a9-e830-4db3-a914-8e69da51d44f', '84bccea3-f856-4a8a-967b-dbe0a3d53a64', 'Manage app permission grants and app role assignments'],
    ['DelegatedPermissionGrant.ReadWrite.All', '8e8e4742-1d95-4f68-9d56-6ee75648c72a', '41ce6ca6-6826-4807-84f1-1c82854f7ee5', 'Manage all delegated permission grants'],
    ['Policy.Read.All', '246dd0d5-5bd0-4def-940b-0421030a5b68', '572fea84-0151-49b2-9301-11cb16974376', 'Read your organization\'s policies'],
    ['Reports.Read.All', '230c1aed-a721-4c5d-9cb4-a90514e508ef', '02e97553-ed7b-43d0-ab3c-f8bace0d040c', 'Read all usage reports'],
    ['AuditLog.Read.All', 'b0afded3-3588-46d8-8b3d-9842eff778da', 'e4c9e354-4dc5-45b8-9e7c-e1393b0b1a20', 'Read all audit log data'],
    ['Organization.ReadWrite.All', '292d869f-3427-49a8-9dab-8c70152b74e9', '46ca0847-7e6b-426e-9775-ea810a948356', 'Read and write organization information'],
    ['Domain.ReadWrite.All', '7e05723c-0bb0-42da-be95-ae9f08a6e53c', '0b5d694c-a244-4bde-86e6-eb5cd07730fe', 'Read and write domains'],
    ['GroupMember.ReadWrite.All', 'dbaae8cf-10b5-4b86-a4a1-f871c94c6695', 'f81125ac-d3b7-4573-a3b2-7099cc39df9e', 'Read and write all group memberships'],
    ['LicenseAssignment.ReadWrite.All', '5facf0c1-8979-4e95-abcf-ff3d079771c0', 'f55016cc-149c-447e-8f21-7cf3ec1d6350', 'Manage all license assignments'],
    // The application permission has its own name (Calendars.ReadBasic.All); the delegated one is Calendars.ReadBasic.
    ['Calendars.ReadBasic', '', '662d75ba-a364-42ad-adee-f5f880ea4878', 'Read basic details of user calendars'],
    ['Calendars.ReadBasic.All', '8ba4a692-bc31-4128-9094-475872af8a53', '', 'Read basic details of calendars in all mailboxes'],
    ['Policy.ReadWrite.ConditionalAccess', '01c0a623-fc9b-48e9-b794-0756f8e8f067', 'ad902697-1014-4ef5-81ef-2b4301988e8c', 'Read and write your organization\'s conditional access policies'],
    ['Directory.AccessAsUser.All', '', '0e263e50-5827-48a4-b97c-d940288653c7', 'Access directory as the signed in user'],
];

const exchange: [string, string, string, string][] = [
    ['Exchange.ManageAsApp', 'dc50a0fb-09a3-484d-be87-e023b12c6440', '', 'Manage Exchange As Application'],
    ['Exchange.Manage', '', 'ab4f2b77-0b06-4fc1-a9de-02113fc2ab7c', 'Manage Exchange configuration'],
];

export interface ResourceApi {
    appId: string;
    displayName: string;
    appRoles: ResourcePermission[];
    oauth2PermissionScopes: ResourcePermission[];
}

const api = (appId: string, displayName: string, rows: [string, string, string, string][]): ResourceApi => ({
    appId,
    displayName,
    appRoles: rows.filter(r => r[1]).map(([value, id, , name]) => ({ id, value, displayName: name })),
    oauth2PermissionScopes: rows.filter(r => r[2]).map(([value, , id, name]) => ({ id, value, displayName: name })),
});

/** The resource APIs whose service principals every tenant has. */
export const resourceApis: readonly ResourceApi[] = [
    api(microsoftGraphAppId, 'Microsoft Graph', graph),
    api(exchangeOnlineAppId, 'Office 365 Exchange Online', exchange),
];

/** The resource API that offers this permission (by value), for converting permission names to records. */
export function resourceApiOffering(value: string, kind: 'application' | 'delegated'): ResourceApi | undefined {
    return resourceApis.find(r => (kind === 'application' ? r.appRoles : r.oauth2PermissionScopes).some(p => p.value === value));
}
