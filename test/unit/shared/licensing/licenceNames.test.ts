import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { subscribedSkus } from '../../../../sandbox/src/tenant/catalogue';
import { parseLicenceCsv, parseLicenceSource, parseLicenceTable } from '../../../../src/shared/licensing/licenceTable';
import { productName, servicePlanName } from '../../../../src/shared/licensing/licenceNames';
import kept from '../../../../src/shared/licensing/licenceNames.json';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..', '..');
/** Rows of Microsoft's page, copied as they stand (scripts/licensing/…excerpt.md says which commit). */
const excerpt = fs.readFileSync(path.join(repoRoot, 'scripts', 'licensing', 'licensing-service-plan-reference.excerpt.md'), 'utf8');
/** Lines of Microsoft's CSV of the same table (with its byte-order mark, CRLF endings and a quoted product name). */
const csvExcerpt = fs.readFileSync(path.join(repoRoot, 'scripts', 'licensing', 'licensing-service-plan-reference.excerpt.csv'), 'utf8');

describe('licence names (Microsoft\'s "Product names and service plan identifiers for licensing")', () => {
    const table = parseLicenceTable(excerpt);

    it('reads each product\'s name and GUID by its String ID', () => {
        assert.deepEqual(table.products.ENTERPRISEPACK, ['Office 365 E3', '6fd2c87f-b296-42f0-b197-1e91e994b900']);
        assert.deepEqual(table.products.DEVELOPERPACK, ['Office 365 E3 Developer', '189a915c-fe4f-4ffa-bde4-85b9628d07a0']);
        // Cells padded with tabs, as many rows of the page are.
        assert.deepEqual(table.products.OFFICEBASIC, ['Basic Collaboration', '4468c39a-28b2-42fb-9094-840bcf28771f']);
        assert.equal(Object.keys(table.products).length, 10);
    });

    it('pairs each plan with its friendly name by GUID, not by position', () => {
        // E3's row lists the plans and the friendly names in different orders.
        assert.deepEqual(table.servicePlans.EXCHANGE_S_ENTERPRISE, ['Exchange Online (Plan 2)', 'efb87545-963c-4e0d-99df-69c6916d9eb0']);
        assert.deepEqual(table.servicePlans.RMS_S_ENTERPRISE, ['Azure Rights Management', 'bea4c11e-220a-4e6d-8eb8-8ea15d019f90']);
        assert.deepEqual(table.servicePlans.INTUNE_O365, ['Mobile Device Management for Office 365', '882e1d05-acd1-4ccb-8708-6ee03664b117']);
    });

    it('prefers the admin centre\'s capitalisation to an older row\'s capitals, and keeps capitals only when no row has better', () => {
        // DEVELOPERPACK's row says "EXCHANGE ONLINE (PLAN 2)", E3's "Exchange Online (Plan 2)"; E2's row says
        // "SKYPE FOR BUSINESS ONLINE (PLAN 2)", E3's "Skype for Business Online (Plan 2)".
        assert.equal(table.servicePlans.MCOSTANDARD?.[0], 'Skype for Business Online (Plan 2)');
        assert.equal(table.servicePlans.MCOEV?.[0], 'MICROSOFT 365 PHONE SYSTEM');
    });

    it('reads a name written without a space before its GUID, and skips "friendly" names that only repeat the plan name', () => {
        // DEVELOPERPACK: "POWERAPPS FOR OFFICE 365(c68f8d98-…)"; E3 names the same plan "Power Apps for Office 365".
        assert.equal(table.servicePlans.POWERAPPS_O365_P2?.[1], 'c68f8d98-5534-41c8-bf36-22fa496fa792');
        // E2 and DEVELOPERPACK give TEAMS1 as "TEAMS1"; E3 as "Microsoft Teams".
        assert.equal(table.servicePlans.TEAMS1?.[0], 'Microsoft Teams');
        // BPOS_S_TODO_3 appears only as "BPOS_S_TODO_3": no friendly name, so none is kept.
        assert.equal(table.servicePlans.BPOS_S_TODO_3, undefined);
    });

    it('finds no rows in text without the table', () => {
        assert.deepEqual(parseLicenceTable('# Some page\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n'), { products: {}, servicePlans: {} });
    });

    it('reads Microsoft\'s CSV of the table: one line per plan, quoted names with commas, byte-order mark and CRLF', () => {
        const csv = parseLicenceCsv(csvExcerpt);
        assert.deepEqual(csv.products.ENTERPRISEPACK, ['Office 365 E3', '6fd2c87f-b296-42f0-b197-1e91e994b900']);
        assert.deepEqual(csv.products.CRM_AUTO_ROUTING_ADDON, ['Dynamics 365 Field Service, Enterprise Edition - Resource Scheduling Optimization', '977464c4-bfaf-4b67-b761-a9bb735a2196']);
        assert.deepEqual(csv.servicePlans.RMS_S_ENTERPRISE, ['Azure Rights Management', 'bea4c11e-220a-4e6d-8eb8-8ea15d019f90']);
        // Only capitals in the CSV's rows for it: kept, as nothing better is given; a name that repeats the plan is not.
        assert.deepEqual(csv.servicePlans.EXCHANGE_S_ENTERPRISE, ['EXCHANGE ONLINE (PLAN 2)', 'efb87545-963c-4e0d-99df-69c6916d9eb0']);
        assert.equal(csv.servicePlans.BPOS_S_TODO_3, undefined);
        assert.deepEqual(parseLicenceSource(csvExcerpt), csv, 'the script tells the CSV from the page by its header');
        assert.deepEqual(parseLicenceSource(excerpt), table);
    });

    it('the kept licenceNames.json names Microsoft\'s whole list, from the page\'s CSV, and agrees with the page\'s own rows', () => {
        assert.equal(kept.source.repository, 'MicrosoftDocs/entra-docs');
        assert.equal(kept.source.path, 'docs/identity/users/licensing-service-plan-reference.md');
        assert.match(kept.source.commit, /^[0-9a-f]{40}$/);
        assert.match(kept.source.csv, /^https:\/\/download\.microsoft\.com\//);
        // The whole table, not a few rows: hundreds of products and plans.
        assert.ok(Object.keys(kept.products).length > 500, `${Object.keys(kept.products).length} products`);
        assert.ok(Object.keys(kept.servicePlans).length > 500, `${Object.keys(kept.servicePlans).length} service plans`);
        const products = kept.products as Record<string, string[] | undefined>;
        const plans = kept.servicePlans as Record<string, string[] | undefined>;
        // The two published forms of the table agree: every product of the page's rows has the same GUID and name (the
        // CSV is a later edition and fixes some capitals: "Entra ID P1 for Faculty"), every plan the same GUID.
        for (const [part, [name, id]] of Object.entries(table.products)) {
            assert.equal(products[part]?.[1], id, part);
            assert.equal(products[part]?.[0].toLowerCase(), name.toLowerCase(), part);
        }
        for (const [plan, [, id]] of Object.entries(table.servicePlans)) assert.equal(plans[plan]?.[1], id, plan);
        for (const part of ['SPE_E3', 'SPE_E5', 'ENTERPRISEPREMIUM', 'SPB', 'EXCHANGESTANDARD']) assert.notEqual(productName(part), part, `${part} is named`);
    });

    it('names products and plans, and falls back to the raw id for what the list does not know', () => {
        assert.equal(productName('ENTERPRISEPACK'), 'Office 365 E3');
        assert.equal(servicePlanName('EXCHANGE_S_ENTERPRISE'), 'Exchange Online (Plan 2)');
        assert.equal(productName('CONTOSO_SPECIAL_SKU'), 'CONTOSO_SPECIAL_SKU');
        assert.equal(servicePlanName('CONTOSO_PLAN'), 'CONTOSO_PLAN');
    });

    it('the sandbox tenant\'s licences and plans use Microsoft\'s part numbers, plan names and GUIDs, so the demo shows names', () => {
        for (const sku of subscribedSkus('tenant', 10)) {
            assert.equal(kept.products[sku.skuPartNumber as keyof typeof kept.products]?.[1], sku.skuId, sku.skuPartNumber);
            assert.notEqual(productName(sku.skuPartNumber), sku.skuPartNumber);
            for (const plan of sku.servicePlans) {
                assert.equal(kept.servicePlans[plan.servicePlanName as keyof typeof kept.servicePlans]?.[1], plan.servicePlanId, plan.servicePlanName);
                assert.notEqual(servicePlanName(plan.servicePlanName), plan.servicePlanName);
            }
        }
    });
});
