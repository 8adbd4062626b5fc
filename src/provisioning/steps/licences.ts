import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import { freeUnits, licenceName } from '../../graph/adminNames';
import type { GraphClient } from '../../graph/GraphClient';
import { ProvisioningInputError } from '../errors';
import { checkPlans, checkUsageLocation, fields, refuseBadFields } from '../fields';
import { GraphRequestError } from '../../graph/GraphRequestError';

type Signal = { signal?: AbortSignal };

export async function subscribedSkus(graph: GraphClient, o: Signal = {}): Promise<MicrosoftGraph.SubscribedSku[]> {
    // Graph allows no $filter on subscribedSkus: read them all (a tenant has a handful) and choose here.
    return (await graph.get<{ value: MicrosoftGraph.SubscribedSku[] }>('/subscribedSkus', { scopes: ['Organization.Read.All'], ...o })).value;
}

/** A SKU by part number (ENTERPRISEPACK), id, or the name admins use (Office 365 E3). */
export function findSku(skus: MicrosoftGraph.SubscribedSku[], key: string): MicrosoftGraph.SubscribedSku {
    const k = key.trim().toLowerCase();
    const sku = skus.find(s => s.skuId?.toLowerCase() === k || s.skuPartNumber?.toLowerCase() === k || licenceName(s.skuPartNumber).toLowerCase() === k);
    if (!sku) throw new ProvisioningInputError(`This tenant has no licence "${key}". Give one it has: ${skus.map(s => `${licenceName(s.skuPartNumber)} (${s.skuPartNumber ?? ''})`).join(', ')}.`, 'licence');
    return sku;
}

/** Service plans by name (EXCHANGE_S_ENTERPRISE) or id; an unknown one is named with the SKU's real plans. */
export function planIds(sku: MicrosoftGraph.SubscribedSku, plans: string[]): string[] {
    return plans.map(p => {
        const plan = sku.servicePlans?.find(s => s.servicePlanId === p || s.servicePlanName?.toLowerCase() === p.toLowerCase());
        if (!plan) throw new ProvisioningInputError(`${licenceName(sku.skuPartNumber)} has no service plan "${p}". Name plans it has: ${(sku.servicePlans ?? []).map(s => s.servicePlanName).join(', ')}.`, 'plans');
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

export interface LicenceAssignment {
    userId: string;
    sku: string;
    /** Service plans to have on (names or ids), or all of them. */
    plans: string[] | 'all';
    /** Set on the user first when it has none (licences need one). */
    usageLocation?: string;
}

export type LicenceOutcome = 'assigned' | 'updated' | 'alreadyInPlace';

/**
 * Assigns a licence with only the chosen service plans, merged with what the user already has of that SKU. Checks
 * before any change: the SKU exists and has a free unit (unless the user already holds it), the plans exist, and the
 * user has a usage location (or one is given to set).
 */
export async function assignLicence(graph: GraphClient, a: LicenceAssignment, o: Signal = {}): Promise<{ outcome: LicenceOutcome; disabledPlans: string[]; usageLocationSet?: string }> {
    refuseBadFields({ user: fields.user.check(a.userId), licence: fields.licence.check(a.sku), plans: checkPlans(a.plans), usageLocation: a.usageLocation === undefined ? undefined : checkUsageLocation(a.usageLocation) });
    const [skus, user] = await Promise.all([subscribedSkus(graph, o), licensee(graph, a.userId, 'id,userPrincipalName,usageLocation,assignedLicenses', o)]);
    const sku = findSku(skus, a.sku);
    const wanted = a.plans === 'all' ? 'all' : planIds(sku, a.plans);
    const current = user.assignedLicenses?.find(l => l.skuId === sku.skuId);
    if (!current && freeUnits(sku) < 1) {
        throw new ProvisioningInputError(`${licenceName(sku.skuPartNumber)} has no free licence: ${sku.consumedUnits ?? 0} of ${sku.prepaidUnits?.enabled ?? 0} are used. Buy more, or free one by removing it from someone who does not need it.`, 'licence');
    }
    let usageLocationSet: string | undefined;
    if (!user.usageLocation) {
        if (!a.usageLocation) throw new ProvisioningInputError(`${user.userPrincipalName ?? a.userId} has no usage location, which a licence needs. Give one (a two-letter country code such as US or NL).`, 'usageLocation');
        usageLocationSet = a.usageLocation.trim().toUpperCase();
    }
    const disabledPlans = disabledPlansFor(sku, wanted, current);
    if (current && [...disabledPlans].sort().join() === [...(current.disabledPlans ?? [])].sort().join()) return { outcome: 'alreadyInPlace', disabledPlans };
    if (usageLocationSet) await graph.patch(`/users/${encodeURIComponent(a.userId)}`, { usageLocation: usageLocationSet }, { scopes: ['User.ReadWrite.All'], ...o });
    await graph.post(`/users/${encodeURIComponent(a.userId)}/assignLicense`, { addLicenses: [{ skuId: sku.skuId, disabledPlans }], removeLicenses: [] }, { scopes: ['LicenseAssignment.ReadWrite.All'], ...o });
    return { outcome: current ? 'updated' : 'assigned', disabledPlans, ...(usageLocationSet ? { usageLocationSet } : {}) };
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
