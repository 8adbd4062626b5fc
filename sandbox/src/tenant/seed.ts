import { serviceAccountEmployeeType, type AppRegistration, type DirectoryGroup, type DirectoryUser, type Mailbox, type RoleAssignment, type TenantState } from '../contracts';
import { exchangeRoleGroups, roleDefinitions, roleIds, skuIds, subscribedSkus } from './catalogue';
import { provisionMailbox } from './mailboxes';
import { ensureServicePrincipal, grantAppRole, grantDelegatedToAll, resourceOfScope, resourceServicePrincipal } from './applications';
import { exchangeOnlineAppId, microsoftGraphAppId, microsoftServicesTenantId, resourceApiOffering, resourceApis } from '../identity/permissionCatalogue';
import { contosoConfidentialClientId, contosoOwnRegistrationClientId, contosoTenantId, organisation, type Organisation } from './organisations';
import { seededRandom, stableGuid } from './random';

export const sandboxTenantId = contosoTenantId;
/** Microsoft Graph Command Line Tools: Microsoft's client, what the extension signs in with by default (Graph only). */
export const publicClientId = '14d82eec-204b-4c2f-b7e8-296a70dab67e';
/** The Exchange Online PowerShell client (Connect-ExchangeOnline's): the default for Exchange tokens. */
export const exchangeClientId = 'fb78d390-0c51-40cd-8e17-fdbfab77341b';
export const confidentialClientId = contosoConfidentialClientId;
/** The tenant's own registration for the extension, set up as the README says (m365Provisioner.clientId). */
export const ownRegistrationClientId = contosoOwnRegistrationClientId;

const firstNames = ['Adele', 'Alex', 'Allan', 'Bianca', 'Christie', 'Debra', 'Diego', 'Emily', 'Enrico', 'Gerhart', 'Grady', 'Henrietta', 'Irvin', 'Isaiah', 'Johanna', 'Joni', 'Lee', 'Lidia', 'Lynne', 'Megan', 'Miriam', 'Nestor', 'Patti', 'Pradeep', 'Raul', 'Sofia', 'Tomas', 'Yuki', 'Zainab', 'Aiko', 'Bruno', 'Chloe', 'Dmitri', 'Elena', 'Farah', 'Gustav', 'Hana', 'Ivan', 'Jonas', 'Kofi', 'Leila', 'Marco', 'Nadia', 'Oscar', 'Priya', 'Quentin', 'Rosa', 'Samir', 'Tara', 'Ulla', 'Victor', 'Wen', 'Xavier', 'Yara', 'Zoltan'];
const lastNames = ['Vance', 'Wilber', 'Deyoung', 'Pala', 'Cline', 'Berry', 'Soto', 'Braun', 'Ortiz', 'Appel', 'Archie', 'Horvath', 'Sink', 'Langer', 'Lanier', 'Sherman', 'Gu', 'Holloway', 'Robbins', 'Bowen', 'Graham', 'Wilke', 'Fernandez', 'Gupta', 'Razo', 'Koch', 'Novak', 'Tanaka', 'Haddad', 'Silva', 'Moreau', 'Petrov', 'Lindqvist', 'Mensah', 'Rossi', 'Nakamura', 'Okafor', 'Jensen', 'Kowalski'];
const departments = ['Sales', 'Marketing', 'Finance', 'Human Resources', 'IT', 'Operations', 'Legal', 'Support'];
const titles: Record<string, string[]> = {
    Sales: ['Account Executive', 'Sales Manager', 'Sales Representative'],
    Marketing: ['Marketing Manager', 'Content Strategist', 'Brand Designer'],
    Finance: ['Accountant', 'Financial Analyst', 'Controller'],
    'Human Resources': ['HR Partner', 'Recruiter', 'HR Manager'],
    IT: ['Systems Engineer', 'Service Desk Analyst', 'IT Manager'],
    Operations: ['Operations Coordinator', 'Logistics Planner', 'Facilities Manager'],
    Legal: ['Counsel', 'Paralegal', 'Compliance Officer'],
    Support: ['Support Engineer', 'Customer Success Manager', 'Support Lead'],
};
const offices = ['London', 'Seattle', 'Amsterdam', 'Munich', 'Paris', 'Madrid', 'Tokyo'];
/** Mailboxes whose owners use another language see the calendar under its localised name (DESIGN.md §1). */
const calendarNames: Record<string, string> = { Munich: 'Kalender', Amsterdam: 'Agenda', Paris: 'Calendrier', Madrid: 'Calendario' };
const countries: Record<string, string> = { London: 'GB', Seattle: 'US', Amsterdam: 'NL', Munich: 'DE', Paris: 'FR', Madrid: 'ES', Tokyo: 'JP' };

export interface SeedOptions {
    /** Total number of ordinary users (1..100000); default 56, about 60 accounts with admins, shared mailboxes and a service account. */
    users?: number;
    seed?: string;
    /** Which organisation (default: tenant 1, Contoso). */
    organisation?: Organisation;
}

/**
 * A demo organisation (Contoso unless `organisation` names another): deterministic for a given seed, scalable to
 * 100,000 users. Every organisation has the same shape (admins, departments, groups, shared mailboxes, apps) with its
 * own name, domains, ids and people.
 */
export function createDefaultTenant(options: SeedOptions = {}): TenantState {
    const org = options.organisation ?? organisation(1);
    const seed = options.seed ?? org.seed;
    const domain = org.domain;
    const count = Math.max(1, Math.min(100_000, options.users ?? 56));
    const random = seededRandom(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    const id = (name: string) => stableGuid(seed, name);
    const created = '2024-03-04T09:00:00Z';
    const state: TenantState = {
        tenantId: org.tenantId,
        organization: { id: org.tenantId, displayName: org.name, countryLetterCode: org.countryLetterCode, securityDefaultsEnabled: true, createdDateTime: '2023-01-10T08:00:00Z' },
        domains: [
            { id: domain, isVerified: true, isDefault: true, isInitial: false, authenticationType: 'Managed', supportedServices: ['Email', 'OfficeCommunicationsOnline'] },
            { id: org.initialDomain, isVerified: true, isDefault: false, isInitial: true, authenticationType: 'Managed', supportedServices: ['Email', 'OfficeCommunicationsOnline'] },
            // Contoso has started adding Fabrikam's domain and not verified it (what the domain checks meet).
            ...(org.index === 1 ? [{ id: 'fabrikam.com', isVerified: false, isDefault: false, isInitial: false, authenticationType: 'Managed' as const, supportedServices: [] }] : []),
        ],
        users: new Map(),
        groups: new Map(),
        skus: subscribedSkus(org.tenantId, count <= 56 ? 75 : Math.ceil(count * 1.05) + 10),
        roleDefinitions: roleDefinitions(),
        roleAssignments: [],
        mailboxes: new Map(),
        roleGroups: [],
        apps: [],
        servicePrincipals: [],
        appRoleAssignments: [],
        oauth2PermissionGrants: [],
    };
    const addUser = (user: DirectoryUser) => state.users.set(user.id, user);
    const assign = (roleName: string, principalId: string) => {
        const assignment: RoleAssignment = { id: id(`assignment/${roleName}/${principalId}`), roleDefinitionId: roleIds[roleName], principalId, directoryScopeId: '/', createdDateTime: created };
        state.roleAssignments.push(assignment);
    };
    const e3 = [{ skuId: skuIds.e3, disabledPlans: [] as string[] }];

    const admin: DirectoryUser = { id: id('user/admin'), userPrincipalName: `admin@${domain}`, displayName: `${org.name} Administrator`, givenName: org.name, surname: 'Administrator', mail: `admin@${domain}`, mailNickname: 'admin', jobTitle: 'Global administrator', department: 'IT', officeLocation: 'Seattle', usageLocation: 'US', accountEnabled: true, userType: 'Member', assignedLicenses: e3, createdDateTime: created, canSignIn: true };
    const helpdesk: DirectoryUser = { id: id('user/helpdesk'), userPrincipalName: `helpdesk@${domain}`, displayName: 'Helpdesk Reader', givenName: 'Helpdesk', surname: 'Reader', mail: `helpdesk@${domain}`, mailNickname: 'helpdesk', jobTitle: 'Service desk (read-only)', department: 'IT', officeLocation: 'London', usageLocation: 'GB', accountEnabled: true, userType: 'Member', assignedLicenses: e3, createdDateTime: created, canSignIn: true };
    addUser(admin);
    addUser(helpdesk);
    assign('Global Administrator', admin.id);
    assign('Global Reader', helpdesk.id);

    const byDepartment = new Map<string, string[]>(departments.map(d => [d, []]));
    const usedNicknames = new Set(['admin', 'helpdesk']);
    for (let i = 0; i < count; i++) {
        // Each organisation starts the name lists elsewhere (Contoso at 0), so its staff are other people.
        const given = firstNames[(i + org.peopleOffset * 7) % firstNames.length];
        const surname = i < firstNames.length ? lastNames[(i + org.peopleOffset * 5) % lastNames.length] : pick(lastNames);
        let nickname = `${given}${surname[0]}`.toLowerCase();
        for (let n = 2; usedNicknames.has(nickname); n++) nickname = `${given}${surname[0]}${n}`.toLowerCase();
        usedNicknames.add(nickname);
        const department = departments[i % departments.length];
        const office = pick(offices);
        // A few accounts without usage location, unlicensed or disabled, as every real tenant has.
        const unlicensed = i % 17 === 5;
        const developer = i === 3;
        const user: DirectoryUser = {
            id: id(`user/${i}`),
            userPrincipalName: `${nickname}@${domain}`,
            displayName: `${given} ${surname}`,
            givenName: given,
            surname,
            mail: `${nickname}@${domain}`,
            mailNickname: nickname,
            jobTitle: pick(titles[department]),
            department,
            officeLocation: office,
            ...(i % 23 === 11 ? {} : { usageLocation: countries[office] }),
            accountEnabled: i % 29 !== 13,
            userType: 'Member',
            assignedLicenses: unlicensed || i % 23 === 11 ? [] : developer ? [{ skuId: skuIds.developer, disabledPlans: [] }] : [{ skuId: skuIds.e3, disabledPlans: i % 7 === 2 ? ['882e1d05-acd1-4ccb-8708-6ee03664b117'] : [] }],
            createdDateTime: created,
        };
        addUser(user);
        byDepartment.get(department)?.push(user.id);
    }

    // Shared mailboxes: disabled, unlicensed users with a mailbox.
    for (const [alias, name] of [['reception', 'Reception'], ['support', 'Support Inbox'], ['invoices', 'Accounts Payable']]) {
        addUser({ id: id(`shared/${alias}`), userPrincipalName: `${alias}@${domain}`, displayName: name, mail: `${alias}@${domain}`, mailNickname: alias, accountEnabled: false, userType: 'Member', assignedLicenses: [], createdDateTime: created });
    }

    const group = (key: string, displayName: string, members: string[], extra: Partial<DirectoryGroup> = {}): DirectoryGroup => {
        const g: DirectoryGroup = { id: id(`group/${key}`), displayName, mailNickname: key, mailEnabled: false, securityEnabled: true, groupTypes: [], members, owners: [admin.id], createdDateTime: created, ...extra };
        state.groups.set(g.id, g);
        return g;
    };
    const salesIds = byDepartment.get('Sales') ?? [];
    const salesEmea = group('staff-sales-emea', 'Staff - Sales EMEA', salesIds.slice(0, Math.ceil(salesIds.length / 2)), { description: 'Sales staff in Europe, the Middle East and Africa' });
    const staffGroups = departments.map(d => {
        const members = d === 'Sales' ? [...salesIds.slice(Math.ceil(salesIds.length / 2)), salesEmea.id] : byDepartment.get(d) ?? [];
        return group(`staff-${d.toLowerCase().replace(/\s+/g, '-')}`, `Staff - ${d}`, members, { description: `Everyone in ${d}` });
    });
    group('staff', 'Staff', staffGroups.map(g => g.id), { description: 'All staff (the calendar integration grants access to these members\' calendars)' });
    group('all-company', 'All Company', [...state.users.values()].filter(u => u.accountEnabled).slice(0, 200).map(u => u.id), { mailEnabled: true, securityEnabled: false, groupTypes: ['Unified'], mail: `allcompany@${domain}`, description: 'Company-wide Microsoft 365 group' });
    group('it-admins', 'IT Administrators', [admin.id, helpdesk.id, ...(byDepartment.get('IT') ?? []).slice(0, 2)], { description: 'People who administer the tenant' });

    for (const [name, description, roles] of exchangeRoleGroups) {
        state.roleGroups.push({ id: id(`rolegroup/${name}`), name: name.replace(/\s+/g, ''), displayName: name, description, roles, members: name === 'Organization Management' ? [admin.id] : [] });
    }

    // A service account someone set up before the extension came, as real tenants have: marked the way the extension
    // marks its own, unlicensed (so no mailbox), in no group (added after the groups, so not in All Company either),
    // and holding a read-only directory role. Exchange Recipient Administrator would fit its job better, but the
    // role catalogue does not have that role, so it holds Global Reader.
    const backup: DirectoryUser = { id: id('user/svc-backup'), userPrincipalName: `svc-backup@${domain}`, displayName: 'Backup Service', mailNickname: 'svc-backup', jobTitle: 'Service account', department: 'IT', usageLocation: 'US', accountEnabled: true, userType: 'Member', assignedLicenses: [], createdDateTime: created, extensionAttributes: { employeeType: serviceAccountEmployeeType } };
    addUser(backup);
    assign('Global Reader', backup.id);

    // Each app with its service principal and what an admin consented to, as records (tenant/applications.ts).
    for (const resource of resourceApis) resourceServicePrincipal(state, resource.appId);
    const seeded: [AppRegistration, string[], string[], string][] = [
        [publicApp(org), publicAppScopes, [], microsoftServicesTenantId],
        [confidentialApp(org, id('app/automation/sp')), [], automationAppRoles, state.tenantId],
        [ownRegistration(org, id('app/own-registration/sp')), ownRegistrationScopes, [], state.tenantId],
    ];
    for (const [app, scopes, roles, owner] of seeded) {
        app.id = id(`application/${app.appId}`);
        app.createdDateTime = created;
        state.apps.push(app);
        const client = ensureServicePrincipal(state, app, created, owner);
        for (const resourceAppId of [microsoftGraphAppId, exchangeOnlineAppId]) {
            const own = scopes.filter(s => resourceOfScope(s) === resourceAppId);
            if (own.length) grantDelegatedToAll(state, client, resourceServicePrincipal(state, resourceAppId), own);
        }
        for (const value of roles) {
            const resource = resourceServicePrincipal(state, resourceApiOffering(value, 'application')?.appId ?? microsoftGraphAppId);
            const role = resource.appRoles.find(r => r.value === value);
            if (!role) throw new Error(`No app role ${value} in the permission catalogue.`);
            grantAppRole(state, client, resource, role.id, created);
        }
    }
    assign('Exchange Administrator', state.apps[1].servicePrincipalId);

    for (const user of state.users.values()) {
        const mailbox: Mailbox | undefined = provisionMailbox(state, user, created);
        if (mailbox && user.officeLocation && calendarNames[user.officeLocation]) mailbox.calendarFolderName = calendarNames[user.officeLocation];
        if (!mailbox && user.userPrincipalName.match(/^(reception|support|invoices)@/)) {
            state.mailboxes.set(user.id, { userId: user.id, recipientTypeDetails: 'SharedMailbox', primarySmtpAddress: user.userPrincipalName, alias: user.mailNickname, createdDateTime: created, calendarFolderName: 'Calendar', calendarPermissions: defaultCalendarPermissions() });
        }
    }
    for (const sku of state.skus) {
        sku.consumedUnits = [...state.users.values()].filter(u => u.assignedLicenses.some(l => l.skuId === sku.skuId)).length;
    }
    return state;
}

export function defaultCalendarPermissions() {
    return [
        { principal: 'Default', accessRights: ['AvailabilityOnly'] },
        { principal: 'Anonymous', accessRights: ['None'] },
    ];
}

/** What an admin consented to for Microsoft Graph Command Line Tools (delegated, for every user). */
const publicAppScopes = ['User.Read', 'User.Read.All', 'Group.Read.All', 'Directory.Read.All', 'RoleManagement.Read.Directory', 'Organization.Read.All', 'Domain.Read.All'];
/** The README's delegated permissions for the admin's own registration, with Exchange Online's Exchange.Manage. */
const ownRegistrationScopes = [...publicAppScopes, 'Exchange.Manage'];
/** The automation app's application permissions (app role assignments on Graph's and Exchange's service principals). */
const automationAppRoles = ['User.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All', 'RoleManagement.ReadWrite.Directory', 'Organization.Read.All', 'Domain.Read.All', 'Exchange.ManageAsApp', 'Policy.Read.All'];

function publicApp(org: Organisation): AppRegistration {
    return {
        appId: publicClientId,
        displayName: 'Microsoft Graph Command Line Tools',
        isPublicClient: true,
        secrets: [],
        certificates: [],
        servicePrincipalId: stableGuid(org.seed, 'app/graph-cli/sp'),
    };
}

/**
 * An admin's own registration for the extension, as the README's steps make it: "Mobile and desktop applications" with
 * http://localhost, "Allow public client flows" on (device code), and admin consent for the Graph read permissions and
 * Office 365 Exchange Online's Exchange.Manage.
 */
function ownRegistration(org: Organisation, servicePrincipalId: string): AppRegistration {
    return {
        appId: org.ownRegistrationClientId,
        displayName: `${org.name} M365 Provisioner`,
        isPublicClient: true,
        redirectUris: { publicClient: ['http://localhost'], web: [] },
        signInAudience: 'AzureADMyOrg',
        isFallbackPublicClient: true,
        secrets: [],
        certificates: [],
        servicePrincipalId,
    };
}

function confidentialApp(org: Organisation, servicePrincipalId: string): AppRegistration {
    return {
        appId: org.confidentialClientId,
        displayName: `${org.name} Provisioning Automation`,
        isPublicClient: false,
        redirectUris: { publicClient: [], web: [] },
        signInAudience: 'AzureADMyOrg',
        secrets: [],
        certificates: [],
        servicePrincipalId,
    };
}
