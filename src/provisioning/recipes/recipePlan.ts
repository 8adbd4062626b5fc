import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import type { DistributionGroupSummary, RecipientSummary } from '../../exchange/cmdlets';
import type { ExchangeAdminClient } from '../../exchange/ExchangeAdminClient';
import { freeUnits, isPrivilegedRole, licenceName } from '../../graph/adminNames';
import type { GraphClient } from '../../graph/GraphClient';
import { assignmentsOf, resolveRole } from '../steps/directoryRoles';
import { AmbiguousNameError, ProvisioningInputError } from '../errors';
import { disabledPlansFor, findSku, planIds, subscribedSkus } from '../steps/licences';
import { countTransitiveUsers, resolveGroup, userIfAny } from '../steps/lookup';
import type { CalendarGrantRequest } from '../calendar/calendarGrants';
import type { Recipe, RecipeCalendarGrant, RecipeMailEnabledGroup, RecipeServiceAccount } from './recipe';
import { isRoleGroupMember, resolveRoleGroup } from '../steps/roleGroups';
import { recipientAt } from '../steps/mailGroups';
import { unverifiedDomainProblem, verifiedDomains } from '../steps/serviceAccounts';

export type RecipeStepKind = 'createServiceAccount' | 'assignRole' | 'addRoleGroupMember' | 'assignLicence' | 'createMailGroup' | 'addMailGroupMember' | 'grantCalendarAccess';

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
    status: 'create' | 'change' | 'done' | 'blocked';
    detail: string;
    /** Calendar grants: the mailboxes to check at apply. */
    count?: number;
    /** Blocked steps: the JSON pointer of the value to fix. */
    path?: string;
    /** Directory roles that can change credentials, security settings or other admins' access (a second look). */
    privileged?: boolean;
}

export interface RecipePlan {
    recipe: string;
    steps: RecipeStep[];
    /** True when no step is blocked. */
    applicable: boolean;
}

type Deps = { graph: GraphClient; exchange: ExchangeAdminClient };
type Signal = { signal?: AbortSignal };
type ExistingUser = Pick<MicrosoftGraph.User, 'id' | 'displayName' | 'userPrincipalName' | 'usageLocation' | 'assignedLicenses'>;

/** Problems the admin fixes in the recipe or the tenant; anything else (network, permissions) is not a plan outcome. */
const isInputProblem = (e: unknown): e is Error => e instanceof ProvisioningInputError || e instanceof AmbiguousNameError;

/**
 * Reads the tenant (never writes) and lists, in the order they would be applied, the steps that bring it to the
 * recipe: accounts, then each account's licence (a mailbox first), directory roles and Exchange role groups, then the
 * mail-enabled groups and their members, then the calendar grants (counted, not read per mailbox).
 */
export async function planRecipe(deps: Deps, recipe: Recipe, o: Signal = {}): Promise<RecipePlan> {
    const { graph, exchange } = deps;
    const steps: RecipeStep[] = [];
    const domains = await verifiedDomains(graph, o);
    const domainProblem = (address: string, label: string) => unverifiedDomainProblem(address.trim().split('@')[1] ?? '', domains, label);
    const recipeUpns = new Set(recipe.serviceAccounts.map(a => a.userPrincipalName.trim().toLowerCase()));
    const recipeGroups = new Set((recipe.mailEnabledGroups ?? []).map(g => g.primarySmtpAddress.trim().toLowerCase()));

    // 1. The accounts.
    const accounts: { account: RecipeServiceAccount; at: string; user?: ExistingUser }[] = [];
    for (const [i, account] of recipe.serviceAccounts.entries()) {
        const at = `/serviceAccounts/${i}`;
        const upn = account.userPrincipalName.trim();
        const user = await userIfAny(graph, upn, o);
        accounts.push({ account, at, ...(user ? { user } : {}) });
        const step = { id: at, kind: 'createServiceAccount' as const, target: upn };
        const blocked = domainProblem(upn, 'user principal name\'s domain');
        if (blocked) steps.push({ ...step, status: 'blocked', detail: blocked, path: `${at}/userPrincipalName` });
        else if (!user) steps.push({ ...step, status: 'create', detail: `New service account "${account.displayName.trim()}", usage location ${account.usageLocation.toUpperCase()}.` });
        else {
            const differs = [
                user.displayName !== account.displayName.trim() ? `display name "${user.displayName ?? ''}" → "${account.displayName.trim()}"` : '',
                (user.usageLocation ?? '').toUpperCase() !== account.usageLocation.trim().toUpperCase() ? `usage location ${user.usageLocation ?? 'none'} → ${account.usageLocation.toUpperCase()}` : '',
            ].filter(Boolean);
            steps.push({ ...step, status: differs.length ? 'change' : 'done', detail: differs.length ? `The account exists; ${differs.join(', ')}.` : 'The account exists as described.' });
        }
    }

    // 2. Each account's licence, directory roles and role groups.
    let skus: MicrosoftGraph.SubscribedSku[] | undefined;
    const unitsWanted = new Map<string, number>();
    for (const { account, at, user } of accounts) {
        const upn = account.userPrincipalName.trim();
        if (account.licence) {
            skus ??= await subscribedSkus(graph, o);
            steps.push(licenceStep(skus, account, at, user, unitsWanted));
        }
        for (const [j, role] of (account.directoryRoles ?? []).entries()) {
            const step = { id: `${at}/directoryRoles/${j}`, kind: 'assignRole' as const, target: `${upn} → ${role}` };
            try {
                const definition = await resolveRole(graph, role, o);
                const assigned = user?.id ? await hasRoleAssignment(graph, user.id, definition.id ?? '', o) : false;
                const privileged = isPrivilegedRole(definition);
                steps.push({ ...step, status: assigned ? 'done' : 'create', detail: assigned ? `${upn} has ${definition.displayName ?? role} for the whole tenant.` : `Give ${definition.displayName ?? role} for the whole tenant${privileged ? ' (Microsoft marks this role privileged: it reaches credentials, security settings or other admins\' access; check the integration needs it)' : ''}.`, ...(privileged ? { privileged } : {}) });
            } catch (error) {
                if (!isInputProblem(error)) throw error;
                steps.push({ ...step, status: 'blocked', detail: error.message, path: step.id });
            }
        }
        for (const [j, name] of (account.exchangeRoleGroups ?? []).entries()) {
            const step = { id: `${at}/exchangeRoleGroups/${j}`, kind: 'addRoleGroupMember' as const, target: `${upn} → ${name}` };
            try {
                const group = await resolveRoleGroup(exchange, name, o);
                const member = user ? await isRoleGroupMember(exchange, group, [upn, user.id ?? ''], o) : false;
                steps.push({ ...step, status: member ? 'done' : 'create', detail: member ? `${upn} is a member of ${group.DisplayName || group.Name}.` : `Add to the Exchange role group ${group.DisplayName || group.Name}.` });
            } catch (error) {
                if (!isInputProblem(error)) throw error;
                steps.push({ ...step, status: 'blocked', detail: error.message, path: step.id });
            }
        }
    }

    // 3. Mail-enabled groups and their members.
    const knownRecipient = async (typed: string): Promise<RecipientSummary | 'recipe' | undefined> => {
        const key = typed.trim().toLowerCase();
        if (recipeUpns.has(key) || recipeGroups.has(key)) {
            const existing = await recipientAt(exchange, typed.trim(), o);
            return existing ?? 'recipe';
        }
        return recipientAt(exchange, typed.trim(), o);
    };
    for (const [i, group] of (recipe.mailEnabledGroups ?? []).entries()) {
        steps.push(...(await mailGroupSteps(exchange, group, `/mailEnabledGroups/${i}`, domainProblem, knownRecipient, o)));
    }

    // 4. Calendar grants: who gets access, and how many calendars; each calendar is read only when applying.
    for (const [i, grant] of (recipe.calendarGrants ?? []).entries()) {
        const at = `/calendarGrants/${i}`;
        const right = grant.accessRight ?? 'Editor';
        const step = { id: at, kind: 'grantCalendarAccess' as const, target: `${grant.grantee.trim()} → calendars of ${grant.membersOf.trim()} (${right})` };
        let group: MicrosoftGraph.Group;
        try {
            group = await resolveGroup(graph, grant.membersOf, o);
        } catch (error) {
            if (!isInputProblem(error)) throw error;
            steps.push({ ...step, status: 'blocked', detail: error.message, path: `${at}/membersOf` });
            continue;
        }
        const grantee = await knownRecipient(grant.grantee);
        if (!grantee) {
            steps.push({ ...step, status: 'blocked', detail: `Exchange has no recipient "${grant.grantee.trim()}", and this recipe does not create it. Check the spelling, and give the address of a user with a mailbox or of a mail-enabled security group.`, path: `${at}/grantee` });
            continue;
        }
        const { users: count, withMail } = await countTransitiveUsers(graph, group.id ?? '', o);
        // Nothing to share is not a change: saying "change" for it would have Apply and Verify report work that never
        // happens. The step is in place as far as it can be, and says why, so a wrong group name is noticed.
        const label = group.displayName ?? grant.membersOf.trim();
        if (count === 0) {
            steps.push({ ...step, status: 'done', detail: `${label} has no members (nested groups included), so no calendar will be shared. Add the people whose calendars are to be shared to ${label}, or name another group in membersOf.`, count });
            continue;
        }
        if (withMail === 0) {
            steps.push({ ...step, status: 'done', detail: `None of the ${count} members of ${label} has a mailbox, so no calendar will be shared. Give them Exchange Online licences, or name another group in membersOf.`, count });
            continue;
        }
        const checked = grantee === 'recipe' ? 'none has it yet (the grantee is created by this recipe)' : 'to check per mailbox at apply';
        steps.push({ ...step, status: grantee === 'recipe' ? 'create' : 'change', detail: `${count} members; ${checked}.`, count });
    }
    return { recipe: recipe.name, steps, applicable: !steps.some(s => s.status === 'blocked') };
}

function licenceStep(skus: MicrosoftGraph.SubscribedSku[], account: RecipeServiceAccount, at: string, user: ExistingUser | undefined, unitsWanted: Map<string, number>): RecipeStep {
    const licence = account.licence ?? { sku: '', enabledPlans: 'all' as const };
    const upn = account.userPrincipalName.trim();
    const step = { id: `${at}/licence`, kind: 'assignLicence' as const, target: `${upn} → ${licence.sku}` };
    let sku: MicrosoftGraph.SubscribedSku;
    try {
        sku = findSku(skus, licence.sku);
    } catch (error) {
        if (!isInputProblem(error)) throw error;
        return { ...step, status: 'blocked', detail: error.message, path: `${at}/licence/sku` };
    }
    let wanted: string[] | 'all' = 'all';
    if (licence.enabledPlans !== 'all') {
        wanted = [];
        for (const [k, plan] of licence.enabledPlans.entries()) {
            try {
                wanted.push(...planIds(sku, [plan]));
            } catch (error) {
                if (!isInputProblem(error)) throw error;
                return { ...step, status: 'blocked', detail: error.message, path: `${at}/licence/enabledPlans/${k}` };
            }
        }
    }
    const name = `${licenceName(sku.skuPartNumber)} (${sku.skuPartNumber ?? ''})`;
    const plans = licence.enabledPlans === 'all' ? 'all plans' : `only ${licence.enabledPlans.join(', ')}`;
    const current = user?.assignedLicenses?.find(l => l.skuId === sku.skuId);
    if (current) {
        const disabled = disabledPlansFor(sku, wanted, current);
        const same = [...disabled].sort().join() === [...(current.disabledPlans ?? [])].sort().join();
        return { ...step, status: same ? 'done' : 'change', detail: same ? `${upn} has ${name} with the plans the recipe asks for.` : `${upn} has ${name}; switch on ${plans} (plans already on stay on).` };
    }
    // Every account of the recipe that needs this SKU takes a unit.
    const needed = (unitsWanted.get(sku.skuId ?? '') ?? 0) + 1;
    unitsWanted.set(sku.skuId ?? '', needed);
    if (freeUnits(sku) < needed) {
        return { ...step, status: 'blocked', detail: `${name} has no free licence for ${upn}: ${sku.consumedUnits ?? 0} of ${sku.prepaidUnits?.enabled ?? 0} are used${needed > 1 ? `, and this recipe needs ${needed}` : ''}. Buy more, or free one.`, path: `${at}/licence/sku` };
    }
    return { ...step, status: 'create', detail: `Assign ${name} with ${plans}.` };
}

async function hasRoleAssignment(graph: GraphClient, principalId: string, roleDefinitionId: string, o: Signal): Promise<boolean> {
    return (await assignmentsOf(graph, principalId, roleDefinitionId, o)).length > 0;
}

const namesOf = (r: RecipientSummary) => [r.Identity, r.DisplayName, r.PrimarySmtpAddress, r.ExternalDirectoryObjectId].filter(Boolean).map(v => v.toLowerCase());

async function mailGroupSteps(
    exo: ExchangeAdminClient,
    group: RecipeMailEnabledGroup,
    at: string,
    domainProblem: (address: string, label: string) => string | undefined,
    knownRecipient: (typed: string) => Promise<RecipientSummary | 'recipe' | undefined>,
    o: Signal,
): Promise<RecipeStep[]> {
    const address = group.primarySmtpAddress.trim();
    const steps: RecipeStep[] = [];
    const step = { id: at, kind: 'createMailGroup' as const, target: address };
    const existing = await recipientAt(exo, address, o);
    let summary: DistributionGroupSummary | undefined;
    const senders: { typed: string; recipient: RecipientSummary | 'recipe' }[] = [];
    let blocked: RecipeStep | undefined;
    for (const [k, typed] of (group.acceptMessagesOnlyFrom ?? []).entries()) {
        const recipient = await knownRecipient(typed);
        if (recipient) senders.push({ typed, recipient });
        else blocked ??= { ...step, status: 'blocked', detail: `Exchange has no recipient ${typed.trim()} to accept mail from, and this recipe does not create it. Use the address of a mailbox, mail user or mail-enabled group.`, path: `${at}/acceptMessagesOnlyFrom/${k}` };
    }
    const domain = existing ? undefined : domainProblem(address, 'group address\'s domain');
    if (domain) steps.push({ ...step, status: 'blocked', detail: domain, path: `${at}/primarySmtpAddress` });
    else if (existing && existing.RecipientTypeDetails !== 'MailUniversalSecurityGroup') {
        steps.push({ ...step, status: 'blocked', detail: `${address} is already used by ${existing.DisplayName} (${existing.RecipientTypeDetails}). Choose another address.`, path: `${at}/primarySmtpAddress` });
    } else if (blocked) steps.push(blocked);
    else if (!existing) {
        const settings = [group.hiddenFromAddressLists ? 'hidden from the address lists' : '', senders.length ? `accepting mail only from ${senders.map(s => s.typed.trim()).join(', ')}` : ''].filter(Boolean);
        steps.push({ ...step, status: 'create', detail: `New mail-enabled security group "${group.name.trim()}", closed to joining and leaving${settings.length ? `, ${settings.join(', ')}` : ''}.` });
    } else {
        summary = (await exo.invoke<DistributionGroupSummary>('Get-DistributionGroup', { Identity: address }, o)).value[0];
        const differs: string[] = [];
        if (group.hiddenFromAddressLists !== undefined && group.hiddenFromAddressLists !== summary.HiddenFromAddressListsEnabled) differs.push(group.hiddenFromAddressLists ? 'hide it from the address lists' : 'show it in the address lists');
        const listed = (summary.AcceptMessagesOnlyFromSendersOrMembers ?? []).map(v => v.toLowerCase());
        const sendersDiffer = senders.length > 0 && (listed.length !== senders.length || senders.some(s => s.recipient === 'recipe' || !namesOf(s.recipient).some(n => listed.includes(n))));
        if (sendersDiffer) differs.push(`accept mail only from ${senders.map(s => s.typed.trim()).join(', ')}`);
        steps.push({ ...step, status: differs.length ? 'change' : 'done', detail: differs.length ? `The group exists; ${differs.join(', ')}.` : 'The group exists as described.' });
    }

    const members = summary ? (await exo.invoke<RecipientSummary>('Get-DistributionGroupMember', { Identity: address, ResultSize: 'Unlimited' }, o)).value.flatMap(namesOf) : [];
    for (const [k, typed] of (group.members ?? []).entries()) {
        const memberStep = { id: `${at}/members/${k}`, kind: 'addMailGroupMember' as const, target: `${typed.trim()} → ${address}` };
        const recipient = await knownRecipient(typed);
        if (!recipient) {
            steps.push({ ...memberStep, status: 'blocked', detail: `There is no user ${typed.trim()} in this tenant (Exchange knows no one by that name), and this recipe does not create it. Check the member's user principal name.`, path: `${at}/members/${k}` });
            continue;
        }
        const member = recipient !== 'recipe' && [typed.trim().toLowerCase(), ...namesOf(recipient)].some(n => members.includes(n));
        steps.push({ ...memberStep, status: member ? 'done' : 'create', detail: member ? `${typed.trim()} is a member.` : `Add ${typed.trim()} to the group.` });
    }
    return steps;
}

/** The calendar engine's request for a recipe's grant: its group found by name (refused when none or several match). */
export async function calendarGrantRequestFor(graph: GraphClient, grant: RecipeCalendarGrant, o: Signal = {}): Promise<CalendarGrantRequest> {
    const group = await resolveGroup(graph, grant.membersOf, o);
    return { mode: 'grant', groupId: group.id ?? '', groupName: group.displayName ?? grant.membersOf, grantee: grant.grantee.trim(), accessRight: grant.accessRight ?? 'Editor' };
}
