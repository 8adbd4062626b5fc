import type { ExchangeAdminClient } from '../../exchange/ExchangeAdminClient';
import type { GraphClient } from '../../graph/GraphClient';
import type { Logger } from '../../shared/logger';
import type { CalendarGrantJournal, CalendarGrantOptions } from '../calendar/calendarGrants';
import type { ReplicationWait } from './replication';
import type { TenantReads } from './tenantReads';

/**
 * The one contract every kind of provisioning step implements once. The recipe planner, Apply, Verify, export and the
 * right-click commands all go through it, so "is it already as wanted?" is answered in one place per kind:
 *
 * - `read`    what the tenant has now for this step (through `TenantReads`, which reads each thing once per plan);
 * - `compare` what the tenant has against what is wanted: done, create, change, remove (the object must be absent and is there), or blocked with the reason;
 * - `write`   makes the difference `compare` found, from what `read` returned (no second read on the way);
 * - `remove`  takes away what the step gives, when the recipe says it must be absent (offboarding);

 * Export writes the same steps as PowerShell: `recipeEntries` gives it each step's kind and typed `want`, and one
 * writer per kind (src/provisioning/export/steps/, present and absent) turns it into a script section. The writers are
 * kept there, not here, so the steps stay free of script text and the export free of tenant calls.
 *
 * Plan = read + compare. Apply = write on the plan's own step objects. Verify = plan (and, for calendars, a read-only
 * check of every mailbox).
 */
export type StepKind = 'createServiceAccount' | 'assignLicence' | 'assignRole' | 'addRoleGroupMember' | 'createMailGroup' | 'addMailGroupMember' | 'grantCalendarAccess'
    // Applications (issue 17): the registration, its credential, its permissions, its directory roles, its mailbox scope.
    | 'registerApplication' | 'addAppCredential' | 'grantAppPermission' | 'assignAppRole' | 'scopeMailboxAccess';

/** `remove`: the recipe says the step's object must be absent, and the tenant has it (offboarding). */
export type StepStatus = 'done' | 'create' | 'change' | 'remove' | 'blocked';

/** Whether the step's object must be there (the default) or gone. */
export type Ensure = 'present' | 'absent';

/** What `compare` found, in the admin's words. */
export interface Difference {
    status: StepStatus;
    detail: string;
    /** For a blocked step: the field to fix, as a JSON pointer relative to the step's recipe entry ('' = the entry). */
    field?: string;
    /** The same field in the commands' words ('licence', 'usageLocation'), for a command's input error. */
    inputField?: string;
    /** A directory role Microsoft marks privileged. */
    privileged?: boolean;
    /** Calendar grants: how many members' calendars the step covers. */
    count?: number;
    /** A bulk step: what it would touch, in the admin's words, for the Apply review ("Editor on 56 mailboxes in Staff"). */
    touches?: string;
}

/** What a write did. */
export type WriteOutcome = 'created' | 'changed' | 'removed' | 'alreadyInPlace' | 'notRun';

export interface Written {
    outcome: WriteOutcome;
    detail: string;
    /** Calendar grants: mailboxes per outcome. */
    mailboxes?: Record<string, number>;
}

/** What the writes share within one apply: the clients, cancel, waits, and what earlier steps made. */
export interface WriteContext {
    graph: GraphClient;
    exchange: ExchangeAdminClient;
    logger: Logger;
    signal?: AbortSignal;
    /** Calendar grants: how the engine paces itself and where it keeps what it finished (resume after cancel). */
    calendar?: Pick<CalendarGrantOptions, 'pacer' | 'maxBatchesInFlight'> & { journal?: CalendarGrantJournal & { clear?(): Promise<void> } };
    /** Waits for replication (a new account seen by Exchange or role management), with progress. */
    replication?: Partial<Pick<ReplicationWait, 'sleep' | 'timeoutMs' | 'onWait'>>;
    /** Object ids of accounts by lower-case UPN: those read by the plan and those created by this apply. */
    accountIds: Map<string, string>;
    /** Accounts (lower-case UPN) this apply creates or created: Exchange and role management may not know them yet. */
    newAccounts: Set<string>;
    /** Receives a new account's password the moment Entra accepts it; the step keeps no copy. */
    storePassword(userPrincipalName: string, password: string): Promise<void>;
    /** Where `storePassword` keeps it, in the admin's words. */
    passwordKeptIn?: string;
    /**
     * Receives a new app certificate's private key (PEM) the moment it is made, before Entra gets the certificate, and
     * returns where it was written, in the admin's words. The key is written there once and kept nowhere else, never
     * logged. Absent: an apply that would make a certificate refuses before changing anything.
     */
    keepPrivateKey?(application: string, privateKeyPem: string, certificatePem: string, thumbprint: string): Promise<string>;
    /** Shows a new client secret to the admin once (Entra returns its text only in addPassword's answer); we keep no copy. */
    revealSecret?(application: string, secretText: string, endDateTime: string): Promise<void>;
    /** True when this is a later try of the same step whose earlier try got no answer (its write may have landed). */
    afterLostAnswer?: boolean;
    /** Progress for long steps (calendar grants). */
    onProgress?(message: string): void;
}

export type Signal = { signal?: AbortSignal };

/**
 * One kind of step. `Want` is what the recipe (or a command's input) asks for, with `ensure: 'absent'` when it must be
 * gone; `Have` what `read` found. A `read` that finds bad input (an unknown role, a domain the tenant does not own)
 * throws ProvisioningInputError; `compare` may also say blocked. Either way nothing is written. For an absent object a
 * read is lenient: what cannot exist (an unknown role, a missing account) is simply not there.
 */
export interface Step<Want extends { ensure?: Ensure }, Have> {
    readonly kind: StepKind;
    /** A short verb phrase for progress and the plan view, e.g. "Assign licence". */
    readonly label: string;
    /** The object the step is about, in the admin's words, e.g. "sa@contoso.com → ENTERPRISEPACK". */
    target(want: Want): string;
    read(reads: TenantReads, want: Want): Promise<Have>;
    compare(want: Want, have: Have): Difference;
    write(ctx: WriteContext, want: Want, have: Have): Promise<Written>;
    /** Takes away what `read` found (compare said `remove`); gone already is not an error. */
    remove(ctx: WriteContext, want: Want, have: Have): Promise<Written>;
    /** The Microsoft Graph permissions `write` asks for, so Apply can ask for them all at once before the first change. */
    readonly writeScopes: readonly string[];
    /** Those `remove` asks for, where they differ from `write`'s (the fewest for each: a set-up asks for no more). */
    readonly removeScopes?: readonly string[];
}

export const isAbsent = (want: { ensure?: Ensure }): boolean => want.ensure === 'absent';

/**
 * The tenant changed after the plan was reviewed in a way that makes a reviewed step impossible as shown (an account
 * created by someone else, an address taken). Apply stops at that step, says what changed, and runs nothing after it:
 * the admin plans again and reviews what the tenant now has. It never re-plans silently.
 */
export class TenantChangedError extends Error {
    constructor(message: string) {
        super(`${message} The tenant changed after the plan was reviewed; nothing after this step was run. Plan again to review the tenant as it is now.`);
        this.name = 'TenantChangedError';
    }
}
