import { serviceAccountEmployeeType } from '../../graph/serviceAccounts';
import { mailNicknameFor } from '../fields';
import { commentText, ldapFilterValue, psString } from './powershell';
import type { Recipe, RecipeCalendarGrant, RecipeServiceAccount } from '../recipes/recipe';
import { hasExchangePlan, indent, needsMailbox, progress, section, type OnPremisesOrganisation } from './recipeScript';

/** Active Directory's limits: a pre-Windows 2000 logon name of 20 characters, a CN of 64. */
export function samAccountNameFor(upn: string): string {
    return mailNicknameFor(upn).slice(0, 20).replace(/\.+$/, '');
}

/**
 * Whether the account's mailbox goes to Exchange Online: in a hybrid organisation, when the recipe's licence includes
 * Exchange Online. (An account that needs a mailbox only to join a mail-enabled group gets it on Exchange Server, as
 * in an Exchange-only organisation: the recipe gives it no Exchange Online licence to have one there.)
 */
function remoteMailbox(account: RecipeServiceAccount, organisation: OnPremisesOrganisation): boolean {
    return organisation === 'hybrid' && hasExchangePlan(account);
}

/** Whether the script makes any mailbox in Exchange Online (then it asks for the tenant's routing domain). */
export function needsRemoteMailbox(recipe: Recipe, organisation: OnPremisesOrganisation): boolean {
    return recipe.serviceAccounts.some(a => remoteMailbox(a, organisation));
}

/**
 * Step 1 (on premises): the guide's New-ADUser, guarded by a lookup by UPN, then a mailbox where the account needs
 * one: Enable-RemoteMailbox (Exchange Online) in a hybrid organisation for an Exchange Online licence, else Enable-Mailbox.
 */
export function onPremisesAccounts(recipe: Recipe, organisation: OnPremisesOrganisation): string[] {
    const hybrid = organisation === 'hybrid';
    return section(1, [
        'Each account is looked up by its user principal name first and created only when missing, as the guide does:',
        'enabled, a password that never expires, no change at the next logon, and the user cannot change it. It is created',
        'in -OrganizationalUnit when given, else in the domain\'s default Users container. The UPN suffix must be one the',
        'forest knows (and, for Entra Connect, a verified domain). An existing account is left as it is.',
        ...(hybrid
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
    ], ['$placement = @{}', 'if ($OrganizationalUnit) { $placement.Path = $OrganizationalUnit }', ...recipe.serviceAccounts.flatMap(a => onPremisesAccount(recipe, a, organisation))]);
}

function onPremisesAccount(recipe: Recipe, a: RecipeServiceAccount, organisation: OnPremisesOrganisation): string[] {
    const upn = a.userPrincipalName.trim();
    const name = a.displayName.trim();
    const lines = [
        `# ${commentText(upn)} (${commentText(name)})`,
        `$adUser = Get-ADUser -LDAPFilter ${psString(`(userPrincipalName=${ldapFilterValue(upn)})`)}`,
        'if ($adUser) {',
        ...indent([progress(`${upn}: already in place`)]),
        '} else {',
        ...indent([
            '$password = New-ServiceAccountPassword',
            // -Name is the CN, unique in its container: the display name, as Active Directory Users and Computers does.
            `New-ADUser -Name ${psString(name.slice(0, 64).trim())} -DisplayName ${psString(name)} -SamAccountName ${psString(samAccountNameFor(upn))} -UserPrincipalName ${psString(upn)} -Description ${psString(`Service account: ${recipe.name.trim()}`.slice(0, 1024))} -OtherAttributes @{ employeeType = ${psString(serviceAccountEmployeeType)} } -AccountPassword (ConvertTo-SecureString -String $password -AsPlainText -Force) -PasswordNeverExpires $true -ChangePasswordAtLogon $false -CannotChangePassword $true -Enabled $true @placement`,
            progress(`${upn}: created`),
            `Show-PasswordOnce -Account ${psString(upn)} -Password $password`,
            '$password = $null',
        ]),
        '}',
    ];
    if (!needsMailbox(recipe, a)) return [...lines, `# ${commentText(upn)} needs no mailbox: the recipe gives it no Exchange licence and no mail-enabled group.`];
    const why = hasExchangePlan(a) ? 'its cloud licence includes Exchange Online' : 'it is a member of a mail-enabled group';
    const alias = mailNicknameFor(upn);
    // RecipientType User: no mailbox yet. Anything else (UserMailbox, or MailUser for a remote mailbox) is left alone,
    // so a rerun, or an account that already has its mailbox on the other side, is never given a second one.
    const create = remoteMailbox(a, organisation)
        ? [
            `Enable-RemoteMailbox -Identity "$($exchangeUser.Guid)" -Alias ${psString(alias)} -RemoteRoutingAddress (${psString(`${alias}@`)} + $RemoteRoutingDomain) | Out-Null`,
            progress(`${upn}: mailbox in Exchange Online requested (created when Entra Connect syncs the account and its licence is assigned)`),
        ]
        : [`Enable-Mailbox -Identity "$($exchangeUser.Guid)" -Alias ${psString(alias)} | Out-Null`, progress(`${upn}: mailbox created`)];
    return [
        ...lines,
        `# ${commentText(upn)} gets a mailbox${remoteMailbox(a, organisation) ? ' in Exchange Online' : ''}: ${why}.`,
        `$exchangeUser = Wait-ExchangeUser -UserPrincipalName ${psString(upn)}`,
        "if ($exchangeUser.RecipientType -ne 'User') {",
        ...indent([`Write-Host (${psString(`  ${upn}: mailbox already in place (`)} + $exchangeUser.RecipientTypeDetails + ')')`]),
        '} else {',
        ...indent(create),
        '}',
    ];
}

/** Steps 2 and 3 (on premises): nothing to run, but what the recipe asks is said, with where to do it. */
export function onPremisesCloudOnly(recipe: Recipe): string[] {
    const licences = recipe.serviceAccounts.filter(a => a.licence).map(a => {
        const l = a.licence ?? { sku: '', enabledPlans: 'all' as const };
        return `${a.userPrincipalName.trim()}: ${l.sku.trim()} with ${l.enabledPlans === 'all' ? 'all plans' : l.enabledPlans.join(', ')}`;
    });
    const roles = recipe.serviceAccounts.flatMap(a => (a.directoryRoles ?? []).map(r => `${a.userPrincipalName.trim()}: ${r.trim()}`));
    const cloudOnly = (what: string, items: string[]) => [
        `# Active Directory and Exchange Server have no ${what}: they exist only in Microsoft Entra ID. Once Entra Connect has`,
        '# synced the account to the cloud, assign them there: in the Microsoft 365 or Entra admin centre, or with the cloud',
        '# variant of this export (its steps look first, so they only add what is missing).',
        ...(items.length ? items.map(i => `#   ${commentText(i)}`) : ['#   (none in this recipe)']),
        ...items.map(i => progress(`${i}: must be done in the cloud once the account syncs (not possible on premises)`)),
        ...(items.length ? [] : [progress('none in this recipe')]),
    ];
    return [...section(2, [], cloudOnly('licences', licences)), ...section(3, [], cloudOnly('directory roles', roles))];
}

/**
 * Step 6's member list (on premises): the group by name or display name; members of nested groups through AD's
 * in-chain matching rule, which (unlike Get-ADGroupMember -Recursive) has no 5,000-member limit.
 */
export function onPremisesGrantMembers(grant: RecipeCalendarGrant): string[] {
    const name = grant.membersOf.trim();
    const value = ldapFilterValue(name);
    return [
        `$group = @(Get-ADGroup -LDAPFilter ${psString(`(|(displayName=${value})(name=${value}))`)})`,
        `if ($group.Count -ne 1) { throw (${psString(`Expected one group named "${name}", found `)} + $group.Count + ${psString('. Give it a unique name, or change membersOf in the recipe.')}) }`,
        '$members = @(Get-ADUser -LDAPFilter "(memberOf:1.2.840.113556.1.4.1941:=$(ConvertTo-LdapFilterValue $group[0].DistinguishedName))" | Where-Object { $_.UserPrincipalName } | ForEach-Object { $_.UserPrincipalName })',
    ];
}
