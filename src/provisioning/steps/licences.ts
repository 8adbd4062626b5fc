import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import { freeUnits, licenceName } from '../../graph/adminNames';
import { servicePlanName } from '../../shared/licensing/licenceNames';
import type { GraphClient } from '../../graph/GraphClient';
import { ProvisioningInputError } from '../errors';
import { checkPlans, checkUsageLocation, fields, refuseBadFields } from '../fields';
import { GraphRequestError } from '../../graph/GraphRequestError';
import { subscribedSkus } from '../../graph/tenantCatalogue';
import { isAbsent, type Ensure, type Signal, type Step } from './contract';
import type { TenantReads } from './tenantReads';
import { runStep } from './runStep';


/** A SKU by part number (ENTERPRISEPACK), id, or the name admins use (Office 365 E3). */
export function findSku(skus: MicrosoftGraph.SubscribedSku[], key: string): MicrosoftGraph.SubscribedSku {
    const sku = skuNamed(skus, key);
    if (!sku) throw new ProvisioningInputError(`This tenant has no licence "${key}". Give one it has: ${skus.map(s => `${licenceName(s.skuPartNumber)} (${s.skuPartNumber ?? ''})`).join(', ')}.`, 'licence', '/sku');
    return sku;
}

/** The same, or undefined when the tenant has no such licence. */
function skuNamed(skus: MicrosoftGraph.SubscribedSku[], key: string): MicrosoftGraph.SubscribedSku | undefined {
    const k = key.trim().toLowerCase();
    return skus.find(s => s.skuId?.toLowerCase() === k || s.skuPartNumber?.toLowerCase() === k || licenceName(s.skuPartNumber).toLowerCase() === k);
}

/** Service plans by name (EXCHANGE_S_ENTERPRISE) or id; an unknown one is named with the SKU's real plans. */
export function planIds(sku: MicrosoftGraph.SubscribedSku, plans: string[]): string[] {
    return plans.map((p, k) => {
        const plan = sku.servicePlans?.find(s => s.servicePlanId === p || s.servicePlanName?.toLowerCase() === p.toLowerCase());
        if (!plan) throw new ProvisioningInputError(`${licenceName(sku.skuPartNumber)} has no service plan "${p}". Name plans it has: ${(sku.servicePlans ?? []).map(s => s.servicePlanName).join(', ')}.`, 'plans', `/enabledPlans/${k}`);
        return plan.servicePlanId ?? '';
    });
}

/**
 * The plans to switch OFF so that exactly the wanted ones (plus, when merging, the ones the user already has on) are on.
 * Assigning a SKU again REPLACES its disabledPlans, so a merge must start from what the user has (DESIGN.md §1).
 */
export function disabledPlansFor(sku: MicrosoftGraph.SubscribedSku, wantedPlanIds: string[] | 'all', current?: MicrosoftGraph.AssignedLicense): string[] {
    const all = (sku.servicePlans ?? []).map(p => p.servicePlanId ?? '');
    if (wantedPlanIds === 'all') return [];
    const on = new Set(wantedPlanIds);
    if (current) for (const plan of all) if (!current.disabledPlans?.includes(plan)) on.add(plan);
    return all.filter(p => !on.has(p));
}

/** A licence for one user: the SKU, the service plans to have on (names or ids, or all), and a usage location to set. */
export interface LicenceWant {
    /** UPN or object id. */
    user: string;
    sku: string;
    plans: string[] | 'all';
    /** Set on the user first when it has none (licences need one). */
    usageLocation?: string;
    /** 'absent': the user must not hold this licence (offboarding). */
    ensure?: Ensure;
}

export interface LicenceHave {
    /** Undefined while the account is still to be made by the recipe being planned. */
    user?: MicrosoftGraph.User;
    sku: MicrosoftGraph.SubscribedSku;
    wantedPlanIds: string[] | 'all';
    /** What the user holds of this SKU now. */
    current?: MicrosoftGraph.AssignedLicense;
    /** Free units left for this user once the accounts planned before it took theirs. */
    freeForThisUser: number;
    /** How many units the plan counts on for this SKU, this user included. */
    unitsCounted: number;
}

const sameSet = (a: readonly string[], b: readonly string[]) => [...a].sort().join() === [...b].sort().join();
const nameOf = (sku: MicrosoftGraph.SubscribedSku) => `${licenceName(sku.skuPartNumber)} (${sku.skuPartNumber ?? ''})`;
/** "Exchange Online (Plan 2) (EXCHANGE_S_ENTERPRISE)"; a plan Microsoft's list does not name, or a plan id, as given. */
const planNamed = (plan: string) => (servicePlanName(plan.trim()) === plan.trim() ? plan.trim() : `${servicePlanName(plan.trim())} (${plan.trim()})`);

/**
 * A licence with only the chosen service plans, merged with what the user already has on of that SKU (plans already on
 * stay on). Blocked before any change when the SKU or a plan does not exist, when no unit is free, or when the user has
 * no usage location and none is given.
 */
export const licenceStep: Step<LicenceWant, LicenceHave> = {
    kind: 'assignLicence',
    label: 'Assign licence',
    // A licence may first need the account's usage location set.
    writeScopes: ['LicenseAssignment.ReadWrite.All', 'User.ReadWrite.All'],
    target: want => `${want.user.trim()} → ${want.sku.trim()}`,
    async read(reads, want) {
        if (isAbsent(want)) return readHeld(reads, want);
        const sku = findSku(await reads.skus(), want.sku);
        const wantedPlanIds = want.plans === 'all' ? 'all' : planIds(sku, want.plans);
        const user = await reads.user(want.user);
        if (!user && !reads.expected(want.user)) throw new ProvisioningInputError(`There is no user ${want.user.trim()} in this tenant. Check the user principal name or object id, or pick the user in the Directory view.`, 'user', '');
        const current = user?.assignedLicenses?.find(l => l.skuId === sku.skuId);
        let unitsCounted = 0;
        if (!current) {
            // Every account of the plan that needs this SKU takes a unit.
            unitsCounted = (reads.unitsCounted.get(sku.skuId ?? '') ?? 0) + 1;
            reads.unitsCounted.set(sku.skuId ?? '', unitsCounted);
        }
        return { ...(user ? { user } : {}), sku, wantedPlanIds, ...(current ? { current } : {}), freeForThisUser: freeUnits(sku), unitsCounted };
    },
    compare(want, have) {
        const who = have.user?.userPrincipalName ?? want.user.trim();
        const name = nameOf(have.sku);
        if (isAbsent(want)) return have.current ? { status: 'remove', detail: `Remove ${name} from ${who} (the services it gives stop for this account; a mailbox is kept 30 days).` } : { status: 'done', detail: `${who} does not hold ${name}.` };
        // The plan rows name plans as the admin centre does, with the recipe's own word for each after it.
        const plans = want.plans === 'all' ? 'all plans' : `only ${want.plans.map(planNamed).join(', ')}`;
        if (have.current) {
            const same = sameSet(disabledPlansFor(have.sku, have.wantedPlanIds, have.current), have.current.disabledPlans ?? []);
            return same ? { status: 'done', detail: `${who} has ${name} with the plans asked for.` } : { status: 'change', detail: `${who} has ${name}; switch on ${plans} (plans already on stay on).` };
        }
        if (have.freeForThisUser < have.unitsCounted) {
            return { status: 'blocked', field: '/sku', inputField: 'licence', detail: `${name} has no free licence: ${have.sku.consumedUnits ?? 0} of ${have.sku.prepaidUnits?.enabled ?? 0} are used${have.unitsCounted > 1 ? `, and this plan needs ${have.unitsCounted}` : ''} (one for ${who}). Buy more, or free one by removing it from someone who does not need it.` };
        }
        if (have.user && !have.user.usageLocation && !want.usageLocation) {
            return { status: 'blocked', field: '', inputField: 'usageLocation', detail: `${who} has no usage location, which a licence needs. Give one (a two-letter country code such as US or NL).` };
        }
        return { status: 'create', detail: `Assign ${name} with ${plans}.` };
    },
    async write(ctx, want, have) {
        const userId = ctx.accountIds.get(want.user.trim().toLowerCase()) ?? have.user?.id;
        if (!userId) throw new Error(`${want.user.trim()} is not in the tenant any more (deleted while the recipe was being applied?). Apply again to create it.`);
        const disabledPlans = disabledPlansFor(have.sku, have.wantedPlanIds, have.current);
        const o = ctx.signal ? { signal: ctx.signal } : {};
        if (have.current && sameSet(disabledPlans, have.current.disabledPlans ?? [])) return { outcome: 'alreadyInPlace', detail: `${have.sku.skuPartNumber ?? ''}: already as asked.` };
        // An account made by this apply got its usage location when it was created.
        const setLocation = have.user && !have.user.usageLocation && want.usageLocation ? want.usageLocation.trim().toUpperCase() : undefined;
        if (setLocation) await ctx.graph.patch(`/users/${encodeURIComponent(userId)}`, { usageLocation: setLocation }, { scopes: ['User.ReadWrite.All'], ...o });
        await ctx.graph.post(`/users/${encodeURIComponent(userId)}/assignLicense`, { addLicenses: [{ skuId: have.sku.skuId, disabledPlans }], removeLicenses: [] }, { scopes: ['LicenseAssignment.ReadWrite.All'], ...o });
        return { outcome: have.current ? 'changed' : 'created', detail: `${have.sku.skuPartNumber ?? ''}: ${disabledPlans.length} plans off${setLocation ? `; usage location set to ${setLocation}` : ''}.` };
    },
    async remove(ctx, want, have) {
        const userId = have.user?.id ?? '';
        await ctx.graph.post(`/users/${encodeURIComponent(userId)}/assignLicense`, { addLicenses: [], removeLicenses: [have.sku.skuId] }, { scopes: ['LicenseAssignment.ReadWrite.All'], ...(ctx.signal ? { signal: ctx.signal } : {}) });
        return { outcome: 'removed', detail: `${nameOf(have.sku)} removed from ${have.user?.userPrincipalName ?? want.user.trim()}.` };
    },
};

/**
 * For a licence that must be absent: what the user holds of it. A SKU the tenant does not have, or a user who is not
 * there, cannot hold it: nothing to remove (the plan says so), never blocked.
 */
async function readHeld(reads: TenantReads, want: LicenceWant): Promise<LicenceHave> {
    const sku = skuNamed(await reads.skus(), want.sku) ?? { skuPartNumber: want.sku.trim(), servicePlans: [] };
    const user = await reads.user(want.user);
    const current = sku.skuId ? user?.assignedLicenses?.find(l => l.skuId === sku.skuId) : undefined;
    return { ...(user ? { user } : {}), sku, wantedPlanIds: 'all', ...(current ? { current } : {}), freeForThisUser: 0, unitsCounted: 0 };
}

export interface LicenceAssignment {
    userId: string;
    sku: string;
    /** Service plans to have on (names or ids), or all of them. */
    plans: string[] | 'all';
    /** Set on the user first when it has none (licences need one). */
    usageLocation?: string;
}

export type LicenceOutcome = 'assigned' | 'updated' | 'alreadyInPlace';

/** "Assign Licence…": the licence step run on its own (read, compare, write only what differs). */
export async function assignLicence(graph: GraphClient, a: LicenceAssignment, o: Signal = {}): Promise<{ outcome: LicenceOutcome; disabledPlans: string[]; usageLocationSet?: string }> {
    refuseBadFields({ user: fields.user.check(a.userId), licence: fields.licence.check(a.sku), plans: checkPlans(a.plans), usageLocation: a.usageLocation === undefined ? undefined : checkUsageLocation(a.usageLocation) });
    const want: LicenceWant = { user: a.userId, sku: a.sku, plans: a.plans, ...(a.usageLocation !== undefined ? { usageLocation: a.usageLocation } : {}) };
    const { have, written } = await runStep(licenceStep, { graph }, want, o);
    const usageLocationSet = have.user && !have.user.usageLocation && written.outcome !== 'alreadyInPlace' ? a.usageLocation?.trim().toUpperCase() : undefined;
    return { outcome: written.outcome === 'created' ? 'assigned' : written.outcome === 'changed' ? 'updated' : 'alreadyInPlace', disabledPlans: disabledPlansFor(have.sku, have.wantedPlanIds, have.current), ...(usageLocationSet ? { usageLocationSet } : {}) };
}

export async function removeLicence(graph: GraphClient, userId: string, sku: string, o: Signal = {}): Promise<'removed' | 'notAssigned'> {
    refuseBadFields({ user: fields.user.check(userId), licence: fields.licence.check(sku) });
    const [skus, user] = await Promise.all([subscribedSkus(graph, o), licensee(graph, userId, 'id,assignedLicenses', o)]);
    const found = findSku(skus, sku);
    if (!user.assignedLicenses?.some(l => l.skuId === found.skuId)) return 'notAssigned';
    await graph.post(`/users/${encodeURIComponent(userId)}/assignLicense`, { addLicenses: [], removeLicenses: [found.skuId] }, { scopes: ['LicenseAssignment.ReadWrite.All'], ...o });
    return 'removed';
}

/** The user a licence is for; nobody by that name or id is the admin's to fix, said in their words (not Graph's 404). */
async function licensee(graph: GraphClient, userId: string, select: string, o: Signal): Promise<MicrosoftGraph.User> {
    try {
        return await graph.get<MicrosoftGraph.User>(`/users/${encodeURIComponent(userId.trim())}?$select=${select}`, { scopes: ['User.Read.All'], ...o });
    } catch (error) {
        if (error instanceof GraphRequestError && error.isNotFound) throw new ProvisioningInputError(`There is no user ${userId.trim()} in this tenant. Check the user principal name or object id, or pick the user in the Directory view.`, 'user');
        throw error;
    }
}
