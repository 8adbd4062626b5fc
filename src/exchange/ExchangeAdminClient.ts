import type { CloudEndpoints } from '../auth/clouds';
import type { TokenProvider } from '../auth/TokenProvider';
import type { HttpTransport } from '../net/HttpTransport';
import { policyFor, type PolicyOptions, type RequestPolicy } from '../net/RequestPolicy';
import type { Logger } from '../shared/logger';
import { exchangeErrorFrom } from './ExchangeCommandError';

export interface ExchangeClientOptions {
    cloud: CloudEndpoints;
    tenantId: string;
    tokens: TokenProvider;
    transport: Pick<HttpTransport, 'send'>;
    logger: Logger;
    maxConcurrency?: number;
    maxAttempts?: number;
    baseDelayMs?: number;
    sleep?: PolicyOptions['sleep'];
}

export interface CommandResult<T> {
    value: T[];
    /** What PowerShell prints as WARNING: lines. */
    warnings: string[];
}

export interface InvokeOptions {
    signal?: AbortSignal;
    /** Routes mailbox cmdlets to the mailbox's server (`X-AnchorMailbox: UPN:…`). */
    anchorMailbox?: string;
}

export interface CommandPage<T> extends CommandResult<T> {
    nextLink?: string;
}

/** The delegated permission for Exchange Online administration; app-only sign-in uses the app's .default grant. */
export const exchangeScopes = ['Exchange.Manage'];

/**
 * Exchange Online's admin API (`InvokeCommand`, what ExchangeOnlineManagement v3 uses), with the same retry,
 * concurrency, cancellation and logging rules as Graph. Keeping it behind this one class matters: Microsoft does not
 * document it, so any change lands here only.
 */
export class ExchangeAdminClient {
    private readonly policy: RequestPolicy;

    constructor(private readonly options: ExchangeClientOptions) {
        // Exchange throttles per tenant and per mailbox (about 4 concurrent requests per mailbox).
        this.policy = policyFor('Exchange', options, { maxConcurrency: 4, baseDelayMs: 1000 });
    }

    /** Runs a cmdlet and follows @odata.nextLink to the last page. */
    async invoke<T = Record<string, unknown>>(cmdlet: string, parameters: Record<string, unknown> = {}, call: InvokeOptions = {}): Promise<CommandResult<T>> {
        const value: T[] = [];
        const warnings: string[] = [];
        let nextLink: string | undefined;
        do {
            const page: CommandPage<T> = await this.invokePage<T>(cmdlet, parameters, { ...call, ...(nextLink ? { nextLink } : {}) });
            value.push(...page.value);
            warnings.push(...page.warnings);
            nextLink = page.nextLink;
        } while (nextLink);
        return { value, warnings };
    }

    /**
     * One page of a cmdlet's output (at most `pageSize` objects, 1000 by default), with the link to the next: what a
     * tree folder needs, so a tenant's 100,000 mailboxes are never read to show the first hundred.
     */
    async invokePage<T = Record<string, unknown>>(cmdlet: string, parameters: Record<string, unknown> = {}, call: InvokeOptions & { pageSize?: number; nextLink?: string } = {}): Promise<CommandPage<T>> {
        const body = JSON.stringify({ CmdletInput: { CmdletName: cmdlet, Parameters: parameters } });
        const target = call.nextLink ?? `${this.options.cloud.exchangeEndpoint}/adminapi/beta/${encodeURIComponent(this.options.tenantId)}/InvokeCommand`;
        const started = Date.now();
        const response = await this.policy.run(
            async () => {
                const token = await this.options.tokens.getAccessToken({ resource: 'exchange', scopes: exchangeScopes, ...(call.signal ? { signal: call.signal } : {}) });
                return this.options.transport.send({
                    method: 'POST',
                    url: target,
                    headers: {
                        authorization: `Bearer ${token}`,
                        'content-type': 'application/json',
                        prefer: `odata.maxpagesize=${call.pageSize ?? 1000}`,
                        'x-anchormailbox': call.anchorMailbox ? `UPN:${call.anchorMailbox}` : `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${this.options.tenantId}`,
                    },
                    body,
                    ...(call.signal ? { signal: call.signal } : {}),
                });
            },
            call.signal,
            // Get- cmdlets change nothing, so a dropped connection is safe to retry.
            cmdlet.startsWith('Get-'),
        );
        const requestId = String(response.headers['request-id'] ?? '');
        this.options.logger.debug(`[Exchange] ${cmdlet} → ${response.status} (request-id ${requestId}) ${Date.now() - started} ms`);
        const text = response.body.toString('utf8');
        let json: unknown;
        try {
            json = text ? JSON.parse(text) : {};
        } catch {
            json = undefined;
        }
        if (response.status >= 400) throw exchangeErrorFrom(cmdlet, response.status, json, requestId);
        const page = (json ?? {}) as { value?: T[]; '@adminapi.warnings'?: string[]; '@odata.nextLink'?: string };
        const warnings = page['@adminapi.warnings'] ?? [];
        for (const warning of warnings) this.options.logger.warn(`[Exchange] ${cmdlet}: ${warning}`);
        return { value: page.value ?? [], warnings, ...(page['@odata.nextLink'] ? { nextLink: page['@odata.nextLink'] } : {}) };
    }
}
