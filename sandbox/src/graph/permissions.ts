import type { Principal, TenantState } from '../contracts';
import { denied } from './errors';

const globalAdministrator = '62e90394-69f5-4237-9190-012177145e10';
const globalReader = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';

/**
 * Graph's check: the token must carry one of the permissions the operation accepts (scp for delegated, roles for
 * app-only), and a delegated caller's directory role must allow it (a Global Reader reads, never writes).
 */
export function requirePermission(state: TenantState, principal: Principal, accepted: readonly string[], write: boolean): void {
    const granted = principal.kind === 'delegated' ? principal.scopes : principal.roles;
    if (!accepted.some(p => granted.includes(p))) throw denied();
    if (principal.kind === 'delegated' && principal.userId) {
        const roles = state.roleAssignments.filter(a => a.principalId === principal.userId).map(a => a.roleDefinitionId);
        const admin = roles.length > 0 && !roles.every(r => r === globalReader);
        if (write && !roles.includes(globalAdministrator) && !admin) throw denied();
    }
}

export const read = {
    users: ['User.ReadBasic.All', 'User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    groups: ['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    organization: ['User.Read', 'Organization.Read.All', 'Organization.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    domains: ['Domain.Read.All', 'Domain.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    skus: ['LicenseAssignment.Read.All', 'Organization.Read.All', 'Organization.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    roles: ['RoleManagement.Read.Directory', 'RoleManagement.ReadWrite.Directory', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    me: ['User.Read', 'User.ReadWrite', 'User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All'],
};
