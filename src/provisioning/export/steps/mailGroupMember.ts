import type { MailGroupMemberWant } from '../../steps/mailGroups';
import { commentText, psString } from '../powershell';
import { indent, progress, recipeAccount } from '../recipeScript';
import type { KindScript } from './scriptKind';

/**
 * A member of a mail-enabled group, named to Exchange by its Guid (from Get-User); the group by its address. Added when
 * missing, never removed by the set-up. Removing: Remove-DistributionGroupMember -BypassSecurityGroupManagerCheck
 * -Confirm:$false (MicrosoftDocs/office-docs-powershell:exchange/exchange-ps/ExchangePowerShell/Remove-DistributionGroupMember.md).
 */
export const mailGroupMemberScript: KindScript<MailGroupMemberWant> = {
    present(want, { recipe }) {
        const group = want.group.trim();
        const upn = want.member.trim();
        // A service account of this recipe may be minutes old: wait for its mailbox. Anyone else must exist already.
        const find = recipeAccount(recipe, upn) ? `Wait-ExchangeUser -UserPrincipalName ${psString(upn)} -WithMailbox` : `Get-User -Identity ${psString(upn)}`;
        return [
            `# ${commentText(upn)} in ${commentText(group)}`,
            `$members = @(Get-DistributionGroupMember -Identity ${psString(group)} -ResultSize Unlimited)`,
            `$member = ${find}`,
            'if (@($members | Where-Object { "$($_.Guid)" -eq "$($member.Guid)" }).Count) {',
            ...indent([progress(`${group}: ${upn} already a member`)]),
            '} else {',
            ...indent([`Add-DistributionGroupMember -Identity ${psString(group)} -Member "$($member.Guid)" -BypassSecurityGroupManagerCheck`, progress(`${group}: ${upn} added`)]),
            '}',
        ];
    },
    absent(want) {
        const group = want.group.trim();
        const upn = want.member.trim();
        return [
            `# ${commentText(upn)} out of ${commentText(group)}`,
            `$members = @(Get-IfPresent { Get-DistributionGroupMember -Identity ${psString(group)} -ResultSize Unlimited })`,
            `$member = Get-IfPresent { Get-User -Identity ${psString(upn)} }`,
            'if ($member -and @($members | Where-Object { "$($_.Guid)" -eq "$($member.Guid)" }).Count) {',
            ...indent([`Remove-DistributionGroupMember -Identity ${psString(group)} -Member "$($member.Guid)" -BypassSecurityGroupManagerCheck -Confirm:$false`, progress(`${group}: ${upn} taken out`)]),
            '} else {',
            ...indent([progress(`${group}: ${upn} is not a member`)]),
            '}',
        ];
    },
};
