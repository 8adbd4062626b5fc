import type { CalendarAccessWant } from '../../steps/calendarAccess';
import { commentText, ldapFilterValue, odataString, psString } from '../powershell';
import { progress } from '../recipeScript';
import type { KindScript, ScriptContext } from './scriptKind';

/**
 * Access for a grantee to the calendar of every member of a group: Set-CalendarAccessForMembers grants it, or changes
 * it where it differs; Remove-CalendarAccessForMembers revokes it where the grantee has an entry
 * (Remove-MailboxFolderPermission, MicrosoftDocs/office-docs-powershell:exchange/exchange-ps/ExchangePowerShell/Remove-MailboxFolderPermission.md).
 * Both find each calendar by its folder type, as its name is in the mailbox's language. A member's failure is counted
 * ($failed) and ends the script after every grant, so the others still get done.
 */
export const calendarAccessScript: KindScript<CalendarAccessWant> = {
    present(grant, ctx) {
        const name = grant.membersOf.trim();
        const grantee = grant.grantee.trim();
        return [
            `# ${grant.accessRight} for ${commentText(grantee)} on the calendars of the members of ${commentText(name)}`,
            ...groupMembers(grant, ctx),
            progress(`${name}: ${grant.accessRight} for ${grantee}`),
            `$failed += Set-CalendarAccessForMembers -Members $members -Grantee ${psString(grantee)} -AccessRight ${psString(grant.accessRight)}`,
        ];
    },
    absent(grant, ctx) {
        const name = grant.membersOf.trim();
        const grantee = grant.grantee.trim();
        return [
            `# ${commentText(grantee)}'s access revoked on the calendars of the members of ${commentText(name)}`,
            ...groupMembers(grant, ctx),
            progress(`${name}: revoking the access of ${grantee}`),
            `$failed += Remove-CalendarAccessForMembers -Members $members -Grantee ${psString(grantee)}`,
        ];
    },
};

function groupMembers(grant: CalendarAccessWant, { target }: ScriptContext): string[] {
    return target.variant === 'cloud' ? cloudGroupMembers(grant) : onPremisesGroupMembers(grant);
}

/**
 * The member list (cloud): the group by display name, members of nested groups included. The AsUser cmdlet is the
 * `/transitiveMembers/microsoft.graph.user` cast, an advanced query: it needs -ConsistencyLevel eventual and a
 * -CountVariable (which sends $count=true), as Microsoft's own example does (microsoftgraph/msgraph-sdk-powershell
 * src/Groups/v1.0/examples/Get-MgGroupTransitiveMemberAsUser.md; group-list-transitivemembers.md).
 */
function cloudGroupMembers(grant: CalendarAccessWant): string[] {
    const name = grant.membersOf.trim();
    return [
        `$group = @(Get-MgGroup -Filter ${psString(`displayName eq ${odataString(name)}`)} -Property Id, DisplayName -All)`,
        `if ($group.Count -ne 1) { throw (${psString(`Expected one group named "${name}", found `)} + $group.Count + ${psString('. Give it a unique name, or change membersOf in the recipe.')}) }`,
        '$members = @(Get-MgGroupTransitiveMemberAsUser -GroupId $group[0].Id -All -Property Id, UserPrincipalName -ConsistencyLevel eventual -CountVariable memberCount | ForEach-Object { $_.UserPrincipalName })',
    ];
}

/**
 * The member list (on premises): the group by name or display name; members of nested groups through AD's in-chain
 * matching rule, which (unlike Get-ADGroupMember -Recursive) has no 5,000-member limit.
 */
function onPremisesGroupMembers(grant: CalendarAccessWant): string[] {
    const name = grant.membersOf.trim();
    const value = ldapFilterValue(name);
    return [
        `$group = @(Get-ADGroup -LDAPFilter ${psString(`(|(displayName=${value})(name=${value}))`)})`,
        `if ($group.Count -ne 1) { throw (${psString(`Expected one group named "${name}", found `)} + $group.Count + ${psString('. Give it a unique name, or change membersOf in the recipe.')}) }`,
        '$members = @(Get-ADUser -LDAPFilter "(memberOf:1.2.840.113556.1.4.1941:=$(ConvertTo-LdapFilterValue $group[0].DistinguishedName))" | Where-Object { $_.UserPrincipalName } | ForEach-Object { $_.UserPrincipalName })',
    ];
}
