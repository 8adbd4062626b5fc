import * as assert from 'node:assert/strict';
import { createHash, createPrivateKey, createSign } from 'node:crypto';
import * as msal from '@azure/msal-node';
import { makeAppCertificate } from '../../sandbox/src/certificates';
import { sandboxFixture, type SandboxFixture } from './fixture';

/**
 * App registrations as an admin makes them through Microsoft Graph, and what their app-only tokens may then do: only
 * what was granted (app role assignments on that resource's service principal), nothing else.
 */
describe('Sandbox Microsoft Graph: applications, service principals and consent', function () {
    this.timeout(60_000);
    let f: SandboxFixture;
    let admin: string;
    let reader: string;
    const graphAppId = '00000003-0000-0000-c000-000000000000';
    const exchangeAppId = '00000002-0000-0ff1-ce00-000000000000';
    const userReadAll = 'df021288-bdef-4463-88db-98f22de89214';
    const adminScopes = ['Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All'];

    before(async () => {
        f = await sandboxFixture();
        admin = await f.delegatedToken('admin@contoso.com', adminScopes);
        // The Global Reader gets the same permissions in the token (the admin consented for everyone), not the role.
        reader = await f.delegatedToken('helpdesk@contoso.com', adminScopes);
    });
    after(() => f.stop());

    async function send(method: string, p: string, body?: unknown, token = admin) {
        const answer = await f.transport.send({ method, url: `${f.sandbox.graphUrl}/v1.0${p}`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
        const text = answer.body.toString('utf8');
        const json = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
        return { status: answer.status, json, error: (json.error ?? {}) as { code?: string; message?: string } };
    }
    const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { roles?: string[]; wids?: string[]; oid?: string };
    const clientCredentials = async (appId: string, credential: Pick<msal.Configuration['auth'], 'clientSecret' | 'clientCertificate'>, resource: 'graph' | 'exchange' = 'graph') => {
        const app = new msal.ConfidentialClientApplication({ auth: { clientId: appId, authority: f.sandbox.authority, knownAuthorities: [f.host], ...credential }, system: { networkClient: f.network } });
        const result = await app.acquireTokenByClientCredential({ scopes: [`${resource === 'graph' ? f.sandbox.graphUrl : f.sandbox.exchangeUrl}/.default`], skipCache: true });
        return result?.accessToken ?? '';
    };

    let application: { id: string; appId: string };
    let servicePrincipalId = '';
    let secret = '';
    let secretKeyId = '';
    let assignmentId = '';

    it('creates an app registration (single tenant, the caller as owner) and finds it by appId', async () => {
        const created = await send('POST', '/applications', { displayName: 'Calendar integration (app-only)', signInAudience: 'AzureADMyOrg' });
        assert.equal(created.status, 201, JSON.stringify(created.json));
        application = { id: String(created.json.id), appId: String(created.json.appId) };
        assert.notEqual(application.id, application.appId, 'the object id is not the appId');
        assert.equal(created.json.signInAudience, 'AzureADMyOrg');
        const byAppId = await send('GET', `/applications(appId='${application.appId}')?$select=id,displayName`);
        assert.deepEqual({ id: byAppId.json.id, displayName: byAppId.json.displayName }, { id: application.id, displayName: 'Calendar integration (app-only)' });
        const filtered = await send('GET', `/applications?$filter=appId eq '${application.appId}'`);
        assert.deepEqual((filtered.json.value as { id: string }[]).map(a => a.id), [application.id]);
        // Microsoft's own client has a service principal here but no application object in this tenant.
        const all = ((await send('GET', '/applications?$select=appId')).json.value as { appId: string }[]).map(a => a.appId);
        assert.ok(all.includes(f.sandbox.confidentialClient.clientId) && all.includes(application.appId));
        assert.ok(!all.includes(f.sandbox.publicClientId), 'Microsoft Graph Command Line Tools is not one of the tenant\'s applications');
        assert.equal((await send('GET', `/servicePrincipals(appId='${f.sandbox.publicClientId}')`)).json.appOwnerOrganizationId, 'f8cdef31-a31e-4b4a-93e4-5f571e91255a');
        const owners = await send('GET', `/applications/${application.id}/owners`);
        assert.deepEqual((owners.json.value as { userPrincipalName?: string }[]).map(o => o.userPrincipalName), ['admin@contoso.com']);
    });

    it('adds a secret shown once (hint = its first three characters), which signs in only once the app has a service principal', async () => {
        const added = await send('POST', `/applications/${application.id}/addPassword`, { passwordCredential: { displayName: 'rotation 1' } });
        assert.equal(added.status, 200);
        secret = String(added.json.secretText);
        secretKeyId = String(added.json.keyId);
        assert.equal(added.json.hint, secret.slice(0, 3));
        // Default lifetime: two years from now (passwordcredential.md).
        const years = (Date.parse(String(added.json.endDateTime)) - Date.parse(String(added.json.startDateTime))) / (365 * 86_400_000);
        assert.ok(years > 1.99 && years < 2.01, String(years));
        const read = await send('GET', `/applications/${application.id}`);
        const credentials = read.json.passwordCredentials as { secretText: unknown; hint: string; keyId: string }[];
        assert.deepEqual(credentials.map(c => [c.secretText, c.hint, c.keyId]), [[null, secret.slice(0, 3), added.json.keyId]], 'the secret is never read back');
        assert.ok(!JSON.stringify(f.sandbox.state().apps).includes(secret), 'the tenant keeps only a hash');

        await assert.rejects(clientCredentials(application.appId, { clientSecret: secret }), /AADSTS7000229/);
        const sp = await send('POST', '/servicePrincipals', { appId: application.appId });
        assert.equal(sp.status, 201);
        servicePrincipalId = String(sp.json.id);
        const again = await send('POST', '/servicePrincipals', { appId: application.appId });
        assert.equal(again.status, 409);
        const token = await clientCredentials(application.appId, { clientSecret: secret });
        assert.equal(claims(token).oid, servicePrincipalId);
        assert.equal(claims(token).roles, undefined, 'nothing granted: no roles claim');
        assert.equal((await f.get(`${f.sandbox.graphUrl}/v1.0/users?$top=1`, token)).status, 403);
    });

    it('grants Microsoft Graph User.Read.All: a Graph token carries exactly that, an Exchange token nothing; it reads users and may not write', async () => {
        const graphSp = await send('GET', `/servicePrincipals(appId='${graphAppId}')`);
        assert.equal(graphSp.json.displayName, 'Microsoft Graph');
        const offered = (graphSp.json.appRoles as { id: string; value: string; allowedMemberTypes: string[] }[]).find(r => r.value === 'User.Read.All');
        assert.deepEqual(offered && { id: offered.id, types: offered.allowedMemberTypes }, { id: userReadAll, types: ['Application'] });
        const assignment = { principalId: servicePrincipalId, resourceId: String(graphSp.json.id), appRoleId: userReadAll };

        const refused = await send('POST', `/servicePrincipals/${servicePrincipalId}/appRoleAssignments`, assignment, reader);
        assert.deepEqual([refused.status, refused.error.code], [403, 'Authorization_RequestDenied'], 'a Global Reader may not grant');
        const granted = await send('POST', `/servicePrincipals/${servicePrincipalId}/appRoleAssignments`, assignment);
        assert.equal(granted.status, 201, JSON.stringify(granted.json));
        assert.equal(granted.json.resourceDisplayName, 'Microsoft Graph');
        assignmentId = String(granted.json.id);
        const twice = await send('POST', `/servicePrincipals/${String(graphSp.json.id)}/appRoleAssignedTo`, assignment);
        assert.deepEqual([twice.status, twice.error.message], [400, 'Permission being assigned already exists on the object']);

        const graphToken = await clientCredentials(application.appId, { clientSecret: secret });
        assert.deepEqual(claims(graphToken).roles, ['User.Read.All']);
        const exchangeToken = await clientCredentials(application.appId, { clientSecret: secret }, 'exchange');
        assert.equal(claims(exchangeToken).roles, undefined, 'a Graph app role is not an Exchange one');
        assert.equal((await f.get(`${f.sandbox.graphUrl}/v1.0/users?$top=1`, graphToken)).status, 200);
        const write = await f.transport.send({ method: 'PATCH', url: `${f.sandbox.graphUrl}/v1.0/users/admin@contoso.com`, headers: { authorization: `Bearer ${graphToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ jobTitle: 'x' }) });
        assert.equal(write.status, 403);

        // The seeded automation app: Exchange.ManageAsApp only in its Exchange token, never in its Graph token.
        assert.ok(!(claims(await f.appToken('graph')).roles ?? []).includes('Exchange.ManageAsApp'));
        assert.deepEqual(claims(await f.appToken('exchange')).roles, ['Exchange.ManageAsApp']);
    });

    it('a directory role assigned to the service principal shows in its app-only token\'s wids', async () => {
        const globalReader = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';
        // RoleManagement.ReadWrite.Directory is the route's permission: the seeded automation app has it.
        const assigned = await send('POST', '/roleManagement/directory/roleAssignments', { principalId: servicePrincipalId, roleDefinitionId: globalReader, directoryScopeId: '/' }, await f.appToken());
        assert.equal(assigned.status, 201, JSON.stringify(assigned.json));
        assert.deepEqual(claims(await clientCredentials(application.appId, { clientSecret: secret })).wids, [globalReader]);
    });

    it('refuses addKey without a valid certificate; PATCH keyCredentials adds one, which then signs client assertions and addKey proofs', async () => {
        const first = makeAppCertificate('calendar-integration-1');
        const der = (pem: string) => pem.replace(/-----[^-]+-----|\s/g, '');
        const keyCredential = (cert: typeof first) => ({ type: 'AsymmetricX509Cert', usage: 'Verify', key: der(cert.certificatePem), displayName: 'CN=calendar-integration' });
        const noProof = await send('POST', `/applications/${application.id}/addKey`, { keyCredential: keyCredential(first), passwordCredential: null, proof: 'x.y.z' });
        assert.equal(noProof.status, 400);
        assert.match(String(noProof.error.message), /PATCH keyCredentials/);

        const patched = await send('PATCH', `/applications/${application.id}`, { keyCredentials: [keyCredential(first)] });
        assert.equal(patched.status, 204, JSON.stringify(patched.json));
        // `key` is "returned only on $select for a single object … otherwise, it is always null" (keycredential.md).
        const read = await send('GET', `/applications/${application.id}?$select=keyCredentials`);
        const keys = read.json.keyCredentials as { customKeyIdentifier: string; key: unknown }[];
        assert.deepEqual(keys.map(k => [k.customKeyIdentifier, k.key]), [[first.sha1Thumbprint.toString('hex').toUpperCase(), der(first.certificatePem)]]);
        const plain = await send('GET', `/applications/${application.id}`);
        assert.deepEqual((plain.json.keyCredentials as { key: unknown }[]).map(k => k.key), [null]);
        const token = await clientCredentials(application.appId, { clientCertificate: { thumbprintSha256: first.sha256Thumbprint.toString('hex'), privateKey: first.privateKeyPem } });
        assert.deepEqual(claims(token).roles, ['User.Read.All']);

        const proof = (signWith: typeof first) => {
            const now = Math.floor(Date.now() / 1000);
            const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
            const body = `${part({ alg: 'RS256', typ: 'JWT', x5t: signWith.sha1Thumbprint.toString('base64url') })}.${part({ aud: '00000002-0000-0000-c000-000000000000', iss: application.id, nbf: now, exp: now + 600 })}`;
            return `${body}.${createSign('RSA-SHA256').update(body).sign(createPrivateKey(signWith.privateKeyPem)).toString('base64url')}`;
        };
        const second = makeAppCertificate('calendar-integration-2');
        const forged = await send('POST', `/applications/${application.id}/addKey`, { keyCredential: keyCredential(second), passwordCredential: null, proof: proof(second) });
        assert.equal(forged.status, 401, 'a proof signed by the new certificate itself is not proof');
        const rolled = await send('POST', `/applications/${application.id}/addKey`, { keyCredential: keyCredential(second), passwordCredential: null, proof: proof(first) });
        assert.equal(rolled.status, 200, JSON.stringify(rolled.json));
        assert.equal(rolled.json.customKeyIdentifier, createHash('sha1').update(Buffer.from(der(second.certificatePem), 'base64')).digest('hex').toUpperCase());
    });

    it('creates, lists by client and changes a tenant-wide delegated grant; a Global Reader may not', async () => {
        const exchangeSp = await send('GET', `/servicePrincipals(appId='${exchangeAppId}')`);
        const grant = { clientId: servicePrincipalId, consentType: 'AllPrincipals', resourceId: String(exchangeSp.json.id), scope: 'Exchange.Manage' };
        const refused = await send('POST', '/oauth2PermissionGrants', grant, reader);
        assert.equal(refused.status, 403);
        const created = await send('POST', '/oauth2PermissionGrants', grant);
        assert.equal(created.status, 201, JSON.stringify(created.json));
        const unknownScope = await send('POST', '/oauth2PermissionGrants', { ...grant, consentType: 'Principal', principalId: f.sandbox.state().users.values().next().value?.id, scope: 'Mail.Send' });
        assert.equal(unknownScope.status, 400);
        const listed = await send('GET', `/oauth2PermissionGrants?$filter=clientId eq '${servicePrincipalId}'`);
        assert.deepEqual((listed.json.value as { scope: string }[]).map(g => g.scope), ['Exchange.Manage']);
        assert.equal((await send('PATCH', `/oauth2PermissionGrants/${String(created.json.id)}`, { scope: 'Exchange.Manage' })).status, 204);
        const viaSp = await send('GET', `/servicePrincipals/${servicePrincipalId}/oauth2PermissionGrants`);
        assert.deepEqual((viaSp.json.value as { id: string }[]).map(g => g.id), [created.json.id]);
    });

    it('an app with Application.ReadWrite.OwnedBy manages the apps it made and no other', async () => {
        const ownedBy = '18a4783c-866b-4cc7-a460-3d5e5662c884';
        const manager = await send('POST', '/applications', { displayName: 'App manager' });
        const managerSp = await send('POST', '/servicePrincipals', { appId: manager.json.appId });
        const graphSp = await send('GET', `/servicePrincipals(appId='${graphAppId}')?$select=id`);
        assert.equal((await send('POST', `/servicePrincipals/${String(graphSp.json.id)}/appRoleAssignedTo`, { principalId: managerSp.json.id, resourceId: graphSp.json.id, appRoleId: ownedBy })).status, 201);
        const managerSecret = String((await send('POST', `/applications/${String(manager.json.id)}/addPassword`, {})).json.secretText);
        const token = await clientCredentials(String(manager.json.appId), { clientSecret: managerSecret });
        assert.deepEqual(claims(token).roles, ['Application.ReadWrite.OwnedBy']);
        const made = await send('POST', '/applications', { displayName: 'Made by the manager' }, token);
        assert.equal(made.status, 201);
        assert.equal((await send('PATCH', `/applications/${String(made.json.id)}`, { displayName: 'Renamed by its owner' }, token)).status, 204);
        const foreign = await send('PATCH', `/applications/${application.id}`, { displayName: 'Not mine' }, token);
        assert.deepEqual([foreign.status, foreign.error.code], [403, 'Authorization_RequestDenied']);
    });

    it('a user\'s own (Principal) grant lets that user sign in to the app without anyone\'s consent', async () => {
        const made = await send('POST', '/applications', { displayName: 'Per-user app', isFallbackPublicClient: true });
        const sp = await send('POST', '/servicePrincipals', { appId: made.json.appId });
        const graphSp = await send('GET', `/servicePrincipals(appId='${graphAppId}')?$select=id`);
        const helpdesk = [...f.sandbox.state().users.values()].find(u => u.userPrincipalName === 'helpdesk@contoso.com')?.id;
        const grant = await send('POST', '/oauth2PermissionGrants', { clientId: sp.json.id, consentType: 'Principal', principalId: helpdesk, resourceId: graphSp.json.id, scope: 'User.Read' });
        assert.equal(grant.status, 201, JSON.stringify(grant.json));
        const pca = new msal.PublicClientApplication({ auth: { clientId: String(made.json.appId), authority: f.sandbox.authority, knownAuthorities: [f.host] }, system: { networkClient: f.network } });
        // A Global Reader cannot consent: without the grant the consent page would wait until the device code expires.
        const result = await pca.acquireTokenByDeviceCode({ scopes: [`${f.sandbox.graphUrl}/User.Read`], timeout: 20, deviceCodeCallback: r => void f.approveDeviceCode(r.userCode, 'helpdesk@contoso.com') });
        assert.ok(result?.scopes.some(s => s.endsWith('User.Read')));
    });

    it('taking the app role back empties the next token\'s roles; a removed secret no longer signs in', async () => {
        assert.equal((await send('DELETE', `/servicePrincipals/${servicePrincipalId}/appRoleAssignments/${assignmentId}`, undefined, reader)).status, 403);
        assert.equal((await send('DELETE', `/servicePrincipals/${servicePrincipalId}/appRoleAssignments/${assignmentId}`)).status, 204);
        assert.equal(claims(await clientCredentials(application.appId, { clientSecret: secret })).roles, undefined);
        assert.equal((await send('POST', `/applications/${application.id}/removePassword`, { keyId: secretKeyId })).status, 204);
        await assert.rejects(clientCredentials(application.appId, { clientSecret: secret }), /AADSTS7000215/);
    });

    it('refuses a Global Reader who tries to register an app, and deleting the app takes its service principal and grants with it', async () => {
        const refused = await send('POST', '/applications', { displayName: 'Not allowed' }, reader);
        assert.deepEqual([refused.status, refused.error.code], [403, 'Authorization_RequestDenied']);
        assert.equal((await send('DELETE', `/applications/${application.id}`)).status, 204);
        assert.equal((await send('GET', `/servicePrincipals/${servicePrincipalId}`)).status, 404);
        const state = f.sandbox.state();
        assert.ok(!(state.appRoleAssignments ?? []).some(a => a.principalId === servicePrincipalId));
        assert.ok(!(state.oauth2PermissionGrants ?? []).some(g => g.clientId === servicePrincipalId));
        await assert.rejects(clientCredentials(application.appId, { clientSecret: secret }), /AADSTS700016/);
    });
});
