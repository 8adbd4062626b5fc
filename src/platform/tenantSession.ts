import type * as vscode from 'vscode';
import type { Accounts, SignedInAccount } from '../auth/Accounts';
import { cloudEndpoints, type CloudEndpoints } from '../auth/clouds';
import { ExchangeAdminClient } from '../exchange/ExchangeAdminClient';
import { exchangePages, type ExchangePages } from '../exchange/exchangePages';
import { directoryPages, type DirectoryPages } from '../graph/directoryPages';
import { GraphClient } from '../graph/GraphClient';
import { organisationName } from '../graph/organisation';
import { vscodeSignInInteraction } from './signInInteraction';
import { transportFor } from './network';

/** The clients for one signed-in account: what the tree and the actions use to talk to its tenant. */
export interface TenantSession {
    readonly account: SignedInAccount;
    readonly cloud: CloudEndpoints;
    readonly graph: GraphClient;
    readonly exchange: ExchangeAdminClient;
    readonly directory: DirectoryPages;
    readonly exchangePages: ExchangePages;
    /**
     * The tenant as an admin recognises it, "Contoso (contoso.com)", for confirmations that change it: read once per
     * session; the tenant id when the organisation cannot be read (no consent yet, or offline), never a failure.
     */
    tenantName(): Promise<string>;
}

/**
 * Builds the session of the active account once and keeps it until the active account changes, so the clients'
 * concurrency caps and retry budgets are shared by everything that talks to that tenant.
 */
export class TenantSessions {
    private current: TenantSession | undefined;

    constructor(private readonly accounts: Accounts, private readonly log: vscode.LogOutputChannel) {}

    /** The active account's session, or undefined when nobody is signed in. */
    active(): TenantSession | undefined {
        const account = this.accounts.active();
        if (!account) return (this.current = undefined);
        if (sameSignIn(this.current?.account, account)) return this.current;
        this.current = this.forAccount(account);
        return this.current;
    }

    /**
     * A session of any signed-in account (work across every tenant); the active account's is the shared one, others
     * are built for the caller and not kept.
     */
    forAccount(account: SignedInAccount): TenantSession {
        if (this.current && sameSignIn(this.current.account, account)) return this.current;
        const cloud = cloudEndpoints(account.cloud, account.customCloud);
        const transport = transportFor(cloud);
        const tokens = this.accounts.tokenProvider(account, vscodeSignInInteraction());
        const graph = new GraphClient({ cloud, tokens, transport, logger: this.log });
        const exchange = new ExchangeAdminClient({ cloud, tenantId: account.tenantId, tokens, transport, logger: this.log });
        let name: Promise<string> | undefined;
        const tenantName = () => (name ??= organisationName(graph, { silentOnly: true }).then(o => (o?.displayName ? `${o.displayName}${o.defaultDomain ? ` (${o.defaultDomain})` : ''}` : account.tenantId), () => account.tenantId));
        return { account, cloud, graph, exchange, directory: directoryPages(graph), exchangePages: exchangePages(exchange), tenantName };
    }
}

/**
 * The same account signed in with the same client: a person who signs in again with another app registration (say,
 * the extension's own, after "Register M365 Provisioner in This Tenant…") keeps their account id but needs new clients.
 */
function sameSignIn(a: SignedInAccount | undefined, b: SignedInAccount): a is SignedInAccount {
    return a?.id === b.id && a.clientId === b.clientId;
}
