import * as assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import * as msal from '@azure/msal-node';
import { appMayUseMailbox } from '../../sandbox/src/exchange/appAuthorization';
import { deserializeTenant, serializeTenant } from '../../sandbox/src/tenant/persistence';
import { readExchangeError } from './exchangeErrorBody';
import { sandboxFixture, type SandboxFixture } from './fixture';
import { adoptLegacyGrants, appRoleAssignments, grantAppRole, resourceServicePrincipal, servicePrincipalOf } from '../../sandbox/src/tenant/applications';
import { microsoftGraphAppId } from '../../sandbox/src/identity/permissionCatalogue';

interface ExchangeAnswer { status: number; value: Record<string, unknown>[]; message: string }

/**
 * RBAC for Applications end to end: the Exchange pointer, a scope from a group, the role assignment, what
 * Test-ServicePrincipalAuthorization says, and Graph calendar calls with the app's own app-only token — allowed inside
 * the scope, refused outside it, and allowed everywhere once Entra grants the same permission tenant-wide.
 */
describe('Sandbox Exchange RBAC for Applications and Graph calendar access', function () {
    this.timeout(60_000);
    let f: SandboxFixture;
    let admin: string;
    const secret = `rbac-${randomUUID()}`;
    const app = { appId: randomUUID(), servicePrincipalId: randomUUID(), displayName: 'Room Booking (RBAC test)' };
    let member = '';
    let outsider = '';
    let groupDn = '';

    before(async () => {
        f = await sandboxFixture();
        admin = await f.appToken('exchange');
        addAppWithSecret();
        const mailboxes = [...f.sandbox.state().mailboxes.values()].filter(m => m.recipientTypeDetails === 'UserMailbox' && !m.primarySmtpAddress.startsWith('admin@'));
        member = mailboxes[0].primarySmtpAddress;
        outsider = mailboxes[1].primarySmtpAddress;
    });
    after(() => f.stop());

    /**
     * The integration's app registration, with a client secret and NO Entra calendar permission (another part of the
     * sandbox decides how Graph roles reach tokens; grantEntraRoles writes the app role assignment records). The one
     * place that knows the shape of `state.apps`; its old-style fields are turned into records on first use.
     */
    function addAppWithSecret(): void {
        f.sandbox.state().apps.push({
            appId: app.appId,
            displayName: app.displayName,
            isPublicClient: false,
            redirectUris: { publicClient: [], web: [] },
            consentedScopes: [],
            appRoles: [],
            secrets: [{ id: randomUUID(), hint: secret.slice(0, 3), sha256: createHash('sha256').update(secret).digest('hex'), expiresDateTime: '2099-01-01T00:00:00Z' }],
            certificates: [],
            servicePrincipalId: app.servicePrincipalId,
        });
    }
    /** Sets the app's Microsoft Graph application permissions: its app role assignments on Graph's service principal. */
    function grantEntraRoles(roles: string[]): void {
        const state = f.sandbox.state();
        adoptLegacyGrants(state);
        const client = servicePrincipalOf(state, app.appId);
        assert.ok(client);
        const graph = resourceServicePrincipal(state, microsoftGraphAppId);
        state.appRoleAssignments = appRoleAssignments(state).filter(a => !(a.principalId === client.id && a.resourceId === graph.id));
        for (const value of roles) {
            const role = graph.appRoles.find(r => r.value === value);
            assert.ok(role, value);
            grantAppRole(state, client, graph, role.id, new Date().toISOString());
        }
    }

    /** A fresh app-only Graph token for the test app (a new client each time, so no cached token hides a change). */
    async function appGraphToken(): Promise<string> {
        const client = new msal.ConfidentialClientApplication({ auth: { clientId: app.appId, authority: f.sandbox.authority, clientSecret: secret, knownAuthorities: [f.host] }, system: { networkClient: f.network } });
        const result = await client.acquireTokenByClientCredential({ scopes: [`${f.sandbox.graphUrl}/.default`] });
        assert.ok(result?.accessToken);
        return result.accessToken;
    }

    async function run(cmdlet: string, parameters: Record<string, unknown> = {}): Promise<ExchangeAnswer> {
        const answer = await f.transport.send({
            method: 'POST',
            url: `${f.sandbox.exchangeUrl}/adminapi/beta/${f.sandbox.tenantId}/InvokeCommand`,
            headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', 'x-anchormailbox': `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${f.sandbox.tenantId}` },
            body: JSON.stringify({ CmdletInput: { CmdletName: cmdlet, Parameters: parameters } }),
        });
        if (answer.status >= 400) return { status: answer.status, value: [], message: readExchangeError(answer.body).message };
        return { status: answer.status, value: (JSON.parse(answer.body.toString('utf8')) as { value?: Record<string, unknown>[] }).value ?? [], message: '' };
    }

    async function graph(method: 'GET' | 'POST', path: string, token: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
        const res = await f.transport.send({ method, url: `${f.sandbox.graphUrl}/v1.0${path}`, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
        const text = res.body.toString('utf8');
        return { status: res.status, json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} };
    }
    const event = (subject: string) => ({ subject, start: { dateTime: '2026-12-01T09:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-12-01T09:30:00', timeZone: 'UTC' } });

    it('makes the pointer, a scope from a group and the assignment, and refuses what Exchange would refuse', async () => {
        // A wrong ObjectId (the app's client id instead of its service principal's object id) is refused.
        const wrongId = await run('New-ServicePrincipal', { AppId: app.appId, ObjectId: app.appId });
        assert.equal(wrongId.status, 400);
        assert.match(wrongId.message, /couldn't be found in Microsoft Entra ID/);
        const sp = await run('New-ServicePrincipal', { AppId: app.appId, ObjectId: app.servicePrincipalId, DisplayName: app.displayName });
        assert.equal(sp.status, 200);
        assert.equal(sp.value[0].AppId, app.appId);
        assert.equal((await run('New-ServicePrincipal', { AppId: app.appId, ObjectId: app.servicePrincipalId })).status, 400, 'a second pointer for the same app');
        assert.equal((await run('Get-ServicePrincipal', { Identity: app.appId })).value[0].ObjectId, app.servicePrincipalId);

        const group = await run('New-DistributionGroup', { Name: 'Room Booking Calendars', Type: 'Security', PrimarySmtpAddress: 'roombooking-scope@contoso.com', Members: [member] });
        assert.equal(group.status, 200);
        groupDn = String(group.value[0].DistinguishedName);
        assert.match(groupDn, /^CN=Room Booking Calendars,/);

        const badFilter = await run('New-ManagementScope', { Name: 'Broken', RecipientRestrictionFilter: "MemberOfGroup -eq 'unterminated" });
        assert.equal(badFilter.status, 400);
        assert.match(badFilter.message, /RecipientRestrictionFilter/);
        const scope = await run('New-ManagementScope', { Name: 'Room Booking Mailboxes', RecipientRestrictionFilter: `MemberOfGroup -eq '${groupDn}'` });
        assert.equal(scope.status, 200);
        assert.equal(scope.value[0].ScopeRestrictionType, 'RecipientScope');
        assert.equal((await run('New-ManagementScope', { Name: 'Room Booking Mailboxes', RecipientRestrictionFilter: "Department -eq 'Sales'" })).status, 400, 'a duplicate scope name');

        assert.equal((await run('New-ManagementRoleAssignment', { App: app.appId, Role: 'Application Calendars.Nonsense', CustomResourceScope: 'Room Booking Mailboxes' })).status, 404);
        assert.equal((await run('New-ManagementRoleAssignment', { App: app.appId, Role: 'Application Calendars.ReadWrite', CustomResourceScope: 'No Such Scope' })).status, 404);
        const assigned = await run('New-ManagementRoleAssignment', { App: app.appId, Role: 'Application Calendars.ReadWrite', CustomResourceScope: 'Room Booking Mailboxes', Name: 'Room Booking Calendars' });
        assert.equal(assigned.status, 200);
        assert.equal(assigned.value[0].RoleAssigneeType, 'ServicePrincipal');
        assert.equal((await run('New-ManagementRoleAssignment', { App: app.appId, Role: 'Application Calendars.ReadWrite', CustomResourceScope: 'Room Booking Mailboxes', Name: 'Room Booking Calendars' })).status, 400, 'a duplicate assignment name');
        const listed = await run('Get-ManagementRoleAssignment', { RoleAssignee: app.appId });
        assert.deepEqual(listed.value.map(a => [a.Role, a.CustomResourceScope]), [['Application Calendars.ReadWrite', 'Room Booking Mailboxes']]);
        // The scope is in use, so it cannot go.
        assert.equal((await run('Remove-ManagementScope', { Identity: 'Room Booking Mailboxes' })).status, 400);
    });

    it('Test-ServicePrincipalAuthorization says InScope for a member of the group and not for anyone else', async () => {
        const inside = await run('Test-ServicePrincipalAuthorization', { Identity: app.appId, Resource: member });
        assert.deepEqual(inside.value.map(r => [r.RoleName, r.GrantedPermissions, r.AllowedResourceScope, r.ScopeType, r.InScope]), [['Application Calendars.ReadWrite', 'Calendars.ReadWrite', 'Room Booking Mailboxes', 'CustomRecipientScope', true]]);
        const outside = await run('Test-ServicePrincipalAuthorization', { Identity: app.appId, Resource: outsider });
        assert.equal(outside.value[0].InScope, false);
        const notRun = await run('Test-ServicePrincipalAuthorization', { Identity: app.appId });
        assert.equal(notRun.value[0].InScope, 'Not Run');
    });

    it("with only the scoped assignment the app reads and writes a member's calendar and is refused on anyone else's", async () => {
        const token = await appGraphToken();
        const created = await graph('POST', `/users/${member}/calendar/events`, token, event('Room check'));
        assert.equal(created.status, 201);
        assert.equal((created.json.organizer as { emailAddress: { address: string } }).emailAddress.address, member);
        const read = await graph('GET', `/users/${member}/calendar/events`, token);
        assert.equal(read.status, 200);
        assert.deepEqual((read.json.value as { subject: string }[]).map(e => e.subject), ['Room check']);

        const refusedRead = await graph('GET', `/users/${outsider}/calendar/events`, token);
        assert.equal(refusedRead.status, 403);
        assert.equal((refusedRead.json.error as { code: string }).code, 'ErrorAccessDenied');
        assert.equal((await graph('POST', `/users/${outsider}/calendar/events`, token, event('Not allowed'))).status, 403);
        assert.equal((await graph('GET', `/users/${outsider}/calendar/calendarPermissions`, token)).status, 403, 'the calendar permission routes apply the same rule');
        assert.equal((await graph('GET', `/users/${member}/mailboxSettings`, token)).status, 403, 'a calendar role does not open mailbox settings');
    });

    it('a tenant-wide Entra Calendars.ReadWrite adds to the scope: the outsider is reachable too', async () => {
        grantEntraRoles(['Calendars.ReadWrite']);
        try {
            const token = await appGraphToken();
            assert.equal((await graph('POST', `/users/${outsider}/calendar/events`, token, event('Tenant-wide'))).status, 201);
            assert.equal((await graph('GET', `/users/${outsider}/calendar/events`, token)).status, 200);
        } finally {
            grantEntraRoles([]);
        }
    });

    it('pages events with @odata.nextLink', async () => {
        const token = await appGraphToken();
        for (let i = 0; i < 3; i++) assert.equal((await graph('POST', `/users/${member}/calendar/events`, token, event(`Page ${i}`))).status, 201);
        const first = await graph('GET', `/users/${member}/calendar/events?$top=2`, token);
        assert.equal((first.json.value as unknown[]).length, 2);
        const next = String(first.json['@odata.nextLink']);
        assert.match(next, /\$skip=2/);
        const second = await f.get(next, token);
        assert.deepEqual((second.json.value as { subject: string }[]).map(e => e.subject), ['Page 1', 'Page 2']);
        assert.equal(second.json['@odata.nextLink'], undefined);
    });

    it('keeps the pointer, scope, assignment and events in the saved state, and loads a file saved before they existed', () => {
        const state = f.sandbox.state();
        const copy = deserializeTenant(serializeTenant(state));
        assert.deepEqual(copy.exchangeAppRoleAssignments, state.exchangeAppRoleAssignments);
        assert.deepEqual(copy.managementScopes, state.managementScopes);
        const principal = { tenantId: state.tenantId, appId: app.appId, objectId: app.servicePrincipalId, kind: 'application' as const, scopes: [], roles: [], audience: 'graph' as const };
        const memberId = [...copy.mailboxes.values()].find(m => m.primarySmtpAddress === member)?.userId ?? '';
        assert.equal(appMayUseMailbox(copy, principal, memberId, ['Calendars.ReadWrite']), true);
        assert.ok((copy.mailboxes.get(memberId)?.calendarEvents?.length ?? 0) > 0);
        const old = JSON.parse(serializeTenant(state)) as Record<string, unknown>;
        for (const key of ['exchangeServicePrincipals', 'managementScopes', 'exchangeAppRoleAssignments', 'exchangeOrganizationConfig']) delete old[key];
        const loaded = deserializeTenant(JSON.stringify(old));
        assert.equal(appMayUseMailbox(loaded, principal, memberId, ['Calendars.ReadWrite']), false);
    });

    it('removing the assignment takes the access away again', async () => {
        assert.equal((await run('Remove-ManagementRoleAssignment', { Identity: 'Room Booking Calendars' })).status, 200);
        const token = await appGraphToken();
        assert.equal((await graph('GET', `/users/${member}/calendar/events`, token)).status, 403);
        assert.equal((await run('Remove-ManagementScope', { Identity: 'Room Booking Mailboxes' })).status, 200);
        assert.equal((await run('Remove-ServicePrincipal', { Identity: app.appId })).status, 200);
        assert.equal((await run('Get-ServicePrincipal', { Identity: app.appId })).status, 404);
    });

    it("a delegated admin's calendar reads behave as before (the scope does not apply to people)", async () => {
        const token = await f.delegatedToken('admin@contoso.com', ['Calendars.ReadWrite']);
        assert.equal((await graph('GET', `/users/${outsider}/calendar/events`, token)).status, 200);
        assert.equal((await graph('GET', `/users/${outsider}/calendar/calendarPermissions`, token)).status, 200);
        const noScope = await f.delegatedToken('admin@contoso.com', ['User.Read']);
        const refused = await graph('GET', `/users/${outsider}/calendar/events`, noScope);
        assert.equal(refused.status, 403);
        assert.equal((refused.json.error as { code: string }).code, 'Authorization_RequestDenied');
    });

    it('Get-OrganizationConfig shows the EWS settings a tenant that never set them has: all unset', async () => {
        const config = await run('Get-OrganizationConfig');
        assert.equal(config.status, 200);
        const [org] = config.value;
        assert.ok('EwsEnabled' in org && 'EwsApplicationAccessPolicy' in org && 'EwsAllowList' in org && 'EwsBlockList' in org);
        assert.equal(org.EwsEnabled, null);
        assert.equal(org.EwsApplicationAccessPolicy, null);
        f.sandbox.state().exchangeOrganizationConfig = { ewsEnabled: true, ewsApplicationAccessPolicy: 'EnforceAllowList', ewsAllowList: ['MyTimetable*'], ewsBlockList: null };
        const set = (await run('Get-OrganizationConfig')).value[0];
        assert.deepEqual([set.EwsEnabled, set.EwsApplicationAccessPolicy, set.EwsAllowList], [true, 'EnforceAllowList', ['MyTimetable*']]);
    });
});
