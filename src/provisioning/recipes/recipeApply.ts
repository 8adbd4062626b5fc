import type { ExchangeAdminClient } from '../../exchange/ExchangeAdminClient';
import type { GraphClient } from '../../graph/GraphClient';
import { GraphRequestError } from '../../graph/GraphRequestError';
import { ExchangeCommandError } from '../../exchange/ExchangeCommandError';
import { NetworkError } from '../../net/networkErrors';
import { abortableSleep, droppedConnection } from '../../net/RequestPolicy';
import type { Logger } from '../../shared/logger';
import { countOutcomes, runCalendarGrant, type CalendarGrantJournal, type CalendarGrantOptions, type MailboxOutcomeKind } from '../calendar/calendarGrants';
import { assignDirectoryRole, resolveRole } from '../steps/directoryRoles';
import { assignLicence } from '../steps/licences';
import { addMailGroupMember, createMailEnabledSecurityGroup } from '../steps/mailGroups';
import type { Recipe } from './recipe';
import { userIfAny } from '../steps/lookup';
import { calendarGrantRequestFor, describeStepKind, planRecipe, type RecipePlan, type RecipeStep } from './recipePlan';
import type { ReplicationWait } from '../steps/replication';
import { addRoleGroupMember, waitForExchangeToSee } from '../steps/roleGroups';
import { createServiceAccount, resetServiceAccountPassword, updateServiceAccount } from '../steps/serviceAccounts';

/** What happened to one step of the plan when applying. */
export type AppliedOutcome = 'created' | 'changed' | 'alreadyInPlace' | 'failed' | 'notRun';

export interface AppliedStep {
    id: string;
    kind: RecipeStep['kind'];
    target: string;
    outcome: AppliedOutcome;
    detail: string;
    /** Calendar grants: mailboxes per outcome. */
    mailboxes?: Partial<Record<MailboxOutcomeKind, number>>;
    /** True when an earlier, cancelled or interrupted apply of the same recipe made this change. */
    byEarlierRun?: boolean;
}

export interface RecipeApplySummary {
    recipe: string;
    steps: AppliedStep[];
    cancelled: boolean;
    /** The step that failed, and why; the steps after it were not run. */
    failure?: { id: string; message: string };
    /** Steps that changed the tenant in this run or the earlier run it resumed. */
    changes: number;
    /** Accounts created whose passwords were handed to `storePassword`. */
    passwordsStored: string[];
    resumed: boolean;
    startedAt: string;
    finishedAt: string;
}

/** A recipe whose plan has blocked steps: nothing was changed. Each step names the recipe field to fix. */
export class RecipeBlockedError extends Error {
    constructor(readonly plan: RecipePlan) {
        const blocked = plan.steps.filter(s => s.status === 'blocked');
        super(`The recipe "${plan.recipe}" cannot be applied: ${blocked.length} step${blocked.length === 1 ? ' is' : 's are'} blocked. ${blocked.slice(0, 3).map(s => `${s.path ?? s.id}: ${s.detail}`).join(' ')}${blocked.length > 3 ? ` …and ${blocked.length - 3} more.` : ''} Nothing was changed.`);
        this.name = 'RecipeBlockedError';
    }
}

/** What a cancelled or crashed apply leaves behind, so the next apply of the same recipe resumes. */
export interface RecipeApplyRecord {
    /** A fingerprint of the recipe; a changed recipe starts over. */
    recipe: string;
    startedAt: string;
    steps: Record<string, AppliedStep>;
}

export interface RecipeApplyJournal {
    load(): Promise<RecipeApplyRecord | undefined>;
    save(record: RecipeApplyRecord): Promise<void>;
    clear(): Promise<void>;
    /** The per-mailbox journal of one calendar-grant step. */
    calendar(stepId: string): CalendarGrantJournal & { clear(): Promise<void> };
}

export interface RecipeApplyProgress {
    /** Steps finished of those to run (done steps excluded). */
    finished: number;
    total: number;
    message: string;
}

export interface RecipeApplyOptions {
    signal?: AbortSignal;
    journal?: RecipeApplyJournal;
    onProgress?: (p: RecipeApplyProgress) => void;
    /**
     * Receives a new account's generated password the moment it exists (before anything else can fail), to keep in
     * SecretStorage until the admin asks to see it. The engine keeps no copy.
     */
    storePassword: (userPrincipalName: string, password: string) => Promise<void>;
    /** Where `storePassword` keeps it, in the admin's words (for the step's detail), e.g. "/secure/passwords.jsonl". */
    passwordKeptIn?: string;
    replication?: Partial<Pick<ReplicationWait, 'sleep' | 'timeoutMs'>>;
    calendar?: Pick<CalendarGrantOptions, 'pacer' | 'maxBatchesInFlight'>;
}

type Deps = { graph: GraphClient; exchange: ExchangeAdminClient; logger: Logger };

/**
 * Applies a recipe: plans it (refusing a blocked plan before any change), then runs every step that is not done yet
 * in the plan's dependency order (accounts, licences, roles, role groups, mail-enabled groups, members, calendar
 * grants), waiting for replication where Exchange or role management must first see a new account. Each step is
 * idempotent and creates by unique name or address, so nothing is ever made twice; a journal records finished steps
 * so a cancelled or crashed apply resumes. Cancel stops within one request and is reported, not thrown; a failure
 * stops the run and says which step failed and which were not run.
 */
export async function applyRecipe(deps: Deps, recipe: Recipe, options: RecipeApplyOptions): Promise<RecipeApplySummary> {
    const { graph, exchange, logger } = deps;
    const signal = options.signal;
    const o = signal ? { signal } : {};
    const startedAt = new Date().toISOString();
    const fingerprint = recipeFingerprint(recipe);
    const earlier = await options.journal?.load();
    const resumed = earlier?.recipe === fingerprint;
    const record: RecipeApplyRecord = resumed && earlier ? earlier : { recipe: fingerprint, startedAt, steps: {} };
    if (earlier && !resumed) await options.journal?.clear();

    const passwordsStored: string[] = [];
    const summary = (steps: AppliedStep[], extra: Partial<RecipeApplySummary> = {}): RecipeApplySummary => ({
        recipe: recipe.name,
        steps,
        cancelled: false,
        changes: steps.filter(s => s.outcome === 'created' || s.outcome === 'changed').length,
        passwordsStored,
        resumed,
        startedAt,
        finishedAt: new Date().toISOString(),
        ...extra,
    });

    let plan: RecipePlan;
    try {
        plan = await planRecipe({ graph, exchange }, recipe, o);
    } catch (error) {
        if (signal?.aborted) return summary([], { cancelled: true });
        throw error;
    }
    if (!plan.applicable) throw new RecipeBlockedError(plan);

    const toRun = plan.steps.filter(s => s.status !== 'done');
    let finished = 0;
    const report = (message: string) => options.onProgress?.({ finished, total: toRun.length, message });
    const wait = (what: string) => ({ ...o, ...options.replication, onWait: (m: string) => report(m), what, accountExists: true });
    const accountIds = new Map<string, string>();
    const steps: AppliedStep[] = plan.steps.map(s => {
        const before = record.steps[s.id];
        // A step the plan finds done that an earlier run of this apply changed: say so (the earlier run's outcome).
        if (s.status === 'done' && before && (before.outcome === 'created' || before.outcome === 'changed')) return { ...before, byEarlierRun: true };
        return { id: s.id, kind: s.kind, target: s.target, outcome: s.status === 'done' ? 'alreadyInPlace' : 'notRun', detail: s.detail };
    });
    logger.info(`[Recipe] applying "${recipe.name}": ${toRun.length} of ${plan.steps.length} steps to run${resumed ? ' (resuming an earlier run)' : ''}`);

    const createAttempted = new Set<string>();
    const userAt = (upn: string) => userIfAny(graph, upn, o);
    const userIdOf = async (upn: string): Promise<string> => {
        const known = accountIds.get(upn.toLowerCase());
        if (known) return known;
        const user = await userAt(upn);
        if (!user?.id) throw new Error(`${upn} is not in the tenant any more (deleted while the recipe was being applied?). Apply again to create it.`);
        accountIds.set(upn.toLowerCase(), user.id);
        return user.id;
    };

    for (const step of toRun) {
        const at = steps.findIndex(s => s.id === step.id);
        if (signal?.aborted) return finish(true);
        report(`${describeStepKind(step.kind)}: ${step.target}`);
        try {
            let retried = false;
            const done = await withRetries(() => runStep(step), message => {
                retried = true;
                report(`${describeStepKind(step.kind)}: ${step.target}: ${message}`);
            });
            // Not done when planned, found done on a retry: the try whose answer was lost had made the change.
            if (retried && done.outcome === 'alreadyInPlace') Object.assign(done, { outcome: step.status === 'create' ? 'created' : 'changed', detail: `${done.detail ?? ''} (made by an earlier try whose answer was lost)`.trim() });
            steps[at] = { ...steps[at], ...done };
        } catch (error) {
            if (signal?.aborted || (error instanceof Error && error.name === 'AbortError')) return finish(true);
            const message = error instanceof Error ? error.message : String(error);
            steps[at] = { ...steps[at], outcome: 'failed', detail: message };
            logger.warn(`[Recipe] ${step.id} failed: ${message}`);
            await saveRecord();
            return summary(steps, { failure: { id: step.id, message } });
        }
        finished++;
        record.steps[step.id] = steps[at];
        await saveRecord();
        if (steps[at].outcome === 'notRun') return finish(true);
    }
    return finish(false);

    /**
     * A step whose request got no answer, or only "unavailable" after the clients' own retries, is run again from its
     * read: every step is idempotent, so a write that did land is found and not repeated.
     */
    async function withRetries<T>(run: () => Promise<T>, onRetry: (message: string) => void): Promise<T> {
        for (let n = 1; ; n++) {
            try {
                return await run();
            } catch (error) {
                if (n >= maxStepTries || !isTransientFailure(error) || signal?.aborted) throw error;
                const pause = 1000 * 2 ** (n - 1);
                onRetry(`no answer from Microsoft (${error instanceof Error ? error.message : String(error)}); trying again in ${pause / 1000} s`);
                await (options.replication?.sleep ?? abortableSleep)(pause, signal);
            }
        }
    }

    async function saveRecord(): Promise<void> {
        await options.journal?.save(record).catch((error: unknown) => logger.warn(`[Recipe] could not write the journal: ${error instanceof Error ? error.message : String(error)}`));
    }

    async function finish(cancelled: boolean): Promise<RecipeApplySummary> {
        if (cancelled) {
            await saveRecord();
        } else {
            await options.journal?.clear();
        }
        const result = summary(steps, { cancelled });
        logger.info(`[Recipe] "${recipe.name}" ${cancelled ? 'cancelled' : 'applied'}: ${result.changes} changes`);
        return result;
    }

    /** One step; returns its outcome. The recipe entry is found from the step's JSON pointer. */
    async function runStep(step: RecipeStep): Promise<Partial<AppliedStep>> {
        const path = step.id.split('/').slice(1);
        switch (step.kind) {
            case 'createServiceAccount': {
                const account = recipe.serviceAccounts[Number(path[1])];
                const upn = account.userPrincipalName.trim();
                const existing = await userAt(upn);
                if (existing && createAttempted.has(upn.toLowerCase())) {
                    // An earlier try's create landed but its answer (and so the password) was lost: set a new one.
                    accountIds.set(upn.toLowerCase(), existing.id ?? '');
                    await options.storePassword(upn, await resetServiceAccountPassword(graph, existing.id ?? '', o));
                    passwordsStored.push(upn);
                    return { outcome: 'created', detail: `Created (object id ${existing.id ?? ''}); its password is kept in ${options.passwordKeptIn ?? 'the password store this apply was given'}.` };
                }
                if (existing) {
                    accountIds.set(upn.toLowerCase(), existing.id ?? '');
                    const changed = await updateServiceAccount(graph, existing, account, o);
                    return changed.length ? { outcome: 'changed', detail: `Set ${changed.join(' and ')}.` } : { outcome: 'alreadyInPlace', detail: 'The account exists as described.' };
                }
                createAttempted.add(upn.toLowerCase());
                const created = await createServiceAccount(graph, account, o);
                accountIds.set(upn.toLowerCase(), created.user.id ?? '');
                await options.storePassword(upn, created.password);
                passwordsStored.push(upn);
                return { outcome: 'created', detail: `Created (object id ${created.user.id ?? ''}); its password is kept in ${options.passwordKeptIn ?? 'the password store this apply was given'}.` };
            }
            case 'assignLicence': {
                const account = recipe.serviceAccounts[Number(path[1])];
                const licence = account.licence ?? { sku: '', enabledPlans: 'all' as const };
                const result = await assignLicence(graph, { userId: await userIdOf(account.userPrincipalName.trim()), sku: licence.sku, plans: licence.enabledPlans, usageLocation: account.usageLocation }, o);
                return { outcome: result.outcome === 'assigned' ? 'created' : result.outcome === 'updated' ? 'changed' : 'alreadyInPlace', detail: `${licence.sku}: ${result.outcome === 'alreadyInPlace' ? 'already as asked' : `${result.disabledPlans.length} plans off`}.` };
            }
            case 'assignRole': {
                const account = recipe.serviceAccounts[Number(path[1])];
                const role = await resolveRole(graph, account.directoryRoles?.[Number(path[3])] ?? '', o);
                const result = await assignDirectoryRole(graph, await userIdOf(account.userPrincipalName.trim()), role.id ?? '', wait('role management to see the account'));
                return { outcome: result === 'assigned' ? 'created' : 'alreadyInPlace', detail: `${role.displayName ?? ''} for the whole tenant.` };
            }
            case 'addRoleGroupMember': {
                const account = recipe.serviceAccounts[Number(path[1])];
                const group = account.exchangeRoleGroups?.[Number(path[3])] ?? '';
                const result = await addRoleGroupMember(exchange, group, account.userPrincipalName.trim(), wait(`Exchange to see ${account.userPrincipalName.trim()}`));
                return { outcome: result === 'added' ? 'created' : 'alreadyInPlace', detail: `Member of ${group}.` };
            }
            case 'createMailGroup': {
                const group = (recipe.mailEnabledGroups ?? [])[Number(path[1])];
                // Senders this recipe creates must be known to Exchange before the group can name them.
                for (const sender of group.acceptMessagesOnlyFrom ?? []) {
                    if (isRecipeAccount(sender)) await waitForExchangeToSee(exchange, sender.trim(), wait(`Exchange to see ${sender.trim()}`));
                }
                const result = await createMailEnabledSecurityGroup(exchange, {
                    name: group.name,
                    primarySmtpAddress: group.primarySmtpAddress,
                    ...(group.hiddenFromAddressLists !== undefined ? { hiddenFromAddressLists: group.hiddenFromAddressLists } : {}),
                    ...(group.acceptMessagesOnlyFrom ? { acceptMessagesOnlyFrom: group.acceptMessagesOnlyFrom } : {}),
                }, o);
                return { outcome: result.outcome === 'created' ? 'created' : result.outcome === 'updated' ? 'changed' : 'alreadyInPlace', detail: `${result.group.DisplayName} (${result.group.PrimarySmtpAddress}).` };
            }
            case 'addMailGroupMember': {
                const group = (recipe.mailEnabledGroups ?? [])[Number(path[1])];
                const member = group.members?.[Number(path[3])]?.trim() ?? '';
                const address = group.primarySmtpAddress.trim();
                const result = await addMailGroupMember(exchange, address, member, wait(`Exchange to see ${member}`));
                return { outcome: result === 'added' ? 'created' : 'alreadyInPlace', detail: `${member} is a member of ${address}.` };
            }
            case 'grantCalendarAccess': {
                const request = await calendarGrantRequestFor(graph, (recipe.calendarGrants ?? [])[Number(path[1])], o);
                // A grantee account this recipe made may not have reached Exchange yet (a group made in Exchange has).
                if (isRecipeAccount(request.grantee)) await waitForExchangeToSee(exchange, request.grantee, wait(`Exchange to see ${request.grantee}`));
                const journal = options.journal?.calendar(step.id);
                const result = await runCalendarGrant(deps, request, {
                    ...o,
                    ...options.calendar,
                    ...(journal ? { journal } : {}),
                    onProgress: p => report(`Calendars of ${request.groupName}: ${p.finished} of ${p.total} mailboxes`),
                });
                const counts = countOutcomes(result.outcomes);
                const detail = Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ') || 'no members';
                // A cancelled grant leaves its own journal; the step is not finished.
                if (result.cancelled) return { outcome: 'notRun', detail: `Cancelled part-way: ${detail}.`, mailboxes: counts };
                await journal?.clear();
                if (counts.failed) throw new Error(`${counts.failed} of ${result.outcomes.length} calendars could not be changed (${detail}); run Apply again to retry them, or see the calendar report.`);
                const changed = (counts.granted ?? 0) + (counts.changed ?? 0);
                return { outcome: changed ? 'changed' : 'alreadyInPlace', detail: `${detail}.`, mailboxes: counts };
            }
        }
    }

    function isRecipeAccount(address: string): boolean {
        const key = address.trim().toLowerCase();
        return recipe.serviceAccounts.some(a => a.userPrincipalName.trim().toLowerCase() === key);
    }
}

const graphScopesOf: Partial<Record<RecipeStep['kind'], string[]>> = {
    // Creating also reads the sign-in policies to warn about them (see createServiceAccount).
    createServiceAccount: ['User.ReadWrite.All', 'Policy.Read.All'],
    // A licence may first need the account's usage location set.
    assignLicence: ['LicenseAssignment.ReadWrite.All', 'User.ReadWrite.All'],
    assignRole: ['RoleManagement.ReadWrite.Directory'],
};

/**
 * The Microsoft Graph permissions the steps still to run will ask for, so the admin can be asked once, before the
 * first change, rather than once per kind of step in the middle of the apply. Exchange steps need only Exchange.Manage,
 * which planning has already asked for.
 */
export function graphPermissionsFor(plan: RecipePlan): string[] {
    return [...new Set(plan.steps.filter(s => s.status === 'create' || s.status === 'change').flatMap(s => graphScopesOf[s.kind] ?? []))].sort();
}

/** Tries per step when Microsoft gives no answer or keeps answering "unavailable". */
const maxStepTries = 5;

function isTransientFailure(error: unknown): boolean {
    if (error instanceof NetworkError) return true;
    if (error instanceof GraphRequestError) return [429, 500, 502, 503, 504].includes(error.status);
    if (error instanceof ExchangeCommandError) return [0, 429, 500, 502, 503, 504].includes(error.status);
    return error instanceof Error && droppedConnection.test(error.message);
}


/** The same recipe (whatever its formatting) gives the same fingerprint. */
export function recipeFingerprint(recipe: Recipe): string {
    const canonical = (value: unknown): unknown =>
        Array.isArray(value) ? value.map(canonical) : value && typeof value === 'object' ? Object.fromEntries(Object.keys(value).sort().map(k => [k, canonical((value as Record<string, unknown>)[k])])) : value;
    const text = JSON.stringify(canonical(recipe));
    // FNV-1a, 2 × 32 bits: a fingerprint for "same recipe", not a security hash.
    let a = 0x811c9dc5;
    let b = 0x01000193;
    for (let i = 0; i < text.length; i++) {
        a = Math.imul(a ^ text.charCodeAt(i), 0x01000193) >>> 0;
        b = Math.imul(b ^ text.charCodeAt(text.length - 1 - i), 0x01000193) >>> 0;
    }
    return `${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}
