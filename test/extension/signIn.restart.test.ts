import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deviceCodeInteraction, extensionApi, sandbox, sandboxTransport } from './sandbox';

// Runs in a NEW extension host after the main phase signed in (see test/harness/runExtensionTests.mjs).
describe('After an extension-host restart', function () {
    this.timeout(60_000);

    it('runs in a new extension-host process', () => {
        const previous = Number(fs.readFileSync(path.join(process.env.M365P_TEST_RUN_DIR ?? '', 'exthost-pid'), 'utf8'));
        assert.ok(previous > 0);
        assert.notEqual(process.pid, previous);
    });

    it('still knows the signed-in account and gets a token silently from the SecretStorage cache', async () => {
        const api = await extensionApi();
        const account = api.container.accounts.active();
        assert.equal(account?.username, 'admin@contoso.com');
        assert.ok(account);
        // Any prompt (device code, sign in again) fails this test: the token must come from the persisted cache.
        const token = await api.container.accounts.tokenProvider(account, deviceCodeInteraction('nobody@contoso.com')).getAccessToken({ resource: 'graph', scopes: ['User.Read.All'] });
        const me = await sandboxTransport().send({ method: 'GET', url: `${sandbox.graphUrl}/v1.0/me`, headers: { authorization: `Bearer ${token}` } });
        assert.equal(me.status, 200);
    });

    it('signs out: the account is forgotten and its cached tokens are cleared', async () => {
        const api = await extensionApi();
        const account = api.container.accounts.active();
        assert.ok(account);
        await api.container.accounts.signOut(account.id);
        assert.deepEqual(api.container.accounts.list(), []);
        const cache = await api.container.context.secrets.get(`m365Provisioner.msal.delegated.Custom.${sandbox.publicClientId}`);
        assert.doesNotMatch(cache ?? '', /"AccessToken":\{"[^}]/);
        // Signed out: the Directory view has no rows, so its welcome content (Sign In) shows.
        assert.deepEqual(await api.container.directoryTree.getChildren(), []);
    });
});
