import type { DirectoryGroup, DirectoryUser, RoleDefinition, SubscribedSku, TenantState } from '../contracts';

/**
 * The properties Graph returns for a user when the request has no `$select`: "By default, only a limited set of
 * properties are returned ( businessPhones, displayName, givenName, id, jobTitle, mail, mobilePhone, officeLocation,
 * preferredLanguage, surname, userPrincipalName )" (microsoftgraph/microsoft-graph-docs-contrib
 * api-reference/v1.0/api/user-get.md, and user-list.md for the list). Everything else comes only on `$select`.
 */
export const userDefaultProperties: readonly string[] = ['id', 'businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName'];

/**
 * The group properties marked "Returned by default" in api-reference/v1.0/resources/group.md (group-get.md and
 * group-list.md: "returns the default properties unless you use $select"), plus the three the group-get.md example
 * answer also shows (deletedDateTime, resourceBehaviorOptions, resourceProvisioningOptions). `graphGroup` models no
 * other group property, so the default view of a group is all of it.
 */
export const groupDefaultProperties: readonly string[] = [
    'id', 'classification', 'createdDateTime', 'deletedDateTime', 'description', 'displayName', 'expirationDateTime', 'groupTypes', 'isAssignableToRole', 'mail', 'mailEnabled', 'mailNickname',
    'membershipRule', 'membershipRuleProcessingState', 'onPremisesDomainName', 'onPremisesLastSyncDateTime', 'onPremisesNetBiosName', 'onPremisesProvisioningErrors', 'onPremisesSamAccountName',
    'onPremisesSecurityIdentifier', 'onPremisesSyncEnabled', 'preferredDataLocation', 'preferredLanguage', 'proxyAddresses', 'renewedDateTime', 'resourceBehaviorOptions', 'resourceProvisioningOptions',
    'securityEnabled', 'securityIdentifier', 'theme', 'visibility',
];

/** The default property set of each directory type the sandbox serves, by its `@odata.type` name; absent: all of it. */
const defaultProperties: Record<string, readonly string[] | undefined> = {
    user: userDefaultProperties,
    group: groupDefaultProperties,
};

/**
 * What Graph puts in an item for `$select` (or, without it, for the type's default set): the selected properties the
 * item's own type has, and nothing else. In a mixed collection (a group's members, memberOf, a role's members) a group
 * item carries no user-only property, not even as null, and keeps its `@odata.type`. `id` comes only when selected or
 * in the default set: user-get.md's `$select=displayName,givenName,postalCode,identities` example answers without it.
 * `type` names the item's type where the item carries no `@odata.type` (single entities, one-type collections).
 */
export function project(item: Record<string, unknown>, select: readonly string[] | undefined, type?: string): Record<string, unknown> {
    const odataType = typeof item['@odata.type'] === 'string' ? item['@odata.type'] : undefined;
    const names = select ?? defaultProperties[(odataType ?? '').replace('#microsoft.graph.', '') || (type ?? '')];
    if (!names) return item;
    const out: Record<string, unknown> = odataType ? { '@odata.type': odataType } : {};
    for (const name of names) if (name in item) out[name] = item[name];
    return out;
}

/** A user as Graph returns it on `$select` (the sandbox-only fields such as the password never leave). */
export function graphUser(user: DirectoryUser, state?: TenantState): Record<string, unknown> {
    return {
        id: user.id,
        businessPhones: [],
        displayName: user.displayName,
        givenName: user.givenName ?? null,
        jobTitle: user.jobTitle ?? null,
        mail: user.mail ?? null,
        mobilePhone: null,
        officeLocation: user.officeLocation ?? null,
        preferredLanguage: null,
        surname: user.surname ?? null,
        userPrincipalName: user.userPrincipalName,
        accountEnabled: user.accountEnabled,
        department: user.department ?? null,
        mailNickname: user.mailNickname,
        usageLocation: user.usageLocation ?? null,
        userType: user.userType,
        passwordPolicies: user.passwordPolicies ?? null,
        createdDateTime: user.createdDateTime,
        assignedLicenses: user.assignedLicenses.map(l => ({ skuId: l.skuId, disabledPlans: l.disabledPlans })),
        assignedPlans: state ? assignedPlans(state, user) : [],
        employeeType: user.extensionAttributes?.employeeType ?? null,
        city: null,
        companyName: null,
    };
}

export function graphGroup(group: DirectoryGroup): Record<string, unknown> {
    return {
        id: group.id,
        displayName: group.displayName,
        description: group.description ?? null,
        mail: group.mail ?? group.exchange?.primarySmtpAddress ?? null,
        mailEnabled: group.mailEnabled,
        mailNickname: group.mailNickname,
        securityEnabled: group.securityEnabled,
        groupTypes: group.groupTypes,
        createdDateTime: group.createdDateTime,
        visibility: group.groupTypes.includes('Unified') ? 'Private' : null,
        deletedDateTime: null,
        classification: null,
        onPremisesLastSyncDateTime: null,
        onPremisesSecurityIdentifier: null,
        onPremisesSyncEnabled: null,
        onPremisesProvisioningErrors: [],
        preferredDataLocation: null,
        proxyAddresses: group.mail ? [`SMTP:${group.mail}`] : group.exchange ? [`SMTP:${group.exchange.primarySmtpAddress}`] : [],
        renewedDateTime: group.createdDateTime,
        resourceBehaviorOptions: [],
        resourceProvisioningOptions: [],
        expirationDateTime: null,
        isAssignableToRole: null,
        membershipRule: null,
        membershipRuleProcessingState: null,
        onPremisesDomainName: null,
        onPremisesNetBiosName: null,
        onPremisesSamAccountName: null,
        preferredLanguage: null,
        securityIdentifier: `S-1-12-1-${parseInt(group.id.slice(0, 8), 16)}-${parseInt(group.id.slice(9, 13), 16)}`,
        theme: null,
    };
}

/** A subscribed SKU; `accountName` is the organisation's name (each sandbox tenant has its own). */
export function graphSku(sku: SubscribedSku, accountName = 'Contoso'): Record<string, unknown> {
    return { ...sku, accountId: sku.id.split('_')[0], accountName, subscriptionIds: [sku.id.split('_')[0]] };
}

export function graphRoleDefinition(role: RoleDefinition): Record<string, unknown> {
    return {
        id: role.id,
        description: role.description,
        displayName: role.displayName,
        isBuiltIn: role.isBuiltIn,
        isEnabled: role.isEnabled,
        templateId: role.templateId,
        version: '1',
        resourceScopes: ['/'],
        rolePermissions: [{ allowedResourceActions: role.allowedResourceActions, condition: null }],
    };
}

export function graphOrganization(state: TenantState): Record<string, unknown> {
    return {
        id: state.organization.id,
        displayName: state.organization.displayName,
        countryLetterCode: state.organization.countryLetterCode,
        createdDateTime: state.organization.createdDateTime,
        tenantType: 'AAD',
        verifiedDomains: state.domains.filter(d => d.isVerified).map(d => ({ name: d.id, isDefault: d.isDefault, isInitial: d.isInitial, type: d.authenticationType, capabilities: d.supportedServices.join(', ') })),
        assignedPlans: [],
        businessPhones: [],
    };
}

/**
 * A directory object as member lists return it: typed with @odata.type, with every property the sandbox models for its
 * type (`project` then keeps the selected or default ones).
 */
export function graphDirectoryObject(state: TenantState, id: string): Record<string, unknown> | undefined {
    const user = state.users.get(id);
    if (user) return { '@odata.type': '#microsoft.graph.user', ...graphUser(user) };
    const group = state.groups.get(id);
    if (group) return { '@odata.type': '#microsoft.graph.group', ...graphGroup(group) };
    const sp = (state.servicePrincipals ?? []).find(s => s.id === id);
    if (sp) return { '@odata.type': '#microsoft.graph.servicePrincipal', id, appId: sp.appId, displayName: sp.displayName };
    return undefined;
}

/** The service plans a user's licences switch on, as `assignedPlans` lists them. */
function assignedPlans(state: TenantState, user: DirectoryUser): Record<string, unknown>[] {
    return user.assignedLicenses.flatMap(l => {
        const sku = state.skus.find(s => s.skuId === l.skuId);
        return (sku?.servicePlans ?? []).filter(p => !l.disabledPlans.includes(p.servicePlanId)).map(p => ({ assignedDateTime: user.createdDateTime, capabilityStatus: 'Enabled', service: p.servicePlanName.split('_')[0].toLowerCase(), servicePlanId: p.servicePlanId }));
    });
}
