import * as msal from '@azure/msal-node';
import { msalNetworkModule } from '../../src/auth/msalNetwork';
import { HttpTransport, type HttpResponse } from '../../src/net/HttpTransport';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../sandbox/src/server';
import { checkGraphRequest } from './graphRequestChecks';

/** A running sandbox with the project's own transport (trusting its CA) and helpers to act as a person on its pages. */
export interface SandboxFixture {
    sandbox: RunningSandbox;
    transport: HttpTransport;
    network: msal.INetworkModule;
    host: string;
    form(url: string, fields: Record<string, string>): Promise<HttpResponse>;
    get(url: string, token?: string, headers?: Record<string, string>): Promise<{ status: number; json: Record<string, unknown>; headers: HttpResponse['headers'] }>;
    /** Approves a device code on /devicelogin as the given account, accepting consent when the page asks. */
    approveDeviceCode(userCode: string, upn: string): Promise<string>;
    /** Plays the person in the browser: picks the account, accepts consent, and posts the answer to msal's loopback. */
    browser(upn: string, options?: { declineConsent?: boolean }): (url: string) => Promise<void>;
    appToken(resource?: 'graph' | 'exchange'): Promise<string>;
    delegatedToken(upn: string, scopes: string[]): Promise<string>;
    stop(): Promise<void>;
}

export async function sandboxFixture(options: SandboxOptions = {}): Promise<SandboxFixture> {
    // Every Graph request a test sends is checked against the reference; the root hook fails the run on a violation.
    const sandbox = await startSandbox({ deviceCodeIntervalSeconds: 1, onGraphRequest: checkGraphRequest, ...options });
    const transport = new HttpTransport({ ca: sandbox.caPem });
    const network = msalNetworkModule(r => transport.send(r));
    const host = new URL(sandbox.origin).host;
    const form = (url: string, fields: Record<string, string>) =>
        transport.send({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    const fieldsOf = (html: string) => Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(m => [m[1], unescape(m[2])]));
    const accountId = (html: string, upn: string) => {
        const id = new RegExp(`name="account" value="([^"]+)" data-upn="${upn.replace('.', '\\.')}"`).exec(html)?.[1];
        if (!id) throw new Error(`The sign-in page offers no account ${upn}:\n${html.slice(0, 500)}`);
        return id;
    };
    const fixture: SandboxFixture = {
        sandbox,
        transport,
        network,
        host,
        form,
        async get(url, token, headers = {}) {
            const res = await transport.send({ method: 'GET', url, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
            const text = res.body.toString('utf8');
            return { status: res.status, headers: res.headers, json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : { text } };
        },
        async approveDeviceCode(userCode, upn) {
            const url = `${sandbox.origin}/devicelogin`;
            const pick = (await form(url, { otc: userCode })).body.toString('utf8');
            let page = (await form(url, { otc: userCode, account: accountId(pick, upn) })).body.toString('utf8');
            if (page.includes('name="consent"')) page = (await form(url, { ...fieldsOf(page), consent: 'accept' })).body.toString('utf8');
            return /<h1>(.*?)<\/h1>/.exec(page)?.[1] ?? page;
        },
        browser(upn, browserOptions = {}) {
            return async (authorizeUrl: string) => {
                const action = new URL(authorizeUrl).pathname;
                // The account picker appears unless the app passed a login_hint the tenant knows.
                let page = (await transport.send({ method: 'GET', url: authorizeUrl })).body.toString('utf8');
                if (page.includes('data-upn=')) page = (await form(`${sandbox.origin}${action}`, { ...fieldsOf(page), account: accountId(page, upn) })).body.toString('utf8');
                if (page.includes('name="consent"')) {
                    page = (await form(`${sandbox.origin}${action}`, { ...fieldsOf(page), consent: browserOptions.declineConsent ? 'cancel' : 'accept' })).body.toString('utf8');
                }
                const redirect = /<form method="post" action="([^"]+)">/.exec(page)?.[1];
                if (!redirect) throw new Error(`No form_post answer:\n${page.slice(0, 500)}`);
                // The browser posts the answer to msal's loopback server (plain http on localhost).
                await new HttpTransport().send({ method: 'POST', url: unescape(redirect), headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fieldsOf(page)).toString() });
            };
        },
        async appToken(resource = 'graph') {
            const app = new msal.ConfidentialClientApplication({ auth: { clientId: sandbox.confidentialClient.clientId, authority: sandbox.authority, clientSecret: sandbox.confidentialClient.secret, knownAuthorities: [host] }, system: { networkClient: network } });
            const result = await app.acquireTokenByClientCredential({ scopes: [`${resource === 'graph' ? sandbox.graphUrl : sandbox.exchangeUrl}/.default`] });
            if (!result) throw new Error('no token');
            return result.accessToken;
        },
        async delegatedToken(upn, scopes) {
            const app = new msal.PublicClientApplication({ auth: { clientId: sandbox.publicClientId, authority: sandbox.authority, knownAuthorities: [host] }, system: { networkClient: network } });
            const result = await app.acquireTokenByDeviceCode({ scopes: scopes.map(s => `${sandbox.graphUrl}/${s}`), deviceCodeCallback: r => void fixture.approveDeviceCode(r.userCode, upn) });
            if (!result) throw new Error('no token');
            return result.accessToken;
        },
        stop: () => sandbox.stop(),
    };
    return fixture;
}

/** The headers of a Graph advanced query ($count, $search, and filters only those support). */
/**
 * Delegated Exchange tokens from the Exchange Online PowerShell client (the one Microsoft pre-authorises for Exchange):
 * the admin signs in first, then a Global Reader, who may read and not change.
 */
export async function exchangeSignIns(f: SandboxFixture): Promise<{ admin: string; reader: string }> {
    const pca = new msal.PublicClientApplication({ auth: { clientId: f.sandbox.exchangeClientId, authority: f.sandbox.authority, knownAuthorities: [f.host] }, system: { networkClient: f.network } });
    const signIn = async (upn: string) => (await pca.acquireTokenByDeviceCode({ scopes: [`${f.sandbox.exchangeUrl}/Exchange.Manage`], deviceCodeCallback: r => void f.approveDeviceCode(r.userCode, upn) }))?.accessToken ?? '';
    const admin = await signIn('admin@contoso.com');
    return { admin, reader: await signIn('helpdesk@contoso.com') };
}

export const advancedQuery = { consistencylevel: 'eventual' };

/**
 * For a mocha suite that calls the sandbox's Microsoft Graph directly with an app token: starts one sandbox for the
 * suite (its own before/after hooks) and gives GET with the token, and the tenant's objects by name.
 */
export function graphAppSuite<Item>() {
    let f: SandboxFixture | undefined;
    let app = '';
    before(async () => {
        f = await sandboxFixture();
        app = await f.appToken();
    });
    after(() => f?.stop());
    const fixture = (): SandboxFixture => {
        if (!f) throw new Error('the sandbox starts in the suite\'s before hook');
        return f;
    };
    const state = () => fixture().sandbox.state();
    return {
        state,
        groupId: (name: string) => [...state().groups.values()].find(g => g.displayName === name)?.id ?? '',
        userId: (upn: string) => [...state().users.values()].find(u => u.userPrincipalName === upn)?.id ?? '',
        /** GET a Graph v1.0 path (`/users?...`) as the app: status, body, its `value` list and its error. */
        list: async (path: string, headers: Record<string, string> = {}) => {
            const answer = await fixture().get(`${fixture().sandbox.graphUrl}/v1.0${path}`, app, headers);
            return { status: answer.status, json: answer.json, value: (answer.json.value ?? []) as Item[], error: answer.json.error as { code: string; message: string } | undefined };
        },
    };
}

function unescape(text: string): string {
    return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
