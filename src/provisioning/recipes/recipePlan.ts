import type { ExchangeAdminClient } from '../../exchange/ExchangeAdminClient';
import type { GraphClient } from '../../graph/GraphClient';
import { AmbiguousNameError, ProvisioningInputError } from '../errors';
import type { Step, StepKind, StepStatus } from '../steps/contract';
import { TenantReads } from '../steps/tenantReads';
import { exactExtras } from './exactExtras';
import { planWarnings, type PlanWarning } from './planWarnings';
import { recipeEntries, type RecipeEntry, type Wanted } from './recipeEntries';

export { recipeEntries, type RecipeEntry } from './recipeEntries';
import type { Recipe } from './recipe';

export type RecipeStepKind = StepKind;

const stepKindNames: Record<RecipeStepKind, string> = {
    createServiceAccount: 'Service account',
    assignLicence: 'Licence',
    assignRole: 'Directory role',
    addRoleGroupMember: 'Exchange role group',
    createMailGroup: 'Mail-enabled security group',
    addMailGroupMember: 'Group member',
    grantCalendarAccess: 'Calendar access',
    registerApplication: 'App registration',
    addAppCredential: 'App credential',
    grantAppPermission: 'API permission',
    assignAppRole: 'Directory role (app)',
    scopeMailboxAccess: 'Mailbox access (RBAC for Applications)',
};
/** The kind of step in the admin's words, e.g. "Exchange role group". */
export const describeStepKind = (kind: RecipeStepKind): string => stepKindNames[kind];

/**
 * What applying one part of a recipe would do: `create` (missing), `change` (there, but different; for a calendar grant:
 * the grantee exists, so each mailbox is read at apply and only those that differ are changed), `done` (already as the
 * recipe says) or `blocked` (something the recipe names is not in the tenant: the recipe is refused, `path` points at it).
 */
export interface RecipeStep {
    /** The JSON pointer of the recipe entry this step comes from (unique in a plan). */
    id: string;
    kind: RecipeStepKind;
    /** What the step acts on, as an admin reads it, e.g. "sa-mytt-exch@contoso.com → Service Support Administrator". */
    target: string;
    status: StepStatus;
    detail: string;
    /** Calendar grants: the mailboxes to check at apply. */
    count?: number;
    /** A bulk step: what it would touch, e.g. "Editor on 56 mailboxes in Staff" (the Apply review says it). */
    touches?: string;
    /** Blocked steps: the JSON pointer of the value to fix. */
    path?: string;
    /** Directory roles that can change credentials, security settings or other admins' access (a second look). */
    privileged?: boolean;
}

/** What Apply works from: the step, what the recipe asks, and what the plan read. Kept off the JSON form of a plan. */
export const planned = Symbol('planned');
export interface PlannedWork { step: Step<Wanted, unknown>; want: Wanted; have?: unknown }
export type PlannedStep = RecipeStep & { [planned]?: PlannedWork };

export interface RecipePlan {
    recipe: string;
    steps: PlannedStep[];
    /** True when no step is blocked. */
    applicable: boolean;
    /** What the admin should know before applying, though nothing is blocked (planWarnings.ts); absent when there is none. */
    warnings?: PlanWarning[];
}

type Deps = { graph: GraphClient; exchange: ExchangeAdminClient };
type Signal = { signal?: AbortSignal };

/** Problems the admin fixes in the recipe or the tenant; anything else (network, permissions) is not a plan outcome. */
const isInputProblem = (e: unknown): e is ProvisioningInputError | AmbiguousNameError<unknown> => e instanceof ProvisioningInputError || e instanceof AmbiguousNameError;

/**
 * Reads the tenant (never writes) and lists, in the order they would be applied, the steps that bring it to the
 * recipe: each entry's `read` then `compare`. Each thing is read once for the whole plan (TenantReads).
 */
export async function planRecipe(deps: Deps, recipe: Recipe, o: Signal = {}): Promise<RecipePlan> {
    const makes = {
        accounts: new Set(recipe.serviceAccounts.map(a => a.userPrincipalName.trim().toLowerCase())),
        // By address and by name: a mailbox-access scope names its group as the admin does, often by name.
        groups: new Set((recipe.mailEnabledGroups ?? []).flatMap(g => [g.primarySmtpAddress.trim().toLowerCase(), g.name.trim().toLowerCase()])),
    };
    const reads = new TenantReads(deps.graph, deps.exchange, o, makes);
    const steps: PlannedStep[] = [];
    // With "exact", what the tenant has beyond the recipe is removed after the recipe's own additions, before its removals.
    const entries: (RecipeEntry & { at?: string })[] = recipeEntries(recipe);
    const firstRemoval = entries.findIndex(e => e.want.ensure === 'absent');
    entries.splice(firstRemoval < 0 ? entries.length : firstRemoval, 0, ...(await exactExtras(recipe, reads)));
    for (const { id, step, want, at } of entries) {
        const base = { id, kind: step.kind, target: step.target(want), ...(at ? { path: at } : {}) };
        try {
            const have = await step.read(reads, want);
            const { status, detail, field, privileged, count, touches } = step.compare(want, have);
            steps.push({
                ...base, status, detail,
                ...(status === 'blocked' ? { path: `${id}${field ?? ''}` } : {}),
                ...(privileged ? { privileged } : {}),
                ...(count !== undefined ? { count } : {}),
                ...(touches ? { touches } : {}),
                [planned]: { step, want, have },
            });
        } catch (error) {
            if (!isInputProblem(error)) throw error;
            const pointer = error instanceof ProvisioningInputError ? error.pointer ?? '' : '';
            steps.push({ ...base, status: 'blocked', detail: error.message, path: `${id}${pointer}`, [planned]: { step, want } });
        }
    }
    const warnings = await planWarnings(reads, recipe, steps, o);
    return { recipe: recipe.name, steps, applicable: !steps.some(s => s.status === 'blocked'), ...(warnings.length ? { warnings } : {}) };
}
