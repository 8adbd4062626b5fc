import type { RoleGroupWant } from '../../steps/roleGroups';
import { commentText, psString } from '../powershell';
import { indent, progress } from '../recipeScript';
import type { KindScript } from './scriptKind';

/**
 * Membership of an Exchange role group, the same cmdlets in Exchange Online and Exchange Server; the member is named
 * by its Guid (from Get-User). -BypassSecurityGroupManagerCheck lets an Organization Management member change a role
 * group they do not manage. Removing: Remove-RoleGroupMember
 * (MicrosoftDocs/office-docs-powershell:exchange/exchange-ps/ExchangePowerShell/Remove-RoleGroupMember.md), which asks
 * for confirmation unless -Confirm:$false.
 */
export const roleGroupScript: KindScript<RoleGroupWant> = {
    present(want) {
        const upn = want.member.trim();
        const group = want.roleGroup.trim();
        return [
            `# ${commentText(upn)} in ${commentText(group)}`,
            `$exchangeUser = Wait-ExchangeUser -UserPrincipalName ${psString(upn)}`,
            `$members = @(Get-RoleGroupMember -Identity ${psString(group)} -ResultSize Unlimited)`,
            'if (@($members | Where-Object { "$($_.Guid)" -eq "$($exchangeUser.Guid)" }).Count) {',
            ...indent([progress(`${upn}: already in ${group}`)]),
            '} else {',
            ...indent([`Add-RoleGroupMember -Identity ${psString(group)} -Member "$($exchangeUser.Guid)" -BypassSecurityGroupManagerCheck`, progress(`${upn}: added to ${group}`)]),
            '}',
        ];
    },
    absent(want) {
        const upn = want.member.trim();
        const group = want.roleGroup.trim();
        return [
            `# ${commentText(upn)} out of ${commentText(group)}`,
            `$exchangeUser = Get-IfPresent { Get-User -Identity ${psString(upn)} }`,
            `$members = @(Get-IfPresent { Get-RoleGroupMember -Identity ${psString(group)} -ResultSize Unlimited })`,
            'if ($exchangeUser -and @($members | Where-Object { "$($_.Guid)" -eq "$($exchangeUser.Guid)" }).Count) {',
            ...indent([`Remove-RoleGroupMember -Identity ${psString(group)} -Member "$($exchangeUser.Guid)" -BypassSecurityGroupManagerCheck -Confirm:$false`, progress(`${upn}: taken out of ${group}`)]),
            '} else {',
            ...indent([progress(`${upn}: not a member of ${group}`)]),
            '}',
        ];
    },
};
