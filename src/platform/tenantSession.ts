import type * as vscode from 'vscode';
import type { Accounts, SignedInAccount } from '../auth/Accounts';
import { cloudEndpoints, type CloudEndpoints } from '../auth/clouds';
import { ExchangeAdminClient } from '../exchange/ExchangeAdminClient';
import { exchangePages, type ExchangePages } from '../exchange/exchangePages';
import { directoryPages, type DirectoryPages } from '../graph/directoryPages';
import { GraphClient } from '../graph/GraphClient';
import { organisationName } from '../graph/organisation';
import { vscodeSignInInteraction } from './signInInteraction';
import { tenantLabel, type TenantName, type TenantNames } from './tenantNames';
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
    /** The same read: the organisation's name and default domain, undefined when it cannot be read (for the audit). */
    tenantOrganisation(): Promise<TenantName | undefined>;
    /** The name kept from an earlier read (this session's or an earlier one's), without a request; for views. */
    knownTenantName(): TenantName | undefined;
}

/**
 * Builds the session of the active account once and keeps it until the active account changes, so the clients'
 * concurrency caps and retry budgets are shared by everything that talks to that tenant.
 */
export class TenantSessions {
    private current: TenantSession | undefined;

    constructor(private readonly accounts: Accounts, private readonly log: vscode.LogOutputChannel, private readonly names?: TenantNames) {}

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
        // Read once per session and kept in the names store, so views name the tenant without a request next time.
        let organisation: Promise<TenantName | undefined> | undefined;
        const tenantOrganisation = () => (organisation ??= organisationName(graph, { silentOnly: true }).then(
            async o => {
                await this.names?.remember(account.tenantId, o).catch(() => undefined); // a name not kept is read again next session
                return o?.displayName ? { displayName: o.displayName, ...(o.defaultDomain ? { defaultDomain: o.defaultDomain } : {}) } : undefined;
            },
            () => undefined,
        ));
        const tenantName = async () => tenantLabel(await tenantOrganisation(), account.tenantId);
        const knownTenantName = () => this.names?.get(account.tenantId);
        return { account, cloud, graph, exchange, directory: directoryPages(graph), exchangePages: exchangePages(exchange), tenantName, tenantOrganisation, knownTenantName };
    }
}

/**
 * The same account signed in with the same client: a person who signs in again with another app registration (say,
 * the extension's own, after "Register M365 Provisioner in This Tenant…") keeps their account id but needs new clients.
 */
function sameSignIn(a: SignedInAccount | undefined, b: SignedInAccount): a is SignedInAccount {
    // The intent too: signing in again for another intent must word later prompts against the new one.
    return a?.id === b.id && a.clientId === b.clientId && a.intent === b.intent;
}
