import { AppOnlySignIn } from '../../../src/auth/AppOnlySignIn';
import { cloudEndpoints, type CloudEndpoints } from '../../../src/auth/clouds';
import { msalNetworkModule } from '../../../src/auth/msalNetwork';
import { inMemorySecrets } from '../../../src/auth/SecretStore';
import type { TokenProvider } from '../../../src/auth/TokenProvider';
import { ExchangeAdminClient } from '../../../src/exchange/ExchangeAdminClient';
import { GraphClient } from '../../../src/graph/GraphClient';
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
    const app = new AppOnlySignIn(
        { cloud: sandboxCloud(f), clientId: f.sandbox.confidentialClient.clientId, tenant: f.sandbox.tenantId, network: msalNetworkModule(r => f.transport.send(r)), logger, secrets: inMemorySecrets() },
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

/** The Graph and Exchange clients of the sandbox's app, sharing one token provider, as the extension builds them. */
export function sandboxClients(f: SandboxFixture, logger: Logger): { graph: GraphClient; exchange: ExchangeAdminClient } {
    const tokens = appTokens(f, logger);
    return {
        graph: new GraphClient({ cloud: sandboxCloud(f), tokens, transport: f.transport, logger }),
        exchange: new ExchangeAdminClient({ cloud: sandboxCloud(f), tenantId: f.sandbox.tenantId, tokens, transport: f.transport, logger }),
    };
}
