import { serviceAccountEmployeeType } from '../../../graph/serviceAccounts';
import { mailNicknameFor } from '../../fields';
import type { NewServiceAccount } from '../../steps/serviceAccounts';
import { commentText, ldapFilterValue, odataString, psString } from '../powershell';
import { hasExchangePlan, indent, needsMailbox, progress, recipeAccount, type OnPremisesOrganisation } from '../recipeScript';
import type { KindScript, ScriptContext } from './scriptKind';

/** Where the cloud script keeps each account's Graph user between steps, by UPN. */
export const recipeUser = (upn: string): string => `$serviceAccounts[${psString(upn.trim())}]`;

/** `$user` = the Graph user with this UPN, or nothing. */
export function findCloudUser(upn: string, properties: string[]): string[] {
    return [`$user = Get-MgUser -Filter ${psString(`userPrincipalName eq ${odataString(upn.trim())}`)} -Property ${properties.join(', ')}`];
}

/** `$adUser` = the Active Directory user with this UPN, or nothing. */
function findAdUser(upn: string): string {
    return `$adUser = Get-ADUser -LDAPFilter ${psString(`(userPrincipalName=${ldapFilterValue(upn)})`)}`;
}

/** Active Directory's limits: a pre-Windows 2000 logon name of 20 characters, a CN of 64. */
export function samAccountNameFor(upn: string): string {
    return mailNicknameFor(upn).slice(0, 20).replace(/\.+$/, '');
}

/**
 * The service account. Cloud: found by UPN, else created as the guides ask; offboarding disables it
 * (Update-MgUser -AccountEnabled:$false), releases any licence it still holds (Set-MgUserLicense -RemoveLicenses: a
 * deleted user keeps its licences for 30 days), then deletes it (Remove-MgUser; Entra keeps it 30 days in Deleted
 * users). learn.microsoft.com/powershell/module/microsoft.graph.users/update-mguser, …/remove-mguser and
 * microsoft.graph.users.actions/set-mguserlicense. On premises: New-ADUser and a mailbox where needed; offboarding is
 * its mirror, Disable-ADAccount then Remove-ADUser (learn.microsoft.com/powershell/module/activedirectory/disable-adaccount,
 * …/remove-aduser), and Entra Connect takes the deletion to the cloud.
 */
export const serviceAccountScript: KindScript<NewServiceAccount> = {
    present: (want, ctx) => (ctx.target.variant === 'cloud' ? cloudAccount(want) : onPremisesAccount(want, ctx, ctx.target.organisation)),
    absent: (want, ctx) => (ctx.target.variant === 'cloud' ? cloudOffboard(want) : onPremisesOffboard(want)),
};

function cloudAccount(a: NewServiceAccount): string[] {
    const upn = a.userPrincipalName.trim();
    const usage = a.usageLocation.trim().toUpperCase();
    return [
        `# ${commentText(upn)} (${commentText(a.displayName)})`,
        ...findCloudUser(upn, ['Id', 'UserPrincipalName', 'UsageLocation', 'AssignedLicenses']),
        'if ($user) {',
        ...indent([
            progress(`${upn}: already in place`),
            'if (-not $user.UsageLocation) {',
            ...indent([`Update-MgUser -UserId $user.Id -UsageLocation ${psString(usage)}`, progress(`${upn}: usage location set to ${usage}`)]),
            '}',
        ]),
        '} else {',
        ...indent([
            '$password = New-ServiceAccountPassword',
            `$user = New-MgUser -UserPrincipalName ${psString(upn)} -DisplayName ${psString(a.displayName.trim())} -MailNickname ${psString(mailNicknameFor(upn))} -AccountEnabled:$true -UsageLocation ${psString(usage)} -EmployeeType ${psString(serviceAccountEmployeeType)} -PasswordPolicies 'DisablePasswordExpiration' -PasswordProfile @{ Password = $password; ForceChangePasswordNextSignIn = $false }`,
            progress(`${upn}: created`),
            `Show-PasswordOnce -Account ${psString(upn)} -Password $password`,
            '$password = $null',
        ]),
        '}',
        `${recipeUser(upn)} = $user`,
    ];
}

function cloudOffboard(a: NewServiceAccount): string[] {
    const upn = a.userPrincipalName.trim();
    return [
        `# ${commentText(upn)} (${commentText(a.displayName)})`,
        ...findCloudUser(upn, ['Id', 'UserPrincipalName', 'AccountEnabled', 'AssignedLicenses']),
        'if ($user) {',
        ...indent([
            // Disabled first: should the delete fail, the account can no longer sign in.
            'if ($user.AccountEnabled) {',
            ...indent(['Update-MgUser -UserId $user.Id -AccountEnabled:$false', progress(`${upn}: disabled`)]),
            '}',
            // Licences the recipe did not list go too: a deleted user keeps its licences, and their units stay used, until
            // Entra purges it 30 days later.
            '$held = @($user.AssignedLicenses | ForEach-Object { $_.SkuId } | Where-Object { $_ })',
            'if ($held.Count) {',
            ...indent(['Set-MgUserLicense -UserId $user.Id -AddLicenses @() -RemoveLicenses $held | Out-Null', progress(`${upn}: licences it still held released`)]),
            '}',
            'Remove-MgUser -UserId $user.Id',
            progress(`${upn}: deleted (restorable from Deleted users for 30 days)`),
        ]),
        '} else {',
        ...indent([progress(`${upn}: not in the tenant`)]),
        '}',
    ];
}

/**
 * Whether the account's mailbox goes to Exchange Online: in a hybrid organisation, when the recipe's licence includes
 * Exchange Online. (An account that needs a mailbox only to join a mail-enabled group gets it on Exchange Server, as
 * in an Exchange-only organisation: the recipe gives it no Exchange Online licence to have one there.)
 */
export function remoteMailbox(upn: string, ctx: ScriptContext, organisation: OnPremisesOrganisation): boolean {
    const account = recipeAccount(ctx.recipe, upn);
    return organisation === 'hybrid' && !!account && hasExchangePlan(account);
}

function onPremisesAccount(a: NewServiceAccount, ctx: ScriptContext, organisation: OnPremisesOrganisation): string[] {
    const upn = a.userPrincipalName.trim();
    const name = a.displayName.trim();
    const lines = [
        `# ${commentText(upn)} (${commentText(name)})`,
        findAdUser(upn),
        'if ($adUser) {',
        ...indent([progress(`${upn}: already in place`)]),
        '} else {',
        ...indent([
            '$password = New-ServiceAccountPassword',
            // -Name is the CN, unique in its container: the display name, as Active Directory Users and Computers does.
            `New-ADUser -Name ${psString(name.slice(0, 64).trim())} -DisplayName ${psString(name)} -SamAccountName ${psString(samAccountNameFor(upn))} -UserPrincipalName ${psString(upn)} -Description ${psString(`Service account: ${ctx.recipe.name.trim()}`.slice(0, 1024))} -OtherAttributes @{ employeeType = ${psString(serviceAccountEmployeeType)} } -AccountPassword (ConvertTo-SecureString -String $password -AsPlainText -Force) -PasswordNeverExpires $true -ChangePasswordAtLogon $false -CannotChangePassword $true -Enabled $true @placement`,
            progress(`${upn}: created`),
            `Show-PasswordOnce -Account ${psString(upn)} -Password $password`,
            '$password = $null',
        ]),
        '}',
    ];
    const account = recipeAccount(ctx.recipe, upn);
    if (!account || !needsMailbox(ctx.recipe, account)) return [...lines, `# ${commentText(upn)} needs no mailbox: the recipe gives it no Exchange licence and no mail-enabled group.`];
    const remote = remoteMailbox(upn, ctx, organisation);
    const why = hasExchangePlan(account) ? 'its cloud licence includes Exchange Online' : 'it is a member of a mail-enabled group';
    const alias = mailNicknameFor(upn);
    // RecipientType User: no mailbox yet. Anything else (UserMailbox, or MailUser for a remote mailbox) is left alone,
    // so a rerun, or an account that already has its mailbox on the other side, is never given a second one.
    const create = remote
        ? [
            `Enable-RemoteMailbox -Identity "$($exchangeUser.Guid)" -Alias ${psString(alias)} -RemoteRoutingAddress (${psString(`${alias}@`)} + $RemoteRoutingDomain) | Out-Null`,
            progress(`${upn}: mailbox in Exchange Online requested (created when Entra Connect syncs the account and its licence is assigned)`),
        ]
        : [`Enable-Mailbox -Identity "$($exchangeUser.Guid)" -Alias ${psString(alias)} | Out-Null`, progress(`${upn}: mailbox created`)];
    return [
        ...lines,
        `# ${commentText(upn)} gets a mailbox${remote ? ' in Exchange Online' : ''}: ${why}.`,
        `$exchangeUser = Wait-ExchangeUser -UserPrincipalName ${psString(upn)}`,
        "if ($exchangeUser.RecipientType -ne 'User') {",
        ...indent([`Write-Host (${psString(`  ${upn}: mailbox already in place (`)} + $exchangeUser.RecipientTypeDetails + ')')`]),
        '} else {',
        ...indent(create),
        '}',
    ];
}

function onPremisesOffboard(a: NewServiceAccount): string[] {
    const upn = a.userPrincipalName.trim();
    return [
        `# ${commentText(upn)} (${commentText(a.displayName)})`,
        findAdUser(upn),
        'if ($adUser) {',
        ...indent([
            'if ($adUser.Enabled) {',
            ...indent(['Disable-ADAccount -Identity $adUser', progress(`${upn}: disabled`)]),
            '}',
            'Remove-ADUser -Identity $adUser -Confirm:$false',
            progress(`${upn}: deleted (Entra Connect deletes the cloud account at its next sync)`),
        ]),
        '} else {',
        ...indent([progress(`${upn}: not in Active Directory`)]),
        '}',
    ];
}
