import { serviceAccountEmployeeType } from '../../graph/serviceAccounts';
import { mailNicknameFor } from '../fields';
import { commentText, odataString, psString, psStringArray } from './powershell';
import type { Recipe, RecipeCalendarGrant, RecipeServiceAccount } from '../recipes/recipe';
import { indent, progress, section } from './recipeScript';

/** Where the cloud script keeps each account's Graph user between steps, by UPN. */
const account = (a: RecipeServiceAccount) => `$serviceAccounts[${psString(a.userPrincipalName.trim())}]`;

/** Step 1 (cloud): each account found by UPN, else created as the guides ask; usage location set when missing. */
export function cloudAccounts(recipe: Recipe): string[] {
    return section(1, [
        'Each account is looked up by its user principal name first and created only when missing: enabled, marked as a',
        `service account (employeeType ${serviceAccountEmployeeType}), a password that never expires and no change forced at the first`,
        'sign-in (the integration signs in, not a person). An existing account is left as it is, except that a missing usage',
        'location is set: licences need one.',
    ], ['$serviceAccounts = @{}', ...recipe.serviceAccounts.flatMap(cloudAccount)]);
}

function cloudAccount(a: RecipeServiceAccount): string[] {
    const upn = a.userPrincipalName.trim();
    const usage = a.usageLocation.trim().toUpperCase();
    return [
        `# ${commentText(upn)} (${commentText(a.displayName)})`,
        `$user = Get-MgUser -Filter ${psString(`userPrincipalName eq ${odataString(upn)}`)} -Property Id, UserPrincipalName, UsageLocation, AssignedLicenses`,
        'if ($user) {',
        ...indent([
            progress(`${upn}: already in place`),
            'if (-not $user.UsageLocation) {',
            ...indent([`Update-MgUser -UserId $user.Id -UsageLocation ${psString(usage)}`, progress(`${upn}: usage location set to ${usage}`)]),
            '}',
        ]),
        '} else {',
        ...indent([
            '$password = New-ServiceAccountPassword',
            `$user = New-MgUser -UserPrincipalName ${psString(upn)} -DisplayName ${psString(a.displayName.trim())} -MailNickname ${psString(mailNicknameFor(upn))} -AccountEnabled:$true -UsageLocation ${psString(usage)} -EmployeeType ${psString(serviceAccountEmployeeType)} -PasswordPolicies 'DisablePasswordExpiration' -PasswordProfile @{ Password = $password; ForceChangePasswordNextSignIn = $false }`,
            progress(`${upn}: created`),
            `Show-PasswordOnce -Account ${psString(upn)} -Password $password`,
            '$password = $null',
        ]),
        '}',
        `${account(a)} = $user`,
    ];
}

/** Step 2 (cloud): each licence with the recipe's plans on, computed at run time (Set-ServiceAccountLicence). */
export function cloudLicences(recipe: Recipe): string[] {
    const licensed = recipe.serviceAccounts.filter(a => a.licence);
    const body = licensed.flatMap(a => {
        const upn = a.userPrincipalName.trim();
        const licence = a.licence ?? { sku: '', enabledPlans: 'all' as const };
        const plans = licence.enabledPlans === 'all' ? '-EnabledPlans @() -AllPlans' : `-EnabledPlans ${psStringArray(licence.enabledPlans)}`;
        return [
            `# ${commentText(upn)}: ${commentText(licence.sku)} with ${licence.enabledPlans === 'all' ? 'all its plans' : `only ${commentText(licence.enabledPlans.join(', '))}`} on`,
            `$outcome = Set-ServiceAccountLicence -User ${account(a)} -Sku ${psString(licence.sku.trim())} ${plans}`,
            `Write-Host (${psString(`  ${upn}: ${licence.sku.trim()} `)} + $outcome)`,
        ];
    });
    return section(2, [
        'The licence by part number (ENTERPRISEPACK) or SKU id; only the plans the recipe names are switched on, and plans',
        'the account already has on stay on.',
    ], body.length ? body : [progress('none in this recipe')]);
}

/** Step 3 (cloud): each directory role assigned for the whole tenant (scope /), when not already. */
export function cloudRoles(recipe: Recipe): string[] {
    const body = recipe.serviceAccounts.flatMap(a => (a.directoryRoles ?? []).flatMap(role => {
        const upn = a.userPrincipalName.trim();
        return [
            `# ${commentText(upn)}: ${commentText(role)}`,
            `$role = @(Get-MgRoleManagementDirectoryRoleDefinition -Filter ${psString(`displayName eq ${odataString(role.trim())}`)})`,
            `if ($role.Count -ne 1) { throw ${psString(`There is no directory role named "${role.trim()}" in this tenant: check its name in the Entra admin centre (Roles and administrators).`)} }`,
            `$user = ${account(a)}`,
            `$assignment = @(Get-MgRoleManagementDirectoryRoleAssignment -Filter "principalId eq '$($user.Id)'" -All | Where-Object { $_.RoleDefinitionId -eq $role[0].Id -and $_.DirectoryScopeId -eq '/' })`,
            'if ($assignment.Count) {',
            ...indent([progress(`${upn}: ${role.trim()} already in place`)]),
            '} else {',
            ...indent([
                `$null = Invoke-AfterReplication -What ${psString(`role management to see ${upn}`)} -Action { New-MgRoleManagementDirectoryRoleAssignment -PrincipalId $user.Id -RoleDefinitionId $role[0].Id -DirectoryScopeId '/' }`,
                progress(`${upn}: ${role.trim()} assigned`),
            ]),
            '}',
        ];
    }));
    return section(3, [
        'Each role for the whole tenant (DirectoryScopeId /), looked up by the name the Entra admin centre shows; an',
        'assignment that exists is left alone.',
    ], body.length ? body : [progress('none in this recipe')]);
}

/**
 * Step 6's member list (cloud): the group by display name, members of nested groups included. The AsUser cmdlet is the
 * `/transitiveMembers/microsoft.graph.user` cast, an advanced query: it needs -ConsistencyLevel eventual and a
 * -CountVariable (which sends $count=true), as Microsoft's own example does (microsoftgraph/msgraph-sdk-powershell
 * src/Groups/v1.0/examples/Get-MgGroupTransitiveMemberAsUser.md; group-list-transitivemembers.md).
 */
export function cloudGrantMembers(grant: RecipeCalendarGrant): string[] {
    const name = grant.membersOf.trim();
    return [
        `$group = @(Get-MgGroup -Filter ${psString(`displayName eq ${odataString(name)}`)} -Property Id, DisplayName -All)`,
        `if ($group.Count -ne 1) { throw (${psString(`Expected one group named "${name}", found `)} + $group.Count + ${psString('. Give it a unique name, or change membersOf in the recipe.')}) }`,
        '$members = @(Get-MgGroupTransitiveMemberAsUser -GroupId $group[0].Id -All -Property Id, UserPrincipalName -ConsistencyLevel eventual -CountVariable memberCount | ForEach-Object { $_.UserPrincipalName })',
    ];
}
