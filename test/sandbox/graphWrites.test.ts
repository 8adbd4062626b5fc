import * as assert from 'node:assert/strict';
import { sandboxFixture, type SandboxFixture } from './fixture';
import { validateGraphResponse } from './graphConformance';
import { deliberatelyInvalid } from './graphRequestChecks';

describe('Sandbox Microsoft Graph: changes, and the errors admins hit', function () {
    this.timeout(30_000);
    let f: SandboxFixture;
    let app: string;
    let reader: string;
    const graph = (p: string) => `${f.sandbox.graphUrl}/v1.0${p}`;
    const e3 = '6fd2c87f-b296-42f0-b197-1e91e994b900';
    const developer = '189a915c-fe4f-4ffa-bde4-85b9628d07a0';
    const exchangePlan = 'efb87545-963c-4e0d-99df-69c6916d9eb0';

    before(async () => {
        f = await sandboxFixture();
        app = await f.appToken();
        // Only an administrator can consent to a write permission; then the Global Reader may ask for it too.
        await f.delegatedToken('admin@contoso.com', ['User.ReadWrite.All']);
        reader = await f.delegatedToken('helpdesk@contoso.com', ['User.ReadWrite.All']);
    });
    after(() => f.stop());

    async function send(method: string, p: string, body?: unknown, token = app, headers: Record<string, string> = {}) {
        const answer = await f.transport.send({ method, url: graph(p), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
        const text = answer.body.toString('utf8');
        const json = text ? (JSON.parse(text) as Record<string, unknown>) : null;
        const check = await validateGraphResponse(method, p, answer.status, json);
        assert.deepEqual(check.errors, [], `${method} ${p} → ${answer.status} conforms to the reference`);
        return { status: answer.status, json: json ?? {}, error: (json?.error ?? {}) as { code?: string; message?: string } };
    }
    const newUser = (upn: string, extra: Record<string, unknown> = {}) => ({ accountEnabled: true, displayName: 'Service Account', mailNickname: upn.split('@')[0], userPrincipalName: upn, passwordProfile: { password: 'Xy7!pLm2#Qw9', forceChangePasswordNextSignIn: false }, ...extra });

    it('creates a user, and refuses the same UPN again with Graph\'s message', async () => {
        const created = await send('POST', '/users', newUser('sa-mytt-exch@contoso.com', { usageLocation: 'NL', passwordPolicies: 'DisablePasswordExpiration' }));
        assert.equal(created.status, 201);
        assert.equal(created.json.userPrincipalName, 'sa-mytt-exch@contoso.com');
        // The answer has the default properties only (user-post-users.md); the rest is there on $select.
        assert.equal(created.json.passwordPolicies, undefined);
        const read = await send('GET', `/users/${String(created.json.id)}?$select=passwordPolicies,usageLocation`);
        assert.deepEqual(read.json, { '@odata.context': read.json['@odata.context'], passwordPolicies: 'DisablePasswordExpiration', usageLocation: 'NL' });
        const again = await send('POST', '/users', newUser('SA-MYTT-EXCH@contoso.com'));
        assert.equal(again.status, 400);
        assert.equal(again.error.message, 'Another object with the same value for property userPrincipalName already exists.');
    });

    it('refuses a UPN on an unverified domain, a weak password and a missing required property', async () => {
        const unverified = await send('POST', '/users', newUser('svc@fabrikam.com'));
        assert.equal(unverified.status, 400);
        assert.match(unverified.error.message ?? '', /verified domain names/);
        const weak = await send('POST', '/users', newUser('svc-weak@contoso.com', { passwordProfile: { password: 'password' } }));
        assert.match(weak.error.message ?? '', /password complexity/);
        const missing = await send('POST', '/users', { displayName: 'x', userPrincipalName: 'x@contoso.com' });
        assert.match(missing.error.message ?? '', /Invalid value specified for property '\w+' of resource 'User'/);
    });

    it('assigns a licence with only the Exchange plan: usage location first, then a mailbox appears and units are counted', async () => {
        const user = await send('POST', '/users', newUser('sa-lic@contoso.com'));
        const id = String(user.json.id);
        const e3Sku = f.sandbox.state().skus.find(s => s.skuId === e3);
        const before = e3Sku?.consumedUnits ?? 0;
        const allButExchange = e3Sku?.servicePlans.map(p => p.servicePlanId).filter(p => p !== exchangePlan) ?? [];
        const noLocation = await send('POST', `/users/${id}/assignLicense`, { addLicenses: [{ skuId: e3, disabledPlans: allButExchange }], removeLicenses: [] });
        assert.equal(noLocation.status, 400);
        assert.equal(noLocation.error.message, 'License assignment cannot be done for user with invalid usage location.');
        assert.equal((await send('PATCH', `/users/${id}`, { usageLocation: 'NL' })).status, 204);
        const assigned = await send('POST', `/users/${id}/assignLicense`, { addLicenses: [{ skuId: e3, disabledPlans: allButExchange }], removeLicenses: [] });
        assert.equal(assigned.status, 200);
        assert.equal(e3Sku?.consumedUnits, before + 1);
        assert.equal(f.sandbox.state().mailboxes.get(id)?.recipientTypeDetails, 'UserMailbox');
        const details = await f.get(graph(`/users/${id}/licenseDetails`), app);
        const plans = ((details.json.value as { servicePlans: { servicePlanName: string; provisioningStatus: string }[] }[])[0]).servicePlans;
        assert.deepEqual(plans.filter(p => p.provisioningStatus === 'Success').map(p => p.servicePlanName), ['EXCHANGE_S_ENTERPRISE']);
    });

    it('refuses a licence with no free units', async () => {
        const user = await send('POST', '/users', newUser('sa-dev@contoso.com', { usageLocation: 'US' }));
        const answer = await send('POST', `/users/${String(user.json.id)}/assignLicense`, { addLicenses: [{ skuId: developer, disabledPlans: [] }], removeLicenses: [] });
        assert.equal(answer.status, 400);
        assert.match(answer.error.message ?? '', /DEVELOPERPACK does not have any available licenses/);
    });

    it('assigns a directory role, refuses an unknown role definition, and waits out replication for a new user', async () => {
        const user = await send('POST', '/users', newUser('sa-reports@contoso.com'));
        const principalId = String(user.json.id);
        const unknown = await send('POST', '/roleManagement/directory/roleAssignments', { roleDefinitionId: '00000000-1111-2222-3333-444444444444', principalId, directoryScopeId: '/' });
        assert.equal(unknown.status, 404);
        f.sandbox.setKnobs({ replicationLagMs: 60_000 });
        try {
            const tooSoon = await send('POST', '/roleManagement/directory/roleAssignments', { roleDefinitionId: 'f023fd81-a637-4b56-95fd-791ac0226033', principalId, directoryScopeId: '/' });
            assert.equal(tooSoon.status, 400);
            f.sandbox.advanceClock(61_000);
            const done = await send('POST', '/roleManagement/directory/roleAssignments', { roleDefinitionId: 'f023fd81-a637-4b56-95fd-791ac0226033', principalId, directoryScopeId: '/' });
            assert.equal(done.status, 201);
            const twice = await send('POST', '/roleManagement/directory/roleAssignments', { roleDefinitionId: 'f023fd81-a637-4b56-95fd-791ac0226033', principalId, directoryScopeId: '/' });
            assert.equal(twice.status, 409);
        } finally {
            f.sandbox.setKnobs({ replicationLagMs: 0 });
            f.sandbox.advanceClock(-61_000);
        }
    });

    it('refuses to create a mail-enabled security group, which only Exchange can', async () => {
        const answer = await send('POST', '/groups', { displayName: 'Service Accounts MyTimetable Exchange', mailEnabled: true, securityEnabled: true, mailNickname: 'sa-mytt-exch-secgroup', groupTypes: [] });
        assert.equal(answer.status, 400);
        assert.match(answer.error.message ?? '', /New-DistributionGroup/);
    });

    it('adds and removes group members, refusing a duplicate', async () => {
        const group = await send('POST', '/groups', { displayName: 'Pilot users', mailEnabled: false, securityEnabled: true, mailNickname: 'pilot' });
        const id = String(group.json.id);
        const admin = [...f.sandbox.state().users.values()].find(u => u.userPrincipalName === 'admin@contoso.com')?.id ?? '';
        const ref = { '@odata.id': `${f.sandbox.graphUrl}/v1.0/directoryObjects/${admin}` };
        assert.equal((await send('POST', `/groups/${id}/members/$ref`, ref)).status, 204);
        const again = await send('POST', `/groups/${id}/members/$ref`, ref);
        assert.match(again.error.message ?? '', /already exist/);
        assert.equal((await send('DELETE', `/groups/${id}/members/${admin}/$ref`)).status, 204);
    });

    it('renames a group, changes mailbox settings, and reads one calendar permission (the rest of the reference\'s methods)', async () => {
        const group = await send('POST', '/groups', { displayName: 'Old name', mailEnabled: false, securityEnabled: true, mailNickname: 'oldname' });
        assert.equal((await send('PATCH', `/groups/${String(group.json.id)}`, { displayName: 'New name' })).status, 204);
        assert.equal((await send('GET', `/groups/${String(group.json.id)}`)).json.displayName, 'New name');
        const calendarToken = await f.delegatedToken('admin@contoso.com', ['MailboxSettings.ReadWrite', 'Calendars.ReadWrite']);
        const settings = await send('PATCH', '/users/adelev@contoso.com/mailboxSettings', { timeZone: 'W. Europe Standard Time' }, calendarToken);
        assert.equal(settings.json.timeZone, 'W. Europe Standard Time');
        const list = await send('GET', '/users/adelev@contoso.com/calendar/calendarPermissions', undefined, calendarToken);
        const first = (list.json.value as { id: string; role: string }[])[0];
        const one = await send('GET', `/users/adelev@contoso.com/calendar/calendarPermissions/${first.id}`, undefined, calendarToken);
        assert.equal(one.json.role, first.role);
    });

    it('answers 403 to a Global Reader who tries to change anything, even with a write scope', async () => {
        const answer = await send('POST', '/users', newUser('blocked@contoso.com'), reader);
        assert.equal(answer.status, 403);
        assert.equal(answer.error.code, 'Authorization_RequestDenied');
    });

    it('$batch: up to 20 requests, dependsOn, and 424 after a failed dependency', async () => {
        const tooMany = await send('POST', '/$batch', { requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/organization' })) }, app, deliberatelyInvalid);
        assert.equal(tooMany.status, 400);
        const batch = await send('POST', '/$batch', {
            requests: [
                { id: '1', method: 'GET', url: '/users/nobody@contoso.com' },
                { id: '2', method: 'GET', url: '/organization', dependsOn: ['1'] },
                { id: '3', method: 'GET', url: '/domains' },
            ],
        });
        const statuses = Object.fromEntries((batch.json.responses as { id: string; status: number }[]).map(r => [r.id, r.status]));
        assert.deepEqual(statuses, { 1: 404, 2: 424, 3: 200 });
    });
});
