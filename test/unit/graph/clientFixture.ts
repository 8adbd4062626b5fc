import { AppOnlySignIn } from '../../../src/auth/AppOnlySignIn';
import { cloudEndpoints, type CloudEndpoints } from '../../../src/auth/clouds';
import { msalNetworkModule } from '../../../src/auth/msalNetwork';
import type { TokenProvider } from '../../../src/auth/TokenProvider';
import type { Logger } from '../../../src/shared/logger';
import type { SandboxFixture } from '../../sandbox/fixture';

export interface RecordingLogger extends Logger { lines: string[] }

export function recordingLogger(): RecordingLogger {
    const lines: string[] = [];
    const record = (m: string | Error, ...a: unknown[]) => void lines.push([m instanceof Error ? m.message : m, ...a.map(x => JSON.stringify(x))].join(' '));
    return { lines, trace: record, debug: record, info: record, warn: record, error: record };
}

export function sandboxCloud(f: SandboxFixture): CloudEndpoints {
    return cloudEndpoints('Custom', { authority: f.sandbox.origin, graphEndpoint: f.sandbox.graphUrl, exchangeEndpoint: f.sandbox.exchangeUrl });
}

/** App-only tokens through real msal (the tokens the clients would get in production), remembered for log checks. */
export function appTokens(f: SandboxFixture, logger: Logger, issued: string[] = []): TokenProvider {
    const secrets = new Map<string, string>();
    const app = new AppOnlySignIn(
        { cloud: sandboxCloud(f), clientId: f.sandbox.confidentialClient.clientId, tenant: f.sandbox.tenantId, network: msalNetworkModule(r => f.transport.send(r)), logger, secrets: { get: k => Promise.resolve(secrets.get(k)), store: (k, v) => { secrets.set(k, v); return Promise.resolve(); }, delete: k => { secrets.delete(k); return Promise.resolve(); } } },
        { kind: 'secret', secret: f.sandbox.confidentialClient.secret },
    );
    return {
        getAccessToken: async request => {
            const token = await app.acquire(request.resource);
            if (!issued.includes(token)) issued.push(token);
            return token;
        },
    };
}
