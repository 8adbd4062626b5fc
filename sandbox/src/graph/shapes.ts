import type { DirectoryGroup, DirectoryUser, RoleDefinition, SubscribedSku, TenantState } from '../contracts';

/** A user as Graph returns it (the sandbox-only fields such as the password never leave). */
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

export function graphSku(sku: SubscribedSku): Record<string, unknown> {
    return { ...sku, accountId: sku.id.split('_')[0], accountName: 'Contoso', subscriptionIds: [sku.id.split('_')[0]] };
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

/** A directory object as member lists return it: typed with @odata.type. */
export function graphDirectoryObject(state: TenantState, id: string): Record<string, unknown> | undefined {
    const user = state.users.get(id);
    if (user) return { '@odata.type': '#microsoft.graph.user', ...graphUser(user) };
    const group = state.groups.get(id);
    if (group) return { '@odata.type': '#microsoft.graph.group', ...graphGroup(group) };
    const app = state.apps.find(a => a.servicePrincipalId === id);
    if (app) return { '@odata.type': '#microsoft.graph.servicePrincipal', id, appId: app.appId, displayName: app.displayName };
    return undefined;
}

/** The service plans a user's licences switch on, as `assignedPlans` lists them. */
function assignedPlans(state: TenantState, user: DirectoryUser): Record<string, unknown>[] {
    return user.assignedLicenses.flatMap(l => {
        const sku = state.skus.find(s => s.skuId === l.skuId);
        return (sku?.servicePlans ?? []).filter(p => !l.disabledPlans.includes(p.servicePlanId)).map(p => ({ assignedDateTime: user.createdDateTime, capabilityStatus: 'Enabled', service: p.servicePlanName.split('_')[0].toLowerCase(), servicePlanId: p.servicePlanId }));
    });
}
