import type { CloudEndpoints } from '../auth/clouds';
import type { TokenProvider } from '../auth/TokenProvider';
import { checkTokenDestination } from '../auth/tokenDestinations';
import { abortError, type HttpResponse, type HttpTransport } from '../net/HttpTransport';
import { abortableSleep, policyFor, retryAfterMs, type PolicyOptions, type RequestPolicy } from '../net/RequestPolicy';
import { guidsIn, noteWrite } from '../net/writeTrail';
import type { Logger } from '../shared/logger';
import { ExchangeCommandError, exchangeErrorFrom } from './ExchangeCommandError';
import { itemResult, itemRetryAfterMs, noAnswerError, retryableItemStatus, wholeRequestError, type BatchCallOptions, type BatchCommand, type BatchCommandResult, type BatchItemResponse } from './exchangeBatch';

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

/** The most commands the admin API takes in one `$batch` request. */
export const exchangeBatchSize = 10;

type BatchSent =
    | { kind: 'answered'; responses: Map<string, BatchItemResponse>; requestId: string }
    | { kind: 'failed'; status: number; body: unknown; requestId: string }
    | { kind: 'noAnswer'; error: Error };

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
            () =>
                this.sendWithToken(target, {
                    'content-type': 'application/json',
                    prefer: `odata.maxpagesize=${call.pageSize ?? 1000}`,
                    'x-anchormailbox': this.anchor(call.anchorMailbox),
                }, body, call.signal),
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
        // A body that is not JSON (a 403 of NUL bytes) goes as text: the error reader says what it means.
        if (response.status >= 400) throw exchangeErrorFrom(cmdlet, response.status, json ?? text, requestId);
        const page = (json ?? {}) as { value?: T[]; '@adminapi.warnings'?: string[]; '@odata.nextLink'?: string };
        if (isWrite(cmdlet)) noteWrite({ api: 'exchange', request: cmdlet, status: response.status, ...(requestId ? { requestId } : {}), objectIds: objectIdsOf(page.value ?? []) });
        const warnings = page['@adminapi.warnings'] ?? [];
        for (const warning of warnings) this.options.logger.warn(`[Exchange] ${cmdlet}: ${warning}`);
        return { value: page.value ?? [], warnings, ...(page['@odata.nextLink'] ? { nextLink: page['@odata.nextLink'] } : {}) };
    }

    /**
     * Runs many cmdlets through the admin API's `$batch` (what ExchangeOnlineManagement and CIPP use): 10 commands per
     * HTTP request, sent with `Prefer: odata.continue-on-error` so one failing command never stops the others. Answers
     * one result per command, in input order; a command's failure is a result (`ok: false`, typed as `invoke` types
     * it), never an exception: only a cancel (AbortError), a sign-in failure or a next-page link to another origin
     * (TokenDestinationError: an answer that may have been tampered with) throws. Commands answered 429/503/504
     * inside the batch (or 424, not run) are sent again after their Retry-After, as `GraphClient.batch` does; a 429 or
     * 503 for the whole request goes through the RequestPolicy like `invoke`, and a dropped connection is resent only
     * when every command in the request is a Get- (whether a write ran is unknown: its result says so, status 0).
     */
    async invokeBatch<T = Record<string, unknown>>(commands: BatchCommand[], call: BatchCallOptions = {}): Promise<BatchCommandResult<T>[]> {
        const results = new Array<BatchCommandResult<T>>(commands.length);
        const chunks: number[][] = [];
        for (let i = 0; i < commands.length; i += exchangeBatchSize) chunks.push(commands.slice(i, i + exchangeBatchSize).map((_, k) => i + k));
        await Promise.all(chunks.map(chunk => this.runBatchChunk(commands, chunk, results, call)));
        return results;
    }

    private async runBatchChunk<T>(commands: BatchCommand[], indexes: number[], results: BatchCommandResult<T>[], call: BatchCallOptions): Promise<void> {
        const maxAttempts = this.options.maxAttempts ?? 6;
        let pending = indexes;
        for (let round = 1; pending.length; round++) {
            const sent = await this.sendBatch(pending.map(i => commands[i]), call);
            if (sent.kind !== 'answered') {
                for (const i of pending) {
                    results[i] = { ok: false, error: sent.kind === 'noAnswer' ? noAnswerError(commands[i].cmdlet, sent.error) : wholeRequestError(commands[i].cmdlet, sent.status, sent.body, sent.requestId) };
                }
                return;
            }
            const retry: number[] = [];
            let wait = 0;
            for (const [k, i] of pending.entries()) {
                const command = commands[i];
                const response = sent.responses.get(String(k + 1));
                if (!response) {
                    results[i] = { ok: false, error: new ExchangeCommandError(command.cmdlet, 0, 'Exchange sent no answer for this command in its $batch response.', 'MissingBatchResponse', sent.requestId) };
                    continue;
                }
                if (retryableItemStatus.has(response.status) && round < maxAttempts && call.retryItems !== false) {
                    retry.push(i);
                    wait = Math.max(wait, itemRetryAfterMs(response) ?? Math.round(Math.random() * (this.options.baseDelayMs ?? 1000) * 2 ** (round - 1)));
                    continue;
                }
                const { result, nextLink } = itemResult<T>(command.cmdlet, response, sent.requestId);
                this.options.logger.debug(`[Exchange] $batch item ${command.cmdlet} → ${response.status} (request-id ${result.ok ? result.requestId ?? '' : result.error.requestId ?? ''})`);
                if (result.ok) for (const warning of result.warnings) this.options.logger.warn(`[Exchange] ${command.cmdlet}: ${warning}`);
                results[i] = result.ok && nextLink ? await this.remainingPages(result, command, nextLink, call.signal) : result;
            }
            if (retry.length) {
                this.options.logger.debug(`[Exchange] $batch: ${retry.length} commands again in ${wait} ms`);
                await (this.options.sleep ?? abortableSleep)(wait, call.signal);
            }
            pending = retry;
        }
    }

    /** One `$batch` HTTP request, through the RequestPolicy (concurrency cap, whole-request retries). */
    private async sendBatch(commands: BatchCommand[], call: BatchCallOptions): Promise<BatchSent> {
        const tenant = encodeURIComponent(this.options.tenantId);
        const body = JSON.stringify({
            requests: commands.map((command, k) => ({
                id: String(k + 1),
                method: 'POST',
                url: `/adminapi/beta/${tenant}/InvokeCommand`,
                headers: { 'Content-Type': 'application/json', Prefer: 'odata.maxpagesize=1000', 'X-AnchorMailbox': this.anchor(command.anchorMailbox) },
                body: { CmdletInput: { CmdletName: command.cmdlet, Parameters: command.parameters } },
            })),
        });
        const started = Date.now();
        let parsed: unknown;
        let response: HttpResponse;
        try {
            response = await this.policy.run(
                async () => {
                    await call.pace?.(call.signal, commands.length);
                    let sentAt = Date.now();
                    let answer: HttpResponse;
                    try {
                        answer = await this.sendWithToken(
                            `${this.options.cloud.exchangeEndpoint}/adminapi/beta/${tenant}/$batch`,
                            { 'content-type': 'application/json', prefer: 'odata.continue-on-error', 'x-anchormailbox': this.anchor(undefined) },
                            body,
                            call.signal,
                            () => (sentAt = Date.now()),
                        );
                    } catch (error) {
                        if (!(error instanceof Error && error.name === 'AbortError')) call.onAnswer?.({ status: 0, sentAt, items: commands.length, throttledItems: 0, requestId: '' });
                        throw error;
                    }
                    parsed = parseJson(answer.body);
                    const items = answer.status === 200 ? ((parsed as { responses?: BatchItemResponse[] } | undefined)?.responses ?? []) : [];
                    const throttled = items.filter(item => item.status === 429);
                    const waits = [retryAfterMs(answer), ...throttled.map(itemRetryAfterMs)].filter((ms): ms is number => ms !== undefined);
                    const requestId = String(answer.headers['request-id'] ?? '');
                    call.onAnswer?.({ status: answer.status, sentAt, items: commands.length, throttledItems: throttled.length, ...(waits.length ? { retryAfterMs: Math.max(...waits) } : {}), requestId });
                    this.options.logger.debug(`[Exchange] POST $batch (${describe(commands)}) → ${answer.status} (request-id ${requestId}) ${Date.now() - sentAt} ms`);
                    return answer;
                },
                call.signal,
                // A batch of Get- cmdlets changes nothing, so a dropped connection is safe to resend; with a write in it, not.
                commands.every(command => command.cmdlet.startsWith('Get-')),
            );
        } catch (error) {
            if (call.signal?.aborted || (error instanceof Error && error.name === 'AbortError')) throw abortError();
            if (error instanceof Error && error.name === 'NetworkError') return { kind: 'noAnswer', error };
            throw error;
        }
        const requestId = String(response.headers['request-id'] ?? '');
        if (response.status !== 200) {
            this.options.logger.debug(`[Exchange] $batch failed as a whole: ${response.status} (request-id ${requestId}) after ${Date.now() - started} ms`);
            return { kind: 'failed', status: response.status, body: parsed, requestId };
        }
        // The batch's own request id: its audit line quotes it (each command's answer may carry its own as well).
        if (commands.some(c => isWrite(c.cmdlet))) noteWrite({ api: 'exchange', request: `$batch (${describe(commands)})`, status: response.status, ...(requestId ? { requestId } : {}), objectIds: [] });
        const responses = new Map<string, BatchItemResponse>();
        for (const item of (parsed as { responses?: BatchItemResponse[] } | undefined)?.responses ?? []) responses.set(String(item.id), item);
        return { kind: 'answered', responses, requestId };
    }

    /** The rest of a batched command's output, when one page was not all of it. */
    private async remainingPages<T>(first: { value: T[]; warnings: string[]; requestId?: string }, command: BatchCommand, nextLink: string, signal: AbortSignal | undefined): Promise<BatchCommandResult<T>> {
        const value = [...first.value];
        const warnings = [...first.warnings];
        try {
            for (let next: string | undefined = nextLink; next; ) {
                const page: CommandPage<T> = await this.invokePage<T>(command.cmdlet, command.parameters, { nextLink: next, ...(command.anchorMailbox ? { anchorMailbox: command.anchorMailbox } : {}), ...(signal ? { signal } : {}) });
                value.push(...page.value);
                warnings.push(...page.warnings);
                next = page.nextLink;
            }
        } catch (error) {
            if (error instanceof ExchangeCommandError) return { ok: false, error };
            throw error;
        }
        return { ok: true, value, warnings, ...(first.requestId ? { requestId: first.requestId } : {}) };
    }

    /**
     * The one place an Exchange token is attached to a request. The URL may come from an answer (`@odata.nextLink`), so
     * it is checked first against this cloud's Exchange endpoint (src/auth/tokenDestinations.ts): a link elsewhere is
     * refused before a token is even acquired, and nothing is sent.
     */
    private async sendWithToken(url: string, headers: Record<string, string>, body: string, signal: AbortSignal | undefined, onSending?: () => void): Promise<HttpResponse> {
        checkTokenDestination(this.options.cloud, 'exchange', url);
        const token = await this.options.tokens.getAccessToken({ resource: 'exchange', scopes: exchangeScopes, ...(signal ? { signal } : {}) });
        onSending?.();
        return this.options.transport.send({ method: 'POST', url, headers: { authorization: `Bearer ${token}`, ...headers }, body, ...(signal ? { signal } : {}) });
    }

    private anchor(mailbox: string | undefined): string {
        return mailbox ? `UPN:${mailbox}` : `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${this.options.tenantId}`;
    }
}

function parseJson(body: Buffer): unknown {
    const text = body.toString('utf8');
    try {
        return text ? JSON.parse(text) : {};
    } catch {
        return undefined;
    }
}

/** "Get-MailboxFolderPermission ×8, Add-MailboxFolderPermission ×2": what a batch held, for the log. */
function describe(commands: BatchCommand[]): string {
    const counts = new Map<string, number>();
    for (const command of commands) counts.set(command.cmdlet, (counts.get(command.cmdlet) ?? 0) + 1);
    return [...counts].map(([cmdlet, n]) => `${cmdlet} ×${n}`).join(', ');
}

/** A cmdlet that changes something: not a Get-, and not a Test- (which checks, as Test-ServicePrincipalAuthorization). */
function isWrite(cmdlet: string): boolean {
    return !/^(Get|Test)-/i.test(cmdlet);
}

/** The Entra object id (else Exchange's own Guid) of what a write answered with: a new group, a role assignment. */
function objectIdsOf(value: unknown[]): string[] {
    return value.flatMap(item => {
        const o = item as { ExternalDirectoryObjectId?: unknown; Guid?: unknown } | undefined;
        const id = typeof o?.ExternalDirectoryObjectId === 'string' && o.ExternalDirectoryObjectId ? o.ExternalDirectoryObjectId : o?.Guid;
        return typeof id === 'string' ? guidsIn(id) : [];
    });
}
