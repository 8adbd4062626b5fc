import type { SubscribedSku, TenantState } from '../contracts';

/** Free seats of a subscription: enabled minus consumed (what an admin checks before assigning). */
export function availableUnits(sku: SubscribedSku): number {
    return sku.prepaidUnits.enabled - sku.consumedUnits;
}

/**
 * Sets every SKU's consumedUnits to the number of users holding it (one pass over the users). A user in deleted items
 * still holds its licences until the purge ("After 30 days and if not restored, the user object is permanently deleted
 * and their assigned resources freed": learn.microsoft.com/graph/api/user-delete; tenant/deletedItems.ts).
 */
export function recountConsumedUnits(state: TenantState): void {
    const counts = new Map<string, number>();
    const holders = [...state.users.values(), ...(state.deletedUsers ?? []).map(d => d.user)];
    for (const user of holders) {
        for (const licence of user.assignedLicenses) counts.set(licence.skuId, (counts.get(licence.skuId) ?? 0) + 1);
    }
    for (const sku of state.skus) sku.consumedUnits = counts.get(sku.skuId) ?? 0;
}

/** Adjusts consumedUnits after one user's licences changed from `before` to `after` (sku ids). */
export function adjustConsumedUnits(state: TenantState, before: readonly string[], after: readonly string[]): void {
    for (const sku of state.skus) {
        const delta = (after.includes(sku.skuId) ? 1 : 0) - (before.includes(sku.skuId) ? 1 : 0);
        sku.consumedUnits += delta;
    }
}
