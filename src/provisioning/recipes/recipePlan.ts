import type { ExchangeAdminClient } from '../../exchange/ExchangeAdminClient';
import type { GraphClient } from '../../graph/GraphClient';
import { AmbiguousNameError, ProvisioningInputError } from '../errors';
import { calendarAccessStep } from '../steps/calendarAccess';
import type { Ensure, Step, StepKind, StepStatus } from '../steps/contract';
import { directoryRoleStep } from '../steps/directoryRoles';
import { licenceStep } from '../steps/licences';
import { mailGroupMemberStep, mailGroupStep } from '../steps/mailGroups';
import { roleGroupStep } from '../steps/roleGroups';
import { serviceAccountStep } from '../steps/serviceAccounts';
import { TenantReads } from '../steps/tenantReads';
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
    /** Blocked steps: the JSON pointer of the value to fix. */
    path?: string;
    /** Directory roles that can change credentials, security settings or other admins' access (a second look). */
    privileged?: boolean;
}

/** What Apply works from: the step, what the recipe asks, and what the plan read. Kept off the JSON form of a plan. */
export const planned = Symbol('planned');
export interface PlannedWork { step: Step<Wanted, unknown>; want: Wanted; have?: unknown }
type Wanted = { ensure?: Ensure };
export type PlannedStep = RecipeStep & { [planned]?: PlannedWork };

export interface RecipePlan {
    recipe: string;
    steps: PlannedStep[];
    /** True when no step is blocked. */
    applicable: boolean;
}

type Deps = { graph: GraphClient; exchange: ExchangeAdminClient };
type Signal = { signal?: AbortSignal };

/** One recipe entry as a step: its JSON pointer, its kind's implementation, and what it asks for. */
export interface RecipeEntry { id: string; step: Step<Wanted, unknown>; want: Wanted }

const entry = <W extends Wanted, H>(id: string, step: Step<W, H>, want: W): RecipeEntry => ({ id, step: step, want });

/**
 * The recipe's entries as steps, in the order they are applied: first what must be there (accounts, then each
 * account's licence, directory roles and Exchange role groups, then the mail-enabled groups and their members, then
 * the calendar grants), then what must be gone, in reverse dependency order (calendar access revoked, group members
 * taken out, role-group memberships, roles, licences, then the accounts disabled and deleted, then the groups removed).
 * Under an account or group that must be absent, everything it lists must be absent too; so must a membership of an
 * absent account and a grant to an absent grantee. Plan, Apply, Verify and export all walk this one list.
 */
export function recipeEntries(recipe: Recipe): RecipeEntry[] {
    const absent = (e: { ensure?: Ensure }) => e.ensure === 'absent';
    const goneAccounts = new Set(recipe.serviceAccounts.filter(absent).map(a => a.userPrincipalName.trim().toLowerCase()));
    const goneGroups = new Set((recipe.mailEnabledGroups ?? []).filter(absent).map(g => g.primarySmtpAddress.trim().toLowerCase()));
    const gone = (address: string) => goneAccounts.has(address.trim().toLowerCase()) || goneGroups.has(address.trim().toLowerCase());
    const ensure = (isGone: boolean): { ensure?: Ensure } => (isGone ? { ensure: 'absent' } : {});

    const accounts: RecipeEntry[] = [];
    const grants: RecipeEntry[] = [];
    recipe.serviceAccounts.forEach((a, i) => accounts.push(entry(`/serviceAccounts/${i}`, serviceAccountStep, { userPrincipalName: a.userPrincipalName.trim(), displayName: a.displayName, usageLocation: a.usageLocation, ...ensure(absent(a)) })));
    recipe.serviceAccounts.forEach((a, i) => {
        const at = `/serviceAccounts/${i}`;
        const upn = a.userPrincipalName.trim();
        const under = ensure(absent(a));
        if (a.licence) grants.push(entry(`${at}/licence`, licenceStep, { user: upn, sku: a.licence.sku, plans: a.licence.enabledPlans, usageLocation: a.usageLocation, ...under }));
        (a.directoryRoles ?? []).forEach((role, j) => grants.push(entry(`${at}/directoryRoles/${j}`, directoryRoleStep, { principal: upn, role, ...under })));
        (a.exchangeRoleGroups ?? []).forEach((roleGroup, j) => grants.push(entry(`${at}/exchangeRoleGroups/${j}`, roleGroupStep, { member: upn, roleGroup, ...under })));
    });
    const groups: RecipeEntry[] = [];
    const members: RecipeEntry[] = [];
    (recipe.mailEnabledGroups ?? []).forEach((g, i) => {
        const at = `/mailEnabledGroups/${i}`;
        const address = g.primarySmtpAddress.trim();
        groups.push(entry(at, mailGroupStep, { name: g.name, primarySmtpAddress: address, ...(g.hiddenFromAddressLists !== undefined ? { hiddenFromAddressLists: g.hiddenFromAddressLists } : {}), ...(g.acceptMessagesOnlyFrom ? { acceptMessagesOnlyFrom: g.acceptMessagesOnlyFrom } : {}), ...ensure(absent(g)) }));
        (g.members ?? []).forEach((member, k) => members.push(entry(`${at}/members/${k}`, mailGroupMemberStep, { group: address, member: member.trim(), ...ensure(absent(g) || gone(member)) })));
    });
    const calendars = (recipe.calendarGrants ?? []).map((c, i) => entry(`/calendarGrants/${i}`, calendarAccessStep, { membersOf: c.membersOf, grantee: c.grantee.trim(), accessRight: c.accessRight ?? 'Editor', ...ensure(absent(c) || gone(c.grantee)) }));
    const present = (list: RecipeEntry[]) => list.filter(e => !absent(e.want));
    const removed = (list: RecipeEntry[]) => list.filter(e => absent(e.want)).reverse();
    return [
        ...present(accounts), ...present(grants), ...present(groups), ...present(members), ...present(calendars),
        ...removed(calendars), ...removed(members), ...removed(grants.filter(e => e.step === roleGroupStep)), ...removed(grants.filter(e => e.step === directoryRoleStep)), ...removed(grants.filter(e => e.step === licenceStep)), ...removed(accounts), ...removed(groups),
    ];
}

/** Problems the admin fixes in the recipe or the tenant; anything else (network, permissions) is not a plan outcome. */
const isInputProblem = (e: unknown): e is ProvisioningInputError | AmbiguousNameError<unknown> => e instanceof ProvisioningInputError || e instanceof AmbiguousNameError;

/**
 * Reads the tenant (never writes) and lists, in the order they would be applied, the steps that bring it to the
 * recipe: each entry's `read` then `compare`. Each thing is read once for the whole plan (TenantReads).
 */
export async function planRecipe(deps: Deps, recipe: Recipe, o: Signal = {}): Promise<RecipePlan> {
    const makes = {
        accounts: new Set(recipe.serviceAccounts.map(a => a.userPrincipalName.trim().toLowerCase())),
        groups: new Set((recipe.mailEnabledGroups ?? []).map(g => g.primarySmtpAddress.trim().toLowerCase())),
    };
    const reads = new TenantReads(deps.graph, deps.exchange, o, makes);
    const steps: PlannedStep[] = [];
    for (const { id, step, want } of recipeEntries(recipe)) {
        const base = { id, kind: step.kind, target: step.target(want) };
        try {
            const have = await step.read(reads, want);
            const { status, detail, field, privileged, count } = step.compare(want, have);
            steps.push({
                ...base, status, detail,
                ...(status === 'blocked' ? { path: `${id}${field ?? ''}` } : {}),
                ...(privileged ? { privileged } : {}),
                ...(count !== undefined ? { count } : {}),
                [planned]: { step, want, have },
            });
        } catch (error) {
            if (!isInputProblem(error)) throw error;
            const pointer = error instanceof ProvisioningInputError ? error.pointer ?? '' : '';
            steps.push({ ...base, status: 'blocked', detail: error.message, path: `${id}${pointer}`, [planned]: { step, want } });
        }
    }
    return { recipe: recipe.name, steps, applicable: !steps.some(s => s.status === 'blocked') };
}
