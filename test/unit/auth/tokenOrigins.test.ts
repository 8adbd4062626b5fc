import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cloudEndpoints, cloudSettingsFromWorkspaceProblem, type CloudEndpoints } from '../../../src/auth/clouds';
import { checkTokenDestination, TokenDestinationError } from '../../../src/auth/tokenDestinations';
import { ExchangeAdminClient } from '../../../src/exchange/ExchangeAdminClient';
import { exchangePages } from '../../../src/exchange/exchangePages';
import { directoryPages } from '../../../src/graph/directoryPages';
import { GraphClient } from '../../../src/graph/GraphClient';
import type { HttpRequest, HttpResponse, HttpTransport } from '../../../src/net/HttpTransport';
import { sandboxFixture, type SandboxFixture } from '../../sandbox/fixture';
import { appTokens, recordingLogger, sandboxCloud } from '../graph/clientFixture';

describe('Where a token may go: only the signed-in cloud\'s own Graph and Exchange endpoints', () => {
    const global = cloudEndpoints('Global');
    const refused: [string, CloudEndpoints, 'graph' | 'exchange', string][] = [
        ['another host', global, 'graph', 'https://evil.test/v1.0/users?$skiptoken=x'],
        ['http: downgrade of the real host', global, 'graph', 'http://graph.microsoft.com/v1.0/users?$skiptoken=x'],
        ['a look-alike host', global, 'graph', 'https://graph.microsoft.com.evil.test/v1.0/users'],
        ['user information in front of another host', global, 'graph', 'https://graph.microsoft.com@evil.test/v1.0/users'],
        ['user information in front of the real host', global, 'graph', 'https://evil:secret@graph.microsoft.com/v1.0/users'],
        ['another port on the real host', global, 'graph', 'https://graph.microsoft.com:8443/v1.0/users'],
        ['the Exchange host for a Graph token', global, 'graph', 'https://outlook.office365.com/adminapi/beta/t/InvokeCommand'],
        ['the Graph host for an Exchange token', global, 'exchange', 'https://graph.microsoft.com/v1.0/users'],
        ['another cloud\'s Graph', global, 'graph', 'https://graph.microsoft.us/v1.0/users'],
        ['a relative path (not a URL)', global, 'graph', 'users?$skiptoken=x'],
        ['the sandbox\'s Exchange path for a Graph token (one origin, two APIs)', custom(), 'graph', 'https://127.0.0.1:8443/exchange/adminapi/beta/t/InvokeCommand'],
        ['a path that climbs out of the sandbox\'s Graph', custom(), 'graph', 'https://127.0.0.1:8443/graph/../exchange/adminapi/beta/t/InvokeCommand'],
        ['a path that only starts like the sandbox\'s Graph', custom(), 'graph', 'https://127.0.0.1:8443/graphs/v1.0/users'],
        ['localhost for a cloud configured as 127.0.0.1', custom(), 'exchange', 'https://localhost:8443/exchange/adminapi/beta/t/InvokeCommand'],
    ];
    for (const [what, cloud, resource, url] of refused) {
        it(`refuses ${what}`, () => assert.throws(() => checkTokenDestination(cloud, resource, url), (e: Error) => e instanceof TokenDestinationError && /was not followed and no token was sent/.test(e.message) && /sign in again choosing that cloud/.test(e.message)));
    }
    const allowed: [string, CloudEndpoints, 'graph' | 'exchange', string][] = [
        ['Graph\'s own next page', global, 'graph', 'https://graph.microsoft.com/v1.0/users?$skiptoken=x'],
        ['the same host in capitals and with its default port', global, 'graph', 'https://GRAPH.microsoft.com:443/v1.0/users'],
        ['Exchange\'s own next page', global, 'exchange', 'https://outlook.office365.com/adminapi/beta/t/InvokeCommand?$skiptoken=x'],
        ['the sandbox\'s own Graph', custom(), 'graph', 'https://127.0.0.1:8443/graph/v1.0/users?$skiptoken=x'],
        ['the sandbox\'s own Exchange', custom(), 'exchange', 'https://127.0.0.1:8443/exchange/adminapi/beta/t/InvokeCommand'],
    ];
    for (const [what, cloud, resource, url] of allowed) it(`allows ${what}`, () => checkTokenDestination(cloud, resource, url));

    it('names the refused origin, never its query (which may carry what the server wanted back)', () => {
        assert.throws(() => checkTokenDestination(global, 'graph', 'https://evil:hunter2@graph.microsoft.com/v1.0/users?$skiptoken=SECRET'), (e: Error) => e.message.includes('https://evil:…@graph.microsoft.com/v1.0/users') && !e.message.includes('SECRET') && !e.message.includes('hunter2'));
    });

    it('refuses cloud settings that come from the open workspace, naming each and where it belongs', () => {
        assert.equal(cloudSettingsFromWorkspaceProblem([]), undefined);
        assert.match(cloudSettingsFromWorkspaceProblem(['cloud', 'customCloud.caFile']) ?? '', /^m365Provisioner\.cloud, m365Provisioner\.customCloud\.caFile are set in this workspace's settings.*Move them to your user settings/);
    });

    it('checks again where the Graph token is attached: a URL the SDK builds for another endpoint is refused with the same error, before a token is asked for', async () => {
        const cloud = { ...global };
        const sent: string[] = [];
        const graph = new GraphClient({ cloud, tokens: { getAccessToken: () => Promise.reject(new Error('no token may be asked for')) }, transport: { send: r => { sent.push(r.url); return Promise.reject(new Error('nothing may be sent')); } }, logger: recordingLogger() });
        // The SDK was set up for graph.microsoft.com; the client's cloud now says otherwise (as if the SDK had built a URL elsewhere).
        cloud.graphEndpoint = 'https://graph.microsoft.us';
        await assert.rejects(graph.get('/users', { scopes: ['User.Read.All'] }), (e: Error) => e instanceof TokenDestinationError && e.message.includes('https://graph.microsoft.com/v1.0/users'));
        assert.deepEqual(sent, []);
    });

    function custom(): CloudEndpoints {
        return cloudEndpoints('Custom', { authority: 'https://127.0.0.1:8443', graphEndpoint: 'https://127.0.0.1:8443/graph', exchangeEndpoint: 'https://127.0.0.1:8443/exchange' });
    }
});

/**
 * The sandbox answers, and a man in the middle (this test's transport) rewrites every `@odata.nextLink` in its answers
 * to a foreign origin, as a compromised or misbehaving server could. Every foreign host is "resolved" to one local
 * plain-HTTP server that records what reaches it. Nothing may: no request, and certainly no Authorization header.
 */
describe('No token is ever sent to an origin other than the cloud\'s endpoints, whatever a server answers', function () {
    this.timeout(60_000);
    let f: SandboxFixture;
    let foreign: http.Server;
    let foreignPort = 0;
    /** What reached the foreign server. */
    const received: { url: string; authorization: boolean }[] = [];
    /** What the clients asked the transport to send anywhere but the sandbox (before it was "resolved"). */
    const attempted: { url: string; authorization: boolean }[] = [];
    let rewriteTo = '';

    before(async () => {
        f = await sandboxFixture({ users: 2200 }); // more than 1000 mailboxes: Exchange answers them in two pages
        foreign = http.createServer((req, res) => {
            received.push({ url: req.url ?? '', authorization: req.headers.authorization !== undefined });
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end('{"value":[]}');
        });
        await new Promise<void>(resolve => foreign.listen(0, '127.0.0.1', resolve));
        foreignPort = (foreign.address() as AddressInfo).port;
    });
    after(async () => {
        await f.stop();
        await new Promise(resolve => foreign.close(resolve));
    });
    afterEach(() => {
        received.length = 0;
        attempted.length = 0;
    });

    /** The sandbox's origin, and the forms of a foreign one an answer may point to (each with the sandbox's paths). */
    const origins = () => {
        const sandbox = new URL(f.sandbox.origin);
        return {
            'an http: downgrade of the same host and port': `http://${sandbox.host}`,
            'another port on the same host': `https://${sandbox.hostname}:${foreignPort}`,
            'a look-alike host': `https://${sandbox.hostname}.evil.test:${sandbox.port}`,
            'the real origin as user information in front of another host': `https://${sandbox.host}@evil.test`,
            'another host in capitals': 'HTTPS://EVIL.TEST',
        };
    };

    function tamperingTransport(): Pick<HttpTransport, 'send'> {
        const sandbox = new URL(f.sandbox.origin);
        return {
            async send(request: HttpRequest): Promise<HttpResponse> {
                const url = new URL(request.url);
                const authorization = Object.keys(request.headers ?? {}).some(h => h.toLowerCase() === 'authorization');
                if (url.origin !== sandbox.origin || url.username || url.password) {
                    attempted.push({ url: request.url, authorization });
                    // Every foreign host resolves to the recording server.
                    return new Promise((resolve, reject) => {
                        const req = http.request({ host: '127.0.0.1', port: foreignPort, method: request.method, path: `${url.pathname}${url.search}`, headers: request.headers }, res => {
                            const chunks: Buffer[] = [];
                            res.on('data', (c: Buffer) => chunks.push(c));
                            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
                        });
                        req.on('error', reject);
                        req.end(request.body);
                    });
                }
                const answer = await f.transport.send(request);
                const text = answer.body.toString('utf8');
                if (!text.startsWith('{')) return answer;
                return { ...answer, body: Buffer.from(JSON.stringify(rewriteLinks(JSON.parse(text)))) };
            },
        };
    }
    function rewriteLinks(value: unknown): unknown {
        if (Array.isArray(value)) return value.map(rewriteLinks);
        if (!value || typeof value !== 'object') return value;
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === '@odata.nextLink' && typeof v === 'string' && rewriteTo ? v.replace(f.sandbox.origin, rewriteTo) : rewriteLinks(v)]));
    }
    const clients = () => {
        const logger = recordingLogger();
        const tokens = appTokens(f, logger);
        const transport = tamperingTransport();
        const graph = new GraphClient({ cloud: sandboxCloud(f), tokens, transport, logger });
        const exchange = new ExchangeAdminClient({ cloud: sandboxCloud(f), tenantId: f.sandbox.tenantId, tokens, transport, logger, baseDelayMs: 10 });
        return { graph, exchange };
    };
    const refusedFor = (origin: string) => (e: Error) => e instanceof TokenDestinationError && e.message.includes('was not followed') && e.message.toLowerCase().includes(new URL(origin).hostname.toLowerCase());
    const nothingReachedIt = (what: string) => {
        assert.deepEqual(attempted, [], `${what}: the client asked to send to a foreign origin`);
        assert.deepEqual(received, [], `${what}: the foreign server was reached`);
    };

    it('Graph paging (every page of a collection)', async () => {
        for (const [what, origin] of Object.entries(origins())) {
            rewriteTo = origin;
            const { graph } = clients();
            await assert.rejects((async () => { for await (const page of graph.pages('/users?$top=100&$select=id', { scopes: ['User.Read.All'] })) void page; })(), refusedFor(origin), what);
            nothingReachedIt(`Graph paging, ${what}`);
        }
    });

    it('the Directory view\'s "Load more" on a Graph folder', async () => {
        for (const [what, origin] of Object.entries(origins())) {
            rewriteTo = origin;
            const users = directoryPages(clients().graph).users;
            const first = await users();
            assert.ok(first.nextLink?.startsWith(origin), `the answer pointed to ${origin}`);
            await assert.rejects(users({ nextLink: first.nextLink ?? '' }), refusedFor(origin), what);
            nothingReachedIt(`Graph Load more, ${what}`);
        }
    });

    it('Exchange paging (a cmdlet\'s every page) and "Load more" on an Exchange folder', async () => {
        for (const [what, origin] of Object.entries(origins())) {
            rewriteTo = origin;
            const { exchange } = clients();
            await assert.rejects(exchange.invoke('Get-Mailbox', { ResultSize: 'Unlimited' }), refusedFor(origin), what);
            const mailboxes = exchangePages(exchange).mailboxes;
            const first = await mailboxes();
            assert.ok(first.nextLink?.startsWith(origin), `the answer pointed to ${origin}`);
            await assert.rejects(mailboxes({ nextLink: first.nextLink ?? '' }), refusedFor(origin), what);
            nothingReachedIt(`Exchange paging, ${what}`);
        }
    });

    it('Exchange $batch paging (a batched command whose output has more pages)', async () => {
        for (const [what, origin] of Object.entries(origins())) {
            rewriteTo = origin;
            await assert.rejects(clients().exchange.invokeBatch([{ cmdlet: 'Get-Mailbox', parameters: { ResultSize: 'Unlimited' } }]), refusedFor(origin), what);
            nothingReachedIt(`Exchange $batch paging, ${what}`);
        }
    });

    it('follows the cloud\'s own links as before (the man in the middle rewriting nothing)', async () => {
        rewriteTo = '';
        const { graph, exchange } = clients();
        let users = 0;
        for await (const page of graph.pages<{ id: string }>('/users?$top=500&$select=id', { scopes: ['User.Read.All'] })) users += page.length;
        assert.equal(users, f.sandbox.state().users.size);
        assert.equal((await exchange.invoke('Get-Mailbox', { ResultSize: 'Unlimited' })).value.length, f.sandbox.state().mailboxes.size);
        const [batched] = await exchange.invokeBatch([{ cmdlet: 'Get-Mailbox', parameters: { ResultSize: 'Unlimited' } }]);
        assert.ok(batched.ok && batched.value.length === f.sandbox.state().mailboxes.size);
        nothingReachedIt('no rewriting');
    });
});
