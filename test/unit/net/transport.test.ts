import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { HttpTransport } from '../../../src/net/HttpTransport';
import { NetworkError } from '../../../src/net/networkErrors';
import { proxyFor, proxyFromEnvironment } from '../../../src/net/proxy';
import { sandboxFixture, type SandboxFixture } from '../../sandbox/fixture';

/** A minimal CONNECT proxy on 127.0.0.1 that records where it tunnelled to. */
async function connectProxy(): Promise<{ url: string; tunnels: string[]; close(): Promise<void> }> {
    const tunnels: string[] = [];
    const sockets = new Set<net.Socket>();
    const server = http.createServer((_req, res) => res.writeHead(405).end());
    server.on('connect', (req: http.IncomingMessage, client: net.Socket) => {
        tunnels.push(req.url ?? '');
        sockets.add(client);
        const [host, port] = (req.url ?? '').split(':');
        const upstream = net.connect(Number(port), host, () => {
            sockets.add(upstream);
            client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
            upstream.pipe(client);
            client.pipe(upstream);
        });
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        tunnels,
        // Tunnelled sockets are no longer the HTTP server's: end them, or close() waits for them forever.
        close: () => new Promise(r => { for (const socket of sockets) socket.destroy(); server.close(() => r()); }),
    };
}

describe('HttpTransport', function () {
    this.timeout(20_000);
    let f: SandboxFixture;
    before(async () => (f = await sandboxFixture()));
    after(() => f.stop());
    const discovery = () => `${f.sandbox.authority}/v2.0/.well-known/openid-configuration`;

    it('trusts an extra CA (the sandbox\'s) on top of the built-in roots', async () => {
        const answer = await new HttpTransport({ ca: f.sandbox.caPem }).send({ method: 'GET', url: discovery() });
        assert.equal(answer.status, 200);
    });

    it('says the certificate is not trusted, and which setting fixes it, when the CA is missing', async () => {
        await assert.rejects(new HttpTransport().send({ method: 'GET', url: discovery() }), (e: NetworkError) => e instanceof NetworkError && /customCloud\.caFile/.test(e.message));
    });

    it('goes through an HTTP proxy with CONNECT, end-to-end TLS to the target', async () => {
        const proxy = await connectProxy();
        try {
            const transport = new HttpTransport({ ca: f.sandbox.caPem, proxy: { url: proxy.url } });
            const answer = await transport.send({ method: 'GET', url: discovery() });
            assert.equal(answer.status, 200);
            assert.deepEqual(proxy.tunnels, [`127.0.0.1:${f.sandbox.port}`]);
        } finally {
            await proxy.close();
        }
    });

    it('goes direct for hosts in NO_PROXY, and reads the proxy from the environment', () => {
        const settings = proxyFromEnvironment({ HTTPS_PROXY: 'http://proxy.corp:8080', NO_PROXY: 'localhost,.internal.example' });
        assert.equal(proxyFor(new URL('https://graph.microsoft.com/v1.0'), settings)?.host, 'proxy.corp:8080');
        assert.equal(proxyFor(new URL('https://api.internal.example/x'), settings), undefined);
        assert.equal(proxyFor(new URL('https://localhost:1/x'), settings), undefined);
        assert.throws(() => proxyFor(new URL('https://x.example'), { url: 'socks5://p:1080' }), /Only http:\/\/ proxies/);
    });

    it('reports a proxy that is down as a proxy problem', async () => {
        const transport = new HttpTransport({ ca: f.sandbox.caPem, proxy: { url: 'http://127.0.0.1:9' } });
        await assert.rejects(transport.send({ method: 'GET', url: discovery() }), (e: NetworkError) => /Check the proxy/.test(e.message));
    });

    it('stops when aborted, with an AbortError', async () => {
        f.sandbox.setKnobs({ latencyMs: 2000 });
        try {
            const token = await f.appToken();
            const controller = new AbortController();
            const pending = new HttpTransport({ ca: f.sandbox.caPem }).send({ method: 'GET', url: `${f.sandbox.graphUrl}/v1.0/users`, headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
            setTimeout(() => controller.abort(), 50);
            await assert.rejects(pending, (e: Error) => e.name === 'AbortError');
        } finally {
            f.sandbox.setKnobs({ latencyMs: 0 });
        }
    });

    it('sends a GET again when a kept-alive connection resets, but never a POST: the server may have carried it out', async () => {
        /** A keep-alive server that carries out each request, then (when told) resets the connection instead of answering. */
        let handled = 0;
        let resetNext = false;
        const server = http.createServer({ keepAlive: true }, (req, res) => {
            handled++;
            if (resetNext) {
                resetNext = false;
                req.socket.destroy();
                return;
            }
            res.writeHead(200, { 'content-type': 'text/plain', connection: 'keep-alive' }).end('ok');
        });
        await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
        const transport = new HttpTransport();
        try {
            await transport.send({ method: 'GET', url });
            resetNext = true;
            const get = await transport.send({ method: 'GET', url });
            assert.equal(get.status, 200, 'the GET was sent again on a fresh connection');
            assert.equal(handled, 3);
            resetNext = true;
            await assert.rejects(transport.send({ method: 'POST', url, body: '{}' }), NetworkError);
            assert.equal(handled, 4, 'the POST was carried out once and not sent again');
        } finally {
            server.closeAllConnections();
            await new Promise(r => server.close(r));
        }
    });
});
