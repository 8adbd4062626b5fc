import type { RecipeEntry } from '../recipes/recipeEntries';
import type { AppCredentialWant, AppRegistrationWant } from '../steps/applicationWants';
import { isAbsent, type StepKind } from '../steps/contract';
import type { NewServiceAccount } from '../steps/serviceAccounts';
import { needsMailbox, recipeAccount, type ExportTarget } from './recipeScript';
import type { ScriptContext } from './steps/scriptKind';
import { remoteMailbox } from './steps/serviceAccount';

/**
 * What a script needs besides its steps (modules, sign-ins, Graph permissions, helper functions), read off the same
 * entries the steps are written from, so a set-up script and an offboarding script each ask only for what they use.
 */
export interface ScriptNeeds {
    /** Accounts to create: the password helpers. */
    creates: boolean;
    /** Anything to set up. */
    sets: boolean;
    /** Anything to take away (offboarding). */
    removes: boolean;
    /** Accounts to delete (cloud: their leftover licences are released with Set-MgUserLicense). */
    deletesAccounts: boolean;
    /** Licences to assign (Set-ServiceAccountLicence) or to remove. */
    assignsLicences: boolean;
    licences: boolean;
    roles: boolean;
    grants: boolean;
    grantsToRevoke: boolean;
    grantsToGive: boolean;
    exchange: boolean;
    /** On premises (hybrid): a mailbox to make in Exchange Online, so the tenant's routing domain is asked for. */
    remoteMailbox: boolean;
    /** Anything about user accounts, groups or calendars (everything but applications): User.ReadWrite.All. */
    users: boolean;
    /** App registrations and their credentials (Application.ReadWrite.All). */
    applications: boolean;
    /** Application permissions granted or revoked (AppRoleAssignment.ReadWrite.All). */
    appPermissions: boolean;
    /** Directory roles for apps' service principals (RoleManagement.ReadWrite.Directory, as for accounts). */
    appRoles: boolean;
    /** Registrations given owners: their accounts are looked up (User.Read.All where nothing else reads users). */
    appOwners: boolean;
    /** A certificate to upload: the -CertificateFile parameter (the admin's own .cer instead of a new one). */
    certificates: boolean;
}

const applicationKinds: StepKind[] = ['registerApplication', 'addAppCredential', 'grantAppPermission', 'assignAppRole', 'scopeMailboxAccess'];
const mailGroupKinds: StepKind[] = ['createMailGroup', 'addMailGroupMember'];

const exchangeKinds: StepKind[] = ['addRoleGroupMember', 'createMailGroup', 'addMailGroupMember', 'grantCalendarAccess'];

export function scriptNeeds(entries: readonly RecipeEntry[], ctx: ScriptContext): ScriptNeeds {
    const has = (kind: StepKind, which: (e: RecipeEntry) => boolean = () => true) => entries.some(e => e.step.kind === kind && which(e));
    const present = (e: RecipeEntry) => !isAbsent(e.want);
    const absent = (e: RecipeEntry) => isAbsent(e.want);
    const target: ExportTarget = ctx.target;
    const accountsMade = entries.filter(e => e.step.kind === 'createServiceAccount' && present(e)).map(e => recipeAccount(ctx.recipe, (e.want as NewServiceAccount).userPrincipalName));
    const mailboxes = target.variant === 'onPremises' ? accountsMade.filter(a => a && needsMailbox(ctx.recipe, a)) : [];
    return {
        creates: accountsMade.length > 0,
        sets: entries.some(present),
        removes: entries.some(absent),
        deletesAccounts: has('createServiceAccount', absent),
        assignsLicences: has('assignLicence', present),
        licences: has('assignLicence'),
        roles: has('assignRole'),
        grants: has('grantCalendarAccess'),
        grantsToGive: has('grantCalendarAccess', present),
        grantsToRevoke: has('grantCalendarAccess', absent),
        // RBAC for Applications is Exchange Online's; on premises its section only says so.
        exchange: entries.some(e => exchangeKinds.includes(e.step.kind)) || mailboxes.length > 0 || (target.variant === 'cloud' && has('scopeMailboxAccess')),
        remoteMailbox: target.variant === 'onPremises' && mailboxes.some(a => a && remoteMailbox(a.userPrincipalName, ctx, target.organisation)),
        // Mail-enabled groups are Exchange's alone: beside applications they need no user permission. A recipe without
        // applications signs in as before, whatever it holds (an empty one included).
        users: entries.some(e => !applicationKinds.includes(e.step.kind) && !mailGroupKinds.includes(e.step.kind)) || !entries.some(e => applicationKinds.includes(e.step.kind)),
        // On premises the application sections only say where to do it instead: nothing to sign in to.
        applications: target.variant === 'cloud' && entries.some(e => applicationKinds.includes(e.step.kind)),
        appPermissions: target.variant === 'cloud' && has('grantAppPermission'),
        appRoles: target.variant === 'cloud' && has('assignAppRole'),
        appOwners: target.variant === 'cloud' && has('registerApplication', e => present(e) && ((e.want as AppRegistrationWant).owners ?? []).length > 0),
        certificates: target.variant === 'cloud' && has('addAppCredential', e => present(e) && (e.want as AppCredentialWant).type === 'certificate'),
    };
}
