import type { NewMailEnabledSecurityGroup } from '../../steps/mailGroups';
import { commentText, opathString, psString, psStringArray } from '../powershell';
import { indent, progress } from '../recipeScript';
import type { KindScript } from './scriptKind';

const findGroup = (address: string) => `$group = @(Get-DistributionGroup -Filter ${psString(`PrimarySmtpAddress -eq ${opathString(address)}`)} -ResultSize Unlimited)`;

/**
 * The guide's mail-enabled security group: found by address, else created; its settings brought in line. Removing:
 * Remove-DistributionGroup with -BypassSecurityGroupManagerCheck, needed unless the admin running it owns the group
 * (MicrosoftDocs/office-docs-powershell:exchange/exchange-ps/ExchangePowerShell/Remove-DistributionGroup.md), and
 * -Confirm:$false, as it asks otherwise. Only a mail-enabled security group is removed: anything else at the address
 * is not the recipe's group (the plan blocks it too).
 */
export const mailGroupScript: KindScript<NewMailEnabledSecurityGroup> = {
    present(g) {
        const address = g.primarySmtpAddress.trim();
        const name = g.name.trim();
        const lines = [
            `# ${commentText(name)} <${commentText(address)}>`,
            findGroup(address),
            'if ($group.Count) {',
            ...indent([progress(`${address}: already in place`)]),
            '} else {',
            ...indent([
                `$group = @(New-DistributionGroup -Name ${psString(name)} -DisplayName ${psString(name)} -Alias ${psString(address.split('@')[0])} -PrimarySmtpAddress ${psString(address)} -Type Security -MemberJoinRestriction Closed -MemberDepartRestriction Closed)`,
                progress(`${address}: created`),
            ]),
            '}',
            '$group = $group[0]',
        ];
        if (g.hiddenFromAddressLists !== undefined) {
            const hidden = g.hiddenFromAddressLists ? '$true' : '$false';
            lines.push(
                `if ($group.HiddenFromAddressListsEnabled -ne ${hidden}) {`,
                ...indent([`Set-DistributionGroup -Identity "$($group.Guid)" -HiddenFromAddressListsEnabled ${hidden} -BypassSecurityGroupManagerCheck`, progress(`${address}: ${g.hiddenFromAddressLists ? 'hidden from' : 'shown in'} the address lists`)]),
                '}',
            );
        }
        if (g.acceptMessagesOnlyFrom?.length) {
            // The recipe's list is the whole list ("only these senders"): set when any is missing or others are listed.
            lines.push(
                `$senders = @(${psStringArray(g.acceptMessagesOnlyFrom.map(s => s.trim()))} | ForEach-Object { Get-Recipient -Identity $_ })`,
                '$listed = @($group.AcceptMessagesOnlyFromSendersOrMembers | Where-Object { $_ })',
                'if ($listed.Count -ne $senders.Count -or @($senders | Where-Object { -not (Test-RecipientListed -List $listed -Recipient $_) }).Count) {',
                ...indent([`Set-DistributionGroup -Identity "$($group.Guid)" -AcceptMessagesOnlyFromSendersOrMembers @($senders | ForEach-Object { "$($_.Guid)" }) -BypassSecurityGroupManagerCheck`, progress(`${address}: accepts mail only from ${g.acceptMessagesOnlyFrom.map(s => s.trim()).join(', ')}`)]),
                '}',
            );
        }
        return lines;
    },
    absent(g) {
        const address = g.primarySmtpAddress.trim();
        return [
            `# ${commentText(g.name.trim())} <${commentText(address)}>`,
            findGroup(address),
            'if ($group.Count) {',
            ...indent([
                `if ($group[0].RecipientTypeDetails -ne 'MailUniversalSecurityGroup') { throw (${psString(`${address} is a `)} + $group[0].RecipientTypeDetails + ${psString(', not the recipe\'s mail-enabled security group: it was not removed. Check the address in the recipe.')}) }`,
                'Remove-DistributionGroup -Identity "$($group[0].Guid)" -BypassSecurityGroupManagerCheck -Confirm:$false',
                progress(`${address}: removed`),
            ]),
            '} else {',
            ...indent([progress(`${address}: not in the organisation`)]),
            '}',
        ];
    },
};
