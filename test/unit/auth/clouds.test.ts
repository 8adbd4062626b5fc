import * as assert from 'node:assert/strict';
import { cloudEndpoints } from '../../../src/auth/clouds';
import { authorityUrl, resourceScope } from '../../../src/auth/msalConfig';

describe('cloud endpoints', () => {
    it('gives each national cloud its own authority, Graph and Exchange hosts', () => {
        assert.equal(cloudEndpoints('Global').graphEndpoint, 'https://graph.microsoft.com');
        assert.equal(cloudEndpoints('USGovernment').authorityHost, 'https://login.microsoftonline.us');
        assert.equal(cloudEndpoints('USGovernmentDoD').graphEndpoint, 'https://dod-graph.microsoft.us');
        assert.equal(cloudEndpoints('USGovernmentDoD').exchangeEndpoint, 'https://outlook-dod.office365.us');
        assert.equal(cloudEndpoints('China').authorityHost, 'https://login.chinacloudapi.cn');
    });

    it('builds authority URLs and resource-qualified scopes', () => {
        const cloud = cloudEndpoints('Global');
        assert.equal(authorityUrl(cloud, 'contoso.onmicrosoft.com'), 'https://login.microsoftonline.com/contoso.onmicrosoft.com');
        assert.equal(resourceScope(cloud, 'graph', 'User.Read.All'), 'https://graph.microsoft.com/User.Read.All');
        assert.equal(resourceScope(cloud, 'exchange', '.default'), 'https://outlook.office365.com/.default');
    });

    it('uses a custom cloud\'s URLs (trailing slashes dropped) as its resources', () => {
        const cloud = cloudEndpoints('Custom', { authority: 'https://127.0.0.1:44300/', graphEndpoint: 'https://127.0.0.1:44300/graph/', exchangeEndpoint: 'https://127.0.0.1:44300/exchange', caFile: '/tmp/ca.pem' });
        assert.equal(cloud.authorityHost, 'https://127.0.0.1:44300');
        assert.equal(resourceScope(cloud, 'graph', '.default'), 'https://127.0.0.1:44300/graph/.default');
        assert.equal(cloud.caFile, '/tmp/ca.pem');
    });

    it('names the custom-cloud setting that is missing or not https', () => {
        assert.throws(() => cloudEndpoints('Custom', { authority: '', graphEndpoint: 'https://g', exchangeEndpoint: 'https://e' }), /m365Provisioner\.customCloud\.authority/);
        assert.throws(() => cloudEndpoints('Custom', { authority: 'https://a', graphEndpoint: 'http://g', exchangeEndpoint: 'https://e' }), /must be an https URL/);
    });
});
