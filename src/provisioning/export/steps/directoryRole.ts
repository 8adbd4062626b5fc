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
            ...roleThatMustExist(role),
            `$user = ${recipeUser(upn)}`,
            ...assignRoleTo('$user', upn, role),
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
            ...takeRoleFrom('$user', upn, role),
        ];
    },
};

function roleDefinition(role: string): string {
    return `$role = @(Get-MgRoleManagementDirectoryRoleDefinition -Filter ${psString(`displayName eq ${odataString(role)}`)})`;
}

/** `$role`, the directory role by the name the admin centre shows; the script stops when there is none. */
export function roleThatMustExist(role: string): string[] {
    return [roleDefinition(role), `if ($role.Count -ne 1) { throw ${psString(`There is no directory role named "${role}" in this tenant: check its name in the Entra admin centre (Roles and administrators).`)} }`];
}

/** `$assignment`: what `principal` (a user or a service principal, `$user` / `$sp`) holds of `$role` for the whole tenant. */
const assignmentsOf = (principal: string) => `$assignment = @(Get-MgRoleManagementDirectoryRoleAssignment -Filter "principalId eq '$(${principal}.Id)'" -All | Where-Object { $_.RoleDefinitionId -eq $role[0].Id -and $_.DirectoryScopeId -eq '/' })`;

/**
 * Assigns `$role` to `principal` (`$user` or `$sp`, already looked up; `who` names it) for the whole tenant unless it
 * holds it, after role management has seen a new principal. Accounts and apps share it.
 */
export function assignRoleTo(principal: string, who: string, role: string): string[] {
    return [
        assignmentsOf(principal),
        'if ($assignment.Count) {',
        ...indent([progress(`${who}: ${role} already in place`)]),
        '} else {',
        ...indent([
            `$null = Invoke-AfterReplication -What ${psString(`role management to see ${who}`)} -Action { New-MgRoleManagementDirectoryRoleAssignment -PrincipalId ${principal}.Id -RoleDefinitionId $role[0].Id -DirectoryScopeId '/' }`,
            progress(`${who}: ${role} assigned`),
        ]),
        '}',
    ];
}

/**
 * Takes `$role` away from `principal` (`$user` or `$sp`, looked up leniently: it may be missing). An unknown role or a
 * missing principal holds nothing: nothing to take away (as the plan says), never an error.
 */
export function takeRoleFrom(principal: string, who: string, role: string): string[] {
    return [
        roleDefinition(role),
        '$assignment = @()',
        `if (${principal} -and $role.Count -eq 1) {`,
        ...indent([assignmentsOf(principal)]),
        '}',
        'if ($assignment.Count) {',
        ...indent([
            'foreach ($each in $assignment) { Remove-MgRoleManagementDirectoryRoleAssignment -UnifiedRoleAssignmentId $each.Id }',
            progress(`${who}: ${role} taken away`),
        ]),
        '} else {',
        ...indent([progress(`${who}: does not hold ${role}`)]),
        '}',
    ];
}
