import type { ExchangeAppRoleAssignment, ExchangeServicePrincipal, ManagementScope, SandboxContext, TenantState } from '../contracts';
import { applicationRoles, assignmentCovers, compileScopeFilter } from './appAuthorization';
import { ExchangeError, invalidParameter, notFound } from './errors';
import { OpathError } from './opath';
import { resolveRecipient } from './recipients';

type Parameters = Record<string, unknown>;
interface CmdletResult { value: Record<string, unknown>[]; warnings?: string[] }
type Cmdlet = (ctx: SandboxContext, p: Parameters) => CmdletResult;

/*
 * RBAC for Applications in Exchange Online (MicrosoftDocs/OfficeDocs-Exchange
 * `Exchange/ExchangeOnline/permissions-exo/application-rbac.md`): a pointer to the Entra service principal
 * (New-ServicePrincipal), an optional management scope (New-ManagementScope -RecipientRestrictionFilter), a role
 * assignment of an "Application …" role to the pointer (New-ManagementRoleAssignment -App -Role -CustomResourceScope),
 * and Test-ServicePrincipalAuthorization to see what it grants. Parameters and output fields: office-docs-powershell
 * `exchange/exchange-ps/ExchangePowerShell/<Cmdlet>.md` for each cmdlet below.
 */

const text = (p: Parameters, name: string): string | undefined => (typeof p[name] === 'string' && p[name] !== '' ? p[name] : undefined);
const need = (p: Parameters, name: string, cmdlet: string): string => {
    const value = text(p, name);
    if (!value) throw invalidParameter(`Cannot process argument transformation on parameter '${name}' of ${cmdlet}: a value is required.`);
    return value;
};
const same = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();
/** Exchange's "already exists" (the JSON-form pinned body of issue 13 names this type). */
const alreadyExists = (what: string) => new ExchangeError(400, 'Microsoft.Exchange.Data.Directory.ADObjectAlreadyExistsException', `The object '${what}' already exists.`);

/**
 * The Entra service principal with this object id, as far as Exchange needs it. The only place that reads the tenant's
 * app registrations (`state.apps`), so a change of their shape touches this function alone.
 */
export function entraServicePrincipal(state: TenantState, objectId: string): { appId: string; objectId: string; displayName: string } | undefined {
    const app = state.apps.find(a => a.servicePrincipalId.toLowerCase() === objectId.toLowerCase());
    return app ? { appId: app.appId, objectId: app.servicePrincipalId, displayName: app.displayName } : undefined;
}

const pointers = (state: TenantState) => (state.exchangeServicePrincipals ??= []);
const scopes = (state: TenantState) => (state.managementScopes ??= []);
const assignments = (state: TenantState) => (state.exchangeAppRoleAssignments ??= []);

/** -Identity of a pointer: "any value that uniquely identifies the service principal" — name, GUID, AppId, ObjectId (ServiceId). */
function pointer(state: TenantState, identity: string): ExchangeServicePrincipal {
    const found = pointers(state).filter(sp => [sp.identity, sp.displayName, sp.appId, sp.objectId].some(v => same(v, identity)));
    if (found.length > 1) throw new ExchangeError(400, 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectAmbiguousException', `The operation couldn't be performed because '${identity}' matches multiple entries.`);
    if (!found[0]) throw notFound(identity);
    return found[0];
}

function scope(state: TenantState, identity: string): ManagementScope {
    const found = scopes(state).find(s => same(s.name, identity) || same(s.id, identity));
    if (!found) throw notFound(identity);
    return found;
}

function assignment(state: TenantState, identity: string): ExchangeAppRoleAssignment {
    const found = assignments(state).find(a => same(a.name, identity) || same(a.id, identity));
    if (!found) throw notFound(identity);
    return found;
}

/** Get-ServicePrincipal's fields (Get-ServicePrincipal.md's example: DisplayName, ObjectId, AppId; Identity). */
function pointerShape(sp: ExchangeServicePrincipal): Record<string, unknown> {
    return { Identity: sp.identity, Name: sp.identity, DisplayName: sp.displayName, AppId: sp.appId, ObjectId: sp.objectId, ServiceId: sp.objectId, Guid: sp.identity };
}

/** Get-ManagementScope's fields; only recipient scopes (ScopeRestrictionType RecipientScope), never exclusive. */
function scopeShape(s: ManagementScope): Record<string, unknown> {
    return { Identity: s.name, Name: s.name, RecipientRestrictionFilter: s.recipientRestrictionFilter, RecipientRoot: null, ScopeRestrictionType: 'RecipientScope', Exclusive: false, Guid: s.id };
}

function assignmentShape(state: TenantState, a: ExchangeAppRoleAssignment): Record<string, unknown> {
    const sp = pointers(state).find(x => x.identity === a.servicePrincipal);
    return {
        Identity: a.name,
        Name: a.name,
        Role: a.role,
        RoleAssignee: a.servicePrincipal,
        RoleAssigneeName: sp?.displayName ?? a.servicePrincipal,
        RoleAssigneeType: 'ServicePrincipal',
        CustomResourceScope: a.customResourceScope ?? null,
        RecipientWriteScope: a.customResourceScope ? 'CustomRecipientScope' : 'Organization',
        Enabled: true,
        Guid: a.id,
    };
}

function checkedFilter(filter: string): void {
    try {
        compileScopeFilter(filter);
    } catch (error) {
        // The OPATH parser words its errors for -Filter; here the parameter is RecipientRestrictionFilter.
        if (error instanceof OpathError) throw invalidParameter(error.message.replace(/'Filter'/g, "'RecipientRestrictionFilter'").replace(/"Filter"/g, '"RecipientRestrictionFilter"'));
        throw error;
    }
}

export const appRbacCmdlets: Record<string, Cmdlet> = {
    /**
     * "In Exchange Online, service principals are references to the service principals in Microsoft Entra ID"
     * (New-ServicePrincipal.md; -AppId and -ObjectId, formerly -ServiceId, required). Stricter than documented: the
     * ObjectId must be a service principal of this tenant and belong to that AppId (Exchange's behaviour for a wrong or
     * foreign id is not documented: A60).
     */
    'New-ServicePrincipal': (ctx, p) => {
        const appId = need(p, 'AppId', 'New-ServicePrincipal');
        const objectId = text(p, 'ObjectId') ?? need(p, 'ServiceId', 'New-ServicePrincipal');
        const entra = entraServicePrincipal(ctx.state, objectId);
        if (!entra) throw invalidParameter(`The service principal with ObjectId '${objectId}' couldn't be found in Microsoft Entra ID. Use the Object ID of the Enterprise application (service principal), not of the app registration.`);
        if (entra.appId.toLowerCase() !== appId.toLowerCase()) throw invalidParameter(`The service principal '${objectId}' belongs to the application '${entra.appId}', not to '${appId}'.`);
        if (pointers(ctx.state).some(sp => same(sp.objectId, objectId) || same(sp.appId, appId))) throw alreadyExists(objectId);
        const sp: ExchangeServicePrincipal = { appId: entra.appId, objectId: entra.objectId, displayName: text(p, 'DisplayName') ?? entra.displayName, identity: ctx.newId() };
        pointers(ctx.state).push(sp);
        return { value: [pointerShape(sp)] };
    },
    'Get-ServicePrincipal': (ctx, p) => {
        const identity = text(p, 'Identity');
        return { value: (identity ? [pointer(ctx.state, identity)] : pointers(ctx.state)).map(pointerShape) };
    },
    /** Refused while role assignments still name it (the stricter answer; A62). */
    'Remove-ServicePrincipal': (ctx, p) => {
        const sp = pointer(ctx.state, need(p, 'Identity', 'Remove-ServicePrincipal'));
        const inUse = assignments(ctx.state).filter(a => a.servicePrincipal === sp.identity);
        if (inUse.length) throw new ExchangeError(400, 'Microsoft.Exchange.Management.RbacTasks.ServicePrincipalInUseException', `The service principal '${sp.displayName}' can't be removed because it's assigned the role assignments ${inUse.map(a => `'${a.name}'`).join(', ')}. Remove them first.`);
        ctx.state.exchangeServicePrincipals = pointers(ctx.state).filter(x => x !== sp);
        return { value: [] };
    },
    /**
     * A recipient scope from an OPATH filter (New-ManagementScope.md, -RecipientRestrictionFilter, e.g.
     * `MemberOfGroup -eq '<group DN>'`); a filter Exchange cannot parse is refused with the parser's text.
     */
    'New-ManagementScope': (ctx, p) => {
        const name = need(p, 'Name', 'New-ManagementScope');
        const filter = need(p, 'RecipientRestrictionFilter', 'New-ManagementScope');
        if (p.Exclusive !== undefined && p.Exclusive !== false) throw invalidParameter('Exclusive management scopes are not supported by the sandbox.');
        checkedFilter(filter);
        if (scopes(ctx.state).some(s => same(s.name, name))) throw alreadyExists(name);
        const s: ManagementScope = { id: ctx.newId(), name, recipientRestrictionFilter: filter };
        scopes(ctx.state).push(s);
        return { value: [scopeShape(s)] };
    },
    'Get-ManagementScope': (ctx, p) => {
        const identity = text(p, 'Identity');
        return { value: (identity ? [scope(ctx.state, identity)] : scopes(ctx.state)).map(scopeShape) };
    },
    /** A scope that role assignments still use cannot be removed (Remove-ManagementScope.md: remove them first; A62). */
    'Remove-ManagementScope': (ctx, p) => {
        const s = scope(ctx.state, need(p, 'Identity', 'Remove-ManagementScope'));
        const inUse = assignments(ctx.state).filter(a => same(a.customResourceScope, s.name));
        if (inUse.length) throw new ExchangeError(400, 'Microsoft.Exchange.Management.RbacTasks.ScopeInUseException', `The management scope '${s.name}' can't be removed because it's used by the role assignments ${inUse.map(a => `'${a.name}'`).join(', ')}.`);
        ctx.state.managementScopes = scopes(ctx.state).filter(x => x !== s);
        return { value: [] };
    },
    /**
     * `-App <service principal> -Role "Application …" [-CustomResourceScope <scope>] [-Name]` (New-ManagementRoleAssignment.md,
     * the -App parameter set). Only the "Application …" roles of application-rbac.md are known here; any other role, an
     * unknown pointer or scope is "couldn't be found". The name defaults to `<role>-<app display name>` (Exchange makes
     * one up when -Name is left out; its exact form is A63).
     */
    'New-ManagementRoleAssignment': (ctx, p) => {
        const app = pointer(ctx.state, need(p, 'App', 'New-ManagementRoleAssignment'));
        const roleName = need(p, 'Role', 'New-ManagementRoleAssignment');
        const role = Object.keys(applicationRoles).find(r => same(r, roleName));
        if (!role) throw notFound(roleName);
        const scopeName = text(p, 'CustomResourceScope');
        const s = scopeName === undefined ? undefined : scope(ctx.state, scopeName);
        const name = text(p, 'Name') ?? `${role}-${app.displayName}`;
        if (assignments(ctx.state).some(a => same(a.name, name))) throw alreadyExists(name);
        const a: ExchangeAppRoleAssignment = { id: ctx.newId(), name, role, servicePrincipal: app.identity, ...(s ? { customResourceScope: s.name } : {}) };
        assignments(ctx.state).push(a);
        return { value: [assignmentShape(ctx.state, a)] };
    },
    'Get-ManagementRoleAssignment': (ctx, p) => {
        const identity = text(p, 'Identity');
        let found = identity ? [assignment(ctx.state, identity)] : assignments(ctx.state);
        const role = text(p, 'Role');
        if (role) found = found.filter(a => same(a.role, role));
        const assignee = text(p, 'RoleAssignee');
        if (assignee) {
            const sp = pointer(ctx.state, assignee);
            found = found.filter(a => a.servicePrincipal === sp.identity);
        }
        return { value: found.map(a => assignmentShape(ctx.state, a)) };
    },
    'Remove-ManagementRoleAssignment': (ctx, p) => {
        const a = assignment(ctx.state, need(p, 'Identity', 'Remove-ManagementRoleAssignment'));
        ctx.state.exchangeAppRoleAssignments = assignments(ctx.state).filter(x => x !== a);
        return { value: [] };
    },
    /**
     * One row per role assignment of the service principal: RoleName, GrantedPermissions, AllowedResourceScope (the
     * scope's name, or `Organization`), ScopeType (`CustomRecipientScope` / `Organization`) and InScope — whether the
     * -Resource mailbox is inside, or `Not Run` without -Resource (Test-ServicePrincipalAuthorization.md, examples 1
     * and 2). It reads Exchange's grants only: a tenant-wide Entra consent for the same permission is not shown.
     */
    'Test-ServicePrincipalAuthorization': (ctx, p) => {
        const sp = pointer(ctx.state, need(p, 'Identity', 'Test-ServicePrincipalAuthorization'));
        const resource = text(p, 'Resource');
        let mailboxOwner: string | undefined;
        if (resource !== undefined) {
            const recipient = resolveRecipient(ctx, resource, 'user');
            if (recipient.kind !== 'user' || !recipient.mailbox) throw notFound(resource);
            mailboxOwner = recipient.user.id;
        }
        return {
            value: assignments(ctx.state).filter(a => a.servicePrincipal === sp.identity).map(a => ({
                RoleName: a.role,
                GrantedPermissions: applicationRoles[a.role] ?? '',
                AllowedResourceScope: a.customResourceScope ?? 'Organization',
                ScopeType: a.customResourceScope ? 'CustomRecipientScope' : 'Organization',
                InScope: mailboxOwner === undefined ? 'Not Run' : assignmentCovers(ctx.state, a, mailboxOwner),
            })),
        };
    },
};

export const appRbacParameters: Record<string, string[]> = {
    'New-ServicePrincipal': ['AppId', 'ObjectId', 'ServiceId', 'DisplayName', 'Confirm'],
    'Get-ServicePrincipal': ['Identity'],
    'Remove-ServicePrincipal': ['Identity', 'Confirm'],
    'New-ManagementScope': ['Name', 'RecipientRestrictionFilter', 'Exclusive', 'Force', 'Confirm'],
    'Get-ManagementScope': ['Identity'],
    'Remove-ManagementScope': ['Identity', 'Confirm'],
    'New-ManagementRoleAssignment': ['App', 'Role', 'CustomResourceScope', 'Name', 'Confirm'],
    'Get-ManagementRoleAssignment': ['Identity', 'Role', 'RoleAssignee'],
    'Remove-ManagementRoleAssignment': ['Identity', 'Confirm'],
    'Test-ServicePrincipalAuthorization': ['Identity', 'Resource'],
};
