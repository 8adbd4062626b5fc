import { commentLines, commentText, psString } from './powershell';
import type { Recipe } from '../recipes/recipe';
import { recipeEntries } from '../recipes/recipeEntries';
import type { ExportTarget, OnPremisesOrganisation } from './recipeScript';
import { scriptCloud, type ScriptCloud } from './recipeScriptClouds';
import { helperFunctions } from './recipeScriptHelpers';
import { scriptNeeds, type ScriptNeeds } from './scriptNeeds';
import { stepSections } from './scriptSections';

export type { ExportTarget, ExportVariant, OnPremisesOrganisation } from './recipeScript';

/**
 * A recipe as a PowerShell script that does what applying it does, for an admin who runs scripts rather than this
 * extension (or keeps them with the change request): idempotent, every value quoted, no password in it. An offboarding
 * recipe ("ensure": "absent") exports its removals, after any set-up, in the order Apply makes them. Pure: it reads
 * nothing from the tenant, so the script looks everything up when it runs. Throws ScriptValueError for a value
 * that cannot go into a script (a line break in a name).
 */
export function exportRecipe(recipe: Recipe, target: ExportTarget): string {
    // The same entries, in the same order, that Plan, Apply and Verify walk: set-up first, then the removals in
    // reverse dependency order.
    const entries = recipeEntries(recipe);
    const ctx = { recipe, target };
    const needs = scriptNeeds(entries, ctx);
    const lines = [
        ...header(recipe, target, needs),
        '',
        '[CmdletBinding()]',
        'param(',
        ...parameters(target, needs).flatMap((p, i, all) => [...p.slice(0, -1), p[p.length - 1] + (i < all.length - 1 ? ',' : '')]),
        ')',
        '',
        '# Any failure stops the script; running it again carries on, as every step looks before it changes anything.',
        '# Exchange\'s cmdlets are functions of a generated module (Exchange Online\'s, or the Exchange Management Shell\'s',
        '# remote session), which do not see this script\'s $ErrorActionPreference: the default -ErrorAction makes them stop too.',
        'Set-StrictMode -Version Latest',
        '$ErrorActionPreference = \'Stop\'',
        '$PSDefaultParameterValues[\'*:ErrorAction\'] = \'Stop\'',
        '',
        ...helperFunctions(needs, target.variant),
        '',
        ...(target.variant === 'cloud' ? cloudConnect(needs, scriptCloud(target.cloud)) : onPremisesConnect(needs)),
        ...stepSections(entries, ctx),
        '',
        `Write-Host ${psString(`Done: ${recipe.name.trim()}${needs.removes ? `: ${needs.sets ? 'set up, and ' : ''}what it removes is gone.` : ' is in place.'}`)}`,
    ];
    return `${lines.join('\n')}\n`;
}

/**
 * Microsoft Graph permissions, the fewest that do the script's steps: User.ReadWrite.All creates, updates, disables
 * and deletes users and also assigns and removes licences (so LicenseAssignment.ReadWrite.All is not needed);
 * Organization.Read.All reads the tenant's licences (a licence to assign or remove); RoleManagement.ReadWrite.Directory
 * assigns and removes directory roles (of accounts and of apps' service principals); GroupMember.Read.All lists the
 * members whose calendars are shared or revoked. Applications: Application.ReadWrite.All registers them, their service
 * principals, owners and credentials (microsoft-graph-docs-contrib application-post-applications.md,
 * serviceprincipal-post-serviceprincipals.md, application-addpassword.md); AppRoleAssignment.ReadWrite.All grants and
 * revokes application permissions (serviceprincipal-post-approleassignments.md); User.Read.All finds owners when
 * nothing else reads users.
 */
export function graphScopes(needs: ScriptNeeds): string[] {
    return [
        ...(needs.users ? ['User.ReadWrite.All'] : needs.appOwners ? ['User.Read.All'] : []),
        ...(needs.licences ? ['Organization.Read.All'] : []),
        ...(needs.roles || needs.appRoles ? ['RoleManagement.ReadWrite.Directory'] : []),
        ...(needs.grants ? ['GroupMember.Read.All'] : []),
        ...(needs.applications ? ['Application.ReadWrite.All'] : []),
        ...(needs.appPermissions ? ['AppRoleAssignment.ReadWrite.All'] : []),
    ];
}

/**
 * The script's parameters, each with the comment above it. On premises, where new accounts go (only when it makes
 * any). Hybrid asks for the tenant's routing domain: the recipe does not know the tenant, and Enable-RemoteMailbox's
 * -RemoteRoutingAddress is an address in it.
 */
function parameters(target: ExportTarget, needs: ScriptNeeds): string[][] {
    const wait = [
        `    # How long to wait for a new account to reach ${target.variant === 'cloud' ? 'Exchange and role management; the guides say up to 30 minutes' : 'Exchange (directory replication)'}.`,
        '    [int] $ReplicationTimeoutMinutes = 30',
    ];
    const waits = needs.sets ? [wait] : [];
    if (target.variant === 'cloud') {
        return needs.certificates
            ? [...waits, ['    # A certificate of your own for the app (its public part, a .cer file); when left out, one is made with', '    # New-SelfSignedCertificate in Cert:\\CurrentUser\\My (Windows) and you export its private key for the integration.', '    [string] $CertificateFile']]
            : waits;
    }
    if (!needs.creates) return waits;
    const placement = ['    # Where new accounts are created, e.g. \'OU=Service Accounts,DC=contoso,DC=com\'; the default Users container when left out.', '    [string] $OrganizationalUnit'];
    if (!needs.remoteMailbox) return [...waits, placement];
    return [...waits, placement, [
        '    # The tenant\'s routing domain for mailboxes in Exchange Online, e.g. \'contoso.mail.onmicrosoft.com\' (the Hybrid',
        '    # Configuration Wizard adds it to the on-premises email address policy; Get-AcceptedDomain in Exchange Online lists it).',
        '    # Each new remote mailbox gets <alias>@<this domain> as its -RemoteRoutingAddress.',
        '    [Parameter(Mandatory = $true, HelpMessage = \'The tenant\'\'s routing domain, e.g. contoso.mail.onmicrosoft.com\')]',
        '    [ValidatePattern(\'^[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+$\')]',
        '    [string] $RemoteRoutingDomain',
    ]];
}

/** What the script does, in the header's first line. */
function what(needs: ScriptNeeds): string {
    if (!needs.removes) return 'setup';
    return needs.sets ? 'setup and offboarding' : 'offboarding';
}

function header(recipe: Recipe, target: ExportTarget, needs: ScriptNeeds): string[] {
    const variant = target.variant;
    const cloud = variant === 'cloud';
    const where = target.variant === 'cloud' ? scriptCloud(target.cloud) : undefined;
    const modules = cloud
        ? [
            "@{ ModuleName = 'Microsoft.Graph.Authentication'; ModuleVersion = '2.0.0' }",
            ...(needs.users || needs.appOwners ? ['Microsoft.Graph.Users'] : []),
            // Registrations, service principals, credentials, owners and app role assignments.
            ...(needs.applications ? ['Microsoft.Graph.Applications'] : []),
            // Set-MgUserLicense: a licence assigned or removed, or the licences of a deleted account released.
            ...(needs.licences || needs.deletesAccounts ? ['Microsoft.Graph.Users.Actions'] : []),
            ...(needs.licences ? ['Microsoft.Graph.Identity.DirectoryManagement'] : []),
            ...(needs.roles || needs.appRoles ? ['Microsoft.Graph.Identity.Governance'] : []),
            ...(needs.grants ? ['Microsoft.Graph.Groups'] : []),
            ...(needs.exchange ? ["@{ ModuleName = 'ExchangeOnlineManagement'; ModuleVersion = '3.0.0' }"] : []),
        ]
        : ['ActiveDirectory'];
    const userVerbs = [...(needs.sets ? ['create'] : []), ...(needs.deletesAccounts ? ['disable and delete'] : [])].join(', ') || 'change';
    const signIn = cloud
        ? [
            `Microsoft Graph asks for ${graphScopes(needs).join(', ')} (consent once).`,
            `Sign in as an admin who may ${[
                ...(needs.users ? [`${userVerbs} users${needs.licences ? ` and ${needs.removes ? 'manage their' : 'assign'} licences (User Administrator)` : ' (User Administrator)'}`] : []),
                // delegate-by-task.md: "Consent to application permissions to Microsoft Graph": Privileged Role Administrator.
                ...(needs.applications ? [`${needs.removes ? 'manage' : 'register'} app registrations (Cloud Application Administrator)${needs.appPermissions ? ' and grant Microsoft Graph application permissions (Privileged Role Administrator)' : ''}`] : []),
                ...(needs.roles || needs.appRoles ? [`${needs.removes ? 'assign and remove' : 'assign'} directory roles (Privileged Role Administrator)`] : []),
            ].join(', ')}${needs.exchange ? ', and change Exchange Online (Exchange Administrator)' : ''}.`,
            'Install the modules with: Install-Module Microsoft.Graph' + (needs.exchange ? ', ExchangeOnlineManagement' : '') + ' -Scope CurrentUser',
        ]
        : [
            'Run it in Windows PowerShell on a machine with the ActiveDirectory module (RSAT)' + (needs.exchange ? ' and the Exchange Management Shell (the Exchange management tools)' : '') + ',',
            `as an account that may ${userVerbs} users in the target OU${needs.exchange ? ' and is a member of Organization Management in Exchange' : ''}.`,
            ...(target.variant === 'onPremises' ? organisationNote(target.organisation) : []),
        ];
    const cloudNote = where ? [
        `Cloud: ${where.title}. Microsoft Graph environment ${where.graphEnvironment}, Exchange Online environment ${where.exchangeEnvironmentName}.`,
        ...(where.customNote ? [where.customNote] : []),
    ] : [];
    return [
        `# ${commentText(recipe.name.trim())}: the recipe's ${what(needs)} as a PowerShell script (${cloud ? 'Microsoft Graph and Exchange Online' : 'Active Directory and Exchange Server, on premises'}).`,
        needs.creates
            ? '# Exported by M365 Provisioner. It holds no password: a new account gets a generated one, shown once when it runs.'
            : '# Exported by M365 Provisioner. It holds no password.',
        ...(recipe.description?.trim() ? ['#', ...commentLines(recipe.description.trim())] : []),
        '#',
        needs.removes
            ? '# Idempotent: every step looks up what it would create, change or remove first and acts only where the tenant differs, so'
            : '# Idempotent: every step looks up what it would create or change first and acts only where the tenant differs, so',
        '# running it again changes nothing, and a run that stopped part-way is finished by running it again.',
        ...(needs.removes ? ['# Offboarding removes, in reverse dependency order, only what is there; what is already gone is reported, not an error.'] : []),
        // "exact" compares against what the tenant holds beyond the recipe, which only a plan can list: the script does not guess.
        ...(recipe.exact ? ['# The recipe says "exact": this script does not look for what the tenant has beyond the recipe (other roles, role', '# groups, group members, calendar access outside the group), nor remove it. Plan the recipe (m365-provisioner plan, or Plan in the extension) to see and remove them.'] : []),
        '#',
        ...[...cloudNote, ...signIn].flatMap(s => commentLines(s)),
        '#Requires -Version 5.1',
        ...modules.map(m => `#Requires -Modules ${m}`),
    ];
}

/** What the on-premises header says about where mailboxes go. */
function organisationNote(organisation: OnPremisesOrganisation): string[] {
    return organisation === 'hybrid'
        ? [
            'Hybrid organisation: an account whose licence includes Exchange Online gets its mailbox there, with Enable-RemoteMailbox;',
            'Entra Connect syncs the account and Exchange Online creates the mailbox once the licence is assigned in the cloud.',
            'Calendars of mailboxes in Exchange Online are changed there: run the cloud export\'s step 6 for them.',
        ]
        : ['Exchange-only organisation: every mailbox is on Exchange Server, made with Enable-Mailbox.'];
}

/**
 * Both sign-ins, to the cloud the export was made for: the environment is written even for the worldwide cloud, where it
 * is each cmdlet's default, so the admin sees (and can change) where the script goes.
 */
function cloudConnect(needs: ScriptNeeds, where: ScriptCloud): string[] {
    return [
        '# Both sign-ins first, so the script does not stop half-way for a prompt.',
        `Connect-MgGraph -Environment ${psString(where.graphEnvironment)} -Scopes ${graphScopes(needs).map(psString).join(', ')} -NoWelcome`,
        ...(needs.exchange ? [`Connect-ExchangeOnline -ExchangeEnvironmentName ${psString(where.exchangeEnvironmentName)} -ShowBanner:$false`] : []),
    ];
}

/** On premises: the Exchange Management Shell must be there, checked by a cmdlet the script runs. */
function onPremisesConnect(needs: ScriptNeeds): string[] {
    if (!needs.exchange) return [];
    const cmdlet = needs.remoteMailbox ? 'Enable-RemoteMailbox' : needs.sets ? 'Enable-Mailbox' : 'Get-Recipient';
    return [
        '# The Exchange cmdlets come from the Exchange Management Shell, which is not a module #Requires can name.',
        `if (-not (Get-Command -Name ${cmdlet} -ErrorAction SilentlyContinue)) {`,
        "    throw 'The Exchange cmdlets are not loaded: run this script in the Exchange Management Shell (on an Exchange server, or where the Exchange management tools are installed).'",
        '}',
    ];
}
