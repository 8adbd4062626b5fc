import type { RoleWant } from '../../steps/directoryRoles';
import { commentText, odataString, psString } from '../powershell';
import { indent, progress } from '../recipeScript';
import { cloudOnlyItem, type KindScript } from './scriptKind';
import { findCloudUser, recipeUser } from './serviceAccount';

/**
 * A directory role for the whole tenant (DirectoryScopeId /), looked up by the name the Entra admin centre shows.
 * Removing: Remove-MgRoleManagementDirectoryRoleAssignment -UnifiedRoleAssignmentId (RoleManagement.ReadWrite.Directory;
 * learn.microsoft.com/powershell/module/microsoft.graph.identity.governance/remove-mgrolemanagementdirectoryroleassignment).
 * On premises there are no directory roles: the script says what to do in the cloud.
 */
export const directoryRoleScript: KindScript<RoleWant> = {
    present(want, { target }) {
        const upn = want.principal.trim();
        const role = want.role.trim();
        if (target.variant === 'onPremises') return cloudOnlyItem(`${upn}: ${role}`, 'must be done in the cloud once the account syncs (not possible on premises)');
        return [
            `# ${commentText(upn)}: ${commentText(role)}`,
            ...roleDefinition(role),
            `if ($role.Count -ne 1) { throw ${psString(`There is no directory role named "${role}" in this tenant: check its name in the Entra admin centre (Roles and administrators).`)} }`,
            `$user = ${recipeUser(upn)}`,
            `$assignment = @(Get-MgRoleManagementDirectoryRoleAssignment -Filter "principalId eq '$($user.Id)'" -All | Where-Object { $_.RoleDefinitionId -eq $role[0].Id -and $_.DirectoryScopeId -eq '/' })`,
            'if ($assignment.Count) {',
            ...indent([progress(`${upn}: ${role} already in place`)]),
            '} else {',
            ...indent([
                `$null = Invoke-AfterReplication -What ${psString(`role management to see ${upn}`)} -Action { New-MgRoleManagementDirectoryRoleAssignment -PrincipalId $user.Id -RoleDefinitionId $role[0].Id -DirectoryScopeId '/' }`,
                progress(`${upn}: ${role} assigned`),
            ]),
            '}',
        ];
    },
    absent(want, { target }) {
        const upn = want.principal.trim();
        const role = want.role.trim();
        if (target.variant === 'onPremises') return cloudOnlyItem(`${upn}: ${role}`, 'goes with the account when Entra Connect syncs its deletion (or take it away in the cloud)');
        // An unknown role or a missing account holds nothing: nothing to take away (as the plan says), never an error.
        return [
            `# ${commentText(upn)}: ${commentText(role)} taken away`,
            ...findCloudUser(upn, ['Id']),
            ...roleDefinition(role),
            '$assignment = @()',
            'if ($user -and $role.Count -eq 1) {',
            ...indent(['$assignment = @(Get-MgRoleManagementDirectoryRoleAssignment -Filter "principalId eq \'$($user.Id)\'" -All | Where-Object { $_.RoleDefinitionId -eq $role[0].Id -and $_.DirectoryScopeId -eq \'/\' })']),
            '}',
            'if ($assignment.Count) {',
            ...indent([
                'foreach ($each in $assignment) { Remove-MgRoleManagementDirectoryRoleAssignment -UnifiedRoleAssignmentId $each.Id }',
                progress(`${upn}: ${role} taken away`),
            ]),
            '} else {',
            ...indent([progress(`${upn}: does not hold ${role}`)]),
            '}',
        ];
    },
};

function roleDefinition(role: string): string[] {
    return [`$role = @(Get-MgRoleManagementDirectoryRoleDefinition -Filter ${psString(`displayName eq ${odataString(role)}`)})`];
}
