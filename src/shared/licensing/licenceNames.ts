import table from './licenceNames.json';

/*
 * The names the Microsoft 365 admin centre shows for licences (subscribed SKUs) and their service plans, where Graph
 * gives only `skuPartNumber` ("ENTERPRISEPACK") and `servicePlanName` ("EXCHANGE_S_ENTERPRISE"). The data is
 * Microsoft's "Product names and service plan identifiers for licensing" (licenceNames.json says which commit of the
 * page and when; scripts/refresh-licence-names.mjs refreshes it). No vscode, no Node: the tree, the pickers, the
 * details and the steps' messages all call these.
 */

/** As licenceNames.json holds them: [name, GUID] by part number, [friendly name, GUID] by plan name. */
interface NameData {
    products: Record<string, string[] | undefined>;
    servicePlans: Record<string, string[] | undefined>;
}
const names: NameData = table;

/** The product's name ("Office 365 E3" for ENTERPRISEPACK); the part number itself when Microsoft's list lacks it. */
export function productName(skuPartNumber: string): string {
    return names.products[skuPartNumber]?.[0] ?? skuPartNumber;
}

/** The plan's friendly name ("Exchange Online (Plan 2)" for EXCHANGE_S_ENTERPRISE); the plan name itself when unknown. */
export function servicePlanName(planName: string): string {
    return names.servicePlans[planName]?.[0] ?? planName;
}
