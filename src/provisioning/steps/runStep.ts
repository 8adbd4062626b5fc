import type { ExchangeAdminClient } from '../../exchange/ExchangeAdminClient';
import type { GraphClient } from '../../graph/GraphClient';
import type { Logger } from '../../shared/logger';
import { ProvisioningInputError } from '../errors';
import type { Difference, Ensure, Step, WriteContext, Written } from './contract';
import type { ReplicationWait } from './replication';
import { TenantReads } from './tenantReads';

export interface StepRunOptions {
    signal?: AbortSignal;
    replication?: Partial<Pick<ReplicationWait, 'sleep' | 'timeoutMs' | 'onWait'>>;
    /** The caller has seen the account in Entra (or just created it): Exchange and role management are worth waiting for. */
    accountExists?: string;
    storePassword?: WriteContext['storePassword'];
    /** A new app certificate's private key, to the admin's file (addAppCredential). */
    keepPrivateKey?: WriteContext['keepPrivateKey'];
    /** A new client secret, shown once (addAppCredential). */
    revealSecret?: WriteContext['revealSecret'];
}

/**
 * One step run on its own, as the right-click commands do: read, compare, and write only when something differs. A
 * blocked step throws its reason as a ProvisioningInputError naming the field, before anything is changed. The same
 * `read`, `compare` and `write` a recipe's Plan and Apply use.
 */
export async function runStep<Want extends { ensure?: Ensure }, Have>(
    step: Step<Want, Have>,
    deps: { graph?: GraphClient; exchange?: ExchangeAdminClient; logger?: Logger },
    want: Want,
    o: StepRunOptions = {},
): Promise<{ have: Have; difference: Difference; written: Written }> {
    const signal = o.signal ? { signal: o.signal } : {};
    const known = new Set(o.accountExists ? [o.accountExists.trim().toLowerCase()] : []);
    const reads = new TenantReads(deps.graph, deps.exchange, signal, { accounts: known, groups: new Set() });
    const have = await step.read(reads, want);
    const difference = step.compare(want, have);
    if (difference.status === 'blocked') throw new ProvisioningInputError(difference.detail, difference.inputField, difference.field);
    if (difference.status === 'done') return { have, difference, written: { outcome: 'alreadyInPlace', detail: difference.detail } };
    const ctx: WriteContext = {
        graph: deps.graph ?? notGiven<GraphClient>('Microsoft Graph'),
        exchange: deps.exchange ?? notGiven<ExchangeAdminClient>('Exchange'),
        logger: deps.logger ?? quietLogger,
        ...signal,
        ...(o.replication ? { replication: o.replication } : {}),
        accountIds: new Map(),
        newAccounts: known,
        storePassword: o.storePassword ?? (() => Promise.reject(new Error('This step makes a password but was given nowhere to keep it.'))),
        ...(o.keepPrivateKey ? { keepPrivateKey: o.keepPrivateKey } : {}),
        ...(o.revealSecret ? { revealSecret: o.revealSecret } : {}),
    };
    // An absent want that finds its object there takes it away (e.g. "Remove Credential…").
    return { have, difference, written: await (difference.status === 'remove' ? step.remove(ctx, want, have) : step.write(ctx, want, have)) };
}

/** A client the caller did not give: a step that uses it anyway is a programming error, said as such. */
function notGiven<T extends object>(what: string): T {
    return new Proxy({} as T, { get: () => { throw new Error(`This step calls ${what}, but it was given no ${what} client.`); } });
}

const quietLogger: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
