import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ldapFilterValue, odataString, psString, ScriptValueError } from '../../../../src/provisioning/export/powershell';
import type { CloudName } from '../../../../src/auth/clouds';
import type { Recipe } from '../../../../src/provisioning/recipes/recipe';
import { exportRecipe, type ExportTarget } from '../../../../src/provisioning/export/recipeExport';
import { calendarGuide } from '../recipes/guideRecipes';
import { assertGuarded, readFilterLiteral, readSingleQuoted, scan, sections } from './scriptReader';

/** The first guide (reporting integration): one account, a directory role and an Exchange role group, no licence. */
const reportingIntegration: Recipe = {
    name: 'Sam360 reporting',
    serviceAccounts: [{
        userPrincipalName: 'Sam360Reports@contoso.com',
        displayName: 'Sam360 Reports',
        usageLocation: 'GB',
        directoryRoles: ['Service Support Administrator'],
        exchangeRoleGroups: ['View-Only Organization Management'],
    }],
};

/** The second guide (calendar integration): a licence with one plan, a mail-enabled group, a calendar grant. */
const calendarIntegration: Recipe = {
    ...structuredClone(calendarGuide),
    description: 'MyTimetable writes timetable events into the calendars of staff.\nIt signs in with the service account.',
    calendarGrants: [{ ...calendarGuide.calendarGrants[0], accessRight: 'Editor' }],
};

/** Names that break naive quoting: PowerShell's quotes (straight and typographic), $ expansion, backticks, LDAP's specials. */
const hostile = `O'Brien's "$env:USERNAME" \`whoami\` $(Remove-Item C:\\) ‘x’ ‚y‛ (a*b)\\c #no`;
const hostileRecipe: Recipe = {
    name: `Hostile ${hostile}`,
    description: `A description with #> and <# and\na second line $(evil)`,
    serviceAccounts: [{
        userPrincipalName: "o'brien@contoso.com",
        displayName: `Svc ${hostile}`,
        usageLocation: 'nl',
        directoryRoles: [`Role ${hostile}`],
        exchangeRoleGroups: [`Group ${hostile}`],
        licence: { sku: `Sku ${hostile}`, enabledPlans: [`PLAN_${hostile}`] },
    }],
    mailEnabledGroups: [{ name: `Mail ${hostile}`, primarySmtpAddress: "o'brien-group@contoso.com", acceptMessagesOnlyFrom: [`sender ${hostile}`], members: ["o'brien@contoso.com", `member ${hostile}`] }],
    calendarGrants: [{ membersOf: `Staff ${hostile}`, grantee: "o'brien-group@contoso.com", accessRight: 'Reviewer' }],
};

/** Every kind of script: the properties below hold for each. */
const targets: [string, ExportTarget][] = [
    ['cloud', { variant: 'cloud', cloud: 'Global' }],
    ['onPremises (Exchange-only)', { variant: 'onPremises', organisation: 'exchangeOnly' }],
    ['onPremises (hybrid)', { variant: 'onPremises', organisation: 'hybrid' }],
];
const cloud: ExportTarget = { variant: 'cloud', cloud: 'Global' };
const exchangeOnly: ExportTarget = { variant: 'onPremises', organisation: 'exchangeOnly' };
const hybrid: ExportTarget = { variant: 'onPremises', organisation: 'hybrid' };
const guides: [string, Recipe][] = [['reporting (Sam360)', reportingIntegration], ['calendar (MyTimetable)', calendarIntegration]];

const step = (script: string, n: number) => [...sections(script)].find(([title]) => title.startsWith(`Step ${n} of 6`))?.[1] ?? assert.fail(`no step ${n}`);

describe('Export a recipe as PowerShell', () => {
    it('the test\'s own reader catches what it checks for: unbalanced code, an unterminated string', () => {
        assert.throws(() => scan('if ($a) { Write-Host \'x\' '), /unclosed brackets/);
        assert.throws(() => scan("Write-Host 'it''s"), /unterminated string/);
        assert.throws(() => scan('Write-Host (1]'), /closes/);
        assert.deepEqual(scan("Write-Host '(' # )\n\"$('x)\" 'a''b'").strings, ['(', 'a\'b']);
    });

    describe('quoting: a value can never become code', () => {
        for (const value of [hostile, "'", "''", '‘’', '$x', '`n', '"', '', 'plain']) {
            it(`psString reads back exactly: ${JSON.stringify(value)}`, () => {
                const quoted = psString(value);
                const { value: read, end } = readSingleQuoted(quoted, 0);
                assert.equal(read, value);
                assert.equal(end, quoted.length, 'the string ends where the literal ends');
            });
        }

        it('refuses line breaks and other control characters, naming the value', () => {
            for (const bad of ['a\nb', 'a\rb', 'a\u2028b', 'a\u0085b', 'a\u0000b', 'tab\there']) {
                assert.throws(() => psString(bad), (e: unknown) => e instanceof ScriptValueError && e.message.includes(JSON.stringify(bad)), JSON.stringify(bad));
            }
        });

        it('a recipe value with a line break is refused by the export, not written', () => {
            const bad = structuredClone(calendarIntegration);
            bad.mailEnabledGroups = [{ name: 'Two\nLines', primarySmtpAddress: 'two@contoso.com' }];
            for (const [, target] of targets) assert.throws(() => exportRecipe(bad, target), ScriptValueError);
        });

        it('escapes LDAP filter values (RFC 4515) and OData literals', () => {
            assert.equal(ldapFilterValue('a*b(c)d\\e\0'), 'a\\2ab\\28c\\29d\\5ce\\00');
            assert.equal(readFilterLiteral(odataString(hostile)), hostile);
        });

        for (const [name, target] of targets) {
            const variant = target.variant;
            it(`${name}: every hostile name comes back exactly from the script's strings, and the script still balances`, () => {
                const script = exportRecipe(hostileRecipe, target);
                const { strings } = scan(script);
                const names = [
                    hostileRecipe.serviceAccounts[0].userPrincipalName,
                    hostileRecipe.serviceAccounts[0].displayName,
                    ...(hostileRecipe.serviceAccounts[0].exchangeRoleGroups ?? []),
                    hostileRecipe.mailEnabledGroups?.[0].name ?? '',
                    ...(hostileRecipe.mailEnabledGroups?.[0].members ?? []),
                    ...(hostileRecipe.mailEnabledGroups?.[0].acceptMessagesOnlyFrom ?? []),
                    "o'brien-group@contoso.com",
                ];
                if (variant === 'cloud') names.push(hostileRecipe.serviceAccounts[0].licence?.sku ?? '', `PLAN_${hostile}`);
                for (const name of names) assert.ok(strings.includes(name), `${name} not read back from ${variant}`);
                // No recipe text outside strings and comments: the code has no $( or backtick from a name.
                const { code } = scan(script);
                assert.doesNotMatch(code, /whoami|Remove-Item|USERNAME|\$\(evil/);
            });
        }

        it('cloud: each -Filter is an OData literal that reads back as the exact name', () => {
            const literals = scan(exportRecipe(hostileRecipe, cloud)).strings.map(s => /^(\w+) (?:eq|-eq) ('.*)$/s.exec(s)).filter(m => m !== null).map(m => `${m[1]}=${readFilterLiteral(m[2])}`);
            assert.deepEqual(literals.sort(), [`displayName=Role ${hostile}`, `displayName=Staff ${hostile}`, "PrimarySmtpAddress=o'brien-group@contoso.com", "userPrincipalName=o'brien@contoso.com"].sort());
        });

        it('on premises: each -LDAPFilter value reads back as the exact name, with no unescaped special', () => {
            const filters = scan(exportRecipe(hostileRecipe, exchangeOnly)).strings.filter(s => s.startsWith('(') && s.endsWith(')'));
            const values = filters.flatMap(f => [...f.matchAll(/\((\w+)=((?:[^()\\*]|\\[0-9a-f]{2})*)\)/g)].map(m => `${m[1]}=${m[2].replace(/\\([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))}`));
            assert.deepEqual(values.sort(), [`displayName=Staff ${hostile}`, `name=Staff ${hostile}`, "userPrincipalName=o'brien@contoso.com"].sort());
        });
    });

    for (const [guide, recipe] of guides) {
        for (const [name, target] of targets) {
            const variant = target.variant;
            describe(`the ${guide} guide, ${name}`, () => {
                const script = exportRecipe(recipe, target);
                // Read in each test, so a script that does not scan fails its tests instead of loading the file.
                const strings = () => scan(script).strings;

                it('starts with the rules: strict mode, stop on errors, the modules it needs, and says it is idempotent', () => {
                    assert.match(script, /^Set-StrictMode -Version Latest$/m);
                    assert.match(script, /^\$ErrorActionPreference = 'Stop'$/m);
                    assert.match(script, /^#Requires -Modules /m);
                    assert.match(script, variant === 'cloud' ? /^#Requires -Modules .*Microsoft\.Graph\.Users/m : /^#Requires -Modules ActiveDirectory$/m);
                    assert.match(script.split('\n')[0], new RegExp(recipe.name));
                    assert.match(script, /# Idempotent:/);
                    assert.ok(script.indexOf('#Requires') < script.indexOf('param('), 'the header comes before the param block');
                });

                it('has the six steps in dependency order, each with its progress line', () => {
                    const titles = [...sections(script).keys()].filter(t => t.startsWith('Step'));
                    assert.deepEqual(titles.map(t => t.replace(/^Step \d of 6: /, '')), ['Service accounts', 'Licences', 'Directory roles', 'Exchange role groups', 'Mail-enabled security groups and their members', 'Calendar access']);
                    for (const title of titles) assert.ok(strings().includes(title), `no Write-Host for ${title}`);
                });

                it('names every account, role, role group, licence plan, group, member and grant', () => {
                    const values: string[] = [];
                    for (const a of recipe.serviceAccounts) {
                        values.push(a.userPrincipalName, a.displayName, ...(a.exchangeRoleGroups ?? []));
                        if (variant === 'cloud') {
                            values.push(a.usageLocation, ...(a.directoryRoles ?? []).map(r => `displayName eq ${odataString(r)}`));
                            if (a.licence) values.push(a.licence.sku, ...(a.licence.enabledPlans === 'all' ? [] : a.licence.enabledPlans));
                        }
                    }
                    for (const g of recipe.mailEnabledGroups ?? []) values.push(g.name, g.primarySmtpAddress, ...(g.members ?? []), ...(g.acceptMessagesOnlyFrom ?? []));
                    for (const g of recipe.calendarGrants ?? []) values.push(g.grantee, g.accessRight, variant === 'cloud' ? `displayName eq ${odataString(g.membersOf)}` : `(|(displayName=${g.membersOf})(name=${g.membersOf}))`);
                    for (const v of values) assert.ok(strings().includes(v), `${v} is not in the script`);
                    if (variant === 'onPremises') {
                        // Roles and licences have no place to go on premises: named in the script with what to do.
                        for (const a of recipe.serviceAccounts) {
                            for (const r of a.directoryRoles ?? []) assert.ok(strings().some(s => s.includes(r) && /in the cloud/.test(s)), `${r} not named as a cloud step`);
                            for (const p of a.licence && a.licence.enabledPlans !== 'all' ? a.licence.enabledPlans : []) assert.ok(strings().some(s => s.includes(p) && /in the cloud/.test(s)), `${p} not named as a cloud step`);
                        }
                    }
                });

                it('guards every create with a lookup of the same object in the same step', () => {
                    for (const a of recipe.serviceAccounts) {
                        const upn = psString(a.userPrincipalName);
                        if (variant === 'cloud') {
                            assertGuarded(step(script, 1), 'Get-MgUser -Filter', `Get-MgUser -Filter ${psString(`userPrincipalName eq ${odataString(a.userPrincipalName)}`)}`, `New-MgUser -UserPrincipalName ${upn}`);
                            for (const role of a.directoryRoles ?? []) {
                                const roleStep = step(script, 3);
                                const definition = roleStep.indexOf(`Get-MgRoleManagementDirectoryRoleDefinition -Filter ${psString(`displayName eq ${odataString(role)}`)}`);
                                assert.ok(definition >= 0 && roleStep.indexOf('Get-MgRoleManagementDirectoryRoleAssignment', definition) > definition, `${role}: looked up by name, then its assignments`);
                                assertGuarded(roleStep.slice(definition), 'Get-MgRoleManagementDirectoryRoleAssignment', 'Get-MgRoleManagementDirectoryRoleAssignment -Filter "principalId eq', 'New-MgRoleManagementDirectoryRoleAssignment');
                                assert.match(roleStep, /-DirectoryScopeId '\/'/);
                            }
                        } else {
                            assertGuarded(step(script, 1), 'Get-ADUser -LDAPFilter', `Get-ADUser -LDAPFilter ${psString(`(userPrincipalName=${a.userPrincipalName})`)}`, `-UserPrincipalName ${upn}`);
                            assert.match(step(script, 1), /New-ADUser .*-PasswordNeverExpires \$true .*-Enabled \$true/);
                        }
                        for (const group of a.exchangeRoleGroups ?? []) assertGuarded(step(script, 4), 'Get-RoleGroupMember', `Get-RoleGroupMember -Identity ${psString(group)}`, `Add-RoleGroupMember -Identity ${psString(group)}`);
                    }
                    for (const g of recipe.mailEnabledGroups ?? []) {
                        assertGuarded(step(script, 5), 'Get-DistributionGroup -Filter', `Get-DistributionGroup -Filter ${psString(`PrimarySmtpAddress -eq '${g.primarySmtpAddress}'`)}`, `New-DistributionGroup -Name ${psString(g.name)}`);
                        assert.match(step(script, 5), /New-DistributionGroup .*-Type Security -MemberJoinRestriction Closed -MemberDepartRestriction Closed/);
                        const mailStep = step(script, 5);
                        if (g.members?.length) assertGuarded(mailStep, 'Get-DistributionGroupMember', 'Get-DistributionGroupMember -Identity', 'Add-DistributionGroupMember');
                        for (const m of g.members ?? []) {
                            // Each member found, then added only when the group's member list does not hold it.
                            const find = mailStep.indexOf(`$member = `, mailStep.indexOf('Get-DistributionGroupMember'));
                            const named = mailStep.indexOf(psString(m), find);
                            const add = mailStep.indexOf('Add-DistributionGroupMember', named);
                            assert.ok(find > 0 && named > find && add > named, `${m}: found, then added`);
                            assert.match(mailStep.slice(named, add), /if \(@\(\$members \| Where-Object \{ "\$\(\$_\.Guid\)" -eq "\$\(\$member\.Guid\)" \}\)\.Count\) \{\n[\s\S]*\} else \{/);
                        }
                    }
                    if (recipe.calendarGrants?.length) {
                        const helper = script.slice(script.indexOf('function Set-CalendarAccess '));
                        const folder = helper.indexOf(variant === 'cloud' ? 'Get-EXOMailboxFolderStatistics' : 'Get-MailboxFolderStatistics');
                        const read = helper.indexOf('Get-MailboxFolderPermission');
                        assert.ok(folder >= 0 && read > folder && helper.indexOf('Add-MailboxFolderPermission') > read && helper.indexOf('Set-MailboxFolderPermission') > read, 'calendar: folder by type, permission read, then add or set');
                        assert.match(helper, /FolderType -eq 'Calendar'/);
                        assert.match(step(script, 6), variant === 'cloud' ? /Get-MgGroupTransitiveMemberAsUser .*-All.* -ConsistencyLevel eventual -CountVariable \w+/ : /memberOf:1\.2\.840\.113556\.1\.4\.1941:=/);
                    }
                    if (variant === 'cloud' && recipe.serviceAccounts.some(a => a.licence)) {
                        const helper = script.slice(script.indexOf('function Set-ServiceAccountLicence'));
                        assert.ok(helper.indexOf('Get-MgSubscribedSku') >= 0 && helper.indexOf('AssignedLicenses') < helper.indexOf('Set-MgUserLicense'), 'licence: SKUs and what the account has, then the assignment');
                    }
                });

                it('holds no password: new accounts get a generated one, shown once', () => {
                    assert.doesNotMatch(script, /-(Account)?Password\s+'|Password\s*=\s*'|ConvertTo-SecureString\s+(-String\s+)?'/i);
                    // A generated-looking string (no spaces, every character class) that is not an address or a filter.
                    for (const s of strings()) assert.doesNotMatch(s, /^(?=.*[A-Z])(?=.*[a-z])(?=.*\d)(?=.*[!#%*+=?^_~-])[^\s@()]{12,}$/, `a password-like literal: ${s}`);
                    assert.match(script, /\$password = New-ServiceAccountPassword/);
                    assert.match(script, /RandomNumberGenerator/);
                    assert.match(script, /Show-PasswordOnce -Account/);
                });

                it('balances brackets, braces and parentheses outside strings and comments', () => {
                    const { code } = scan(script);
                    assert.match(code, /function Show-PasswordOnce \{/, 'the code outside strings was read');
                });

                if (variant === 'onPremises') {
                    it('says that directory roles and licences must be done in the cloud, in comments and progress', () => {
                        assert.match(step(script, 2), /# Active Directory and Exchange Server have no licences/);
                        assert.match(step(script, 3), /# Active Directory and Exchange Server have no directory roles/);
                        assert.match(step(script, 3), /Entra Connect has\n# synced the account to the cloud, assign them there/);
                        for (const role of recipe.serviceAccounts.flatMap(a => a.directoryRoles ?? [])) assert.match(step(script, 3), new RegExp(`Write-Host '.*${role}: must be done in the cloud`));
                        assert.doesNotMatch(script, /Mg[A-Z]\w+|Connect-ExchangeOnline/, 'no cloud cmdlets on premises');
                    });
                } else {
                    it('connects with the fewest Graph scopes the recipe needs, and to Exchange Online when it needs it', () => {
                        const connect = /^Connect-MgGraph -Environment '\w+' -Scopes (.*) -NoWelcome$/m.exec(script)?.[1] ?? '';
                        const scopes = connect.split(', ').map(s => readSingleQuoted(s, 0).value).sort();
                        const expected = ['User.ReadWrite.All', ...(recipe.serviceAccounts.some(a => a.licence) ? ['Organization.Read.All'] : []), ...(recipe.serviceAccounts.some(a => a.directoryRoles?.length) ? ['RoleManagement.ReadWrite.Directory'] : []), ...(recipe.calendarGrants?.length ? ['GroupMember.Read.All'] : [])].sort();
                        assert.deepEqual(scopes, expected);
                        assert.match(script, /^Connect-ExchangeOnline /m);
                        assert.match(step(script, 1), /-EmployeeType 'ServiceAccount' -PasswordPolicies 'DisablePasswordExpiration' -PasswordProfile @\{ Password = \$password; ForceChangePasswordNextSignIn = \$false \}/);
                    });
                }
            });
        }
    }

    describe('the cloud the script signs in to', () => {
        // Connect-MgGraph -Environment: the names Get-MgEnvironment lists (learn.microsoft.com/powershell/module/
        // microsoft.graph.authentication/get-mgenvironment). Connect-ExchangeOnline -ExchangeEnvironmentName:
        // MicrosoftDocs/office-docs-powershell:exchange/exchange-ps/ExchangePowerShell/Connect-ExchangeOnline.md.
        const expected: [CloudName, string, string][] = [
            ['Global', 'Global', 'O365Default'],
            ['USGovernment', 'USGov', 'O365USGovGCCHigh'],
            ['USGovernmentDoD', 'USGovDoD', 'O365USGovDoD'],
            ['China', 'China', 'O365China'],
        ];
        const connects = (script: string) => ({
            graph: /^Connect-MgGraph -Environment ('[^']*') /m.exec(script)?.[1],
            exchange: /^Connect-ExchangeOnline -ExchangeEnvironmentName ('[^']*') /m.exec(script)?.[1],
        });
        for (const [cloudName, graphEnvironment, exchangeEnvironment] of expected) {
            it(`${cloudName}: Connect-MgGraph -Environment ${graphEnvironment}, Connect-ExchangeOnline -ExchangeEnvironmentName ${exchangeEnvironment}, named in the header`, () => {
                const script = exportRecipe(calendarIntegration, { variant: 'cloud', cloud: cloudName });
                const found = connects(script);
                assert.equal(found.graph && readSingleQuoted(found.graph, 0).value, graphEnvironment);
                assert.equal(found.exchange && readSingleQuoted(found.exchange, 0).value, exchangeEnvironment);
                assert.match(script.slice(0, script.indexOf('#Requires')), new RegExp(`^# Cloud: .*Microsoft Graph environment ${graphEnvironment}, Exchange Online environment ${exchangeEnvironment}\\.$`, 'm'));
                assert.doesNotMatch(script, /custom cloud/);
                scan(script);
            });
        }

        it('a custom cloud (the sandbox) has no PowerShell environment: the worldwide names, and the header says why', () => {
            const script = exportRecipe(calendarIntegration, { variant: 'cloud', cloud: 'Custom' });
            assert.deepEqual(connects(script), { graph: "'Global'", exchange: "'O365Default'" });
            const header = script.slice(0, script.indexOf('#Requires')).replace(/\n# /g, ' ');
            assert.match(header, /exported from a custom cloud \(such as the sandbox tenant\), which PowerShell has no environment for, so it signs in to the worldwide cloud/);
            assert.match(header, /export it again and choose that cloud/);
        });

        it('a recipe with nothing for Exchange connects only to Graph, in its cloud', () => {
            const minimal: Recipe = { name: 'Just an account', serviceAccounts: [{ userPrincipalName: 'svc@contoso.com', displayName: 'Svc', usageLocation: 'US' }] };
            assert.deepEqual(connects(exportRecipe(minimal, { variant: 'cloud', cloud: 'USGovernmentDoD' })), { graph: "'USGovDoD'", exchange: undefined });
        });
    });

    describe('on premises: hybrid or Exchange-only', () => {
        const upn = calendarIntegration.serviceAccounts[0].userPrincipalName;
        const alias = upn.split('@')[0];
        /** A member of the mail-enabled group without a licence: it needs a mailbox only to be a member. */
        const withUnlicensedMember: Recipe = structuredClone(calendarIntegration);
        withUnlicensedMember.serviceAccounts.push({ userPrincipalName: 'sa-mytt-reader@contoso.com', displayName: 'MyTimetable Reader', usageLocation: 'NL' });
        withUnlicensedMember.mailEnabledGroups?.[0].members?.push('sa-mytt-reader@contoso.com');
        /** The lines for one account in step 1: from its comment to the next account's. */
        const accountLines = (script: string, account: string) => {
            const accounts = step(script, 1);
            const from = accounts.indexOf(`# ${account} (`);
            const next = accounts.indexOf('\n# ', accounts.indexOf(`# ${account} gets`, from) + 1);
            return accounts.slice(from, next < 0 ? undefined : next);
        };

        it('hybrid: an account whose licence has Exchange Online gets Enable-RemoteMailbox with <alias>@<routing domain>, never Enable-Mailbox', () => {
            // Enable-RemoteMailbox.md: "create a mailbox in the cloud-based service for an existing user in the
            // on-premises Active Directory"; its example: -RemoteRoutingAddress "kima@contoso.mail.onmicrosoft.com".
            const script = exportRecipe(calendarIntegration, hybrid);
            const lines = accountLines(script, upn);
            assert.match(lines, /^\s*Enable-RemoteMailbox -Identity "\$\(\$exchangeUser\.Guid\)" -Alias '[^']+' -RemoteRoutingAddress \('[^']+' \+ \$RemoteRoutingDomain\) \| Out-Null$/m);
            const args = /Enable-RemoteMailbox .*-Alias ('[^']*') -RemoteRoutingAddress \(('[^']*') /.exec(lines);
            assert.equal(args && readSingleQuoted(args[1], 0).value, alias);
            assert.equal(args && readSingleQuoted(args[2], 0).value, `${alias}@`);
            assert.doesNotMatch(script, /^\s*Enable-Mailbox /m, 'no on-premises mailbox for it: that would be a second one');
            // Guarded: only an account Exchange sees without any mailbox (RecipientType User) gets one.
            const guard = new RegExp(`^\\$exchangeUser = Wait-ExchangeUser -UserPrincipalName ${psString(upn)}\nif \\(\\$exchangeUser\\.RecipientType -ne 'User'\\) \\{\n[^\n]*already in place[^\n]*\n\\} else \\{\n\\s+Enable-RemoteMailbox `, 'm');
            assert.match(lines, guard, 'Enable-RemoteMailbox only in the else branch of the lookup: an account with any mailbox is left alone');
            assert.match(script, /^if \(-not \(Get-Command -Name Enable-RemoteMailbox /m, 'checks for the cmdlet it uses');
        });

        it('hybrid: the routing domain is a mandatory, checked script parameter, not guessed, and only asked for when a remote mailbox is made', () => {
            const script = exportRecipe(calendarIntegration, hybrid);
            const params = script.slice(script.indexOf('param('), script.indexOf('\n)\n'));
            assert.match(params, /\[Parameter\(Mandatory = \$true, HelpMessage = '[^\n]*contoso\.mail\.onmicrosoft\.com'\)\]\n\s*\[ValidatePattern\('[^']+'\)\]\n\s*\[string\] \$RemoteRoutingDomain$/);
            const pattern = new RegExp(readSingleQuoted(/ValidatePattern\(('[^']+')\)/.exec(params)?.[1] ?? "''", 0).value);
            assert.ok(pattern.test('contoso.mail.onmicrosoft.com'));
            for (const bad of ['contoso', 'a@contoso.mail.onmicrosoft.com', "x'; Remove-Item C:\\", '']) assert.ok(!pattern.test(bad), bad);
            assert.match(script, /^# Hybrid organisation: /m);
            // A recipe with no Exchange Online licence makes no remote mailbox, so it asks for no routing domain.
            assert.doesNotMatch(exportRecipe(reportingIntegration, hybrid), /^\s*Enable-RemoteMailbox |\$RemoteRoutingDomain/m);
        });

        it('hybrid: an account that needs a mailbox only to join a mail-enabled group (no licence) gets it on Exchange Server', () => {
            const script = exportRecipe(withUnlicensedMember, hybrid);
            assert.match(accountLines(script, upn), /Enable-RemoteMailbox /);
            const reader = accountLines(script, 'sa-mytt-reader@contoso.com');
            assert.match(reader, /Enable-Mailbox -Identity "\$\(\$exchangeUser\.Guid\)" -Alias 'sa-mytt-reader'/);
            assert.doesNotMatch(reader, /Enable-RemoteMailbox/);
        });

        it('Exchange-only: every mailbox with Enable-Mailbox, no remote mailbox and no routing domain', () => {
            const script = exportRecipe(withUnlicensedMember, exchangeOnly);
            for (const account of [upn, 'sa-mytt-reader@contoso.com']) assert.match(accountLines(script, account), /Enable-Mailbox -Identity /);
            assert.doesNotMatch(script, /Enable-RemoteMailbox|RemoteRoutingDomain/);
            assert.match(script, /^# Exchange-only organisation: /m);
        });
    });

    describe('offboarding: a recipe with "ensure": "absent" exports its removals (export used to refuse it)', () => {
        const examples = path.resolve(__dirname, '..', '..', '..', '..', '..', 'examples');
        const example = (file: string) => JSON.parse(fs.readFileSync(path.join(examples, file), 'utf8')) as Recipe;
        const offboardings: [string, Recipe][] = [
            ['offboard-reporting-inventory', example('offboard-reporting-inventory.m365recipe.json')],
            ['offboard-calendar-integration', example('offboard-calendar-integration.m365recipe.json')],
        ];
        /** The removal cmdlets in the order Apply runs them (recipeEntries): calendar access, memberships, roles, licence, account, group. */
        const removals = (recipe: Recipe, variant: ExportTarget['variant']): string[] => {
            const accounts = recipe.serviceAccounts;
            const cloudOnly = variant === 'cloud';
            return [
                ...(recipe.calendarGrants?.length ? ['$failed += Remove-CalendarAccessForMembers -Members $members -Grantee '] : []),
                ...((recipe.mailEnabledGroups ?? []).some(g => g.members?.length) ? ['Remove-DistributionGroupMember -Identity '] : []),
                ...(accounts.some(a => a.exchangeRoleGroups?.length) ? ['Remove-RoleGroupMember -Identity '] : []),
                ...(cloudOnly && accounts.some(a => a.directoryRoles?.length) ? ['Remove-MgRoleManagementDirectoryRoleAssignment -UnifiedRoleAssignmentId '] : []),
                ...(cloudOnly && accounts.some(a => a.licence) ? ['Set-MgUserLicense -UserId $user.Id -AddLicenses @() -RemoveLicenses @($sku[0].SkuId)'] : []),
                ...(cloudOnly
                    ? ['Update-MgUser -UserId $user.Id -AccountEnabled:$false', 'Set-MgUserLicense -UserId $user.Id -AddLicenses @() -RemoveLicenses $held', 'Remove-MgUser -UserId $user.Id']
                    : ['Disable-ADAccount -Identity $adUser', 'Remove-ADUser -Identity $adUser -Confirm:$false']),
                ...(recipe.mailEnabledGroups?.length ? ['Remove-DistributionGroup -Identity "$($group[0].Guid)" -BypassSecurityGroupManagerCheck -Confirm:$false'] : []),
            ];
        };
        /** What sets up: none of it may run in an offboarding script (the code, outside strings and comments). */
        const creates = /New-MgUser|New-ADUser|New-DistributionGroup|New-MgRoleManagementDirectoryRoleAssignment|Enable-(Remote)?Mailbox|Add-(DistributionGroup|RoleGroup)Member|Add-MailboxFolderPermission|Set-MailboxFolderPermission|Set-ServiceAccountLicence|New-ServiceAccountPassword|Set-DistributionGroup/;

        for (const [name, recipe] of offboardings) {
            for (const [targetName, target] of targets) {
                const variant = target.variant;
                it(`${name}, ${targetName}: the removals in reverse dependency order, each value quoted, balanced, nothing that creates`, () => {
                    const script = exportRecipe(recipe, target);
                    const { strings, code } = scan(script);
                    const steps = script.slice(script.indexOf('#region Offboarding step 1 of 7'));
                    let at = -1;
                    for (const cmdlet of removals(recipe, variant)) {
                        const next = steps.indexOf(cmdlet, at + 1);
                        assert.ok(next > at, `${cmdlet} is not after the removal before it:\n${steps}`);
                        at = next;
                    }
                    const titles = [...sections(script).keys()];
                    assert.deepEqual(titles.filter(t => !t.startsWith('Offboarding') && t !== 'Helper functions'), [], 'no set-up section in an offboarding-only script');
                    assert.deepEqual(titles.filter(t => t.startsWith('Offboarding')).map(t => t.replace(/^Offboarding step \d of 7: /, '')), ['Calendar access revoked', 'Mail-enabled group members taken out', 'Exchange role group memberships taken away', 'Directory roles taken away', 'Licences removed', 'Service accounts disabled and deleted', 'Mail-enabled security groups removed']);
                    assert.doesNotMatch(code, creates);
                    assert.doesNotMatch(script, /\$RemoteRoutingDomain|\$OrganizationalUnit|Show-PasswordOnce/, 'asks for nothing only set-up needs');
                    for (const a of recipe.serviceAccounts) {
                        assert.ok(strings.includes(a.userPrincipalName) || strings.includes(`(userPrincipalName=${a.userPrincipalName})`), `${a.userPrincipalName} not quoted`);
                        for (const g of a.exchangeRoleGroups ?? []) assert.ok(strings.includes(g), `${g} not quoted`);
                        if (variant === 'cloud') {
                            assert.ok(strings.includes(`userPrincipalName eq ${odataString(a.userPrincipalName)}`), 'the account found by an OData literal');
                            for (const r of a.directoryRoles ?? []) assert.ok(strings.includes(`displayName eq ${odataString(r)}`), `${r} not quoted`);
                            if (a.licence) assert.ok(strings.includes(a.licence.sku), `${a.licence.sku} not quoted`);
                        } else {
                            for (const r of a.directoryRoles ?? []) assert.ok(strings.some(s => s.includes(r) && /Entra Connect syncs its deletion/.test(s)), `${r}: said where it goes on premises`);
                        }
                    }
                    for (const g of recipe.mailEnabledGroups ?? []) assert.ok(strings.includes(`PrimarySmtpAddress -eq ${odataString(g.primarySmtpAddress)}`) && strings.includes(g.primarySmtpAddress), `${g.primarySmtpAddress} not quoted`);
                    for (const c of recipe.calendarGrants ?? []) assert.ok(strings.includes(c.grantee), `${c.grantee} not quoted`);
                    // Exchange's and Active Directory's Remove- cmdlets ask before they act: a script must say -Confirm:$false.
                    for (const line of script.split('\n').filter(l => /^\s*(\$\w+ = )?(Remove-(DistributionGroup|DistributionGroupMember|RoleGroupMember|MailboxFolderPermission|ADUser)) /.test(l))) assert.match(line, /-Confirm:\$false/, line);
                    if (variant === 'onPremises') assert.doesNotMatch(script, /Mg[A-Z]\w+|Connect-ExchangeOnline/, 'no cloud cmdlets on premises');
                });
            }

            it(`${name}, cloud: asks for the fewest Graph scopes its removals need`, () => {
                const script = exportRecipe(recipe, cloud);
                const connect = /^Connect-MgGraph -Environment '\w+' -Scopes (.*) -NoWelcome$/m.exec(script)?.[1] ?? '';
                const scopes = connect.split(', ').map(s => readSingleQuoted(s, 0).value).sort();
                const expected = ['User.ReadWrite.All', ...(recipe.serviceAccounts.some(a => a.licence) ? ['Organization.Read.All'] : []), ...(recipe.serviceAccounts.some(a => a.directoryRoles?.length) ? ['RoleManagement.ReadWrite.Directory'] : []), ...(recipe.calendarGrants?.length ? ['GroupMember.Read.All'] : [])].sort();
                assert.deepEqual(scopes, expected);
            });
        }

        it('each removal acts only on what its lookup found: gone already is reported, not an error', () => {
            const [, reporting] = offboardings[0];
            const [, calendar] = offboardings[1];
            const calendarScript = exportRecipe(calendar, cloud);
            const reportingScript = exportRecipe(reporting, cloud);
            const guarded = (text: string, lookup: string, test: string, remove: string) => {
                const from = text.indexOf(lookup);
                const to = text.indexOf(remove, from);
                assert.ok(from >= 0 && to > from, `${remove} after ${lookup}`);
                const between = text.slice(from, to);
                assert.ok(between.includes(test), `no ${test} between ${lookup} and ${remove}:\n${between}`);
                assert.doesNotMatch(between.slice(between.indexOf(test)), /\} else \{/, `${remove} is in the else branch`);
            };
            const upn = psString(`userPrincipalName eq ${odataString('sa-mytt-exch@contoso.com')}`);
            guarded(calendarScript, `$user = Get-MgUser -Filter ${upn} -Property Id, UserPrincipalName, AccountEnabled`, 'if ($user) {', 'Remove-MgUser');
            guarded(calendarScript, `$user = Get-MgUser -Filter ${upn} -Property Id, AssignedLicenses`, 'if ($user -and $sku.Count -eq 1 -and @($user.AssignedLicenses | Where-Object { $_.SkuId -eq $sku[0].SkuId }).Count) {', 'Set-MgUserLicense');
            guarded(calendarScript, `$group = @(Get-DistributionGroup -Filter ${psString(`PrimarySmtpAddress -eq ${odataString('sa-mytt-exch-secgroup@contoso.com')}`)}`, 'if ($group.Count) {', 'Remove-DistributionGroup -Identity');
            guarded(calendarScript, '$members = @(Get-IfPresent { Get-DistributionGroupMember', 'if ($member -and @($members | Where-Object', 'Remove-DistributionGroupMember');
            guarded(reportingScript, '$members = @(Get-IfPresent { Get-RoleGroupMember', 'if ($exchangeUser -and @($members | Where-Object', 'Remove-RoleGroupMember');
            guarded(reportingScript, '$assignment = @(Get-MgRoleManagementDirectoryRoleAssignment -Filter "principalId eq', 'if ($assignment.Count) {', 'Remove-MgRoleManagementDirectoryRoleAssignment');
            // The account is disabled before anything else happens to it, and only when it is enabled.
            guarded(calendarScript, 'AccountEnabled, AssignedLicenses', 'if ($user.AccountEnabled) {', 'Update-MgUser -UserId $user.Id -AccountEnabled:$false');
            // Calendar access: the calendar found by its folder type (localised names), the grantee's entry read, then removed.
            for (const [variant, target] of [['cloud', cloud], ['onPremises', exchangeOnly]] as const) {
                const script = exportRecipe(calendar, target);
                const helper = script.slice(script.indexOf('function Remove-CalendarAccess '));
                const folder = helper.indexOf(variant === 'cloud' ? 'Get-EXOMailboxFolderStatistics' : 'Get-MailboxFolderStatistics');
                const read = helper.indexOf('Get-MailboxFolderPermission', folder);
                assert.ok(folder >= 0 && read > folder && helper.indexOf('Remove-MailboxFolderPermission -Identity $folder -User $Grantee -Confirm:$false') > read, `${variant}: folder by type, the entry read, then removed`);
                assert.match(helper, /FolderType -eq 'Calendar'/);
                assert.match(helper.slice(read, helper.indexOf('Remove-MailboxFolderPermission')), /if \(-not \$current\) \{ return 'no access' \}/);
            }
        });

        it('hostile names in an offboarding recipe come back exactly from the script\'s strings, for every variant', () => {
            const offboard: Recipe = {
                ...structuredClone(hostileRecipe),
                serviceAccounts: hostileRecipe.serviceAccounts.map(a => ({ ...structuredClone(a), ensure: 'absent' as const })),
                mailEnabledGroups: (hostileRecipe.mailEnabledGroups ?? []).map(g => ({ ...structuredClone(g), ensure: 'absent' as const })),
            };
            for (const [name, target] of targets) {
                const script = exportRecipe(offboard, target);
                const { strings, code } = scan(script);
                const names = [...(offboard.serviceAccounts[0].exchangeRoleGroups ?? []), ...(offboard.mailEnabledGroups?.[0].members ?? []), "o'brien-group@contoso.com", "o'brien@contoso.com"];
                if (target.variant === 'cloud') names.push(`Sku ${hostile}`, `displayName eq ${odataString(`Role ${hostile}`)}`, `displayName eq ${odataString(`Staff ${hostile}`)}`);
                for (const n of names) assert.ok(strings.includes(n), `${n} not read back from ${name}`);
                assert.doesNotMatch(code, /whoami|Remove-Item|USERNAME|\$\(evil/);
                assert.doesNotMatch(code, creates, name);
            }
        });

        it('on premises, an account kept while the group it was in is removed gets no mailbox for that group', () => {
            const mixed: Recipe = {
                name: 'Reader stays, group goes',
                serviceAccounts: [{ userPrincipalName: 'reader@contoso.com', displayName: 'Reader', usageLocation: 'NL' }],
                mailEnabledGroups: [{ name: 'Old group', primarySmtpAddress: 'old-group@contoso.com', members: ['reader@contoso.com'], ensure: 'absent' }],
            };
            for (const target of [exchangeOnly, hybrid]) {
                const script = exportRecipe(mixed, target);
                assert.doesNotMatch(scan(script).code, /Enable-(Remote)?Mailbox -Identity/);
                assert.match(script, /# reader@contoso\.com needs no mailbox/);
                assert.match(script.slice(script.indexOf('#region Offboarding step 2 of 7')), /Remove-DistributionGroupMember -Identity 'old-group@contoso\.com'/);
            }
        });

        it('a mixed recipe (one account set up, one offboarded) exports both, the set-up first, each account only on its side', () => {
            const [, reporting] = offboardings[0];
            const mixed: Recipe = { ...structuredClone(calendarIntegration), serviceAccounts: [...structuredClone(calendarIntegration.serviceAccounts), ...structuredClone(reporting.serviceAccounts)] };
            const kept = calendarIntegration.serviceAccounts[0].userPrincipalName;
            const gone = reporting.serviceAccounts[0].userPrincipalName;
            for (const [name, target] of targets) {
                const script = exportRecipe(mixed, target);
                scan(script);
                const titles = [...sections(script).keys()].filter(t => t !== 'Helper functions');
                assert.equal(titles.length, 13, `${name}: six set-up and seven offboarding sections`);
                assert.ok(titles.slice(0, 6).every(t => t.startsWith('Step ')) && titles.slice(6).every(t => t.startsWith('Offboarding step ')), `${name}: set-up first: ${titles.join(' | ')}`);
                const setUp = script.slice(0, script.indexOf('#region Offboarding step 1 of 7'));
                const offboarding = script.slice(script.indexOf('#region Offboarding step 1 of 7'));
                assert.ok(setUp.includes(`-UserPrincipalName ${psString(kept)}`), `${name}: the kept account is set up`);
                assert.ok(!setUp.includes(`-UserPrincipalName ${psString(gone)}`), `${name}: the offboarded account is not created`);
                assert.ok(offboarding.includes(psString(`userPrincipalName eq ${odataString(gone)}`)) || offboarding.includes(psString(`(userPrincipalName=${gone})`)), `${name}: the offboarded account is removed`);
                assert.ok(!offboarding.includes(kept), `${name}: the kept account is not offboarded`);
                assert.match(offboarding, target.variant === 'cloud' ? /Remove-MgUser/ : /Remove-ADUser/);
                assert.match(script.split('\n')[0], /setup and offboarding/);
            }
        });
    });

    it('an "exact" recipe: the header says the script neither finds nor removes what the tenant has beyond the recipe', () => {
        const exact: Recipe = { ...structuredClone(reportingIntegration), exact: true };
        for (const [, target] of targets) {
            const header = exportRecipe(exact, target).split('#Requires')[0].replace(/\n# /g, ' ');
            assert.match(header, /The recipe says "exact": this script does not look for what the tenant has beyond the recipe .* nor remove it\. Plan the recipe/);
            assert.doesNotMatch(exportRecipe(reportingIntegration, target), /"exact"/);
        }
    });

    it('a recipe with nothing for Exchange needs neither Exchange module nor connection', () => {
        const minimal: Recipe = { name: 'Just an account', serviceAccounts: [{ userPrincipalName: 'svc@contoso.com', displayName: 'Svc', usageLocation: 'US' }] };
        const cloudScript = exportRecipe(minimal, cloud);
        assert.doesNotMatch(cloudScript, /ExchangeOnlineManagement|Connect-ExchangeOnline|function Wait-ExchangeUser/);
        assert.match(step(cloudScript, 4), /none in this recipe/);
        for (const target of [exchangeOnly, hybrid]) assert.doesNotMatch(exportRecipe(minimal, target), /Enable-(Remote)?Mailbox -Identity|Get-Command -Name Enable-|Exchange Management Shell \(|RemoteRoutingDomain/);
        scan(cloudScript);
    });
});
