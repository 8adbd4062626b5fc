/**
 * The bad-input table: one row per field and bad value, with the words the refusal must hold (the field's name and
 * the fix). Every entry point drives the same rows: the step functions against the sandbox (badInput.steps.test.ts),
 * the commands' input objects (badInput.inputObjects.test.ts), recipes (badInput.recipes.test.ts), and the commands in
 * a real extension host (test/extension/workflow.badInput.test.ts). Each also shows the tenant unchanged.
 *
 * `tenant` rows are values whose form is fine but that the tenant refuses (unknown role, unverified domain): the input
 * object's type and form check cannot see them, so that entry point skips them; the others answer them from the tenant.
 */

export type BadField = 'userPrincipalName' | 'displayName' | 'usageLocation' | 'groupName' | 'groupAddress' | 'sender' | 'roleName' | 'roleGroupName' | 'licence' | 'plans' | 'grantee' | 'accessRight' | 'member';

export interface BadInputCase {
    field: BadField;
    value: string | string[];
    /** What the row shows, for the test's title. */
    what: string;
    /** The field as the message must name it. */
    names: RegExp;
    /** The fix the message must say. */
    fix: RegExp;
    tenant?: boolean;
}

const longName = (n: number) => 'x'.repeat(n);

export const badInputCases: BadInputCase[] = [
    { field: 'userPrincipalName', value: 'svc reporting@contoso.com', what: 'a space', names: /user principal name/, fix: /may hold only letters, digits/ },
    { field: 'userPrincipalName', value: 'svc@reporting@contoso.com', what: 'two @', names: /user principal name/, fix: /needs exactly one @/ },
    { field: 'userPrincipalName', value: 'svc\u0000x@contoso.com', what: 'a NUL character', names: /user principal name/, fix: /NUL character \(U\+0000\) at character 4\. Remove it/ },
    { field: 'userPrincipalName', value: 'svc\u202Ex@contoso.com', what: 'a bidi override', names: /user principal name/, fix: /bidirectional text control \(U\+202E\) at character 4\. Remove it/ },
    { field: 'userPrincipalName', value: `${longName(65)}@contoso.com`, what: '65 characters before @', names: /user principal name/, fix: /65 characters; Entra allows 64\. Shorten it/ },
    { field: 'userPrincipalName', value: 'svc-new@fabrikam.com', what: 'an unverified domain', names: /domain fabrikam\.com/, fix: /Use one of: contoso\.com/, tenant: true },
    { field: 'displayName', value: '  ', what: 'nothing', names: /display name/, fix: /Enter a display name/ },
    { field: 'displayName', value: 'Svc\nInjected', what: 'a line feed', names: /display name/, fix: /line break \(line feed\) \(U\+000A\) at character 4\. Remove it/ },
    { field: 'displayName', value: 'Svc\r\nInjected', what: 'a carriage return', names: /display name/, fix: /carriage return\) \(U\+000D\) at character 4/ },
    { field: 'displayName', value: 'Svc\u0007Bell', what: 'a C0 control', names: /display name/, fix: /control character \(U\+0007\) at character 4/ },
    { field: 'displayName', value: 'Svc\u0085Next', what: 'a C1 control', names: /display name/, fix: /next line\) \(U\+0085\) at character 4/ },
    { field: 'displayName', value: 'Invoice\u202Efdp.exe', what: 'a right-to-left override', names: /display name/, fix: /bidirectional text control \(U\+202E\) at character 8/ },
    { field: 'displayName', value: 'Svc \u2066isolate\u2069', what: 'a bidi isolate', names: /display name/, fix: /bidirectional text control \(U\+2066\) at character 5/ },
    { field: 'displayName', value: '\uD83D broken', what: 'a lone surrogate', names: /display name/, fix: /unpaired surrogate\) \(U\+D83D\) at character 1/ },
    { field: 'displayName', value: '😀'.repeat(257), what: '257 characters (514 UTF-16 units)', names: /display name/, fix: /257 characters; at most 256 are allowed\. Shorten it/ },
    { field: 'usageLocation', value: 'UK', what: 'UK', names: /usage location "UK"/, fix: /use GB/ },
    { field: 'usageLocation', value: 'XX', what: 'two letters that are no country', names: /usage location "XX"/, fix: /use one of ISO 3166-1 alpha-2/ },
    { field: 'usageLocation', value: 'USA', what: 'an alpha-3 code', names: /usage location "USA"/, fix: /use US/ },
    { field: 'usageLocation', value: 'N1', what: 'a digit', names: /usage location "N1"/, fix: /use one such as US, GB/ },
    { field: 'groupName', value: 'Group\nName', what: 'a line break', names: /group name/, fix: /U\+000A\) at character 6\. Remove it/ },
    { field: 'groupName', value: longName(65), what: '65 characters', names: /group name/, fix: /65 characters; at most 64 are allowed/ },
    { field: 'groupName', value: 'Sec\u2067group', what: 'a bidi isolate', names: /group name/, fix: /U\+2067\) at character 4/ },
    { field: 'groupAddress', value: 'grp@two@contoso.com', what: 'two @', names: /group address/, fix: /needs exactly one @/ },
    { field: 'groupAddress', value: 'bad alias@contoso.com', what: 'a space in the alias', names: /group address's alias/, fix: /use letters, digits/ },
    { field: 'groupAddress', value: 'grp@contoso', what: 'no domain name', names: /group address's domain/, fix: /use one of the tenant's accepted domains/ },
    { field: 'groupAddress', value: 'grp\u0000@contoso.com', what: 'a NUL character', names: /group address/, fix: /U\+0000\) at character 4/ },
    { field: 'groupAddress', value: 'grp-new@fabrikam.com', what: 'a domain the organisation does not accept', names: /domain fabrikam\.com/, fix: /Use one of:? contoso\.com/, tenant: true },
    { field: 'sender', value: 'boss\n@contoso.com', what: 'a line break', names: /sender/, fix: /U\+000A\) at character 5\. Remove it/ },
    { field: 'roleName', value: 'Service Support\u0000Administrator', what: 'a NUL character', names: /role name/, fix: /U\+0000\) at character 16\. Remove it/ },
    { field: 'roleName', value: 'Service Support\u202EAdministrator', what: 'a bidi override', names: /role name/, fix: /U\+202E\) at character 16/ },
    { field: 'roleName', value: 'Chief Wizard', what: 'a role that does not exist', names: /directory role "Chief Wizard"/, fix: /Role names are as the Entra admin centre shows them/, tenant: true },
    { field: 'roleGroupName', value: 'View-Only\nOrganization Management', what: 'a line break', names: /role group name/, fix: /U\+000A\) at character 10/ },
    { field: 'roleGroupName', value: 'Wizards', what: 'a role group that does not exist', names: /Exchange role group "Wizards"/, fix: /Role groups here: .*View-Only Organization Management/, tenant: true },
    { field: 'licence', value: 'ENTERPRISE\u0007PACK', what: 'a control character', names: /licence/, fix: /U\+0007\) at character 11\. Remove it/ },
    { field: 'licence', value: 'SPE_E5', what: 'a licence the tenant lacks', names: /licence "SPE_E5"/, fix: /Give one it has: .*ENTERPRISEPACK/, tenant: true },
    { field: 'plans', value: [], what: 'every plan off', names: /plans list is empty/, fix: /Name the plans to switch on .* or give "all"/ },
    { field: 'plans', value: ['EXCHANGE_S_ENTERPRISE\n'], what: 'a line break in a plan', names: /service plan/, fix: /U\+000A\) at character 22/ },
    { field: 'plans', value: ['TEAMS_WIZARD'], what: 'a plan the licence lacks', names: /service plan "TEAMS_WIZARD"/, fix: /Name plans it has: .*EXCHANGE_S_ENTERPRISE/, tenant: true },
    { field: 'grantee', value: 'Cal\u0000endar@contoso.com', what: 'a NUL character', names: /grantee/, fix: /U\+0000\) at character 4\. Remove it/ },
    { field: 'grantee', value: 'r&d#1@contoso.com', what: '& and # (once broke the Graph URL)', names: /recipient "r&d#1@contoso\.com"/, fix: /Check the spelling/, tenant: true },
    { field: 'accessRight', value: 'Editr', what: 'a misspelt right', names: /access right "Editr"/, fix: /use one of Owner, PublishingEditor, Editor/ },
    { field: 'accessRight', value: 'editor', what: 'the wrong case', names: /access right "editor"/, fix: /use Editor \(spelt so\)/ },
    { field: 'member', value: 'mem\u2069ber@contoso.com', what: 'a bidi isolate', names: /member/, fix: /U\+2069\) at character 4/ },
    { field: 'member', value: 'nobody-here@contoso.com', what: 'a user nobody has', names: /no user nobody-here@contoso\.com in this tenant/, fix: /Check the (member's user principal name|spelling)/, tenant: true },
    // More forms of the same classes: each entry point must refuse them all, and name the field and the fix.
    { field: 'userPrincipalName', value: 'svc..reporting@contoso.com', what: 'two dots in a row', names: /user principal name/, fix: /two dots in a row: remove the extra dots/ },
    { field: 'userPrincipalName', value: '.svc@contoso.com', what: 'a leading dot', names: /user principal name/, fix: /cannot start or end with a dot/ },
    { field: 'userPrincipalName', value: 'svc.@contoso.com', what: 'a trailing dot', names: /user principal name/, fix: /cannot start or end with a dot/ },
    { field: 'userPrincipalName', value: '@contoso.com', what: 'nothing before @', names: /user principal name/, fix: /nothing before @: put the account's name there/ },
    { field: 'userPrincipalName', value: 'svc-reporting', what: 'no @ at all', names: /user principal name/, fix: /needs exactly one @/ },
    { field: 'userPrincipalName', value: 'svc@contoso', what: 'a domain without a dot', names: /user principal name's domain "contoso"/, fix: /use one of the tenant's verified domains/ },
    { field: 'userPrincipalName', value: 'svc\tx@contoso.com', what: 'a tab', names: /user principal name/, fix: /a tab \(U\+0009\) at character 4\. Remove it/ },
    { field: 'userPrincipalName', value: 'svc\u2028x@contoso.com', what: 'a line separator', names: /user principal name/, fix: /line separator \(U\+2028\) at character 4/ },
    { field: 'userPrincipalName', value: 'svc\u200Fx@contoso.com', what: 'a right-to-left mark', names: /user principal name/, fix: /bidirectional text control \(U\+200F\) at character 4/ },
    { field: 'userPrincipalName', value: 'svc+tag@contoso.com', what: 'a plus sign', names: /user principal name/, fix: /may hold only letters, digits .* remove the others/ },
    { field: 'displayName', value: 'Svc\tTab', what: 'a tab', names: /display name/, fix: /a tab \(U\+0009\) at character 4/ },
    { field: 'displayName', value: 'Svc\u2029Para', what: 'a paragraph separator', names: /display name/, fix: /paragraph separator \(U\+2029\) at character 4/ },
    { field: 'displayName', value: 'Svc\u200EMark', what: 'a left-to-right mark', names: /display name/, fix: /bidirectional text control \(U\+200E\) at character 4/ },
    { field: 'displayName', value: 'Svc\u061CMark', what: 'an Arabic letter mark', names: /display name/, fix: /bidirectional text control \(U\+061C\) at character 4/ },
    { field: 'displayName', value: 'Svc\u007FDel', what: 'a delete character', names: /display name/, fix: /delete character \(U\+007F\) at character 4/ },
    { field: 'displayName', value: 'Svc\u001BEsc', what: 'an escape character', names: /display name/, fix: /escape character \(U\+001B\) at character 4/ },
    { field: 'displayName', value: longName(257), what: '257 plain characters', names: /display name/, fix: /257 characters; at most 256 are allowed/ },
    { field: 'displayName', value: 'Svc\u202AEmbed', what: 'a left-to-right embedding', names: /display name/, fix: /U\+202A\) at character 4/ },
    { field: 'displayName', value: 'Svc\u202BEmbed', what: 'a right-to-left embedding', names: /display name/, fix: /U\+202B\) at character 4/ },
    { field: 'displayName', value: 'Svc\u202CPop', what: 'a pop directional formatting', names: /display name/, fix: /U\+202C\) at character 4/ },
    { field: 'displayName', value: 'Svc\u202DOverride', what: 'a left-to-right override', names: /display name/, fix: /U\+202D\) at character 4/ },
    { field: 'displayName', value: 'Svc\u2068Isolate', what: 'a first-strong isolate', names: /display name/, fix: /U\+2068\) at character 4/ },
    { field: 'displayName', value: 'Svc\uDC00Low', what: 'a lone low surrogate', names: /display name/, fix: /unpaired surrogate\) \(U\+DC00\) at character 4/ },
    { field: 'usageLocation', value: 'ZZ', what: 'an unassigned code', names: /usage location "ZZ"/, fix: /use one of ISO 3166-1 alpha-2/ },
    { field: 'usageLocation', value: 'EL', what: 'EL (the EU\'s code for Greece)', names: /usage location "EL"/, fix: /use GR/ },
    { field: 'usageLocation', value: 'GBR', what: 'an alpha-3 code for Britain', names: /usage location "GBR"/, fix: /use GB/ },
    { field: 'usageLocation', value: 'Netherlands', what: 'a country\'s name', names: /usage location "Netherlands"/, fix: /use NL/ },
    { field: 'usageLocation', value: 'N\u0000', what: 'a NUL character', names: /usage location/, fix: /NUL character \(U\+0000\) at character 2/ },
    { field: 'groupName', value: 'Group\u0000Name', what: 'a NUL character', names: /group name/, fix: /U\+0000\) at character 6\. Remove it/ },
    { field: 'groupName', value: '😀'.repeat(65), what: '65 characters (130 UTF-16 units)', names: /group name/, fix: /65 characters; at most 64 are allowed/ },
    { field: 'groupName', value: 'Group\u200FName', what: 'a right-to-left mark', names: /group name/, fix: /U\+200F\) at character 6/ },
    { field: 'groupAddress', value: 'sa-group', what: 'no @ at all', names: /group address/, fix: /needs exactly one @/ },
    { field: 'groupAddress', value: '.grp@contoso.com', what: 'an alias starting with a dot', names: /group address's alias/, fix: /no dot at the start or end/ },
    { field: 'groupAddress', value: 'grp@contoso..com', what: 'two dots in the domain', names: /group address's domain/, fix: /use one of the tenant's accepted domains/ },
    { field: 'groupAddress', value: 'grp\u202E@contoso.com', what: 'a bidi override', names: /group address/, fix: /U\+202E\) at character 4/ },
    { field: 'groupAddress', value: `${longName(65)}@contoso.com`, what: '65 characters before @', names: /group address's alias/, fix: /65 characters; Exchange allows 64\. Shorten it/ },
    { field: 'sender', value: 'boss\u0000@contoso.com', what: 'a NUL character', names: /sender/, fix: /U\+0000\) at character 5/ },
    { field: 'sender', value: 'boss\u202E@contoso.com', what: 'a bidi override', names: /sender/, fix: /U\+202E\) at character 5/ },
    { field: 'roleName', value: 'Service Support\nAdministrator', what: 'a line break', names: /role name/, fix: /U\+000A\) at character 16/ },
    { field: 'roleGroupName', value: 'View-Only\u202EOrganization Management', what: 'a bidi override', names: /role group name/, fix: /U\+202E\) at character 10/ },
    { field: 'licence', value: 'ENTERPRISE\nPACK', what: 'a line break', names: /licence/, fix: /U\+000A\) at character 11/ },
    { field: 'plans', value: ['\u202EEXCHANGE_S_ENTERPRISE'], what: 'a bidi override in a plan', names: /service plan/, fix: /U\+202E\) at character 1/ },
    { field: 'grantee', value: 'cal\nendar@contoso.com', what: 'a line break', names: /grantee/, fix: /U\+000A\) at character 4/ },
    { field: 'accessRight', value: 'FullAccess', what: 'a mailbox right, not a folder right', names: /access right "FullAccess"/, fix: /use one of Owner/ },
    { field: 'accessRight', value: 'Reviewer\n', what: 'a trailing line break', names: /access right "Reviewer\n"/, fix: /use Reviewer \(spelt so\)/ },
    { field: 'member', value: 'mem\nber@contoso.com', what: 'a line break', names: /member/, fix: /U\+000A\) at character 4/ },
    { field: 'member', value: 'mem\u0000ber@contoso.com', what: 'a NUL character', names: /member/, fix: /U\+0000\) at character 4/ },
];

/** A refusal's message holds the field's name and the fix. */
export function assertNamesFieldAndFix(c: BadInputCase, message: string): void {
    if (!c.names.test(message)) throw new Error(`The message does not name the field (${String(c.names)}): ${message}`);
    if (!c.fix.test(message)) throw new Error(`The message does not say the fix (${String(c.fix)}): ${message}`);
}

export const caseTitle = (c: BadInputCase) => `${c.field}: ${c.what}`;

/** The provisioning commands an input object goes to (the keys of `inputShapes`, and of CommandIds). */
export type BadInputCommand = 'createServiceAccount' | 'createMailGroup' | 'assignRole' | 'addToRoleGroup' | 'assignLicence' | 'grantCalendarAccess';

/**
 * The command and the whole input object that carries a row's value (every other field good, so nothing is asked for),
 * and which Directory row it runs on: a user's for the commands that act on one, a group's for calendar access.
 */
export function commandInput(c: BadInputCase): { command: BadInputCommand; input: Record<string, unknown>; row?: 'user' | 'group' } {
    const v = c.value;
    switch (c.field) {
        case 'userPrincipalName':
        case 'displayName':
        case 'usageLocation':
            return { command: 'createServiceAccount', input: { displayName: 'Bad input probe', userPrincipalName: 'svc-bad-input@contoso.com', usageLocation: 'US', [c.field]: v } };
        case 'groupName':
        case 'groupAddress':
        case 'sender':
            return {
                command: 'createMailGroup',
                input: { name: c.field === 'groupName' ? v : 'Bad input probe group', primarySmtpAddress: c.field === 'groupAddress' ? v : 'bad-input-probe@contoso.com', hiddenFromAddressLists: true, acceptMessagesOnlyFrom: c.field === 'sender' ? [v] : ['admin@contoso.com'] },
            };
        case 'roleName':
            return { command: 'assignRole', input: { role: v }, row: 'user' };
        case 'roleGroupName':
            return { command: 'addToRoleGroup', input: { roleGroup: v, member: 'admin@contoso.com' } };
        case 'member':
            return { command: 'addToRoleGroup', input: { roleGroup: 'View-Only Organization Management', member: v } };
        case 'licence':
            return { command: 'assignLicence', input: { sku: v, plans: 'all' }, row: 'user' };
        case 'plans':
            return { command: 'assignLicence', input: { sku: 'ENTERPRISEPACK', plans: v }, row: 'user' };
        case 'grantee':
            return { command: 'grantCalendarAccess', input: { grantee: v, accessRight: 'Editor' }, row: 'group' };
        case 'accessRight':
            return { command: 'grantCalendarAccess', input: { grantee: 'admin@contoso.com', accessRight: v }, row: 'group' };
    }
}

/** How many refusals each entry point checked, printed at the end of each suite (the issue asks for the count). */
export function reportCount(entryPoint: string, count: number): void {
    console.log(`      bad-input cases through ${entryPoint}: ${count}`);
}
