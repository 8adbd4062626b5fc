import { commentLines, commentText, psString, ScriptValueError } from './powershell';
import type { Recipe } from '../recipes/recipe';
import { needsExchange, type ExportTarget, type ExportVariant, type OnPremisesOrganisation } from './recipeScript';
import { scriptCloud, type ScriptCloud } from './recipeScriptClouds';
import { calendarGrants, mailGroups, roleGroups } from './recipeScriptExchange';
import { cloudAccounts, cloudLicences, cloudRoles } from './recipeScriptCloud';
import { helperFunctions } from './recipeScriptHelpers';
import { needsRemoteMailbox, onPremisesAccounts, onPremisesCloudOnly } from './recipeScriptOnPremises';

export type { ExportTarget, ExportVariant, OnPremisesOrganisation } from './recipeScript';

/**
 * A recipe as a PowerShell script that does what applying it does, for an admin who runs scripts rather than this
 * extension (or keeps them with the change request): idempotent, every value quoted, no password in it. Pure: it
 * reads nothing from the tenant, so the script looks everything up when it runs. Throws ScriptValueError for a value
 * that cannot go into a script (a line break in a name).
 */
export function exportRecipe(recipe: Recipe, target: ExportTarget): string {
    refuseOffboarding(recipe);
    const variant = target.variant;
    const lines = [
        ...header(recipe, target),
        '',
        '[CmdletBinding()]',
        'param(',
        ...parameters(recipe, target).flatMap((p, i, all) => [...p.slice(0, -1), p[p.length - 1] + (i < all.length - 1 ? ',' : '')]),
        ')',
        '',
        '# Any failure stops the script; running it again carries on, as every step looks before it changes anything.',
        '# Exchange\'s cmdlets are functions of a generated module (Exchange Online\'s, or the Exchange Management Shell\'s',
        '# remote session), which do not see this script\'s $ErrorActionPreference: the default -ErrorAction makes them stop too.',
        'Set-StrictMode -Version Latest',
        '$ErrorActionPreference = \'Stop\'',
        '$PSDefaultParameterValues[\'*:ErrorAction\'] = \'Stop\'',
        '',
        ...helperFunctions(recipe, variant),
        '',
        ...(target.variant === 'cloud' ? cloudConnect(recipe, scriptCloud(target.cloud)) : onPremisesConnect(recipe, target)),
        ...(target.variant === 'cloud' ? [...cloudAccounts(recipe), ...cloudLicences(recipe), ...cloudRoles(recipe)] : [...onPremisesAccounts(recipe, target.organisation), ...onPremisesCloudOnly(recipe)]),
        ...roleGroups(recipe),
        ...mailGroups(recipe),
        ...calendarGrants(recipe, variant),
        '',
        `Write-Host ${psString(`Done: ${recipe.name.trim()} is in place.`)}`,
    ];
    return `${lines.join('\n')}\n`;
}

/**
 * The scripts set things up; they do not yet take them away. Exporting an offboarding recipe as a set-up script would
 * create what the admin means to delete, so it is refused, naming the entries.
 */
function refuseOffboarding(recipe: Recipe): void {
    const absent = [
        ...recipe.serviceAccounts.map((a, i) => [a.ensure, `/serviceAccounts/${i}`] as const),
        ...(recipe.mailEnabledGroups ?? []).map((g, i) => [g.ensure, `/mailEnabledGroups/${i}`] as const),
        ...(recipe.calendarGrants ?? []).map((c, i) => [c.ensure, `/calendarGrants/${i}`] as const),
    ].filter(([ensure]) => ensure === 'absent').map(([, at]) => at);
    if (absent.length) throw new ScriptValueError(`This recipe offboards (${absent.join(', ')} say "ensure": "absent"), and the exported scripts only set things up. Apply it from the extension or the command line (m365-provisioner apply), which plan the removals first.`);
}

interface Needs {
    licences: boolean;
    roles: boolean;
    grants: boolean;
    exchange: boolean;
}

function needsOf(recipe: Recipe, variant: ExportVariant): Needs {
    return {
        licences: recipe.serviceAccounts.some(a => a.licence),
        roles: recipe.serviceAccounts.some(a => a.directoryRoles?.length),
        grants: !!recipe.calendarGrants?.length,
        exchange: needsExchange(recipe, variant),
    };
}

/**
 * Microsoft Graph permissions, the fewest that do the recipe's steps: User.ReadWrite.All creates and updates users and
 * also assigns licences (so LicenseAssignment.ReadWrite.All is not needed); the others only when a step needs them.
 */
export function graphScopes(recipe: Recipe): string[] {
    const needs = needsOf(recipe, 'cloud');
    return ['User.ReadWrite.All', ...(needs.licences ? ['Organization.Read.All'] : []), ...(needs.roles ? ['RoleManagement.ReadWrite.Directory'] : []), ...(needs.grants ? ['GroupMember.Read.All'] : [])];
}

/**
 * The script's parameters, each with the comment above it. Hybrid asks for the tenant's routing domain: the recipe
 * does not know the tenant, and Enable-RemoteMailbox's -RemoteRoutingAddress is an address in it.
 */
function parameters(recipe: Recipe, target: ExportTarget): string[][] {
    const wait = [
        `    # How long to wait for a new account to reach ${target.variant === 'cloud' ? 'Exchange and role management; the guides say up to 30 minutes' : 'Exchange (directory replication)'}.`,
        '    [int] $ReplicationTimeoutMinutes = 30',
    ];
    if (target.variant === 'cloud') return [wait];
    const placement = ['    # Where new accounts are created, e.g. \'OU=Service Accounts,DC=contoso,DC=com\'; the default Users container when left out.', '    [string] $OrganizationalUnit'];
    if (!needsRemoteMailbox(recipe, target.organisation)) return [wait, placement];
    return [wait, placement, [
        '    # The tenant\'s routing domain for mailboxes in Exchange Online, e.g. \'contoso.mail.onmicrosoft.com\' (the Hybrid',
        '    # Configuration Wizard adds it to the on-premises email address policy; Get-AcceptedDomain in Exchange Online lists it).',
        '    # Each new remote mailbox gets <alias>@<this domain> as its -RemoteRoutingAddress.',
        '    [Parameter(Mandatory = $true, HelpMessage = \'The tenant\'\'s routing domain, e.g. contoso.mail.onmicrosoft.com\')]',
        '    [ValidatePattern(\'^[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+$\')]',
        '    [string] $RemoteRoutingDomain',
    ]];
}

function header(recipe: Recipe, target: ExportTarget): string[] {
    const variant = target.variant;
    const needs = needsOf(recipe, variant);
    const cloud = variant === 'cloud';
    const where = target.variant === 'cloud' ? scriptCloud(target.cloud) : undefined;
    const modules = cloud
        ? [
            "@{ ModuleName = 'Microsoft.Graph.Authentication'; ModuleVersion = '2.0.0' }",
            'Microsoft.Graph.Users',
            ...(needs.licences ? ['Microsoft.Graph.Users.Actions', 'Microsoft.Graph.Identity.DirectoryManagement'] : []),
            ...(needs.roles ? ['Microsoft.Graph.Identity.Governance'] : []),
            ...(needs.grants ? ['Microsoft.Graph.Groups'] : []),
            ...(needs.exchange ? ["@{ ModuleName = 'ExchangeOnlineManagement'; ModuleVersion = '3.0.0' }"] : []),
        ]
        : ['ActiveDirectory'];
    const signIn = cloud
        ? [
            `Microsoft Graph asks for ${graphScopes(recipe).join(', ')} (consent once).`,
            `Sign in as an admin who may create users${needs.licences ? ' and assign licences (User Administrator)' : ' (User Administrator)'}${needs.roles ? ', assign directory roles (Privileged Role Administrator)' : ''}${needs.exchange ? ', and change Exchange Online (Exchange Administrator)' : ''}.`,
            'Install the modules with: Install-Module Microsoft.Graph' + (needs.exchange ? ', ExchangeOnlineManagement' : '') + ' -Scope CurrentUser',
        ]
        : [
            'Run it in Windows PowerShell on a machine with the ActiveDirectory module (RSAT)' + (needs.exchange ? ' and the Exchange Management Shell (the Exchange management tools)' : '') + ',',
            `as an account that may create users in the target OU${needs.exchange ? ' and is a member of Organization Management in Exchange' : ''}.`,
            ...(target.variant === 'onPremises' ? organisationNote(target.organisation) : []),
        ];
    const cloudNote = where ? [
        `Cloud: ${where.title}. Microsoft Graph environment ${where.graphEnvironment}, Exchange Online environment ${where.exchangeEnvironmentName}.`,
        ...(where.customNote ? [where.customNote] : []),
    ] : [];
    return [
        `# ${commentText(recipe.name.trim())}: the recipe's setup as a PowerShell script (${cloud ? 'Microsoft Graph and Exchange Online' : 'Active Directory and Exchange Server, on premises'}).`,
        '# Exported by M365 Provisioner. It holds no password: a new account gets a generated one, shown once when it runs.',
        ...(recipe.description?.trim() ? ['#', ...commentLines(recipe.description.trim())] : []),
        '#',
        '# Idempotent: every step looks up what it would create or change first and acts only where the tenant differs, so',
        '# running it again changes nothing, and a run that stopped part-way is finished by running it again.',
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
function cloudConnect(recipe: Recipe, where: ScriptCloud): string[] {
    const needs = needsOf(recipe, 'cloud');
    return [
        '# Both sign-ins first, so the script does not stop half-way for a prompt.',
        `Connect-MgGraph -Environment ${psString(where.graphEnvironment)} -Scopes ${graphScopes(recipe).map(psString).join(', ')} -NoWelcome`,
        ...(needs.exchange ? [`Connect-ExchangeOnline -ExchangeEnvironmentName ${psString(where.exchangeEnvironmentName)} -ShowBanner:$false`] : []),
    ];
}

function onPremisesConnect(recipe: Recipe, target: Extract<ExportTarget, { variant: 'onPremises' }>): string[] {
    if (!needsOf(recipe, 'onPremises').exchange) return [];
    const cmdlet = needsRemoteMailbox(recipe, target.organisation) ? 'Enable-RemoteMailbox' : 'Enable-Mailbox';
    return [
        '# The Exchange cmdlets come from the Exchange Management Shell, which is not a module #Requires can name.',
        `if (-not (Get-Command -Name ${cmdlet} -ErrorAction SilentlyContinue)) {`,
        "    throw 'The Exchange cmdlets are not loaded: run this script in the Exchange Management Shell (on an Exchange server, or where the Exchange management tools are installed).'",
        '}',
    ];
}
