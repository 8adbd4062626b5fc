import type { LicenceWant } from '../../steps/licences';
import { commentText, psString, psStringArray } from '../powershell';
import { indent, progress } from '../recipeScript';
import { cloudOnlyItem, type KindScript } from './scriptKind';
import { findCloudUser, recipeUser } from './serviceAccount';

const planList = (plans: string[] | 'all') => (plans === 'all' ? 'all plans' : plans.join(', '));

/**
 * A licence with the recipe's plans on, computed at run time (Set-ServiceAccountLicence). Removing: Set-MgUserLicense
 * -RemoveLicenses with the SKU's id (learn.microsoft.com/powershell/module/microsoft.graph.users.actions/set-mguserlicense).
 * On premises there are no licences: the script says what to do in the cloud.
 */
export const licenceScript: KindScript<LicenceWant> = {
    present(want, { target }) {
        const upn = want.user.trim();
        const sku = want.sku.trim();
        if (target.variant === 'onPremises') return cloudOnlyItem(`${upn}: ${sku} with ${planList(want.plans)}`, 'must be done in the cloud once the account syncs (not possible on premises)');
        const plans = want.plans === 'all' ? '-EnabledPlans @() -AllPlans' : `-EnabledPlans ${psStringArray(want.plans)}`;
        return [
            `# ${commentText(upn)}: ${commentText(want.sku)} with ${want.plans === 'all' ? 'all its plans' : `only ${commentText(want.plans.join(', '))}`} on`,
            `$outcome = Set-ServiceAccountLicence -User ${recipeUser(upn)} -Sku ${psString(sku)} ${plans}`,
            `Write-Host (${psString(`  ${upn}: ${sku} `)} + $outcome)`,
        ];
    },
    absent(want, { target }) {
        const upn = want.user.trim();
        const sku = want.sku.trim();
        if (target.variant === 'onPremises') return cloudOnlyItem(`${upn}: ${sku}`, 'goes with the account when Entra Connect syncs its deletion (or remove it in the cloud)');
        // A SKU the tenant does not have, or an account that is not there, holds nothing: nothing to remove.
        return [
            `# ${commentText(upn)}: ${commentText(sku)} removed`,
            ...findCloudUser(upn, ['Id', 'AssignedLicenses']),
            `$sku = @(Get-MgSubscribedSku -All | Where-Object { $_.SkuPartNumber -eq ${psString(sku)} -or $_.SkuId -eq ${psString(sku)} })`,
            'if ($user -and $sku.Count -eq 1 -and @($user.AssignedLicenses | Where-Object { $_.SkuId -eq $sku[0].SkuId }).Count) {',
            ...indent(['Set-MgUserLicense -UserId $user.Id -AddLicenses @() -RemoveLicenses @($sku[0].SkuId) | Out-Null', progress(`${upn}: ${sku} removed`)]),
            '} else {',
            ...indent([progress(`${upn}: does not hold ${sku}`)]),
            '}',
        ];
    },
};
