import type { RecipeEntry } from '../recipes/recipeEntries';
import { isAbsent, type Ensure, type StepKind } from '../steps/contract';
import { serviceAccountEmployeeType } from '../../graph/serviceAccounts';
import { commentLines, psString } from './powershell';
import { progress } from './recipeScript';
import { appCredentialScript, appDirectoryRoleScript, appPermissionScript, appRegistrationScript, mailboxAccessScript } from './steps/application';
import { calendarAccessScript } from './steps/calendarAccess';
import { directoryRoleScript } from './steps/directoryRole';
import { licenceScript } from './steps/licence';
import { mailGroupScript } from './steps/mailGroup';
import { mailGroupMemberScript } from './steps/mailGroupMember';
import { roleGroupScript } from './steps/roleGroup';
import type { KindScript, ScriptContext } from './steps/scriptKind';
import { serviceAccountScript } from './steps/serviceAccount';

/**
 * One script writer per step kind. An entry's `want` is the typed want of its kind: recipeEntries builds each entry
 * with its kind's step, so the writer of `entry.step.kind` receives the want it is written for.
 */
const writers: Record<StepKind, KindScript<{ ensure?: Ensure }>> = {
    createServiceAccount: serviceAccountScript,
    assignLicence: licenceScript,
    assignRole: directoryRoleScript,
    addRoleGroupMember: roleGroupScript,
    createMailGroup: mailGroupScript,
    addMailGroupMember: mailGroupMemberScript,
    grantCalendarAccess: calendarAccessScript,
    registerApplication: appRegistrationScript,
    addAppCredential: appCredentialScript,
    grantAppPermission: appPermissionScript,
    assignAppRole: appDirectoryRoleScript,
    scopeMailboxAccess: mailboxAccessScript,
};

/** A #region of the script: the kinds of step it holds, why it is done this way, and lines around its entries. */
interface ScriptSection {
    title: string;
    kinds: StepKind[];
    /** Written only when the recipe has entries of its kinds (the application sections: a classic recipe's script is unchanged). */
    onlyWhenListed?: boolean;
    why(ctx: ScriptContext): string[];
    before?(ctx: ScriptContext): string[];
    after?: string[];
}

const cloudOnly = (what: string, verb: string) => (ctx: ScriptContext) => (ctx.target.variant === 'cloud' ? [] : [
    `Active Directory and Exchange Server have no ${what}: they exist only in Microsoft Entra ID. Once Entra Connect has`,
    `synced the account to the cloud, ${verb}`,
]);

/** On premises, offboarding: what exists only in the cloud leaves with the synced account. */
const goneWithTheAccount = (what: string, instead: string) => [
    `Active Directory and Exchange Server have no ${what}: they exist only in Microsoft Entra ID, and go with the account`,
    `when Entra Connect syncs its deletion (step 6). ${instead}`,
];

const calendarFailures = (done: string) => [`if ($failed) { throw "$failed calendars could not be ${done} (see the warnings above). Fix what they say and run this script again: what is done stays done." }`];

/** On premises: app registrations exist only in Microsoft Entra ID. */
const appsCloudOnly = (ctx: ScriptContext, cloud: string[]) => (ctx.target.variant === 'cloud' ? cloud : [
    'Active Directory and Exchange Server have no app registrations: they exist only in Microsoft Entra ID, and an app signs',
    'in to Microsoft 365 without any on-premises account. Register them with the cloud variant of this export.',
]);

/**
 * The applications (issue 17), after the accounts and groups: an app registration signs in app-only, with no user
 * account; its owners are existing admins and its mailbox scope an existing group.
 */
const applicationsSetUp: ScriptSection[] = [
    {
        title: 'App registrations',
        kinds: ['registerApplication'],
        onlyWhenListed: true,
        why: ctx => appsCloudOnly(ctx, [
            'Each registration is looked up by its display name first and registered only when missing: single tenant',
            '(AzureADMyOrg), with its service principal (the app\'s identity in this tenant) and the owners the recipe names.',
        ]),
    },
    {
        title: 'App credentials',
        kinds: ['addAppCredential'],
        onlyWhenListed: true,
        why: ctx => appsCloudOnly(ctx, [
            'An app that already has a valid credential of the kind is left alone (roll it before it expires). A client secret',
            'is shown once and written nowhere. A certificate is made with New-SelfSignedCertificate in your certificate store',
            '(Windows), or -CertificateFile uploads your own .cer; only its public part reaches Entra.',
        ]),
    },
    {
        title: 'API permissions (admin consent)',
        kinds: ['grantAppPermission'],
        onlyWhenListed: true,
        why: ctx => appsCloudOnly(ctx, [
            'Each application permission is an app role assignment on the API\'s service principal, its id looked up there by',
            'value: that assignment is the admin consent, for the whole tenant. One already granted is left alone.',
        ]),
    },
    {
        title: 'Directory roles for apps',
        kinds: ['assignAppRole'],
        onlyWhenListed: true,
        why: ctx => appsCloudOnly(ctx, ['Each role for the app\'s service principal, for the whole tenant (DirectoryScopeId /); an assignment that exists is left alone.']),
    },
    {
        title: 'Mailbox access (RBAC for Applications)',
        kinds: ['scopeMailboxAccess'],
        onlyWhenListed: true,
        why: ctx => appsCloudOnly(ctx, [
            'Exchange RBAC for Applications: the app\'s service principal in Exchange, a management scope of the group\'s members',
            '(MemberOfGroup), and the "Application ..." role assigned with that scope, so the app reaches those mailboxes only.',
            'Test-ServicePrincipalAuthorization shows what holds; a tenant-wide Graph permission for the same is warned about,',
            'since Entra\'s grant and Exchange\'s add up.',
        ]),
    },
];

/** The applications' removals, first in the offboarding: nothing else depends on them. */
const applicationsOffboarding: ScriptSection[] = [
    {
        title: 'Mailbox access (RBAC for Applications) taken away',
        kinds: ['scopeMailboxAccess'],
        onlyWhenListed: true,
        why: ctx => appsCloudOnly(ctx, ['The role assignment with the recipe\'s scope is removed; then the scope, and Exchange\'s service principal, once nothing uses them.']),
    },
    {
        title: 'Directory roles for apps taken away',
        kinds: ['assignAppRole'],
        onlyWhenListed: true,
        why: ctx => appsCloudOnly(ctx, ['Each assignment of the role to the app\'s service principal for the whole tenant is removed.']),
    },
    {
        title: 'API permissions revoked',
        kinds: ['grantAppPermission'],
        onlyWhenListed: true,
        why: ctx => appsCloudOnly(ctx, ['Each app role assignment of the permission is removed: the admin consent is withdrawn.']),
    },
    {
        title: 'App credentials removed',
        kinds: ['addAppCredential'],
        onlyWhenListed: true,
        why: ctx => appsCloudOnly(ctx, ['Every credential of the kind is removed: the integration can no longer sign in as the app.']),
    },
    {
        title: 'App registrations deleted',
        kinds: ['registerApplication'],
        onlyWhenListed: true,
        why: ctx => appsCloudOnly(ctx, ['Each registration is deleted with its service principal; Entra keeps it 30 days in Deleted applications.']),
    },
];

/** The set-up, in dependency order: an account before its licence and roles, a mailbox before its group, a group before its grant. */
const setUp: ScriptSection[] = [
    {
        title: 'Service accounts',
        kinds: ['createServiceAccount'],
        why: ({ target }) => (target.variant === 'cloud'
            ? [
                'Each account is looked up by its user principal name first and created only when missing: enabled, marked as a',
                `service account (employeeType ${serviceAccountEmployeeType}), a password that never expires and no change forced at the first`,
                'sign-in (the integration signs in, not a person). An existing account is left as it is, except that a missing usage',
                'location is set: licences need one.',
            ]
            : [
                'Each account is looked up by its user principal name first and created only when missing, as the guide does:',
                'enabled, a password that never expires, no change at the next logon, and the user cannot change it. It is created',
                'in -OrganizationalUnit when given, else in the domain\'s default Users container. The UPN suffix must be one the',
                'forest knows (and, for Entra Connect, a verified domain). An existing account is left as it is.',
                ...(target.organisation === 'hybrid'
                    ? [
                        'Hybrid: accounts whose cloud licence has Exchange Online get their mailbox in Exchange Online, with',
                        'Enable-RemoteMailbox (Enable-Mailbox would make a second mailbox, on premises); Entra Connect syncs the account and',
                        'Exchange Online creates the mailbox once the licence is assigned. Accounts that need a mailbox only to join a',
                        'mail-enabled group get one on Exchange Server with Enable-Mailbox. Both once Exchange sees the new account.',
                    ]
                    : [
                        'Accounts that need a mailbox (their cloud licence has Exchange Online, or they join a mail-enabled group) get one',
                        'on Exchange Server with Enable-Mailbox, once Exchange sees the new account.',
                    ]),
            ]),
        before: ({ target }) => (target.variant === 'cloud' ? ['$serviceAccounts = @{}'] : ['$placement = @{}', 'if ($OrganizationalUnit) { $placement.Path = $OrganizationalUnit }']),
    },
    {
        title: 'Licences',
        kinds: ['assignLicence'],
        why: ctx => (ctx.target.variant === 'cloud'
            ? ['The licence by part number (ENTERPRISEPACK) or SKU id; only the plans the recipe names are switched on, and plans', 'the account already has on stay on.']
            : [...cloudOnly('licences', 'assign them there: in the Microsoft 365 or Entra admin centre, or with the cloud')(ctx), 'variant of this export (its steps look first, so they only add what is missing).']),
    },
    {
        title: 'Directory roles',
        kinds: ['assignRole'],
        why: ctx => (ctx.target.variant === 'cloud'
            ? ['Each role for the whole tenant (DirectoryScopeId /), looked up by the name the Entra admin centre shows; an', 'assignment that exists is left alone.']
            : [...cloudOnly('directory roles', 'assign them there: in the Microsoft 365 or Entra admin centre, or with the cloud')(ctx), 'variant of this export (its steps look first, so they only add what is missing).']),
    },
    {
        title: 'Exchange role groups',
        kinds: ['addRoleGroupMember'],
        why: () => ['Waits for Exchange to see a new account first (the guides: up to 30 minutes). -BypassSecurityGroupManagerCheck', 'lets an Organization Management member change a role group they do not manage.'],
    },
    {
        title: 'Mail-enabled security groups and their members',
        kinds: ['createMailGroup', 'addMailGroupMember'],
        why: () => [
            'Each group is looked up by its address first and created only when missing: a universal security group that',
            'nobody can join or leave by themselves (as the guide creates it). Hidden from the address lists and accepted',
            'senders are changed only where they differ from the recipe; members are added when missing, never removed.',
        ],
    },
    {
        title: 'Calendar access',
        kinds: ['grantCalendarAccess'],
        why: () => ['For each member of the group (members of nested groups included): the calendar folder found by its type, then', 'the grantee\'s permission on it added, or changed only where it differs. A member without a mailbox is skipped.'],
        before: () => ['$failed = 0'],
        after: calendarFailures('changed'),
    },
    ...applicationsSetUp,
];

/**
 * The offboarding, in reverse dependency order, as recipeEntries lists the removals: calendar access first (Exchange
 * keeps a deleted grantee's entries as unresolved orphans), memberships, roles and licences, then the account disabled
 * and deleted, then the group the recipe owns.
 */
const offboarding: ScriptSection[] = [
    ...applicationsOffboarding,
    {
        title: 'Calendar access revoked',
        kinds: ['grantCalendarAccess'],
        why: ({ target }) => [
            'Revoked before anything is deleted: Exchange keeps a deleted grantee\'s entries as unresolved orphans. For each member',
            'of the group (nested groups included) the calendar folder is found by its type and the grantee\'s entry removed where',
            'it has one; a member without a mailbox is skipped.',
            ...(target.variant === 'onPremises' && target.organisation === 'hybrid' ? ['Calendars of mailboxes in Exchange Online are changed there: run the cloud export\'s offboarding step 1 for them.'] : []),
        ],
        before: () => ['$failed = 0'],
        after: calendarFailures('changed'),
    },
    {
        title: 'Mail-enabled group members taken out',
        kinds: ['addMailGroupMember'],
        why: () => ['Each member is taken out of the group when it is in it; -BypassSecurityGroupManagerCheck lets an Organization', 'Management member change a group they do not manage.'],
    },
    {
        title: 'Exchange role group memberships taken away',
        kinds: ['addRoleGroupMember'],
        why: () => ['The account is taken out of each role group it is in.'],
    },
    {
        title: 'Directory roles taken away',
        kinds: ['assignRole'],
        why: ctx => (ctx.target.variant === 'cloud'
            ? ['Each assignment of the role to the account for the whole tenant (DirectoryScopeId /) is removed; an account that', 'does not hold it is left alone.']
            : goneWithTheAccount('directory roles', 'To take one away and keep the account, use the cloud variant of this export or the Entra admin centre.')),
    },
    {
        title: 'Licences removed',
        kinds: ['assignLicence'],
        why: ctx => (ctx.target.variant === 'cloud'
            ? ['Each licence the recipe names is removed from the account when it holds it: the services it gives stop, and a', 'mailbox is kept 30 days.']
            : goneWithTheAccount('licences', 'To remove one and keep the account, use the cloud variant of this export or the Microsoft 365 admin centre.')),
    },
    {
        title: 'Service accounts disabled and deleted',
        kinds: ['createServiceAccount'],
        why: ({ target }) => (target.variant === 'cloud'
            ? [
                'Each account is disabled first, so it cannot sign in should the delete fail; any licence it still holds is released',
                '(a deleted user keeps its licence units for 30 days otherwise), then it is deleted. Entra keeps a deleted user 30',
                'days in Deleted users, where it can be restored.',
            ]
            : [
                'Each account is disabled (Disable-ADAccount), then deleted (Remove-ADUser; it goes to the AD Recycle Bin when that is',
                'on). Entra Connect deletes the synced cloud account at its next sync, and with it its licences and any Exchange Online',
                'mailbox (restorable from Deleted users for 30 days). Left to do by hand, where it applies: a mailbox on Exchange',
                'Server is disconnected and kept for its database\'s deleted-mailbox retention; if Remove-ADUser says the object is',
                'not a leaf (Exchange ActiveSync keeps device objects under a mailbox user), remove the mailbox with Remove-Mailbox',
                'or delete the account and its child objects in Active Directory Users and Computers. This script deletes no child object.',
            ]),
    },
    {
        title: 'Mail-enabled security groups removed',
        kinds: ['createMailGroup'],
        why: () => ['Each group the recipe owns is removed once its members are out; Exchange does not keep a removed group.', 'Only a mail-enabled security group at the address is removed: anything else there stops the script.'],
    },
];

/**
 * The script's steps from the recipe's entries (recipeEntries: the list Plan, Apply and Verify walk): the set-up
 * sections for what must be there, then the offboarding sections for what must be gone. A recipe that only offboards
 * gets no set-up sections.
 */
export function stepSections(entries: readonly RecipeEntry[], ctx: ScriptContext): string[] {
    const present = entries.filter(e => !isAbsent(e.want));
    const absent = entries.filter(e => isAbsent(e.want));
    return [
        ...(present.length || !absent.length ? write(setUp, 'Step', present, ctx, 'present') : []),
        ...(absent.length ? write(offboarding, 'Offboarding step', absent, ctx, 'absent') : []),
    ];
}

function write(all: ScriptSection[], label: string, entries: readonly RecipeEntry[], ctx: ScriptContext, side: 'present' | 'absent'): string[] {
    const sections = all.filter(s => !s.onlyWhenListed || entries.some(e => s.kinds.includes(e.step.kind)));
    return sections.flatMap((s, i) => {
        const title = `${label} ${i + 1} of ${sections.length}: ${s.title}`;
        const body = entries.filter(e => s.kinds.includes(e.step.kind)).flatMap(e => writers[e.step.kind][side](e.want, ctx));
        return ['', `#region ${title}`, ...s.why(ctx).flatMap(w => commentLines(w)), `Write-Host ${psString(title)}`, ...(body.length ? [...(s.before?.(ctx) ?? []), ...body, ...(s.after ?? [])] : [progress('none in this recipe')]), '#endregion'];
    });
}

