import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import { grantAppRole, grantAppRolesScopes, revokeAppRole } from '../../graph/applications';
import { GraphRequestError } from '../../graph/GraphRequestError';
import { ProvisioningInputError } from '../errors';
import { appAtWrite, applicationNamed, type AppFound } from './applicationLookup';
import type { AppPermissionWant } from './applicationWants';
import { closestNames } from './closestNames';
import { isAbsent, type Step, type WriteContext } from './contract';

export interface AppPermissionHave extends AppFound {
    /** The API's service principal in this tenant (the resource of the grant). */
    resource?: MicrosoftGraph.ServicePrincipal;
    /** The permission's app role on that API (undefined only for an absent want naming an unknown permission). */
    appRole?: MicrosoftGraph.AppRole;
    /** The grant, when the app holds it. */
    assignment?: MicrosoftGraph.AppRoleAssignment;
}

const o = (ctx: WriteContext) => (ctx.signal ? { signal: ctx.signal } : {});

/**
 * An application permission with admin consent: an app role assignment from the app's service principal to the API's
 * (serviceprincipal-post-approleassignments.md: principalId, resourceId, appRoleId). It holds for the whole tenant.
 * The permission's id is read off the API's service principal (its appRoles), so an unknown name is refused before
 * any change, naming the closest values the API offers.
 */
export const appPermissionStep: Step<AppPermissionWant, AppPermissionHave> = {
    kind: 'grantAppPermission',
    label: 'Grant API permission',
    writeScopes: grantAppRolesScopes,
    target: want => `${want.application.trim()} → ${want.api} ${want.permission.trim()}`,
    async read(reads, want) {
        const found = await applicationNamed(reads, want.application);
        const resource = await reads.resourceServicePrincipal(want.api);
        const offered = (resource?.appRoles ?? []).filter(r => (r.allowedMemberTypes ?? []).includes('Application') && r.value);
        const appRole = offered.find(r => r.value === want.permission.trim());
        if (!appRole && !isAbsent(want)) {
            if (!resource) throw new ProvisioningInputError(`${want.api} has no service principal in this tenant, so its permissions cannot be granted.`, 'permission', '');
            const close = closestNames(want.permission.trim(), offered.map(r => r.value ?? ''));
            throw new ProvisioningInputError(`${want.api} has no application permission "${want.permission.trim()}".${close.length ? ` Did you mean ${close.map(c => `"${c}"`).join(' or ')}?` : ''} Permission names are as the admin centre's "API permissions" page shows them, e.g. "User.Read.All".`, 'permission', '');
        }
        const assignment = found.servicePrincipal?.id && resource?.id && appRole?.id
            ? (await reads.appRoleAssignments(found.servicePrincipal.id)).find(a => a.resourceId === resource.id && a.appRoleId === appRole.id)
            : undefined;
        return { ...found, ...(resource ? { resource } : {}), ...(appRole ? { appRole } : {}), ...(assignment ? { assignment } : {}) };
    },
    compare(want, have) {
        const name = want.application.trim();
        const permission = `${want.api} ${want.permission.trim()}`;
        if (isAbsent(want)) return have.assignment ? { status: 'remove', detail: `Revoke ${permission} from ${name}.` } : { status: 'done', detail: `${name} does not hold ${permission}.` };
        if (have.assignment) return { status: 'done', detail: `${name} holds ${permission} (admin consent, for the whole tenant).` };
        return { status: 'create', detail: `Grant ${name} ${permission} with admin consent: it holds for the whole tenant${have.appRole?.displayName ? ` (${have.appRole.displayName})` : ''}.` };
    },
    async write(ctx, want, have) {
        const permission = `${want.api} ${want.permission.trim()}`;
        if (have.assignment) return { outcome: 'alreadyInPlace', detail: `${permission} granted.` };
        if (!have.resource?.id || !have.appRole?.id) throw new Error(`${permission} is not offered by the tenant's ${want.api} service principal.`);
        const app = await appAtWrite(ctx, want.application, have);
        try {
            await grantAppRole(ctx.graph, app.servicePrincipalId, have.resource.id, have.appRole.id, o(ctx));
        } catch (error) {
            // "Permission being assigned already exists on the object": granted meanwhile (or by a lost try).
            if (error instanceof GraphRequestError && error.status === 400 && /already exists/i.test(error.message)) return { outcome: 'alreadyInPlace', detail: `${permission} granted.` };
            throw error;
        }
        return { outcome: 'created', detail: `${permission} granted with admin consent.` };
    },
    async remove(ctx, want, have) {
        const permission = `${want.api} ${want.permission.trim()}`;
        if (!have.assignment?.id || !have.servicePrincipal?.id) return { outcome: 'alreadyInPlace', detail: `${permission} not held.` };
        try {
            await revokeAppRole(ctx.graph, have.servicePrincipal.id, have.assignment.id, o(ctx));
        } catch (error) {
            if (!(error instanceof GraphRequestError && error.isNotFound)) throw error;
        }
        return { outcome: 'removed', detail: `${permission} revoked.` };
    },
};
