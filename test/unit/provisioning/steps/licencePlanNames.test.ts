import * as assert from 'node:assert/strict';
import { licenceStep } from '../../../../src/provisioning/steps/licences';

/** The Recipe Plan's licence rows name the product and its plans as the admin centre does, the recipe's ids after them. */
describe('Licence plan rows: names as the admin centre shows them', () => {
    const sku = { skuId: '6fd2c87f-b296-42f0-b197-1e91e994b900', skuPartNumber: 'ENTERPRISEPACK', consumedUnits: 1, prepaidUnits: { enabled: 5 }, servicePlans: [{ servicePlanId: 'efb87545-963c-4e0d-99df-69c6916d9eb0', servicePlanName: 'EXCHANGE_S_ENTERPRISE' }] };
    const user = { id: 'u1', userPrincipalName: 'sa@contoso.com', usageLocation: 'NL' };

    it('a new assignment reads "Office 365 E3 (ENTERPRISEPACK) with only Exchange Online (Plan 2) (EXCHANGE_S_ENTERPRISE)"', () => {
        const row = licenceStep.compare({ user: 'sa@contoso.com', sku: 'ENTERPRISEPACK', plans: ['EXCHANGE_S_ENTERPRISE'] }, { user, sku, wantedPlanIds: ['efb87545-963c-4e0d-99df-69c6916d9eb0'], freeForThisUser: 4, unitsCounted: 1 });
        assert.equal(row.detail, 'Assign Office 365 E3 (ENTERPRISEPACK) with only Exchange Online (Plan 2) (EXCHANGE_S_ENTERPRISE).');
    });

    it('a plan Microsoft\'s list does not name, or given by id, is shown as the recipe gives it', () => {
        const row = licenceStep.compare({ user: 'sa@contoso.com', sku: 'ENTERPRISEPACK', plans: ['efb87545-963c-4e0d-99df-69c6916d9eb0', 'CONTOSO_PLAN'] }, { user, sku, wantedPlanIds: [], freeForThisUser: 4, unitsCounted: 1 });
        assert.match(row.detail, /with only efb87545-963c-4e0d-99df-69c6916d9eb0, CONTOSO_PLAN\.$/);
    });
});
