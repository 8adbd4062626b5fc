import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deviceCodeInteraction, extensionApi, sandbox, sandboxTransport } from './sandbox';

describe('Sign-in in a real extension host, against the sandbox tenant', function () {
    this.timeout(60_000);

    it('reads the custom cloud from the settings and signs in with a device code; tokens land in SecretStorage', async () => {
        const api = await extensionApi();
        const { signInTargetFromSettings } = await import('../../src/platform/signInTarget');
        const target = signInTargetFromSettings();
        assert.equal(target.cloud, 'Custom');
        assert.equal(target.customCloud?.graphEndpoint, sandbox.graphUrl);
        // "Provision", as the other files expect: one sign-in for everything they do (deviceCodeInteraction approves the
        // Exchange Online PowerShell app's device code of step 2 as well, and fails on any prompt after it).
        const account = await api.container.accounts.signInDelegated(target, 'deviceCode', deviceCodeInteraction('admin@contoso.com'), { intent: 'provision' });
        assert.equal(account.username, 'admin@contoso.com');
        assert.equal(api.container.accounts.active()?.intent, 'provision', 'the intent is kept with the account');
        assert.equal(api.container.accounts.active()?.id, account.id);
        const cache = await api.container.context.secrets.get(`m365Provisioner.msal.delegated.Custom.${sandbox.publicClientId}`);
        assert.match(cache ?? '', /"AccessToken"/);
        const stored = JSON.stringify(api.container.context.globalState.get('m365Provisioner.accounts'));
        assert.doesNotMatch(stored, /eyJ/, 'no token in globalState');
    });

    it('gives the Graph client a working token for the active account', async () => {
        const api = await extensionApi();
        const account = api.container.accounts.active();
        assert.ok(account);
        const token = await api.container.accounts.tokenProvider(account, deviceCodeInteraction('admin@contoso.com')).getAccessToken({ resource: 'graph', scopes: ['User.Read.All'] });
        const me = await sandboxTransport().send({ method: 'GET', url: `${sandbox.graphUrl}/v1.0/me`, headers: { authorization: `Bearer ${token}` } });
        assert.equal((JSON.parse(me.body.toString('utf8')) as { userPrincipalName: string }).userPrincipalName, 'admin@contoso.com');
    });

    it('after "Provision", Exchange and write tokens come silently: no prompt, no second sign-in', async () => {
        const api = await extensionApi();
        const account = api.container.accounts.active();
        assert.ok(account);
        const tokens = api.container.accounts.tokenProvider(account, deviceCodeInteraction('admin@contoso.com'));
        // silentOnly: a missing permission or sign-in would throw instead of prompting.
        await tokens.getAccessToken({ resource: 'exchange', scopes: ['Exchange.Manage'], silentOnly: true });
        for (const scope of ['User.ReadWrite.All', 'RoleManagement.ReadWrite.Directory', 'LicenseAssignment.ReadWrite.All', 'Application.ReadWrite.All']) {
            await tokens.getAccessToken({ resource: 'graph', scopes: [scope], silentOnly: true });
        }
    });

    it('records this extension host\'s process id, so the restart phase can show it runs in a new one', () => {
        const runDir = process.env.M365P_TEST_RUN_DIR;
        assert.ok(runDir);
        fs.writeFileSync(path.join(runDir, 'exthost-pid'), String(process.pid));
    });
});
