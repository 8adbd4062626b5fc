import * as assert from 'node:assert/strict';
import { validateGraphRequest, validateGraphResponse } from './graphConformance';

/*
 * The Graph reference (test/reference/graph) describes the calls issue 17 adds: app registrations and their
 * credentials, service principals (also by appId, Graph's alternate key), app role assignments, delegated permission
 * grants and calendar events. These checks hold the reference itself to what the metadata and docs say, so that a
 * client or sandbox bug in those calls shows as a violation instead of passing unchecked.
 */
const graphAppId = '00000003-0000-0000-c000-000000000000';
const someId = '6d2f3c5e-1b7a-4c43-9e0f-2a8b5c7d9e10';

describe('Graph reference: applications, service principals, grants and events (issue 17)', function () {
    this.timeout(60_000);

    it('routes GET /servicePrincipals(appId=\'…\') to the alternate-key read, quoted plainly or percent-encoded, and not to the read by id', async () => {
        const plain = await validateGraphRequest('GET', `/v1.0/servicePrincipals(appId='${graphAppId}')?$select=id,appRoles`, undefined);
        assert.deepEqual(plain.errors, []);
        assert.equal(plain.operationId, 'servicePrincipal_GetByAppId');
        const encoded = await validateGraphRequest('GET', `/v1.0/servicePrincipals(appId=%27${graphAppId}%27)`, undefined);
        assert.equal(encoded.operationId, 'servicePrincipal_GetByAppId');
        const byId = await validateGraphRequest('GET', `/v1.0/servicePrincipals/${someId}`, undefined);
        assert.equal(byId.operationId, 'servicePrincipal_Get');
        const application = await validateGraphRequest('GET', `/v1.0/applications(appId='${graphAppId}')`, undefined);
        assert.equal(application.operationId, 'application_GetByAppId');
    });

    it('describes nothing after or beside the alternate key that it was not asked for (PATCH by appId, an action through appId)', async () => {
        assert.match((await validateGraphRequest('PATCH', `/v1.0/applications(appId='${graphAppId}')`, { displayName: 'x' })).errors.join(), /no operation/);
        assert.match((await validateGraphRequest('POST', `/v1.0/applications(appId='${graphAppId}')/addPassword`, {})).errors.join(), /no operation/);
    });

    it('holds credential actions to their parameters: removePassword needs a GUID keyId, addKey and removeKey a proof', async () => {
        const path = (action: string) => `/v1.0/applications/${someId}/${action}`;
        assert.deepEqual((await validateGraphRequest('POST', path('addPassword'), { passwordCredential: { displayName: 'rolled by M365 Provisioner', endDateTime: '2027-01-01T00:00:00Z' } })).errors, []);
        assert.deepEqual((await validateGraphRequest('POST', path('removePassword'), { keyId: someId })).errors, []);
        assert.notDeepEqual((await validateGraphRequest('POST', path('removePassword'), {})).errors, []);
        assert.notDeepEqual((await validateGraphRequest('POST', path('removePassword'), { keyId: 'not-a-guid' })).errors, []);
        assert.notDeepEqual((await validateGraphRequest('POST', path('addKey'), { keyCredential: { type: 'AsymmetricX509Cert', usage: 'Verify', key: 'MIIB' } })).errors, []);
        assert.notDeepEqual((await validateGraphRequest('POST', path('removeKey'), { keyId: someId })).errors, []);
        assert.deepEqual((await validateGraphRequest('POST', `/v1.0/servicePrincipals/${someId}/addPassword`, {})).errors, []);
    });

    it('checks an app role assignment\'s ids and the answer\'s credential dates', async () => {
        const assignments = `/v1.0/servicePrincipals/${someId}/appRoleAssignedTo`;
        assert.deepEqual((await validateGraphRequest('POST', assignments, { principalId: someId, resourceId: someId, appRoleId: someId })).errors, []);
        assert.notDeepEqual((await validateGraphRequest('POST', assignments, { principalId: someId, resourceId: someId, appRoleId: 'Calendars.ReadWrite' })).errors, []);
        assert.deepEqual((await validateGraphRequest('DELETE', `${assignments}/-WmtM5na7Uus0D8kI1yylpU9Mdo0Pb9OoBJvd3T5eKc`, undefined)).errors, []);
        const listed = (endDateTime: string) => ({ value: [{ id: someId, appId: someId, displayName: 'Calendar sync', passwordCredentials: [{ keyId: someId, endDateTime }] }] });
        assert.deepEqual((await validateGraphResponse('GET', '/v1.0/applications?$select=id,appId,passwordCredentials', 200, listed('2027-01-01T00:00:00Z'))).errors, []);
        assert.notDeepEqual((await validateGraphResponse('GET', '/v1.0/applications', 200, listed('next year'))).errors, []);
    });

    it('describes delegated permission grants and a service principal\'s own list of them', async () => {
        const grant = { clientId: someId, consentType: 'AllPrincipals', resourceId: someId, scope: 'User.Read' };
        assert.deepEqual((await validateGraphRequest('POST', '/v1.0/oauth2PermissionGrants', grant)).errors, []);
        assert.deepEqual((await validateGraphRequest('GET', `/v1.0/oauth2PermissionGrants?$filter=clientId eq '${someId}'`, undefined)).errors, []);
        assert.equal((await validateGraphRequest('GET', `/v1.0/servicePrincipals/${someId}/oauth2PermissionGrants`, undefined)).operationId, 'servicePrincipal.oauth2PermissionGrant_List');
        assert.deepEqual((await validateGraphRequest('PATCH', '/v1.0/oauth2PermissionGrants/l5eW7x0ga0-WDOntXzHateQDNpSH5-lPk9HjD3Sarjk', { scope: 'User.Read Mail.Read' })).errors, []);
    });

    it('describes a user\'s calendar events, with $select limited to event properties', async () => {
        const events = `/v1.0/users/${someId}/calendar/events`;
        assert.deepEqual((await validateGraphRequest('GET', `${events}?$select=subject,start,end&$top=5`, undefined)).errors, []);
        assert.notDeepEqual((await validateGraphRequest('GET', `${events}?$select=notAProperty`, undefined)).errors, []);
        const event = { subject: 'Scoped test', start: { dateTime: '2026-12-01T09:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-12-01T09:30:00', timeZone: 'UTC' } };
        assert.deepEqual((await validateGraphRequest('POST', events, event)).errors, []);
        assert.equal((await validateGraphRequest('GET', `/v1.0/users/${someId}/events/AAMkAGI1AAAt9AHjAAA=`, undefined)).operationId, 'user.event_Get');
    });
});
