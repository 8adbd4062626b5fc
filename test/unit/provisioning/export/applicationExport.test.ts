import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exportRecipe, graphScopes } from '../../../../src/provisioning/export/recipeExport';
import type { ExportTarget } from '../../../../src/provisioning/export/recipeScript';
import { scriptNeeds } from '../../../../src/provisioning/export/scriptNeeds';
import { stepSections } from '../../../../src/provisioning/export/scriptSections';
import { mailboxScopeName } from '../../../../src/provisioning/export/steps/application';
import type { ScriptContext } from '../../../../src/provisioning/export/steps/scriptKind';
import { parseRecipe, type Recipe } from '../../../../src/provisioning/recipes/recipe';
import { entry, type RecipeEntry } from '../../../../src/provisioning/recipes/recipeEntries';
import type { AppCredentialWant, AppDirectoryRoleWant, AppPermissionWant, AppRegistrationWant, MailboxAccessWant } from '../../../../src/provisioning/steps/applicationWants';
import type { Ensure, Step, StepKind } from '../../../../src/provisioning/steps/contract';
import type { NewMailEnabledSecurityGroup } from '../../../../src/provisioning/steps/mailGroups';
import { assertGuarded, scan, sections } from './scriptReader';

/** The export reads only an entry's kind and want: a step of that kind with nothing else is enough to write its script. */
const stepOf = <W extends { ensure?: Ensure }>(kind: StepKind) => ({ kind }) as unknown as Step<W, unknown>;
const registration = (want: AppRegistrationWant, id = '/applications/0') => entry(id, stepOf<AppRegistrationWant>('registerApplication'), want);
const credential = (want: AppCredentialWant, id = '/applications/0/credential') => entry(id, stepOf<AppCredentialWant>('addAppCredential'), want);
const permission = (want: AppPermissionWant, id: string) => entry(id, stepOf<AppPermissionWant>('grantAppPermission'), want);
const appRole = (want: AppDirectoryRoleWant, id = '/applications/0/directoryRoles/0') => entry(id, stepOf<AppDirectoryRoleWant>('assignAppRole'), want);
const mailboxAccess = (want: MailboxAccessWant, id = '/applications/0/mailboxAccess/0') => entry(id, stepOf<MailboxAccessWant>('scopeMailboxAccess'), want);

const calendarApp = 'MyTimetable Calendar Integration';
const reportingApp = 'Sam360 Reporting';
const recipe: Recipe = { name: 'App-only integrations', serviceAccounts: [] };
const cloud: ScriptContext = { recipe, target: { variant: 'cloud', cloud: 'Global' } };
const onPremisesTargets: ExportTarget[] = [{ variant: 'onPremises', organisation: 'hybrid' }, { variant: 'onPremises', organisation: 'exchangeOnly' }];

/** Both app-only templates' entries, as recipeEntries lists an application's: registration, credential, permissions, roles, mailbox scope. */
function appOnlyEntries(ensure?: 'absent'): RecipeEntry[] {
    const e = ensure ? { ensure } : {};
    return [
        registration({ displayName: calendarApp, owners: ['admin@contoso.com'], ...e }),
        registration({ displayName: reportingApp, ...e }, '/applications/1'),
        credential({ application: calendarApp, type: 'certificate', validDays: 365, ...e }),
        credential({ application: reportingApp, type: 'clientSecret', validDays: 90, ...e }, '/applications/1/credential'),
        permission({ application: reportingApp, api: 'Microsoft Graph', permission: 'User.Read.All', ...e }, '/applications/1/graphPermissions/0'),
        permission({ application: reportingApp, api: 'Office 365 Exchange Online', permission: 'Exchange.ManageAsApp', ...e }, '/applications/1/exchangeManagement'),
        appRole({ application: reportingApp, role: 'Global Reader', ...e }, '/applications/1/directoryRoles/0'),
        mailboxAccess({ application: calendarApp, role: 'Application Calendars.ReadWrite', membersOf: 'Staff', ...e }),
    ];
}

const script = (entries: RecipeEntry[], ctx: ScriptContext = cloud) => stepSections(entries, ctx).join('\n');
const section = (text: string, title: string) => [...sections(text)].find(([t]) => t.endsWith(`: ${title}`))?.[1] ?? assert.fail(`no section "${title}" in\n${[...sections(text).keys()].join('\n')}`);

describe('Export: app registrations as PowerShell (Microsoft Graph PowerShell and ExchangeOnlineManagement)', () => {
    it('a classic recipe\'s script has no application section: its steps are numbered as before', () => {
        const text = script([]);
        assert.ok(![...sections(text).keys()].some(t => /App |RBAC for Applications/.test(t)));
        assert.ok([...sections(text).keys()].every(t => / of 6: /.test(t)));
    });

    it('sets each part up after looking for it first, in dependency order, and the script balances', () => {
        const text = script(appOnlyEntries());
        scan(text);
        const titles = [...sections(text).keys()].map(t => t.replace(/^Step \d+ of \d+: /, ''));
        assert.deepEqual(titles.slice(-5), ['App registrations', 'App credentials', 'API permissions (admin consent)', 'Directory roles for apps', 'Mailbox access (RBAC for Applications)']);

        const registrations = section(text, 'App registrations');
        assert.match(registrations, /New-MgApplication -DisplayName 'MyTimetable Calendar Integration' -SignInAudience 'AzureADMyOrg'/, 'single tenant');
        assertGuarded(registrations, '@(Get-MgApplication', "@(Get-MgApplication -Filter 'displayName eq ''MyTimetable Calendar Integration''' -All)", "New-MgApplication -DisplayName 'MyTimetable Calendar Integration'");
        assertGuarded(registrations, 'Get-MgServicePrincipal', 'Get-MgServicePrincipal -Filter "appId eq \'$($app.AppId)\'"', 'New-MgServicePrincipal -AppId $app.AppId');
        assert.match(registrations, /Get-MgUser -UserId 'admin@contoso\.com'/);
        assert.match(registrations, /if \(\$owners -contains \$owner\.Id\) \{[\s\S]*\} else \{\s*New-MgApplicationOwnerByRef -ApplicationId \$app\.Id/, 'an owner is added only when missing');

        const credentials = section(text, 'App credentials');
        assert.match(credentials, /\$valid = @\(\$app\.KeyCredentials \| Where-Object \{ \$_\.EndDateTime -gt \(Get-Date\)\.ToUniversalTime\(\) \}\)\nif \(\$valid\.Count\) \{/, 'a valid certificate is left alone');
        assert.match(credentials, /New-SelfSignedCertificate -Subject 'CN=MyTimetable Calendar Integration' [^\n]*-KeyExportPolicy Exportable[^\n]*-NotAfter \(Get-Date\)\.AddDays\(365\)/);
        assert.match(credentials, /Update-MgApplication -ApplicationId \$app\.Id -KeyCredentials @\(@\{ Type = 'AsymmetricX509Cert'; Usage = 'Verify'; Key = \$cert\.RawData/);
        assert.match(credentials, /\$CertificateFile/, 'the admin\'s own certificate instead');

        const permissions = section(text, 'API permissions (admin consent)');
        assert.match(permissions, /Get-MgServicePrincipal -Filter 'appId eq ''00000003-0000-0000-c000-000000000000'''/, 'Microsoft Graph\'s service principal, by its well-known app id');
        assert.match(permissions, /Get-MgServicePrincipal -Filter 'appId eq ''00000002-0000-0ff1-ce00-000000000000'''/, 'Office 365 Exchange Online\'s');
        assert.match(permissions, /\$role = @\(\$api\.AppRoles \| Where-Object \{ \$_\.Value -eq 'User\.Read\.All' -and \$_\.AllowedMemberTypes -contains 'Application' \}\)/, 'the app role id looked up on the API');
        assertGuarded(permissions, '@(Get-MgServicePrincipalAppRoleAssignment', '@(Get-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id -All', 'New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id -PrincipalId $sp.Id -ResourceId $api.Id -AppRoleId $role[0].Id');

        const roles = section(text, 'Directory roles for apps');
        assert.match(roles, /Get-MgRoleManagementDirectoryRoleDefinition -Filter 'displayName eq ''Global Reader'''/);
        assert.match(roles, /New-MgRoleManagementDirectoryRoleAssignment -PrincipalId \$sp\.Id -RoleDefinitionId \$role\[0\]\.Id -DirectoryScopeId '\/'/, 'to the service principal, for the whole tenant');

        const mailboxes = section(text, 'Mailbox access (RBAC for Applications)');
        assertGuarded(mailboxes, '@(Get-ServicePrincipal', '@(Get-ServicePrincipal | Where-Object { $_.AppId -eq $app.AppId })', 'New-ServicePrincipal -AppId $app.AppId -ObjectId $sp.Id');
        assert.match(mailboxes, /\$group = Get-Group -Identity 'Staff'\n\$filter = "MemberOfGroup -eq '\{0\}'" -f \(\$group\.DistinguishedName -replace "'", "''"\)/, 'the scope is the group\'s members, by its distinguished name');
        // The step's scope name ("<app> — members of <group>"), the dash as [char]0x2014 so Windows PowerShell 5.1 reads the same name.
        assert.match(mailboxes, /^\$scopeName = 'MyTimetable Calendar Integration' \+ ' ' \+ \[char\]0x2014 \+ ' members of ' \+ 'Staff'$/m);
        const want: MailboxAccessWant = { application: calendarApp, role: 'Application Calendars.ReadWrite', membersOf: 'Staff' };
        assert.equal(mailboxScopeName(want), 'MyTimetable Calendar Integration \u2014 members of Staff', 'the name the mailbox access step gives its scope (scopeNameFor)');
        assert.ok([...text].every(c => c.charCodeAt(0) < 0x80), 'the script is ASCII for these names');
        assert.match(mailboxes, /if \(-not \$scope\.Count\) \{\s*\$null = New-ManagementScope -Name \$scopeName -RecipientRestrictionFilter \$filter/);
        assert.match(mailboxes, /\} elseif \(\$scope\[0\]\.RecipientFilter -ne \$filter\) \{\s*Set-ManagementScope/, 'a scope with another filter is changed, not duplicated');
        assertGuarded(mailboxes, '@(Get-ManagementRoleAssignment', "@(Get-ManagementRoleAssignment -Role 'Application Calendars.ReadWrite' -RoleAssignee $sp.Id", "New-ManagementRoleAssignment -App $sp.Id -Role 'Application Calendars.ReadWrite' -CustomResourceScope $scopeName");
        assert.match(mailboxes, /Test-ServicePrincipalAuthorization -Identity \$sp\.Id/);
        assert.match(mailboxes, /\$_\.Value -eq 'Calendars\.ReadWrite'[\s\S]*Write-Warning/, 'a tenant-wide Graph Calendars.ReadWrite (which makes the scope meaningless) is warned about');
    });

    it('a client secret is made only when none is valid, shown once, and written nowhere', () => {
        const text = section(script(appOnlyEntries()), 'App credentials');
        const at = text.indexOf("# Sam360 Reporting: a client secret valid 90 days");
        const secret = text.slice(at);
        assert.match(secret, /\$valid = @\(\$app\.PasswordCredentials \| Where-Object/);
        assert.match(secret, /\} else \{\s*\$secret = Add-MgApplicationPassword -ApplicationId \$app\.Id -PasswordCredential @\{ DisplayName = 'M365 Provisioner'; EndDateTime = \(Get-Date\)\.ToUniversalTime\(\)\.AddDays\(90\) \}/);
        assert.match(secret, /Write-Host " {4}\$\(\$secret\.SecretText\)"/);
        assert.match(secret, /\$secret = \$null/);
        assert.doesNotMatch(secret, /Out-File|Set-Content|Export-|Add-Content|Start-Transcript/, 'no file');
    });

    it('offboarding removes only what its lookups found, mailbox access first and the registration last', () => {
        const text = script(appOnlyEntries('absent'));
        scan(text);
        const titles = [...sections(text).keys()].map(t => t.replace(/^Offboarding step \d+ of \d+: /, ''));
        assert.deepEqual(titles.slice(0, 5), ['Mailbox access (RBAC for Applications) taken away', 'Directory roles for apps taken away', 'API permissions revoked', 'App credentials removed', 'App registrations deleted']);
        assert.doesNotMatch(text, /New-Mg|Add-MgApplicationPassword|New-ManagementScope|New-ManagementRoleAssignment|New-ServicePrincipal/, 'an offboarding creates nothing');
        assert.match(section(text, 'App registrations deleted'), /if \(\$app\.Count -eq 1\) \{\s*Remove-MgApplication -ApplicationId \$app\[0\]\.Id/);
        assert.match(section(text, 'API permissions revoked'), /if \(\$granted\.Count\) \{\s*foreach \(\$each in \$granted\) \{ Remove-MgServicePrincipalAppRoleAssignment/);
        const mailboxes = section(text, 'Mailbox access (RBAC for Applications) taken away');
        assert.match(mailboxes, /Remove-ManagementRoleAssignment -Identity \$each\.Identity -Confirm:\$false/);
        assert.match(mailboxes, /-not @\(Get-ManagementRoleAssignment \| Where-Object \{ \$_\.CustomResourceScope -eq \$scopeName \}\)\.Count\) \{\s*Remove-ManagementScope -Identity \$scopeName/, 'the scope goes only when no assignment uses it');
        assert.match(section(text, 'App credentials removed'), /Remove-MgApplicationPassword -ApplicationId \$app\.Id -KeyId \$each\.KeyId/);
    });

    for (const target of onPremisesTargets) {
        it(`on premises (${target.variant === 'onPremises' ? target.organisation : ''}): app registrations are cloud-only, said so, and nothing runs`, () => {
            for (const ensure of [undefined, 'absent'] as const) {
                const text = script(appOnlyEntries(ensure), { recipe, target });
                scan(text);
                assert.match(section(text, ensure ? 'App registrations deleted' : 'App registrations'), /exist only in Microsoft Entra ID/);
                assert.doesNotMatch(text, /-Mg[A-Z]|ManagementScope|ServicePrincipal -|SelfSignedCertificate/, 'no cloud cmdlet runs');
            }
            const needs = scriptNeeds(appOnlyEntries(), { recipe, target });
            assert.equal(needs.exchange, false, 'no Exchange Management Shell for RBAC for Applications, which only Exchange Online has');
            assert.equal(needs.applications, false);
        });
    }

    it('connects with the fewest Graph scopes for what it does: applications, consent and roles, no user write', () => {
        const needs = scriptNeeds(appOnlyEntries(), cloud);
        assert.deepEqual(graphScopes(needs), ['User.Read.All', 'RoleManagement.ReadWrite.Directory', 'Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All']);
        assert.equal(needs.exchange, true, 'RBAC for Applications: Connect-ExchangeOnline');
        assert.equal(needs.certificates, true);
        const noOwners = appOnlyEntries().map(e => (e.step.kind === 'registerApplication' ? registration({ displayName: (e.want as AppRegistrationWant).displayName }) : e));
        assert.deepEqual(graphScopes(scriptNeeds(noOwners, cloud)), ['RoleManagement.ReadWrite.Directory', 'Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All'], 'no owner to look up: no user permission at all');
        const withGroup = [...appOnlyEntries(), entry('/mailEnabledGroups/0', stepOf<NewMailEnabledSecurityGroup>('createMailGroup'), { name: 'MyTimetable Calendars', primarySmtpAddress: 'mytimetable-calendars@contoso.com' })];
        assert.deepEqual(graphScopes(scriptNeeds(withGroup, cloud)), graphScopes(needs), 'the scope\'s mail-enabled group is Exchange\'s: no user permission for it');
        const onlyRegistration = [registration({ displayName: calendarApp }), credential({ application: calendarApp, type: 'clientSecret', validDays: 30 })];
        assert.deepEqual(graphScopes(scriptNeeds(onlyRegistration, cloud)), ['Application.ReadWrite.All']);
        assert.equal(scriptNeeds(onlyRegistration, cloud).certificates, false, 'no -CertificateFile for a secret');
    });

    it('a name that is PowerShell code stays a value: in single quotes, and escaped where a line prints it in double quotes', () => {
        const hostile = 'Calendar "$(Remove-Item C:\\)" `whoami` O\'Brien';
        const text = script([registration({ displayName: hostile }), credential({ application: hostile, type: 'clientSecret', validDays: 30 }), mailboxAccess({ application: hostile, role: 'Application Calendars.Read', membersOf: 'Staff $(x)' })]);
        const { strings, code } = scan(text);
        assert.ok(strings.includes(hostile));
        assert.ok(strings.includes('Staff $(x)'), 'the scope\'s group');
        assert.ok(!code.includes('Remove-Item'), 'never outside a string');
        const printed = /^\s*Write-Host " {2}(.*): has a client secret valid until/m.exec(text)?.[1] ?? assert.fail('no double-quoted line with the name');
        assert.equal(printed, 'Calendar `"`$(Remove-Item C:\\)`" ``whoami`` O\'Brien', 'every " $ and ` escaped with a backtick');
    });

    it('the app-only examples export whole: Microsoft.Graph.Applications, the application scopes, -CertificateFile, no user account', () => {
        const examples = path.resolve(__dirname, '..', '..', '..', '..', '..', 'examples');
        for (const file of ['calendar-integration-app-only.m365recipe.json', 'reporting-inventory-app-only.m365recipe.json']) {
            const { recipe } = parseRecipe(fs.readFileSync(path.join(examples, file), 'utf8'));
            assert.ok(recipe);
            const text = exportRecipe(recipe, { variant: 'cloud', cloud: 'Global' });
            scan(text);
            assert.match(text, /^#Requires -Modules Microsoft\.Graph\.Applications$/m, file);
            const connect = /^Connect-MgGraph -Environment 'Global' -Scopes (.*) -NoWelcome$/m.exec(text)?.[1] ?? assert.fail(`no Connect-MgGraph in ${file}`);
            assert.match(connect, /'Application\.ReadWrite\.All'/);
            assert.doesNotMatch(connect, /User\.ReadWrite\.All/, 'an app-only recipe writes no user');
            assert.match(text, /^ {4}\[string\] \$CertificateFile$/m, 'both examples use a certificate');
            assert.match(text, /New-MgApplication -DisplayName/);
            assert.doesNotMatch(text, /New-MgUser/);
        }
    });
});
