import * as assert from 'node:assert/strict';
import { msalNetworkModule, type HttpExchange } from '../../../src/auth/msalNetwork';

describe('msal network module over the project transport', () => {
    it('sends msal\'s GET and POST through the transport and parses JSON answers', async () => {
        const sent: HttpExchange[] = [];
        const network = msalNetworkModule(request => {
            sent.push(request);
            return Promise.resolve({ status: 200, headers: { 'content-type': 'application/json', 'x-ms-request-id': ['a', 'b'] }, body: Buffer.from('{"token_type":"Bearer"}') });
        });
        const got = await network.sendPostRequestAsync<{ token_type: string }>('https://login.example/t/oauth2/v2.0/token', { body: 'grant_type=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
        assert.equal(got.body.token_type, 'Bearer');
        assert.equal(got.headers['x-ms-request-id'], 'a, b');
        assert.deepEqual(sent[0], { method: 'POST', url: 'https://login.example/t/oauth2/v2.0/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=x' });
        await network.sendGetRequestAsync('https://login.example/t/v2.0/.well-known/openid-configuration', {}, 5000);
        assert.equal(sent[1].method, 'GET');
        assert.equal(sent[1].timeoutMs, 5000);
    });

    it('turns a non-JSON answer (a proxy\'s error page) into an error msal can report', async () => {
        const network = msalNetworkModule(() => Promise.resolve({ status: 502, headers: {}, body: Buffer.from('<html>Bad gateway</html>') }));
        const got = await network.sendGetRequestAsync<{ error: string; error_description: string }>('https://login.example/x');
        assert.equal(got.status, 502);
        assert.equal(got.body.error, 'invalid_response');
        assert.match(got.body.error_description, /502/);
    });
});
