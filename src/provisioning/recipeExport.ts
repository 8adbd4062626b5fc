import { commentLines, commentText, psString } from './powershell';
import type { Recipe } from './recipe';
import { needsExchange, type ExportVariant } from './recipeScript';
import { calendarGrants, mailGroups, roleGroups } from './recipeScriptExchange';
import { cloudAccounts, cloudLicences, cloudRoles } from './recipeScriptCloud';
import { helperFunctions } from './recipeScriptHelpers';
import { onPremisesAccounts, onPremisesCloudOnly } from './recipeScriptOnPremises';

export type { ExportVariant } from './recipeScript';

/**
 * A recipe as a PowerShell script that does what applying it does, for an admin who runs scripts rather than this
 * extension (or keeps them with the change request): idempotent, every value quoted, no password in it. Pure: it
 * reads nothing from the tenant, so the script looks everything up when it runs. Throws ScriptValueError for a value
 * that cannot go into a script (a line break in a name).
 */
export function exportRecipe(recipe: Recipe, variant: ExportVariant): string {
    const lines = [
        ...header(recipe, variant),
        '',
        '[CmdletBinding()]',
        'param(',
        `    # How long to wait for a new account to reach ${variant === 'cloud' ? 'Exchange and role management; the guides say up to 30 minutes' : 'Exchange (directory replication)'}.`,
        '    [int] $ReplicationTimeoutMinutes = 30' + (variant === 'onPremises' ? ',' : ''),
        ...(variant === 'onPremises' ? ['    # Where new accounts are created, e.g. \'OU=Service Accounts,DC=contoso,DC=com\'; the default Users container when left out.', '    [string] $OrganizationalUnit'] : []),
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
        ...(variant === 'cloud' ? cloudConnect(recipe) : onPremisesConnect(recipe)),
        ...(variant === 'cloud' ? [...cloudAccounts(recipe), ...cloudLicences(recipe), ...cloudRoles(recipe)] : [...onPremisesAccounts(recipe), ...onPremisesCloudOnly(recipe)]),
        ...roleGroups(recipe),
        ...mailGroups(recipe),
        ...calendarGrants(recipe, variant),
        '',
        `Write-Host ${psString(`Done: ${recipe.name.trim()} is in place.`)}`,
    ];
    return `${lines.join('\n')}\n`;
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

function header(recipe: Recipe, variant: ExportVariant): string[] {
    const needs = needsOf(recipe, variant);
    const cloud = variant === 'cloud';
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
        ];
    return [
        `# ${commentText(recipe.name.trim())}: the recipe's setup as a PowerShell script (${cloud ? 'Microsoft Graph and Exchange Online' : 'Active Directory and Exchange Server, on premises'}).`,
        '# Exported by M365 Provisioner. It holds no password: a new account gets a generated one, shown once when it runs.',
        ...(recipe.description?.trim() ? ['#', ...commentLines(recipe.description.trim())] : []),
        '#',
        '# Idempotent: every step looks up what it would create or change first and acts only where the tenant differs, so',
        '# running it again changes nothing, and a run that stopped part-way is finished by running it again.',
        '#',
        ...signIn.map(s => `# ${s}`),
        '#Requires -Version 5.1',
        ...modules.map(m => `#Requires -Modules ${m}`),
    ];
}

function cloudConnect(recipe: Recipe): string[] {
    const needs = needsOf(recipe, 'cloud');
    return [
        '# Both sign-ins first, so the script does not stop half-way for a prompt.',
        `Connect-MgGraph -Scopes ${graphScopes(recipe).map(psString).join(', ')} -NoWelcome`,
        ...(needs.exchange ? ['Connect-ExchangeOnline -ShowBanner:$false'] : []),
    ];
}

function onPremisesConnect(recipe: Recipe): string[] {
    if (!needsOf(recipe, 'onPremises').exchange) return [];
    return [
        '# The Exchange cmdlets come from the Exchange Management Shell, which is not a module #Requires can name.',
        'if (-not (Get-Command -Name Enable-Mailbox -ErrorAction SilentlyContinue)) {',
        "    throw 'The Exchange cmdlets are not loaded: run this script in the Exchange Management Shell (on an Exchange server, or where the Exchange management tools are installed).'",
        '}',
    ];
}
