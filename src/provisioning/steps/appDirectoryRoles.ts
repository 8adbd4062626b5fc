import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import { appAtWrite, applicationNamed, type AppFound } from './applicationLookup';
import type { AppDirectoryRoleWant } from './applicationWants';
import { isAbsent, type Step } from './contract';
import { compareRole, removeRoleAssignment, roleDefinitionFor, writeRoleAssignment } from './directoryRoles';

export interface AppDirectoryRoleHave extends AppFound {
    definition: MicrosoftGraph.UnifiedRoleDefinition;
    assignment?: MicrosoftGraph.UnifiedRoleAssignment;
}

/**
 * An Entra directory role for the app's service principal, for the whole tenant (rbacapplication-post-roleassignments.md:
 * the principal may be a service principal; its app-only tokens then carry the role in `wids`). Where the job is
 * reading (reports, inventory), Global Reader gives that without any write. The role lookup, the assignment and its
 * removal are the account role step's own (directoryRoles.ts), with the service principal as principal.
 */
export const appDirectoryRoleStep: Step<AppDirectoryRoleWant, AppDirectoryRoleHave> = {
    kind: 'assignAppRole',
    label: 'Give directory role to app',
    writeScopes: ['RoleManagement.ReadWrite.Directory'],
    target: want => `${want.application.trim()} → ${want.role.trim()}`,
    async read(reads, want) {
        const found = await applicationNamed(reads, want.application);
        const definition = roleDefinitionFor(await reads.roleDefinitions(), want.role, isAbsent(want)) ?? { displayName: want.role.trim() };
        const spId = found.servicePrincipal?.id;
        const assignment = spId && definition.id ? (await reads.roleAssignments(spId)).find(a => a.roleDefinitionId === definition.id) : undefined;
        return { ...found, definition, ...(assignment ? { assignment } : {}) };
    },
    compare: (want, have) => compareRole(want.application.trim(), isAbsent(want), have.definition, have.assignment, want.role),
    async write(ctx, want, have) {
        if (have.assignment) return { outcome: 'alreadyInPlace', detail: `${have.definition.displayName ?? want.role.trim()} for the whole tenant.` };
        const app = await appAtWrite(ctx, want.application, have);
        return writeRoleAssignment(ctx, have.definition, app.servicePrincipalId, want.role);
    },
    remove: (ctx, want, have) => removeRoleAssignment(ctx, have.definition, have.assignment, want.role),
};
