import * as assert from 'node:assert/strict';
import { newAppCertificate } from '../../../src/auth/appCertificate';
import type { TokenProvider } from '../../../src/auth/TokenProvider';
import {
    addCertificate, addClientSecret, applicationById, applicationsFolderPage, createApplication, createServicePrincipal, grantAppRole, grantedPermissions, removeCertificate, servicePrincipalOf,
} from '../../../src/graph/applications';
import { GraphClient } from '../../../src/graph/GraphClient';
import { sandboxFixture, type SandboxFixture } from '../../sandbox/fixture';
import { recordingLogger, sandboxCloud } from './clientFixture';

/** What the Applications folder reads, against the sandbox: which apps it lists, their permissions by name, and certificates rolled. */
describe('The Applications folder\'s reads and the credential writes', function () {
    this.timeout(120_000);
    let f: SandboxFixture;
    let graph: GraphClient;
    let requests: string[];

    before(async () => {
        f = await sandboxFixture();
        const token = await f.delegatedToken('admin@contoso.com', ['Application.ReadWrite.All', 'Application.Read.All', 'AppRoleAssignment.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All']);
        const tokens: TokenProvider = { getAccessToken: () => Promise.resolve(token) };
        requests = [];
        graph = new GraphClient({ cloud: sandboxCloud(f), tokens, transport: { send: r => { requests.push(`${r.method} ${decodeURIComponent(new URL(r.url).pathname)}`); return f.transport.send(r); } }, logger: recordingLogger() });
    });
    after(() => f.stop());

    it('lists apps with a credential and our own registrations by name, not a bare app someone else made, in one request', async () => {
        const bare = await createApplication(graph, { displayName: 'Someone else\'s bare app', signInAudience: 'AzureADMyOrg' });
        const withSecret = await createApplication(graph, { displayName: 'Vendor integration', signInAudience: 'AzureADMyOrg' });
        await addClientSecret(graph, withSecret.id ?? '', 'vendor', new Date(Date.now() + 10 * 86_400_000));
        const ours = await createApplication(graph, { displayName: 'M365 Provisioner', signInAudience: 'AzureADMyOrg' });
        const before = requests.length;
        const page = await applicationsFolderPage(graph);
        assert.equal(requests.length - before, 1, 'one request per page');
        const names = page.items.map(a => a.displayName);
        assert.ok(names.includes('Vendor integration') && names.includes('M365 Provisioner'), names.join(', '));
        assert.ok(!names.includes(bare.displayName), 'an app without a credential that we did not make is left out');
        assert.ok(page.items.some(a => a.id === ours.id && !(a.passwordCredentials ?? []).length), 'ours is listed without a credential');
    });

    it('names an app\'s application permissions through the API\'s own service principal', async () => {
        const app = await createApplication(graph, { displayName: 'Reporting (app-only)', signInAudience: 'AzureADMyOrg' });
        const sp = await createServicePrincipal(graph, app.appId ?? '');
        const graphSp = await servicePrincipalOf(graph, '00000003-0000-0000-c000-000000000000');
        const userReadAll = graphSp?.appRoles?.find(r => r.value === 'User.Read.All')?.id ?? '';
        await grantAppRole(graph, sp.id ?? '', graphSp?.id ?? '', userReadAll);
        assert.deepEqual(await grantedPermissions(graph, app.appId ?? ''), [{ api: 'Microsoft Graph', permission: 'User.Read.All', kind: 'application', consent: 'admin' }]);
        assert.deepEqual(await grantedPermissions(graph, (await createApplication(graph, { displayName: 'No principal', signInAudience: 'AzureADMyOrg' })).appId ?? ''), [], 'no service principal, nothing held');
    });

    it('adds a certificate made here to an app that has none, and removes it again', async () => {
        const app = await createApplication(graph, { displayName: 'Certificate roll', signInAudience: 'AzureADMyOrg' });
        const certificate = newAppCertificate('Certificate roll', 30);
        await addCertificate(graph, app.id ?? '', { derBase64: certificate.derBase64, displayName: 'CN=Certificate roll' });
        const [key] = (await applicationById(graph, app.id ?? '')).keyCredentials ?? [];
        assert.equal(key.customKeyIdentifier, certificate.thumbprint);
        await removeCertificate(graph, app.id ?? '', key.keyId ?? '');
        assert.deepEqual((await applicationById(graph, app.id ?? '')).keyCredentials, []);
        await assert.rejects(removeCertificate(graph, app.id ?? '', key.keyId ?? ''), /no longer has that certificate/);
    });
});
