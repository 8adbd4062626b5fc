import { commentText, opathString, psString, psStringArray } from './powershell';
import type { Recipe, RecipeCalendarGrant, RecipeMailEnabledGroup } from '../recipes/recipe';
import { indent, progress, recipeAccount, section, type ExportVariant } from './recipeScript';
import { cloudGrantMembers } from './recipeScriptCloud';
import { onPremisesGrantMembers } from './recipeScriptOnPremises';

/**
 * Steps 4 to 6, the same Exchange cmdlets in Exchange Online and Exchange Server. Every member is named to Exchange by
 * its Guid (from Get-User), which both accept and which cannot be mistaken for another recipient.
 */

/** Step 4: the account added to each role group it is not yet a member of. */
export function roleGroups(recipe: Recipe): string[] {
    const body = recipe.serviceAccounts.filter(a => a.exchangeRoleGroups?.length).flatMap(a => {
        const upn = a.userPrincipalName.trim();
        return [
            `# ${commentText(upn)}`,
            `$exchangeUser = Wait-ExchangeUser -UserPrincipalName ${psString(upn)}`,
            ...(a.exchangeRoleGroups ?? []).flatMap(group => [
                `$members = @(Get-RoleGroupMember -Identity ${psString(group.trim())} -ResultSize Unlimited)`,
                'if (@($members | Where-Object { "$($_.Guid)" -eq "$($exchangeUser.Guid)" }).Count) {',
                ...indent([progress(`${upn}: already in ${group.trim()}`)]),
                '} else {',
                ...indent([`Add-RoleGroupMember -Identity ${psString(group.trim())} -Member "$($exchangeUser.Guid)" -BypassSecurityGroupManagerCheck`, progress(`${upn}: added to ${group.trim()}`)]),
                '}',
            ]),
        ];
    });
    return section(4, [
        'Waits for Exchange to see a new account first (the guides: up to 30 minutes). -BypassSecurityGroupManagerCheck',
        'lets an Organization Management member change a role group they do not manage.',
    ], body.length ? body : [progress('none in this recipe')]);
}

/** Step 5: each group found by address, else created as the guide does; its settings and members brought in line. */
export function mailGroups(recipe: Recipe): string[] {
    const body = (recipe.mailEnabledGroups ?? []).flatMap(g => mailGroup(recipe, g));
    return section(5, [
        'Each group is looked up by its address first and created only when missing: a universal security group that',
        'nobody can join or leave by themselves (as the guide creates it). Hidden from the address lists and accepted',
        'senders are changed only where they differ from the recipe; members are added when missing, never removed.',
    ], body.length ? body : [progress('none in this recipe')]);
}

function mailGroup(recipe: Recipe, g: RecipeMailEnabledGroup): string[] {
    const address = g.primarySmtpAddress.trim();
    const name = g.name.trim();
    const lines = [
        `# ${commentText(name)} <${commentText(address)}>`,
        `$group = @(Get-DistributionGroup -Filter ${psString(`PrimarySmtpAddress -eq ${opathString(address)}`)} -ResultSize Unlimited)`,
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
    if (g.members?.length) {
        lines.push('$members = @(Get-DistributionGroupMember -Identity "$($group.Guid)" -ResultSize Unlimited)');
        for (const m of g.members) {
            const upn = m.trim();
            // A service account of this recipe may be minutes old: wait for its mailbox. Anyone else must exist already.
            const find = recipeAccount(recipe, upn) ? `Wait-ExchangeUser -UserPrincipalName ${psString(upn)} -WithMailbox` : `Get-User -Identity ${psString(upn)}`;
            lines.push(
                `$member = ${find}`,
                'if (@($members | Where-Object { "$($_.Guid)" -eq "$($member.Guid)" }).Count) {',
                ...indent([progress(`${address}: ${upn} already a member`)]),
                '} else {',
                ...indent([`Add-DistributionGroupMember -Identity "$($group.Guid)" -Member "$($member.Guid)" -BypassSecurityGroupManagerCheck`, progress(`${address}: ${upn} added`)]),
                '}',
            );
        }
    }
    return lines;
}

/** Step 6: each grant for every member of its group; failures are counted and end the script after all grants. */
export function calendarGrants(recipe: Recipe, variant: ExportVariant): string[] {
    const grants = recipe.calendarGrants ?? [];
    const body = grants.flatMap(grant => calendarGrant(grant, variant));
    return section(6, [
        'For each member of the group (members of nested groups included): the calendar folder found by its type, then',
        'the grantee\'s permission on it added, or changed only where it differs. A member without a mailbox is skipped.',
    ], body.length ? ['$failed = 0', ...body, 'if ($failed) { throw "$failed calendars could not be changed (see the warnings above). Fix what they say and run this script again: what is done stays done." }'] : [progress('none in this recipe')]);
}

function calendarGrant(grant: RecipeCalendarGrant, variant: ExportVariant): string[] {
    const name = grant.membersOf.trim();
    const grantee = grant.grantee.trim();
    return [
        `# ${grant.accessRight} for ${commentText(grantee)} on the calendars of the members of ${commentText(name)}`,
        ...(variant === 'cloud' ? cloudGrantMembers(grant) : onPremisesGrantMembers(grant)),
        progress(`${name}: ${grant.accessRight} for ${grantee}`),
        `$failed += Set-CalendarAccessForMembers -Members $members -Grantee ${psString(grantee)} -AccessRight ${psString(grant.accessRight)}`,
    ];
}
