import type { ExchangeAdminClient } from '../../exchange/ExchangeAdminClient';
import { organizationEwsSettings } from '../../exchange/applicationAccess';
import { isPrivilegedRole } from '../../graph/adminNames';
import { roleNamed } from '../steps/directoryRoles';
import { signInBlockers } from '../steps/serviceAccounts';
import type { TenantReads } from '../steps/tenantReads';
import { ewsOutlook, type EwsOutlook } from './ewsOutlook';
import { privilegedRoleWarning } from './leastPrivilegedRoles';
import { isAbsent, type StepKind, type StepStatus } from '../steps/contract';
import type { Recipe } from './recipe';
import { recipeEntries } from './recipeEntries';

/** What the warnings read of a planned step (recipePlan's RecipeStep; written out here so the two files do not import each other). */
type RecipeStep = { id: string; kind: StepKind; status: StepStatus; target: string };

/**
 * What the plan says besides its steps: true things about the design the recipe copies from a vendor's guide that are
 * not a reason to refuse it (issue 17). Each points at the recipe entry it is about.
 * - `ews`: calendar access given to an account, the way an EWS integration works: what MC1227454 means for it in this
 *   tenant (its organisation config), and the app-only template that replaces it.
 * - `privilegedRole`: a user account (it has a password) given a role Microsoft marks privileged, with the
 *   least-privileged role that does the job.
 * - `signIn`: security defaults or Conditional Access that would block a service account's sign-in, shown before
 *   Apply rather than only when the account is created.
 */
export interface PlanWarning {
    about: 'ews' | 'privilegedRole' | 'signIn';
    /** The JSON pointer of the recipe entry the warning is about. */
    path: string;
    message: string;
}

type Options = { signal?: AbortSignal; now?: Date };

/**
 * The warnings of a plan, from its steps: only what the recipe keeps (nothing for an entry that must be absent, already
 * gone or not, nor for what "exact" removes). Never fails the plan.
 */
export async function planWarnings(reads: TenantReads, recipe: Recipe, steps: readonly RecipeStep[], o: Options = {}): Promise<PlanWarning[]> {
    const absent = new Set(recipeEntries(recipe).filter(e => isAbsent(e.want)).map(e => e.id));
    const kept = steps.filter(s => s.status !== 'remove' && !absent.has(s.id));
    const [ews, privileged, signIn] = await Promise.all([
        ewsWarnings(reads, kept, o),
        privilegedRoleWarnings(reads, recipe, kept, o),
        signInWarnings(reads, kept, o),
    ]);
    return [...ews, ...privileged, ...signIn];
}

/** What EWS's retirement means in this tenant today; a tenant whose settings cannot be read gets the dates alone. */
export async function ewsOutlookOfTenant(exchange: ExchangeAdminClient, now: Date, o: { signal?: AbortSignal } = {}): Promise<EwsOutlook> {
    try {
        const settings = await organizationEwsSettings(exchange, o);
        return ewsOutlook({ ewsEnabled: settings.EwsEnabled, ewsApplicationAccessPolicy: settings.EwsApplicationAccessPolicy, ewsAllowList: settings.EwsAllowList }, now);
    } catch (error) {
        if (o.signal?.aborted) throw error;
        const generic = ewsOutlook({ ewsEnabled: null, ewsApplicationAccessPolicy: null, ewsAllowList: null }, now);
        return { worksToday: generic.worksToday, message: `Could not read this tenant's EWS settings (Get-OrganizationConfig: ${errorText(error)}), so this assumes they were never set. ${generic.message}` };
    }
}

async function ewsWarnings(reads: TenantReads, steps: readonly RecipeStep[], o: Options): Promise<PlanWarning[]> {
    // One warning for the recipe, on its first calendar grant: the tenant's setting is the same for every grant.
    const grant = steps.find(s => s.kind === 'grantCalendarAccess');
    if (!grant) return [];
    const outlook = await ewsOutlookOfTenant(reads.exchange, o.now ?? new Date(), o);
    return [{ about: 'ews', path: grant.id, message: `Calendar access for an account is how an EWS integration works. ${outlook.message}` }];
}

async function privilegedRoleWarnings(reads: TenantReads, recipe: Recipe, steps: readonly RecipeStep[], o: Options): Promise<PlanWarning[]> {
    const roleSteps = steps.filter(s => s.kind === 'assignRole' && /^\/serviceAccounts\/\d+\/directoryRoles\/\d+$/.test(s.id));
    if (!roleSteps.length) return [];
    const definitions = await quietly(reads.roleDefinitions(), o);
    if (!definitions) return [];
    return roleSteps.flatMap(s => {
        const [, i, j] = /^\/serviceAccounts\/(\d+)\/directoryRoles\/(\d+)$/.exec(s.id) ?? [];
        const account = recipe.serviceAccounts[Number(i)];
        const role = account?.directoryRoles?.[Number(j)];
        if (!account || !role) return [];
        let privileged: boolean;
        try {
            privileged = isPrivilegedRole(roleNamed(definitions, role));
        } catch {
            return []; // An unknown or ambiguous role is the step's to block.
        }
        return privileged ? [{ about: 'privilegedRole' as const, path: s.id, message: privilegedRoleWarning(account.userPrincipalName.trim(), role.trim()) }] : [];
    });
}

async function signInWarnings(reads: TenantReads, steps: readonly RecipeStep[], o: Options): Promise<PlanWarning[]> {
    const accounts = steps.filter(s => s.kind === 'createServiceAccount');
    if (!accounts.length) return [];
    // Only what would block: a policy the admin may not read is the creation's to mention (signInBlockers says "Could
    // not check/read …" then), or every plan by an admin without Policy.Read.All would warn about nothing found.
    const blockers = (await quietly(signInBlockers(reads.graph, o), o))?.filter(m => !/^Could not (check|read) /.test(m));
    const who = accounts.map(s => s.target).join(', ');
    return (blockers ?? []).map(message => ({ about: 'signIn' as const, path: accounts[0].id, message: `${who} sign${accounts.length === 1 ? 's' : ''} in with a password: ${message}` }));
}

/** A read that only feeds a warning: its failure leaves the warning out (the steps report what matters). */
async function quietly<T>(read: Promise<T>, o: Options): Promise<T | undefined> {
    try {
        return await read;
    } catch (error) {
        if (o.signal?.aborted) throw error;
        return undefined;
    }
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
