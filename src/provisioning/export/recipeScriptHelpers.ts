import type { ExportVariant } from './recipeScript';
import type { ScriptNeeds } from './scriptNeeds';

/**
 * The PowerShell functions a script calls, written once at its top so each step stays short. Only the ones the
 * script's steps use are written. They take values as parameters: recipe values never appear inside them.
 */
export function helperFunctions(needs: ScriptNeeds, variant: ExportVariant): string[] {
    return [
        '#region Helper functions',
        ...(needs.creates ? [...newPassword, ...showPassword] : []),
        ...notThereYet,
        // Only set-up waits: what an offboarding step finds is there, and what it does not find is not to be removed.
        ...(needs.sets ? waitForReplication : []),
        ...(needs.sets && needs.exchange ? [...waitForExchangeUser, ...recipientListed] : []),
        ...(needs.removes ? ifPresent : []),
        ...(variant === 'cloud' && needs.assignsLicences ? setLicence : []),
        ...(needs.grantsToGive ? calendarAccess(variant) : []),
        ...(needs.grantsToRevoke ? calendarRevoke(variant) : []),
        ...(needs.grants && variant === 'onPremises' ? ldapValue : []),
        '#endregion',
    ];
}

const newPassword = [
    '# A password for a new service account: generated, not asked for, so nobody invents (or reuses) one and it is never',
    '# in this file. 24 characters from a cryptographic source (Get-Random is not one) with upper and lower case letters,',
    '# digits and symbols: it meets the complexity rules of Entra ID and Active Directory. Look-alikes (0/O, 1/l/I) are',
    '# left out as it is read off the screen once; $ and ` are left out so it can be pasted into PowerShell as it is.',
    'function New-ServiceAccountPassword {',
    '    $sets = @(\'ABCDEFGHJKLMNPQRSTUVWXYZ\', \'abcdefghijkmnopqrstuvwxyz\', \'23456789\', \'!#%*+-=?@^_~\')',
    '    $all = -join $sets',
    '    $random = [System.Security.Cryptography.RandomNumberGenerator]::Create()',
    '    $bytes = [byte[]]::new(4)',
    '    # An unbiased number below $count: draws in the uneven top of the 32-bit range are drawn again.',
    '    $below = {',
    '        param([int] $count)',
    '        $range = [long][uint32]::MaxValue + 1',
    '        $limit = $range - ($range % $count)',
    '        do {',
    '            $random.GetBytes($bytes)',
    '            $n = [long][System.BitConverter]::ToUInt32($bytes, 0)',
    '        } while ($n -ge $limit)',
    '        [int]($n % $count)',
    '    }',
    '    $chars = [System.Collections.Generic.List[char]]::new()',
    '    foreach ($set in $sets) { $chars.Add($set[(& $below $set.Length)]) }',
    '    while ($chars.Count -lt 24) { $chars.Add($all[(& $below $all.Length)]) }',
    '    # Shuffled (Fisher-Yates), so the one character of each kind is not always first.',
    '    for ($i = $chars.Count - 1; $i -gt 0; $i--) {',
    '        $j = & $below ($i + 1)',
    '        $swap = $chars[$i]',
    '        $chars[$i] = $chars[$j]',
    '        $chars[$j] = $swap',
    '    }',
    '    $random.Dispose()',
    '    -join $chars',
    '}',
    '',
];

const showPassword = [
    '# The new password is shown here once and written to no file or log (a Start-Transcript of this session would hold it).',
    'function Show-PasswordOnce {',
    '    param([string] $Account, [string] $Password)',
    '    Write-Host "  Password for $Account, shown only now: copy it into the integration\'s settings or your password manager." -ForegroundColor Yellow',
    '    Write-Host "    $Password" -ForegroundColor Yellow',
    '}',
    '',
];

const notThereYet = [
    '# What Graph and Exchange answer about an object they do not know (yet).',
    '$notThereYet = "couldn\'t be found|could not be found|couldn\'t find|does not exist|ManagementObjectNotFound|ResourceNotFound"',
    '',
];

const waitForReplication = [
    '# A new account reaches role management and Exchange minutes after the directory has it (the guides say up to 30',
    '# minutes). Runs -Action again, with growing pauses, while it fails with "not found" or returns nothing, up to',
    '# -ReplicationTimeoutMinutes; any other error stops the script.',
    'function Invoke-AfterReplication {',
    '    param([string] $What, [scriptblock] $Action)',
    '    $deadline = (Get-Date).AddMinutes($ReplicationTimeoutMinutes)',
    '    $pause = 15',
    '    while ($true) {',
    '        $result = $null',
    '        try {',
    '            $result = & $Action',
    '        } catch {',
    '            if ("$($_.Exception.Message) $($_.FullyQualifiedErrorId)" -notmatch $notThereYet) { throw }',
    '        }',
    '        if ($null -ne $result) { return $result }',
    '        if ((Get-Date) -gt $deadline) { throw "Gave up waiting for $What after $ReplicationTimeoutMinutes minutes. Run this script again later: it carries on where it stopped." }',
    '        Write-Host "  Waiting for $What (next try in $pause s)..."',
    '        Start-Sleep -Seconds $pause',
    '        $pause = [Math]::Min(60, $pause * 2)',
    '    }',
    '}',
    '',
];

const waitForExchangeUser = [
    '# The account as Exchange sees it, once it does. -WithMailbox waits until it is a recipient (has its mailbox), which',
    '# group membership needs; its Guid then names it to every Exchange cmdlet, in the cloud and on premises alike.',
    'function Wait-ExchangeUser {',
    '    param([string] $UserPrincipalName, [switch] $WithMailbox)',
    '    Invoke-AfterReplication -What "Exchange to see $UserPrincipalName" -Action {',
    '        $user = Get-User -Identity $UserPrincipalName -ErrorAction Stop',
    '        if (-not $WithMailbox -or $user.RecipientType -ne \'User\') { $user }',
    '    }',
    '}',
    '',
];

const recipientListed = [
    '# Whether a list of recipients as Exchange returns it (names in Exchange Online, identities on premises) holds this',
    '# recipient, under any of the names Exchange may use for it.',
    'function Test-RecipientListed {',
    '    param([object[]] $List, $Recipient)',
    '    $listed = @($List | Where-Object { $_ } | ForEach-Object { "$_" })',
    '    foreach ($key in @($Recipient.Name, $Recipient.DisplayName, $Recipient.PrimarySmtpAddress, $Recipient.DistinguishedName, $Recipient.Identity, $Recipient.Guid)) {',
    '        if ("$key" -and $listed -contains "$key") { return $true }',
    '    }',
    '    return $false',
    '}',
    '',
];

const setLicence = [
    '# Assigns a licence with only the named service plans on, plus the plans of it the account already has on. The plan',
    '# ids to switch off are computed here, at run time, from the tenant\'s own list: assigning a licence again replaces',
    '# its disabled plans, so they must start from what the account has now. Returns what it did.',
    'function Set-ServiceAccountLicence {',
    '    param($User, [string] $Sku, [string[]] $EnabledPlans, [switch] $AllPlans)',
    '    $skus = @(Get-MgSubscribedSku -All)',
    '    $subscribed = @($skus | Where-Object { $_.SkuPartNumber -eq $Sku -or $_.SkuId -eq $Sku })',
    '    if ($subscribed.Count -ne 1) { throw "This tenant has no licence $Sku. It has: $(($skus | ForEach-Object { $_.SkuPartNumber }) -join \', \')." }',
    '    $subscribed = $subscribed[0]',
    '    $planIds = @{}',
    '    foreach ($plan in $subscribed.ServicePlans) { $planIds[$plan.ServicePlanName] = $plan.ServicePlanId }',
    '    $on = @{}',
    '    if ($AllPlans) { foreach ($id in $planIds.Values) { $on[$id] = $true } }',
    '    foreach ($name in $EnabledPlans) {',
    '        if (-not $planIds.ContainsKey($name)) { throw "$Sku has no service plan $name. Its plans: $($planIds.Keys -join \', \')." }',
    '        $on[$planIds[$name]] = $true',
    '    }',
    '    $current = @($User.AssignedLicenses | Where-Object { $_.SkuId -eq $subscribed.SkuId })',
    '    if ($current.Count) { foreach ($id in $planIds.Values) { if (@($current[0].DisabledPlans) -notcontains $id) { $on[$id] = $true } } }',
    '    $disabled = @($planIds.Values | Where-Object { -not $on.ContainsKey($_) })',
    '    if ($current.Count -and ((@($current[0].DisabledPlans) | Sort-Object) -join \',\') -eq (($disabled | Sort-Object) -join \',\')) { return \'already in place\' }',
    '    if (-not $current.Count -and $subscribed.PrepaidUnits.Enabled - $subscribed.ConsumedUnits -lt 1) {',
    '        throw "$Sku has no free licence: $($subscribed.ConsumedUnits) of $($subscribed.PrepaidUnits.Enabled) are used. Buy more, or free one, and run this script again."',
    '    }',
    '    Set-MgUserLicense -UserId $User.Id -AddLicenses @(@{ SkuId = $subscribed.SkuId; DisabledPlans = $disabled }) -RemoveLicenses @() | Out-Null',
    '    if ($current.Count) { \'updated\' } else { \'assigned\' }',
    '}',
    '',
];

function calendarAccess(variant: ExportVariant): string[] {
    return [
        '# Gives -Grantee the -AccessRight on the calendar of -Mailbox, or changes it when it differs; returns what it did.',
        '# The calendar is found by its folder type: its name is in the mailbox\'s language (Calendar, Agenda, Kalender...),',
        '# so "mailbox:\\Calendar" would miss most calendars outside English-speaking organisations.',
        'function Set-CalendarAccess {',
        '    param([string] $Mailbox, [string] $Grantee, [string] $AccessRight)',
        ...calendarEntry(variant),
        '    if (-not $current) {',
        '        Add-MailboxFolderPermission -Identity $folder -User $Grantee -AccessRights $AccessRight | Out-Null',
        '        return \'granted\'',
        '    }',
        '    if ((@($current.AccessRights) -join \',\') -eq $AccessRight) { return \'already in place\' }',
        '    Set-MailboxFolderPermission -Identity $folder -User $Grantee -AccessRights $AccessRight | Out-Null',
        '    return \'changed\'',
        '}',
        '',
        '# Set-CalendarAccess for every member; one member\'s failure is reported and the others go on. Returns the number',
        '# of failures.',
        'function Set-CalendarAccessForMembers {',
        '    param([string[]] $Members, [string] $Grantee, [string] $AccessRight)',
        ...forEachMember('Set-CalendarAccess -Mailbox $member -Grantee $Grantee -AccessRight $AccessRight', 'already in place'),
        '}',
        '',
    ];
}

/**
 * Revoking: Remove-MailboxFolderPermission takes away all the grantee's permissions on the folder, and asks for
 * confirmation unless -Confirm:$false (MicrosoftDocs/office-docs-powershell:exchange/exchange-ps/ExchangePowerShell/
 * Remove-MailboxFolderPermission.md). A grantee Exchange no longer knows has nothing left to revoke by name.
 */
function calendarRevoke(variant: ExportVariant): string[] {
    return [
        '# Takes -Grantee\'s access off the calendar of -Mailbox when it has an entry there; returns what it did. The calendar',
        '# is found by its folder type, as Set-CalendarAccess does.',
        'function Remove-CalendarAccess {',
        '    param([string] $Mailbox, [string] $Grantee)',
        ...calendarEntry(variant),
        '    if (-not $current) { return \'no access\' }',
        '    Remove-MailboxFolderPermission -Identity $folder -User $Grantee -Confirm:$false | Out-Null',
        '    return \'revoked\'',
        '}',
        '',
        '# Remove-CalendarAccess for every member, once Exchange still knows the grantee; one member\'s failure is reported and',
        '# the others go on. Returns the number of failures.',
        'function Remove-CalendarAccessForMembers {',
        '    param([string[]] $Members, [string] $Grantee)',
        '    if (-not (Get-IfPresent { Get-Recipient -Identity $Grantee })) {',
        '        Write-Host "    $Grantee is not in the organisation: no calendar access to revoke by name."',
        '        return 0',
        '    }',
        ...forEachMember('Remove-CalendarAccess -Mailbox $member -Grantee $Grantee', 'no access'),
        '}',
        '',
    ];
}

/** Inside a calendar function: -Mailbox's calendar folder ($folder) and -Grantee's entry on it ($current), or why not. */
function calendarEntry(variant: ExportVariant): string[] {
    // Exchange Online has the faster REST cmdlet; Exchange Server only the classic one.
    const folderStatistics = variant === 'cloud' ? 'Get-EXOMailboxFolderStatistics' : 'Get-MailboxFolderStatistics';
    return [
        '    try {',
        `        $calendar = @(${folderStatistics} -Identity $Mailbox -FolderScope Calendar -ErrorAction Stop | Where-Object { $_.FolderType -eq 'Calendar' })`,
        '    } catch {',
        '        if ("$($_.Exception.Message) $($_.FullyQualifiedErrorId)" -match $notThereYet) { return \'skipped: no mailbox\' }',
        '        throw',
        '    }',
        '    if ($calendar.Count -eq 0) { return \'skipped: no calendar folder\' }',
        '    $folder = $Mailbox + \':\\\' + $calendar[0].Name',
        '    $current = $null',
        '    try {',
        '        $current = Get-MailboxFolderPermission -Identity $folder -User $Grantee -ErrorAction Stop',
        '    } catch {',
        '        # No entry for the grantee: Exchange answers with this error, not with nothing.',
        '        if ("$($_.Exception.Message) $($_.FullyQualifiedErrorId)" -notmatch \'no existing permission entry|UserNotFoundInPermissionEntry\') { throw }',
        '    }',
    ];
}

/** The body of a ...ForMembers function: `call` for each of $Members, outcomes counted; `quiet` is not listed per member. */
function forEachMember(call: string, quiet: string): string[] {
    return [
        '    $outcomes = @{}',
        '    foreach ($member in $Members) {',
        '        try {',
        `            $outcome = ${call}`,
        '        } catch {',
        '            $outcome = \'failed\'',
        '            Write-Warning "${member}: $($_.Exception.Message)"',
        '        }',
        '        $outcomes[$outcome] += 1',
        `        if ($outcome -ne '${quiet}') { Write-Host "    \${member}: $outcome" }`,
        '    }',
        '    Write-Host "    $($Members.Count) members: $(($outcomes.Keys | Sort-Object | ForEach-Object { \'{0} {1}\' -f $outcomes[$_], $_ }) -join \', \')"',
        '    return [int]$outcomes[\'failed\']',
    ];
}

/**
 * What an offboarding step reads: the object, or nothing when Exchange does not know it (already gone is not an
 * error when removing). Any other error stops the script.
 */
const ifPresent = [
    '# Runs -Action and returns what it finds, or nothing when Exchange answers that the object does not exist.',
    'function Get-IfPresent {',
    '    param([scriptblock] $Action)',
    '    try {',
    '        & $Action',
    '    } catch {',
    '        if ("$($_.Exception.Message) $($_.FullyQualifiedErrorId)" -notmatch $notThereYet) { throw }',
    '    }',
    '}',
    '',
];

const ldapValue = [
    '# A value inside an LDAP filter (RFC 4515): \\ * ( ) and NUL written as \\hh, so a name cannot change the filter.',
    'function ConvertTo-LdapFilterValue {',
    '    param([string] $Value)',
    '    $Value.Replace(\'\\\', \'\\5c\').Replace(\'*\', \'\\2a\').Replace(\'(\', \'\\28\').Replace(\')\', \'\\29\').Replace([string][char]0, \'\\00\')',
    '}',
    '',
];
