import * as assert from 'node:assert/strict';
import { cloudEndpoints } from '../../../src/auth/clouds';
import { SignInError } from '../../../src/auth/signInErrors';
import { GraphClient } from '../../../src/graph/GraphClient';
import type { HttpTransport } from '../../../src/net/HttpTransport';
import { NetworkError } from '../../../src/net/networkErrors';
import { recordingLogger } from './clientFixture';

/**
 * What our middleware throws reaches the caller with its type: the Graph SDK turns any error but its own
 * GraphClientError into a GraphError that keeps only the message, and callers decide by type (a consent to ask for, a
 * request to try again, a link refused).
 */
describe('GraphClient: errors from sign-in and the network keep their type through the Graph SDK', () => {
    const client = (tokens: () => Promise<string>, send: Pick<HttpTransport, 'send'>['send'] = () => Promise.reject(new Error('not sent'))) =>
        new GraphClient({ cloud: cloudEndpoints('Global'), tokens: { getAccessToken: tokens }, transport: { send }, logger: recordingLogger(), maxAttempts: 1 });

    it('a SignInError from the token provider (consent needed) is a SignInError to the caller', async () => {
        const graph = client(() => Promise.reject(new SignInError('consentRequired', 'Policy.Read.All needs consent.')));
        await assert.rejects(graph.get('/policies/identitySecurityDefaultsEnforcementPolicy', { scopes: ['Policy.Read.All'], silentOnly: true }), (e: Error) => e instanceof SignInError && e.problem === 'consentRequired');
    });

    it('a NetworkError from the transport (no answer) is a NetworkError to the caller', async () => {
        const graph = client(() => Promise.resolve('token'), () => Promise.reject(new NetworkError('graph.microsoft.com did not answer.', 'ETIMEDOUT', 'graph.microsoft.com')));
        await assert.rejects(graph.post('/users', {}, { scopes: ['User.ReadWrite.All'] }), (e: Error) => e instanceof NetworkError && e.code === 'ETIMEDOUT');
    });
});
