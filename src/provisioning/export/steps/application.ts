import { exchangeOnlineAppId, microsoftGraphAppId } from '../../../graph/applications';
import type { AppCredentialWant, AppDirectoryRoleWant, AppPermissionWant, AppRegistrationWant, MailboxAccessWant, PermissionApi } from '../../steps/applicationWants';
import { scopeNameFor } from '../../steps/mailboxAccess';
import { commentText, odataString, psString } from '../powershell';
import { indent, progress } from '../recipeScript';
import { cloudOnlyItem, type KindScript } from './scriptKind';
import { assignRoleTo, roleThatMustExist, takeRoleFrom } from './directoryRole';

/**
 * The application kinds as PowerShell (issue 17): Microsoft Graph PowerShell for the registration, its credential, its
 * application permissions and its directory roles; ExchangeOnlineManagement for RBAC for Applications. Each looks
 * first and changes only what differs; each removal takes away only what its lookup found. Cmdlet pages
 * (learn.microsoft.com/powershell/module/…):
 * - microsoft.graph.applications: get-mgapplication, new-mgapplication (-SignInAudience AzureADMyOrg: single tenant),
 *   remove-mgapplication, get-mgserviceprincipal, new-mgserviceprincipal, get-mgapplicationowner,
 *   new-mgapplicationownerbyref, add-mgapplicationpassword, remove-mgapplicationpassword, update-mgapplication
 *   (-KeyCredentials: "Applications that don't have any existing valid certificates … use the Update application
 *   operation", microsoft-graph-docs-contrib application-addkey.md), get-mgserviceprincipalapproleassignment,
 *   new-mgserviceprincipalapproleassignment, remove-mgserviceprincipalapproleassignment.
 * - microsoft.graph.identity.governance: get-/new-/remove-mgrolemanagementdirectoryroleassignment (a service principal
 *   is a principal like a user).
 * - pki: new-selfsignedcertificate (Windows; the admin's own .cer with -CertificateFile elsewhere).
 * - exchange (MicrosoftDocs/office-docs-powershell exchange/exchange-ps/ExchangePowerShell/): New-ServicePrincipal.md,
 *   Get-ServicePrincipal.md, Remove-ServicePrincipal.md, New-ManagementScope.md (-RecipientRestrictionFilter),
 *   Set-ManagementScope.md, Get-ManagementScope.md, Remove-ManagementScope.md, New-ManagementRoleAssignment.md (-App,
 *   -CustomResourceScope), Get-ManagementRoleAssignment.md, Remove-ManagementRoleAssignment.md,
 *   Test-ServicePrincipalAuthorization.md; the design: OfficeDocs-Exchange permissions-exo/application-rbac.md.
 * On premises there is none of this: app registrations exist only in Microsoft Entra ID.
 */

const onPremises = (item: string) => cloudOnlyItem(item, 'app registrations exist only in Microsoft Entra ID: use the cloud variant of this export');

/** The application ids of the APIs a recipe grants permissions on (the same in every tenant). */
const apiAppIds: Record<PermissionApi, string> = { 'Microsoft Graph': microsoftGraphAppId, 'Office 365 Exchange Online': exchangeOnlineAppId };

/** `$app`: the registrations with this display name (names are not unique in Entra, so the script counts them). */
function lookUpApp(name: string): string[] {
    return [`$app = @(Get-MgApplication -Filter ${psString(`displayName eq ${odataString(name)}`)} -All)`];
}

const tooMany = (name: string) => `if ($app.Count -gt 1) { throw ${psString(`There are several app registrations named "${name}": rename the others in the Entra admin centre (App registrations), then run this script again.`)} }`;

/** `$app` and `$sp` of a registration that must be there (an earlier step registers it). */
function theApp(name: string): string[] {
    return [
        ...lookUpApp(name),
        tooMany(name),
        `if ($app.Count -eq 0) { throw ${psString(`There is no app registration named "${name}": its step comes first in this script; run the script from the start.`)} }`,
        '$app = $app[0]',
        '$sp = Get-MgServicePrincipal -Filter "appId eq \'$($app.AppId)\'"',
        `if (-not $sp) { throw ${psString(`"${name}" has no service principal in this tenant: its registration step makes it; run the script from the start.`)} }`,
    ];
}

/** `$app` and `$sp` when the registration is there (a removal finds nothing to do otherwise). */
function theAppIfAny(name: string): string[] {
    return [
        ...lookUpApp(name),
        tooMany(name),
        '$sp = $null',
        'if ($app.Count -eq 1) {',
        ...indent(['$app = $app[0]', '$sp = Get-MgServicePrincipal -Filter "appId eq \'$($app.AppId)\'"']),
        '}',
    ];
}

const nowUtc = '(Get-Date).ToUniversalTime()';

export const appRegistrationScript: KindScript<AppRegistrationWant> = {
    present(want, { target }) {
        const name = want.displayName.trim();
        if (target.variant === 'onPremises') return onPremises(name);
        const owners = (want.owners ?? []).map(o => o.trim()).filter(Boolean);
        return [
            `# ${commentText(name)}`,
            ...lookUpApp(name),
            tooMany(name),
            'if ($app.Count) {',
            ...indent(['$app = $app[0]', progress(`${name}: already registered`)]),
            '} else {',
            ...indent([
                // Single tenant: only this organisation's accounts and apps can use it.
                `$app = New-MgApplication -DisplayName ${psString(name)} -SignInAudience 'AzureADMyOrg'`,
                progress(`${name}: registered (single tenant)`),
            ]),
            '}',
            'Write-Host "    Application (client) id: $($app.AppId)"',
            '$sp = Get-MgServicePrincipal -Filter "appId eq \'$($app.AppId)\'"',
            'if ($sp) {',
            ...indent([progress(`${name}: its service principal is there`)]),
            '} else {',
            ...indent([
                `$sp = Invoke-AfterReplication -What ${psString(`Entra to see ${name}`)} -Action { New-MgServicePrincipal -AppId $app.AppId }`,
                progress(`${name}: service principal created (the app's identity in this tenant)`),
            ]),
            '}',
            ...(owners.length ? [
                '$graphEndpoint = (Get-MgEnvironment | Where-Object { $_.Name -eq (Get-MgContext).Environment }).GraphEndpoint',
                '$owners = @(Get-MgApplicationOwner -ApplicationId $app.Id -All | ForEach-Object { $_.Id })',
                ...owners.flatMap(upn => [
                    `$owner = Get-MgUser -UserId ${psString(upn)} -Property Id`,
                    'if ($owners -contains $owner.Id) {',
                    ...indent([progress(`${name}: ${upn} is already an owner`)]),
                    '} else {',
                    ...indent([
                        'New-MgApplicationOwnerByRef -ApplicationId $app.Id -BodyParameter @{ \'@odata.id\' = "$graphEndpoint/v1.0/directoryObjects/$($owner.Id)" }',
                        progress(`${name}: ${upn} added as an owner`),
                    ]),
                    '}',
                ]),
            ] : []),
        ];
    },
    absent(want, { target }) {
        const name = want.displayName.trim();
        if (target.variant === 'onPremises') return onPremises(`${name} removed`);
        return [
            `# ${commentText(name)} removed`,
            ...lookUpApp(name),
            tooMany(name),
            'if ($app.Count -eq 1) {',
            ...indent([
                // Its service principal goes with it; Entra keeps the registration 30 days in Deleted applications.
                'Remove-MgApplication -ApplicationId $app[0].Id',
                progress(`${name}: registration deleted (restorable for 30 days from Deleted applications)`),
            ]),
            '} else {',
            ...indent([progress(`${name}: not registered`)]),
            '}',
        ];
    },
};

/** What a certificate's subject says: the app's name, without the characters that end or nest an X.500 name. */
const certificateSubject = (name: string) => `CN=${name.replace(/[,+"\\<>;=#]/g, ' ').trim() || 'M365 Provisioner app'}`;

export const appCredentialScript: KindScript<AppCredentialWant> = {
    present(want, { target }) {
        const name = want.application.trim();
        if (target.variant === 'onPremises') return onPremises(`${name}: ${want.type === 'certificate' ? 'certificate' : 'client secret'}`);
        const days = want.validDays;
        if (want.type === 'clientSecret') {
            return [
                `# ${commentText(name)}: a client secret valid ${days} days`,
                ...theApp(name),
                `$valid = @($app.PasswordCredentials | Where-Object { $_.EndDateTime -gt ${nowUtc} })`,
                'if ($valid.Count) {',
                ...indent([`Write-Host "  ${psDouble(name)}: has a client secret valid until $(($valid | Sort-Object EndDateTime | Select-Object -Last 1).EndDateTime.ToString('u')); left as it is (roll it before then)"`]),
                '} else {',
                ...indent([
                    `$secret = Add-MgApplicationPassword -ApplicationId $app.Id -PasswordCredential @{ DisplayName = 'M365 Provisioner'; EndDateTime = ${nowUtc}.AddDays(${days}) }`,
                    // Entra shows the secret in this answer only; it goes to the screen once and to no file or log.
                    `Write-Host ${psString(`  ${name}: client secret, shown only now: copy it into the integration's settings or your password manager.`)} -ForegroundColor Yellow`,
                    'Write-Host "    $($secret.SecretText)" -ForegroundColor Yellow',
                    'Write-Host "    It expires $($secret.EndDateTime.ToString(\'u\'))."',
                    '$secret = $null',
                ]),
                '}',
            ];
        }
        return [
            `# ${commentText(name)}: a certificate valid ${days} days`,
            ...theApp(name),
            `$valid = @($app.KeyCredentials | Where-Object { $_.EndDateTime -gt ${nowUtc} })`,
            'if ($valid.Count) {',
            ...indent([`Write-Host "  ${psDouble(name)}: has a certificate valid until $(($valid | Sort-Object EndDateTime | Select-Object -Last 1).EndDateTime.ToString('u')); left as it is (roll it before then)"`]),
            '} else {',
            ...indent([
                'if ($CertificateFile) {',
                ...indent([
                    // The admin's own certificate: only its public part (.cer) is uploaded.
                    '$cert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new((Resolve-Path -LiteralPath $CertificateFile).Path)',
                ]),
                '} else {',
                ...indent([
                    `$cert = New-SelfSignedCertificate -Subject ${psString(certificateSubject(name))} -CertStoreLocation 'Cert:\\CurrentUser\\My' -KeyExportPolicy Exportable -KeySpec Signature -KeyAlgorithm RSA -KeyLength 2048 -HashAlgorithm SHA256 -NotAfter (Get-Date).AddDays(${days})`,
                    'Write-Host "    Made certificate $($cert.Thumbprint) in Cert:\\CurrentUser\\My. Give the integration its private key with Export-PfxCertificate (a password-protected .pfx), then delete it from this store."',
                ]),
                '}',
                // PATCH keyCredentials replaces the list: the expired ones go, the new one stays.
                `Update-MgApplication -ApplicationId $app.Id -KeyCredentials @(@{ Type = 'AsymmetricX509Cert'; Usage = 'Verify'; Key = $cert.RawData; DisplayName = ${psString(certificateSubject(name))} })`,
                'Write-Host "    Certificate $($cert.Thumbprint) uploaded; it expires $($cert.NotAfter.ToUniversalTime().ToString(\'u\'))."',
            ]),
            '}',
        ];
    },
    absent(want, { target }) {
        const name = want.application.trim();
        const what = want.type === 'certificate' ? 'certificates' : 'client secrets';
        if (target.variant === 'onPremises') return onPremises(`${name}: ${what} removed`);
        return [
            `# ${commentText(name)}: ${what} removed`,
            ...theAppIfAny(name),
            ...(want.type === 'certificate'
                ? [
                    'if ($sp -and @($app.KeyCredentials).Count) {',
                    ...indent(['Update-MgApplication -ApplicationId $app.Id -KeyCredentials @()', progress(`${name}: certificates removed`)]),
                ]
                : [
                    'if ($sp -and @($app.PasswordCredentials).Count) {',
                    ...indent(['foreach ($each in $app.PasswordCredentials) { Remove-MgApplicationPassword -ApplicationId $app.Id -KeyId $each.KeyId }', progress(`${name}: client secrets removed`)]),
                ]),
            '} else {',
            ...indent([progress(`${name}: no ${what}`)]),
            '}',
        ];
    },
};

/** `$api` and `$role`: the API's service principal in this tenant and the permission (an app role offered to applications). */
function permissionOnApi(want: AppPermissionWant): string[] {
    const permission = want.permission.trim();
    return [
        `$api = Get-MgServicePrincipal -Filter ${psString(`appId eq '${apiAppIds[want.api]}'`)}`,
        `$role = @($api.AppRoles | Where-Object { $_.Value -eq ${psString(permission)} -and $_.AllowedMemberTypes -contains 'Application' })`,
    ];
}

export const appPermissionScript: KindScript<AppPermissionWant> = {
    present(want, { target }) {
        const name = want.application.trim();
        const permission = want.permission.trim();
        if (target.variant === 'onPremises') return onPremises(`${name}: ${want.api} ${permission}`);
        return [
            `# ${commentText(name)}: ${commentText(want.api)} ${commentText(permission)} (application permission, admin consent)`,
            ...theApp(name),
            ...permissionOnApi(want),
            `if ($role.Count -ne 1) { throw ${psString(`${permission} is not an application permission of ${want.api}: check its name in Microsoft's permissions reference.`)} }`,
            '$granted = @(Get-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id -All | Where-Object { $_.AppRoleId -eq $role[0].Id -and $_.ResourceId -eq $api.Id })',
            'if ($granted.Count) {',
            ...indent([progress(`${name}: ${permission} already granted`)]),
            '} else {',
            ...indent([
                // An app role assignment to the app's service principal is the admin consent, for the whole tenant.
                '$null = New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id -PrincipalId $sp.Id -ResourceId $api.Id -AppRoleId $role[0].Id',
                progress(`${name}: ${permission} granted (admin consent, the whole tenant)`),
            ]),
            '}',
        ];
    },
    absent(want, { target }) {
        const name = want.application.trim();
        const permission = want.permission.trim();
        if (target.variant === 'onPremises') return onPremises(`${name}: ${want.api} ${permission} revoked`);
        return [
            `# ${commentText(name)}: ${commentText(want.api)} ${commentText(permission)} revoked`,
            ...theAppIfAny(name),
            ...permissionOnApi(want),
            '$granted = @()',
            'if ($sp -and $role.Count -eq 1) {',
            ...indent(['$granted = @(Get-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id -All | Where-Object { $_.AppRoleId -eq $role[0].Id -and $_.ResourceId -eq $api.Id })']),
            '}',
            'if ($granted.Count) {',
            ...indent([
                'foreach ($each in $granted) { Remove-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id -AppRoleAssignmentId $each.Id }',
                progress(`${name}: ${permission} revoked`),
            ]),
            '} else {',
            ...indent([progress(`${name}: does not hold ${permission}`)]),
            '}',
        ];
    },
};

export const appDirectoryRoleScript: KindScript<AppDirectoryRoleWant> = {
    present(want, { target }) {
        const name = want.application.trim();
        const role = want.role.trim();
        if (target.variant === 'onPremises') return onPremises(`${name}: ${role}`);
        return [
            `# ${commentText(name)}: ${commentText(role)} (for the app's service principal)`,
            ...theApp(name),
            ...roleThatMustExist(role),
            ...assignRoleTo('$sp', name, role),
        ];
    },
    absent(want, { target }) {
        const name = want.application.trim();
        const role = want.role.trim();
        if (target.variant === 'onPremises') return onPremises(`${name}: ${role} taken away`);
        return [
            `# ${commentText(name)}: ${commentText(role)} taken away`,
            ...theAppIfAny(name),
            ...takeRoleFrom('$sp', name, role),
        ];
    },
};

/**
 * The management scope's name, as the mailbox access step names it ("<app> — members of <group>"), so a script run
 * after an apply (or the other way round) finds the same scope. Built in PowerShell with [char]0x2014 for the dash:
 * Windows PowerShell 5.1 reads a script saved without a byte-order mark as ANSI, which would make a literal em dash
 * another name.
 */
export const mailboxScopeName = (want: MailboxAccessWant): string => scopeNameFor(want);
const scopeNameLine = (want: MailboxAccessWant) => `$scopeName = ${psString(want.application.trim())} + ' ' + [char]0x2014 + ' members of ' + ${psString(want.membersOf.trim())}`;
/** Progress naming the scope: the text around it quoted, the name from $scopeName. */
const scopeProgress = (before: string, after: string) => `Write-Host (${psString(`  ${before}"`)} + $scopeName + ${psString(`"${after}`)})`;

/** The Graph permission an Exchange application role stands for ("Application Calendars.ReadWrite" → Calendars.ReadWrite). */
const graphPermissionOf = (role: string) => role.trim().replace(/^Application\s+/i, '');

export const mailboxAccessScript: KindScript<MailboxAccessWant> = {
    present(want, { target }) {
        const name = want.application.trim();
        const role = want.role.trim();
        const group = want.membersOf.trim();
        if (target.variant === 'onPremises') return onPremises(`${name}: ${role} for the members of ${group}`);
        return [
            `# ${commentText(name)}: ${commentText(role)}, only for the mailboxes of the members of ${commentText(group)}`,
            ...theApp(name),
            // Exchange's own pointer to the Entra service principal: what RBAC for Applications assigns roles to.
            '$exchangeApp = @(Get-ServicePrincipal | Where-Object { $_.AppId -eq $app.AppId })',
            'if ($exchangeApp.Count) {',
            ...indent([progress(`${name}: Exchange already knows its service principal`)]),
            '} else {',
            ...indent([
                `$null = New-ServicePrincipal -AppId $app.AppId -ObjectId $sp.Id -DisplayName ${psString(name)}`,
                progress(`${name}: service principal added to Exchange`),
            ]),
            '}',
            // MemberOfGroup compares with the group's distinguished name, quoted for OPATH (' doubled).
            `$group = Get-Group -Identity ${psString(group)}`,
            '$filter = "MemberOfGroup -eq \'{0}\'" -f ($group.DistinguishedName -replace "\'", "\'\'")',
            scopeNameLine(want),
            '$scope = @(Get-ManagementScope | Where-Object { $_.Name -eq $scopeName })',
            'if (-not $scope.Count) {',
            ...indent([
                '$null = New-ManagementScope -Name $scopeName -RecipientRestrictionFilter $filter',
                scopeProgress(`${name}: management scope `, ' created'),
            ]),
            '} elseif ($scope[0].RecipientFilter -ne $filter) {',
            ...indent([
                'Set-ManagementScope -Identity $scopeName -RecipientRestrictionFilter $filter',
                scopeProgress(`${name}: management scope `, ` changed to the members of ${group}`),
            ]),
            '} else {',
            ...indent([scopeProgress(`${name}: management scope `, ' already there')]),
            '}',
            `$assignment = @(Get-ManagementRoleAssignment -Role ${psString(role)} -RoleAssignee $sp.Id | Where-Object { $_.CustomResourceScope -eq $scopeName })`,
            'if ($assignment.Count) {',
            ...indent([progress(`${name}: ${role} already assigned with that scope`)]),
            '} else {',
            ...indent([
                `$null = New-ManagementRoleAssignment -App $sp.Id -Role ${psString(role)} -CustomResourceScope $scopeName`,
                progress(`${name}: ${role} assigned, limited to the scope`),
            ]),
            '}',
            // What Exchange now lets the app do (Test-ServicePrincipalAuthorization lists each assignment and its scope).
            `Test-ServicePrincipalAuthorization -Identity $sp.Id | Where-Object { $_.RoleName -eq ${psString(role)} } | ForEach-Object { Write-Host "    Exchange: $($_.RoleName) in $($_.AllowedResourceScope) ($($_.ScopeType))" }`,
            // The Entra grant and the Exchange grant add up: a tenant-wide Graph permission for the same makes the scope meaningless.
            `$graphApi = Get-MgServicePrincipal -Filter ${psString(`appId eq '${microsoftGraphAppId}'`)}`,
            `$wide = @($graphApi.AppRoles | Where-Object { $_.Value -eq ${psString(graphPermissionOf(role))} -and $_.AllowedMemberTypes -contains 'Application' })`,
            'if ($wide.Count -and @(Get-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id -All | Where-Object { $_.AppRoleId -eq $wide[0].Id -and $_.ResourceId -eq $graphApi.Id }).Count) {',
            ...indent([`Write-Warning ${psString(`${name} also holds Microsoft Graph ${graphPermissionOf(role)} for the whole tenant, which reaches every mailbox whatever the scope: revoke it (Enterprise applications > Permissions) for the scope to mean anything.`)}`]),
            '}',
        ];
    },
    absent(want, { target }) {
        const name = want.application.trim();
        const role = want.role.trim();
        if (target.variant === 'onPremises') return onPremises(`${name}: ${role} taken away`);
        return [
            `# ${commentText(name)}: ${commentText(role)} for the members of ${commentText(want.membersOf.trim())} taken away`,
            ...theAppIfAny(name),
            scopeNameLine(want),
            '$assignment = @()',
            'if ($sp) {',
            ...indent([`$assignment = @(Get-ManagementRoleAssignment -Role ${psString(role)} -RoleAssignee $sp.Id | Where-Object { $_.CustomResourceScope -eq $scopeName })`]),
            '}',
            'if ($assignment.Count) {',
            ...indent([
                'foreach ($each in $assignment) { Remove-ManagementRoleAssignment -Identity $each.Identity -Confirm:$false }',
                progress(`${name}: ${role} taken away`),
            ]),
            '} else {',
            ...indent([scopeProgress(`${name}: does not hold ${role} with scope `, '')]),
            '}',
            // The scope and Exchange's pointer go once nothing uses them any more.
            'if (@(Get-ManagementScope | Where-Object { $_.Name -eq $scopeName }).Count -and -not @(Get-ManagementRoleAssignment | Where-Object { $_.CustomResourceScope -eq $scopeName }).Count) {',
            ...indent(['Remove-ManagementScope -Identity $scopeName -Confirm:$false', scopeProgress(`${name}: management scope `, ' removed')]),
            '}',
            'if ($sp -and @(Get-ServicePrincipal | Where-Object { $_.AppId -eq $app.AppId }).Count -and -not @(Get-ManagementRoleAssignment -RoleAssignee $sp.Id).Count) {',
            ...indent(['Remove-ServicePrincipal -Identity $sp.Id -Confirm:$false', progress(`${name}: service principal removed from Exchange`)]),
            '}',
        ];
    },
};

/**
 * A value inside a double-quoted PowerShell string: ` $ and " escaped with a backtick, so a name prints as it is and
 * never expands. Only names go here, and only where the line also prints a value PowerShell computes.
 */
function psDouble(value: string): string {
    psString(value); // the same refusal of line breaks and control characters
    return value.replace(/[`$"\u201C\u201D\u201E]/g, c => `\`${c}`);
}
