import * as assert from 'node:assert/strict';
import { newDistributionGroup } from '../../../src/exchange/cmdlets';
import { ExchangeAdminClient } from '../../../src/exchange/ExchangeAdminClient';
import { exchangePages } from '../../../src/exchange/exchangePages';
import { directoryPages, folderPageSize } from '../../../src/graph/directoryPages';
import { GraphClient } from '../../../src/graph/GraphClient';
import { serviceAccountEmployeeType } from '../../../src/graph/serviceAccounts';
import { groupDetails, licenceDetails, mailboxDetails, mailGroupDetails, roleDetails, roleGroupDetails, userDetails, type ObjectDetails } from '../../../src/graph/objectDetails';
import { sandboxFixture, type SandboxFixture } from '../../sandbox/fixture';
import { validateGraphRequest } from '../../sandbox/graphConformance';
import { appTokens, recordingLogger, sandboxCloud } from './clientFixture';

/** The reads behind the Directory view, through the real Graph and Exchange clients and msal, against a 1,500-user sandbox. */
describe('Directory view reads: one request per page, searches escaped', function () {
    this.timeout(60_000);
    let f: SandboxFixture;
    let d: ReturnType<typeof directoryPages>;
    let x: ReturnType<typeof exchangePages>;
    let exo: ExchangeAdminClient;
    const sent: { method: string; url: string; headers: Record<string, string>; body?: string }[] = [];
    const requests = () => f.sandbox.stats().graph.requests + f.sandbox.stats().exchange.requests;
    /** How many API requests `work` sent (tokens come from msal's cache after the first). */
    const costOf = async (work: () => Promise<unknown>) => {
        const before = requests();
        await work();
        return requests() - before;
    };

    before(async () => {
        f = await sandboxFixture({ users: 1500 });
        const logger = recordingLogger();
        const tokens = appTokens(f, logger);
        const graph = new GraphClient({ cloud: sandboxCloud(f), tokens, transport: f.transport, logger, onSend: r => sent.push(r) });
        d = directoryPages(graph);
        exo = new ExchangeAdminClient({ cloud: sandboxCloud(f), tenantId: f.sandbox.tenantId, tokens, transport: f.transport, logger });
        x = exchangePages(exo);
        await d.users(); // a token for each API, so the costs below count API requests only
        await x.roleGroups();
    });
    after(() => f.stop());

    it('reads the first 100 users in one request, and the next 100 in one more', async () => {
        let first: Awaited<ReturnType<typeof d.users>> | undefined;
        assert.equal(await costOf(async () => (first = await d.users())), 1);
        assert.equal(first?.items.length, folderPageSize);
        assert.ok(first?.nextLink);
        let second: Awaited<ReturnType<typeof d.users>> | undefined;
        assert.equal(await costOf(async () => (second = await d.users({ nextLink: first?.nextLink ?? '' }))), 1);
        assert.equal(second?.items.length, folderPageSize);
        assert.equal(new Set([...(first?.items ?? []), ...(second?.items ?? [])].map(u => u.id)).size, 2 * folderPageSize, 'no user twice');
    });

    it('searches users on the server in one request, counting the matches; quotes and OData syntax find nothing instead of failing', async () => {
        let found: Awaited<ReturnType<typeof d.users>> | undefined;
        assert.equal(await costOf(async () => (found = await d.users({ search: 'Adele' }))), 1);
        assert.ok(found?.items.length && found.items.every(u => /adele/i.test(`${u.displayName ?? ''} ${u.userPrincipalName ?? ''}`)));
        assert.equal(found?.count, found?.items.length);
        for (const typed of ['O\'Brien', 'x" OR "displayName:a', "') or (1 eq 1", '\\"']) {
            assert.deepEqual((await d.users({ search: typed })).items, [], typed);
        }
    });

    it('lists every folder by name: users, groups, members and memberships sorted by Graph, roles, licences and Exchange lists read whole sorted here', async () => {
        const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
        const sorted = (names: (string | null | undefined)[], what: string) => {
            const given = names.map(n => n ?? '');
            assert.ok(given.length > 1, `${what}: more than one row`);
            assert.deepEqual(given, [...given].sort((a, b) => collator.compare(a, b)), `${what} in name order`);
        };
        // The seed makes users and groups in another order (the admin first, groups in creation order), so a folder
        // that came back sorted was sorted by the query.
        const seeded = (names: string[]) => assert.notDeepEqual(names, [...names].sort((a, b) => collator.compare(a, b)));
        seeded([...f.sandbox.state().users.values()].map(u => u.displayName));
        seeded([...f.sandbox.state().groups.values()].map(g => g.displayName));
        const users = await d.users();
        sorted(users.items.map(u => u.displayName), 'Users (first page of 1,500)');
        sorted([...users.items, ...(await d.users({ nextLink: users.nextLink ?? '' })).items].map(u => u.displayName), 'Users, two pages');
        sorted((await d.users({ search: 'a' })).items.map(u => u.displayName), 'Users, searched');
        sorted((await d.groups()).items.map(g => g.displayName), 'Groups');
        const sales = (await d.groups({ search: 'Staff - Sales' })).items.find(g => g.displayName === 'Staff - Sales');
        sorted((await d.groupMembers(sales?.id ?? '')).items.map(m => m.displayName), 'a group\'s members, users and nested groups together');
        const member = (await d.groupMembers(sales?.id ?? '')).items.find(m => m['@odata.type'] === '#microsoft.graph.user');
        assert.ok((await d.memberOf(member?.id ?? '')).items.length >= 1);
        sorted((await d.roleDefinitions()).items.map(r => r.displayName), 'Directory roles');
        const skus = (await d.subscribedSkus()).items;
        assert.deepEqual(skus.map(s => s.skuPartNumber), ['ENTERPRISEPACK', 'DEVELOPERPACK'], 'by product name: "Office 365 E3" before "Office 365 E3 Developer"');
        sorted((await x.roleGroups()).items.map(g => g.DisplayName || g.Name), 'Exchange role groups');
    });

    it('finds the service accounts by their marker, and the users holding a licence', async () => {
        const accounts = await d.serviceAccounts();
        assert.deepEqual(accounts.items.map(u => u.userPrincipalName), ['svc-backup@contoso.com']);
        const skus = await d.subscribedSkus();
        const developer = skus.items.find(s => s.skuPartNumber === 'DEVELOPERPACK');
        const holders = await d.usersWithLicence(developer?.skuId ?? '');
        assert.equal(holders.items.length, developer?.consumedUnits);
        assert.ok(holders.items.every(u => u.assignedLicenses?.some(l => l.skuId === developer?.skuId)));
    });

    it('lists a group\'s direct members typed, nested groups included', async () => {
        const staff = (await d.groups({ search: 'Staff' })).items.find(g => g.displayName === 'Staff');
        assert.ok(staff?.id);
        const members = await d.groupMembers(staff.id);
        assert.ok(members.items.length > 0 && members.items.every(m => m['@odata.type'] === '#microsoft.graph.group'), 'Staff holds the department groups');
        const sales = members.items.find(m => m.displayName === 'Staff - Sales');
        const salesMembers = await d.groupMembers(sales?.id ?? '');
        assert.ok(salesMembers.items.some(m => m['@odata.type'] === '#microsoft.graph.user'));
        assert.ok(salesMembers.items.some(m => m.displayName === 'Staff - Sales EMEA'), 'a nested group');
        // A member row is a UserNode or GroupNode: it reads what the Users and Groups folders select, so the member
        // list selects it too (Graph returns only what is selected, and each item only its own type's properties).
        const user = salesMembers.items.find(m => m['@odata.type'] === '#microsoft.graph.user');
        for (const name of ['userType', 'jobTitle', 'department', 'usageLocation', 'accountEnabled', 'assignedLicenses', 'employeeType']) assert.ok(user && name in user, `a user member has ${name}`);
        const group = salesMembers.items.find(m => m['@odata.type'] === '#microsoft.graph.group');
        assert.ok(group && 'description' in group && !('userPrincipalName' in group), 'a group member has its description and no user property');
    });

    it('names who holds a role in two requests (principal expanded, then its user properties), and a user\'s roles with their definitions', async () => {
        let holders: Awaited<ReturnType<typeof d.roleMembers>> | undefined;
        // Two, not one: an expanded principal carries only a user's default properties, and Graph refuses a nested
        // $select, so the user rows' properties are read again by id (rolePrincipals.ts).
        assert.equal(await costOf(async () => (holders = await d.roleMembers('62e90394-69f5-4237-9190-012177145e10'))), 2);
        assert.deepEqual(holders?.items.map(a => a.principal?.userPrincipalName), ['admin@contoso.com']);
        const admin = holders?.items[0].principal?.id ?? '';
        const roles = await d.rolesOf(admin);
        assert.equal(roles.items[0].roleDefinition?.displayName, 'Global Administrator');
    });

    /** What a user row reads (UserNode), as the tenant holds it. */
    const asTenantHasIt = (id: string) => {
        const u = f.sandbox.state().users.get(id);
        assert.ok(u, id);
        return { accountEnabled: u.accountEnabled, usageLocation: u.usageLocation, employeeType: u.extensionAttributes?.employeeType, userType: u.userType, skus: u.assignedLicenses.map(l => l.skuId) };
    };
    const asRowReadsIt = (p: NonNullable<Awaited<ReturnType<typeof d.roleMembers>>['items'][number]['principal']>) =>
        ({ accountEnabled: p.accountEnabled, usageLocation: p.usageLocation ?? undefined, employeeType: p.employeeType ?? undefined, userType: p.userType, skus: p.assignedLicenses?.map(l => l.skuId) });
    const roleNamed = (name: string) => f.sandbox.state().roleDefinitions.find(r => r.displayName === name)?.id ?? '';

    it('gives a role member\'s user row the service-account marker, sign-in state, licences and usage location the tenant has', async () => {
        const readers = await d.roleMembers(roleNamed('Global Reader'));
        const users = readers.items.filter(a => a.principal?.['@odata.type'] === '#microsoft.graph.user');
        assert.deepEqual(users.map(a => a.principal?.userPrincipalName).sort(), ['helpdesk@contoso.com', 'svc-backup@contoso.com']);
        for (const a of users) assert.deepEqual(asRowReadsIt(a.principal ?? {}), asTenantHasIt(a.principalId ?? ''), a.principal?.userPrincipalName ?? '');
        const backup = users.find(a => a.principal?.userPrincipalName === 'svc-backup@contoso.com')?.principal;
        assert.equal(backup?.employeeType, serviceAccountEmployeeType, 'the service-account marker, so the row shows the service-account icon');
        assert.deepEqual(backup?.assignedLicenses, [], 'unlicensed, said as such (not unknown)');
    });

    it('reads the users of a 40-member role page in one $batch of 15-id filters; an app holding a role stays as expanded, at no extra cost', async () => {
        const state = f.sandbox.state();
        const role = roleNamed('User Administrator');
        assert.ok(role && !state.roleAssignments.some(a => a.roleDefinitionId === role), 'a role nobody holds yet');
        const users = [...state.users.values()].slice(2, 42);
        assert.ok(users.some(u => !u.accountEnabled) && users.some(u => u.assignedLicenses.length === 0), 'the 40 include disabled and unlicensed accounts');
        const added = users.map((u, i) => ({ id: `test-assignment-${i}`, roleDefinitionId: role, principalId: u.id, directoryScopeId: '/', createdDateTime: new Date(0).toISOString() }));
        state.roleAssignments.push(...added);
        try {
            let holders: Awaited<ReturnType<typeof d.roleMembers>> | undefined;
            // The assignments page, then 40 users as three `id in (…)` filters of at most 15 ids in one $batch.
            const before = sent.length;
            assert.equal(await costOf(async () => (holders = await d.roleMembers(role))), 2);
            assert.equal(holders?.items.length, 40);
            const batch = sent.slice(before).find(r => r.url.endsWith('/$batch'));
            const filters = (JSON.parse(batch?.body ?? '{}') as { requests?: { url: string }[] }).requests?.map(r => decodeURIComponent(r.url)) ?? [];
            assert.deepEqual(filters.map(u => u.match(/'[^']+'/g)?.length), [15, 15, 10], 'at most 15 ids per `in` filter');
            for (const a of holders?.items ?? []) assert.deepEqual(asRowReadsIt(a.principal ?? {}), asTenantHasIt(a.principalId ?? ''), a.principal?.userPrincipalName ?? '');
        } finally {
            state.roleAssignments = state.roleAssignments.filter(a => !a.id.startsWith('test-assignment-'));
        }
        let apps: Awaited<ReturnType<typeof d.roleMembers>> | undefined;
        assert.equal(await costOf(async () => (apps = await d.roleMembers(roleNamed('Exchange Administrator')))), 1, 'no user among the holders: no second request');
        const app = apps?.items.find(a => a.principal?.['@odata.type'] === '#microsoft.graph.servicePrincipal')?.principal;
        assert.ok(app?.displayName && !('userPrincipalName' in app), 'the app as expanded');
    });

    it('pages Exchange mailboxes 100 at a time and searches them with -Anr', async () => {
        let first: Awaited<ReturnType<typeof x.mailboxes>> | undefined;
        assert.equal(await costOf(async () => (first = await x.mailboxes())), 1);
        assert.equal(first?.items.length, folderPageSize);
        assert.ok(first?.nextLink);
        const next = await x.mailboxes({ nextLink: first?.nextLink ?? '' });
        assert.equal(next.items.length, folderPageSize);
        assert.notEqual(next.items[0].Alias, first?.items[0].Alias);
        const found = await x.mailboxes({ search: 'reception' });
        assert.deepEqual(found.items.map(m => m.PrimarySmtpAddress), ['reception@contoso.com']);
        const groups = await x.roleGroups();
        assert.ok(groups.items.some(g => g.DisplayName === 'View-Only Organization Management'));
    });

    it('finds whom a calendar can be shared with (the grantee picker) by -Anr in one request: mailboxes and mail-enabled security groups only', async () => {
        await newDistributionGroup(exo, { Name: 'Quokka Readers', PrimarySmtpAddress: 'quokka-readers@contoso.com', Type: 'Security' });
        let found: Awaited<ReturnType<typeof x.grantees>> | undefined;
        assert.equal(await costOf(async () => (found = await x.grantees({ search: ' quokka ' }))), 1);
        assert.deepEqual(found?.items.map(r => [r.PrimarySmtpAddress, r.RecipientTypeDetails]), [['quokka-readers@contoso.com', 'MailUniversalSecurityGroup']]);
        assert.deepEqual((await x.grantees({ search: 'reception' })).items.map(r => [r.PrimarySmtpAddress, r.RecipientTypeDetails]), [['reception@contoso.com', 'SharedMailbox']]);
        const first = await x.grantees();
        assert.equal(first.items.length, folderPageSize, 'one page of 100 however large the tenant');
        assert.ok(first.items.every(r => ['UserMailbox', 'SharedMailbox', 'MailUniversalSecurityGroup'].includes(r.RecipientTypeDetails)), first.items.map(r => r.RecipientTypeDetails).join());
    });

    it('reads a calendar\'s permissions under its localised folder name', async () => {
        const german = [...f.sandbox.state().mailboxes.values()].find(m => m.calendarFolderName === 'Kalender');
        assert.ok(german, 'the sandbox has a mailbox with a German calendar');
        const owner = f.sandbox.state().users.get(german.userId);
        const permissions = await x.calendarPermissions(owner?.userPrincipalName ?? '');
        assert.match(permissions.folder, /:\\Kalender$/);
        assert.ok(permissions.items.some(p => p.User.DisplayName === 'Default'));
    });

    it('reads details with properties, memberships and the licence plans that are on', async () => {
        const sources = { directory: d, exchange: x };
        const section = (details: ObjectDetails, heading: RegExp) => details.sections.find(s => heading.test(s.heading));
        // Users come back by name: the first "Adele" need not be Adele Vance.
        const adele = (await d.users({ search: 'Adele' })).items.find(u => u.userPrincipalName === 'adelev@contoso.com');
        assert.ok(adele);
        const user = await userDetails(sources, adele.id ?? '');
        assert.match(user.name, /^Adele/);
        assert.deepEqual(section(user, /^Identity$/)?.facts?.find(f => f.label === 'User principal name'), { label: 'User principal name', value: 'adelev@contoso.com', copy: true });
        assert.ok(section(user, /^Group memberships/)?.items?.some(i => i.text.startsWith('Staff - ')));
        assert.match(section(user, /^Licences/)?.items?.find(i => i.text === 'Office 365 E3')?.detail ?? '', /^Enabled plans \(\d+ of \d+\): .*EXCHANGE_S_ENTERPRISE/);
        const staff = (await d.groups({ search: 'Staff' })).items.find(g => g.displayName === 'Staff');
        const group = await groupDetails(sources, staff?.id ?? '');
        assert.equal(group.kind, 'Security group');
        assert.ok(section(group, /^Direct members$/)?.items?.some(i => i.text === 'Staff - Sales' && i.detail === 'group'));
        const role = await roleDetails(sources, '62e90394-69f5-4237-9190-012177145e10');
        assert.equal(role.kind, 'Privileged role');
        assert.ok(section(role, /^Members$/)?.items?.some(i => i.text === 'Contoso Administrator' && i.detail === 'admin@contoso.com'));
        const sku = (await d.subscribedSkus()).items.find(s => s.skuPartNumber === 'ENTERPRISEPACK');
        const licence = await licenceDetails(sources, sku?.skuId ?? '');
        assert.equal(licence.name, 'Office 365 E3');
        assert.match(section(licence, /^Service plans$/)?.items?.find(i => i.text === 'Exchange Online (Plan 2) (EXCHANGE_S_ENTERPRISE)')?.detail ?? '', /^applies to User · /);
        const mailbox = await mailboxDetails(sources, 'adelev@contoso.com', 'Adele');
        assert.ok(section(mailbox, /^Calendar permissions \(adelev@contoso\.com:\\Calendar\)$/)?.items?.some(i => i.text === 'Default'));
        assert.doesNotMatch(JSON.stringify(user), /\[object Object\]/);
    });

    it('reads an Exchange role group\'s roles and members, and a mail-enabled group\'s settings and members, from Exchange', async () => {
        const sources = { directory: d, exchange: x };
        const organisation = await roleGroupDetails(sources, 'OrganizationManagement');
        assert.equal(organisation.kind, 'Exchange role group');
        assert.equal(organisation.name, 'Organization Management');
        assert.ok(organisation.sections.find(s => s.heading === 'Members')?.items?.some(i => i.text === 'Contoso Administrator'), JSON.stringify(organisation.sections));
        await newDistributionGroup(exo, { Name: 'Wombat Readers', PrimarySmtpAddress: 'wombat-readers@contoso.com', Type: 'Security' });
        const wombats = await mailGroupDetails(sources, 'wombat-readers@contoso.com');
        assert.equal(wombats.kind, 'Mail-enabled security group');
        assert.deepEqual(wombats.sections[0].facts?.[0], { label: 'Address', value: 'wombat-readers@contoso.com', copy: true });
        assert.deepEqual(wombats.sections.find(s => s.heading === 'Members')?.items, []);
        await assert.rejects(mailGroupDetails(sources, 'nobody-here@contoso.com'), /no mail-enabled group at nobody-here@contoso\.com/);
    });

    it('sends only requests the Graph reference describes, except the documented memberOf', async () => {
        const checked = sent.filter(r => !r.url.includes('/memberOf'));
        assert.ok(checked.length > 10);
        for (const request of checked) {
            // Graph's own opaque $skiptoken is not in the reference subset.
            const relative = request.url.slice(f.sandbox.graphUrl.length).replace(/&?%24skiptoken=[^&]*/, '').replace(/\$skiptoken=[^&]*&?/, '');
            assert.deepEqual((await validateGraphRequest(request.method, relative, request.body ? JSON.parse(request.body) : undefined, request.headers)).errors, [], relative);
        }
    });
});
