import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as msal from '@azure/msal-node';
import type { TokenProvider } from '../../../src/auth/TokenProvider';
import { GraphClient } from '../../../src/graph/GraphClient';
import {
    appOnlyExchangePermissions, appOnlyGraphPermissions, delegatedExchangePermissions, delegatedGraphPermissions, ownAppName, ownAppOnlyName, registerOwnApp,
} from '../../../src/provisioning/ownRegistration';
import { appRoleAssignments, permissionGrants, servicePrincipals } from '../../../sandbox/src/tenant/applications';
import { sandboxFixture, type SandboxFixture } from '../../sandbox/fixture';
import { recordingLogger, sandboxCloud } from '../graph/clientFixture';
import { scopeLiteralsIn } from '../scopesInSource';

/**
 * "Register M365 Provisioner in This Tenant…" without VS Code, against the sandbox: exactly the permissions the
 * extension uses, consent for everyone, a second run that writes nothing, and someone who may not consent told whom to ask.
 */
describe('Our own app registration (ownRegistration)', function () {
    this.timeout(120_000);
    let f: SandboxFixture;
    const adminScopes = ['Application.ReadWrite.All', 'Application.Read.All', 'AppRoleAssignment.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All'];
    const graphAppId = '00000003-0000-0000-c000-000000000000';
    const exchangeAppId = '00000002-0000-0ff1-ce00-000000000000';

    before(async () => { f = await sandboxFixture(); });
    after(() => f.stop());

    /** A Graph client signed in as `upn` with the Graph command-line client (one device code sign-in). */
    async function graphAs(upn: string, requests: string[] = []): Promise<GraphClient> {
        const token = await f.delegatedToken(upn, adminScopes);
        const tokens: TokenProvider = { getAccessToken: () => Promise.resolve(token) };
        const logger = recordingLogger();
        const graph = new GraphClient({ cloud: sandboxCloud(f), tokens, transport: { send: r => { if (r.method !== 'GET') requests.push(`${r.method} ${new URL(r.url).pathname}`); return f.transport.send(r); } }, logger });
        return graph;
    }
    const state = () => f.sandbox.state();
    const permissionNames = (resourceAppId: string, ids: readonly { id: string }[], kind: 'Scope' | 'Role') => {
        const sp = servicePrincipals(state()).find(s => s.appId === resourceAppId);
        const offered = kind === 'Scope' ? sp?.oauth2PermissionScopes ?? [] : sp?.appRoles ?? [];
        return ids.map(i => offered.find(p => p.id === i.id)?.value).sort();
    };
    let appOnlyCertificate: { certificatePem: string; privateKeyPem: string } | undefined;

    it('the delegated list is every Graph permission the extension\'s own calls ask for, no more', () => {
        // Every `scopes: [...]` / `…Scopes = [...]` in the code that talks to Graph, read from the source.
        const asked = scopeLiteralsIn(['src/graph', 'src/provisioning', 'src/auth', 'src/exchange'].map(dir => path.join(__dirname, '../../../..', dir)));
        for (const own of [...delegatedGraphPermissions, ...delegatedExchangePermissions]) assert.ok(asked.has(own), `${own} is listed but no call asks for it`);
        for (const own of [...delegatedGraphPermissions, ...delegatedExchangePermissions, ...appOnlyGraphPermissions, ...appOnlyExchangePermissions]) asked.delete(own);
        // The app-only lists are what the CLI's app asks Graph for; the code's own lists are all delegated.
        assert.deepEqual([...asked].filter(s => !s.endsWith('ManageAsApp')).sort(), [], 'permissions the code asks for that the registration would not have');
    });

    it('registers a single-tenant public client with exactly those permissions, http://localhost, its service principal and consent for everyone', async () => {
        const writes: string[] = [];
        const graph = await graphAs('admin@contoso.com', writes);
        const result = await registerOwnApp(graph, 'delegated');
        assert.deepEqual(result.consent, { granted: true });
        const app = state().apps.find(a => a.appId === result.appId);
        assert.ok(app, 'the registration exists');
        assert.equal(app.displayName, ownAppName);
        assert.equal(app.signInAudience, 'AzureADMyOrg');
        assert.equal(app.isFallbackPublicClient, true);
        assert.deepEqual(app.redirectUris?.publicClient, ['http://localhost']);
        const rra = app.requiredResourceAccess ?? [];
        assert.deepEqual(rra.map(r => r.resourceAppId).sort(), [exchangeAppId, graphAppId].sort());
        assert.deepEqual(permissionNames(graphAppId, rra.find(r => r.resourceAppId === graphAppId)?.resourceAccess ?? [], 'Scope'), [...delegatedGraphPermissions].sort());
        assert.deepEqual(permissionNames(exchangeAppId, rra.find(r => r.resourceAppId === exchangeAppId)?.resourceAccess ?? [], 'Scope'), ['Exchange.Manage']);
        assert.ok(rra.every(r => r.resourceAccess.every(a => a.type === 'Scope')), 'delegated permissions only');
        const sp = servicePrincipals(state()).find(s => s.appId === result.appId);
        assert.ok(sp, 'its service principal exists');
        const grants = permissionGrants(state()).filter(g => g.clientId === sp.id);
        const resourceOf = (appId: string) => servicePrincipals(state()).find(s => s.appId === appId)?.id;
        assert.deepEqual(grants.map(g => [g.consentType, g.resourceId === resourceOf(graphAppId) ? 'graph' : 'exchange', g.scope.split(' ').sort().join(' ')]).sort(), [
            ['AllPrincipals', 'exchange', 'Exchange.Manage'],
            ['AllPrincipals', 'graph', [...delegatedGraphPermissions].sort().join(' ')],
        ]);
        assert.ok(result.done.length >= 4, result.done.join('; '));
        assert.ok(writes.some(w => w === 'POST /graph/v1.0/applications' || w.endsWith('/applications')), writes.join('\n'));
    });

    it('running it again finds the registration and writes nothing', async () => {
        const before = JSON.stringify({ apps: state().apps, sps: state().servicePrincipals, grants: state().oauth2PermissionGrants });
        const writes: string[] = [];
        const result = await registerOwnApp(await graphAs('admin@contoso.com', writes), 'delegated');
        assert.deepEqual(writes, [], 'no write on a second run');
        assert.deepEqual(result.done, []);
        assert.deepEqual(result.consent, { granted: true });
        assert.equal(state().apps.filter(a => a.displayName === ownAppName).length, 1);
        assert.equal(JSON.stringify({ apps: state().apps, sps: state().servicePrincipals, grants: state().oauth2PermissionGrants }), before);
    });

    it('completes what is missing: a permission the registration lost and a consent taken back', async () => {
        const app = state().apps.find(a => a.displayName === ownAppName);
        assert.ok(app?.requiredResourceAccess);
        const graphEntry = app.requiredResourceAccess.find(r => r.resourceAppId === graphAppId);
        assert.ok(graphEntry);
        graphEntry.resourceAccess = graphEntry.resourceAccess.slice(1);
        const sp = servicePrincipals(state()).find(s => s.appId === app.appId);
        state().oauth2PermissionGrants = permissionGrants(state()).filter(g => !(g.clientId === sp?.id && g.scope === 'Exchange.Manage'));
        const result = await registerOwnApp(await graphAs('admin@contoso.com'), 'delegated');
        assert.deepEqual(result.done, ['added 1 API permission', 'granted admin consent to Exchange.Manage on Office 365 Exchange Online']);
        assert.equal(app.requiredResourceAccess.find(r => r.resourceAppId === graphAppId)?.resourceAccess.length, delegatedGraphPermissions.length);
    });

    it('the new registration signs an admin in by device code with no consent prompt, and reads users', async () => {
        const app = state().apps.find(a => a.displayName === ownAppName);
        assert.ok(app);
        const pca = new msal.PublicClientApplication({ auth: { clientId: app.appId, authority: f.sandbox.authority, knownAuthorities: [f.host] }, system: { networkClient: f.network } });
        let page = '';
        const result = await pca.acquireTokenByDeviceCode({ scopes: [`${f.sandbox.graphUrl}/User.Read.All`], deviceCodeCallback: r => void f.approveDeviceCode(r.userCode, 'admin@contoso.com').then(p => { page = p; }) });
        assert.ok(result?.accessToken);
        assert.doesNotMatch(page, /consent/i, 'admin consent was already granted');
        const users = await f.get(`${f.sandbox.graphUrl}/v1.0/users?$select=id&$top=1`, result.accessToken);
        assert.equal(users.status, 200);
    });

    it('someone who may register apps but not consent gets the registration and a message naming whom to ask', async () => {
        const appAdmin = [...state().users.values()].find(u => u.userPrincipalName === 'helpdesk@contoso.com');
        assert.ok(appAdmin);
        // An Application Administrator: may make registrations, may not grant Microsoft Graph permissions for everyone.
        state().roleAssignments.push({ id: 'test-app-admin', principalId: appAdmin.id, roleDefinitionId: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3', directoryScopeId: '/', createdDateTime: new Date().toISOString() });
        try {
            const result = await registerOwnApp(await graphAs('helpdesk@contoso.com'), 'appOnly');
            assert.equal(result.consent.granted, false);
            assert.match(result.consent.granted ? '' : result.consent.message, /Global Administrator or a Privileged Role Administrator/);
            assert.ok(state().apps.some(a => a.appId === result.appId && a.displayName === ownAppOnlyName), 'the registration itself was made');
            assert.ok(result.certificate?.privateKeyPem.includes('PRIVATE KEY'), 'its new certificate\'s private key is handed back');
            appOnlyCertificate = result.certificate;
        } finally {
            state().roleAssignments = state().roleAssignments.filter(a => a.id !== 'test-app-admin');
        }
    });

    it('someone who may not register apps is told who may, and nothing is made', async () => {
        const count = state().apps.length;
        state().apps = state().apps.filter(a => a.displayName !== ownAppName);
        await assert.rejects(registerOwnApp(await graphAs('helpdesk@contoso.com'), 'delegated'), /You may not register applications in this tenant\. Ask an Application Administrator/);
        assert.equal(state().apps.length, count - 1);
    });

    it('the app-only variant grants its application permissions by app role assignments, and its certificate signs it in', async () => {
        const result = await registerOwnApp(await graphAs('admin@contoso.com'), 'appOnly');
        assert.deepEqual(result.consent, { granted: true });
        // The registration made in the previous test already has a valid certificate: none is made again.
        assert.equal(result.certificate, undefined);
        const sp = servicePrincipals(state()).find(s => s.appId === result.appId);
        const assigned = appRoleAssignments(state()).filter(a => a.principalId === sp?.id);
        const resourceOf = (appId: string) => servicePrincipals(state()).find(s => s.appId === appId)?.id;
        assert.deepEqual(permissionNames(graphAppId, assigned.filter(a => a.resourceId === resourceOf(graphAppId)).map(a => ({ id: a.appRoleId })), 'Role'), [...appOnlyGraphPermissions].sort());
        assert.deepEqual(permissionNames(exchangeAppId, assigned.filter(a => a.resourceId === resourceOf(exchangeAppId)).map(a => ({ id: a.appRoleId })), 'Role'), ['Exchange.ManageAsApp']);
        const again = await registerOwnApp(await graphAs('admin@contoso.com'), 'appOnly');
        assert.deepEqual(again.done, []);
        assert.ok(appOnlyCertificate);
        const { AppOnlySignIn } = await import('../../../src/auth/AppOnlySignIn');
        const { msalNetworkModule } = await import('../../../src/auth/msalNetwork');
        const { inMemorySecrets } = await import('../../../src/auth/SecretStore');
        const signIn = new AppOnlySignIn({ cloud: sandboxCloud(f), clientId: result.appId, tenant: f.sandbox.tenantId, network: msalNetworkModule(r => f.transport.send(r)), logger: recordingLogger(), secrets: inMemorySecrets() }, { kind: 'certificate', ...appOnlyCertificate });
        const token = await signIn.acquire('graph');
        const roles = (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { roles?: string[] }).roles ?? [];
        assert.deepEqual(roles.sort(), [...appOnlyGraphPermissions].sort(), 'the token carries exactly the granted application permissions');
    });
});
