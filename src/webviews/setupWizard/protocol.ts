// The setup wizard's messages, imported by the host (SetupWizardPanel) and the webview UI: no `vscode`, no Node.
import { appCredentialTypes, calendarAccessRights, mailboxRoles, recipeTemplateIds, type AppCredentialType, type CalendarAccessRight, type MailboxRole, type RecipeTemplateId, type RecipeTemplateValues } from '../../provisioning/recipes/recipeTemplateValues';
import { hasOnlyKeys, isRecord, type ParamValidators } from '../rpc';

export type TemplateId = RecipeTemplateId;
export const templateIds: readonly TemplateId[] = recipeTemplateIds;

/** The templates as the wizard offers them: the two vendor guides as written, the same two app-only, and an empty account. */
export const templateTitles: Record<TemplateId, { title: string; detail: string }> = {
    reporting: { title: 'Reporting and inventory account', detail: 'Reads users, licences and Exchange objects: the directory role the guide names (Service Support Administrator) and Exchange\'s View-Only Organization Management; no licence.' },
    calendar: { title: 'Calendar integration account', detail: 'Writes into people\'s calendars: a licence with only Exchange Online, a mail-enabled security group holding the account, and Editor on the calendars of a group\'s members.' },
    reportingAppOnly: { title: 'Reporting and inventory — app-only, read-only', detail: 'The first guide the modern way: an app registration with a certificate reads users, licences and usage reports (Microsoft Graph application permissions) and Exchange (its admin cmdlets, with the Global Reader role). Read-only everywhere; no user account, no password.' },
    calendarAppOnly: { title: 'Calendar integration — app-only, scoped to a group', detail: 'The second guide the modern way: an app registration with a certificate writes calendars through Microsoft Graph, and Exchange RBAC for Applications limits it to the mailboxes of one group\'s members. No user account, no password, no EWS.' },
    blank: { title: 'Blank', detail: 'A service account; add roles, a licence, a group or calendar access as you need.' },
};

export const credentialTypes = appCredentialTypes;
export const credentialTypeNames: Record<AppCredentialType, string> = { certificate: 'Certificate (recommended; the private key is written once to a file you choose)', clientSecret: 'Client secret (shown once; keep it short-lived)' };
export const applicationMailboxRoles = mailboxRoles;

export const accessRights = calendarAccessRights;
export type AccessRight = CalendarAccessRight;

/** What the admin fills in: the templates' own values. */
export type WizardValues = RecipeTemplateValues;
export type WizardField = keyof WizardValues;

/** The fields' labels, as the form shows them and as refusals name them. */
export const fieldLabels: Record<WizardField, string> = {
    recipeName: 'Recipe name',
    description: 'Description',
    accountName: 'Account name',
    domain: 'Domain',
    displayName: 'Display name',
    usageLocation: 'Usage location',
    directoryRoles: 'Directory roles',
    exchangeRoleGroups: 'Exchange role groups',
    licenceSku: 'Licence',
    licencePlans: 'Service plans',
    groupName: 'Group name',
    groupAddress: 'Group address',
    hiddenFromAddressLists: 'Hide the group from the address lists',
    calendarGroup: 'Share the calendars of the members of',
    accessRight: 'Access right',
    appName: 'App registration name',
    credentialType: 'Credential',
    credentialDays: 'Valid for (days)',
    graphPermissions: 'Microsoft Graph application permissions',
    exchangeManagement: 'Run Exchange admin cmdlets app-only (Exchange.ManageAsApp)',
    appDirectoryRoles: 'Directory roles for the app',
    mailboxRole: 'Mailbox access (RBAC for Applications)',
};

export interface FieldCheck {
    ok: boolean;
    message: string;
    warning?: boolean;
}

/** A licence the tenant has, for the licence picker. */
export interface SkuChoice {
    partNumber: string;
    name: string;
    free: number;
    total: number;
    plans: string[];
    /** Each plan's name as the admin centre shows it ("Exchange Online (Plan 2)"), by its Graph name. */
    planNames: Record<string, string>;
}

export type CreateRecipeResult = { written: true; uri: string } | { written: false; problems: { field: WizardField | ''; message: string }[] };

/** Requests from the webview: params and result of each. */
export type WizardRequests = {
    templateDefaults: { params: { template: TemplateId; domain: string }; result: WizardValues };
    listDomains: { params: Record<string, never>; result: string[] };
    listSkus: { params: Record<string, never>; result: SkuChoice[] };
    listRoles: { params: Record<string, never>; result: string[] };
    listRoleGroups: { params: Record<string, never>; result: string[] };
    checkUserPrincipalName: { params: { userPrincipalName: string }; result: FieldCheck };
    checkLicence: { params: { sku: string; plans: string[] | 'all'; userPrincipalName: string }; result: FieldCheck };
    checkGroup: { params: { group: string }; result: FieldCheck };
    checkGroupAddress: { params: { address: string }; result: FieldCheck };
    checkRoles: { params: { roles: string[] }; result: FieldCheck };
    checkRoleGroups: { params: { roleGroups: string[] }; result: FieldCheck };
    checkApplication: { params: { name: string }; result: FieldCheck };
    checkAppRoles: { params: { roles: string[] }; result: FieldCheck };
    checkScopeGroup: { params: { group: string }; result: FieldCheck };
    checkGraphPermissions: { params: { permissions: string[] }; result: FieldCheck };
    /** The classic calendar template: what EWS's retirement means for this tenant today (MC1227454). */
    ewsOutlook: { params: Record<string, never>; result: FieldCheck };
    /** Security defaults or Conditional Access that would block a service account's sign-in. */
    signInWarnings: { params: Record<string, never>; result: string[] };
    createRecipe: { params: { template: TemplateId; values: WizardValues }; result: CreateRecipeResult };
};
export type WizardMethod = keyof WizardRequests;

/** Notifications from the host. */
export type WizardEvents = {
    /** The command was run with a template: start from it. */
    chooseTemplate: { template: TemplateId };
};

// Limits well above anything real (a UPN is at most 113 characters, a display name 256), so a flood is refused.
const maxText = 256;
const maxLongText = 2000;
const maxItems = 50;

const isText = (v: unknown, max = maxText): v is string => typeof v === 'string' && v.length <= max;
const isTextList = (v: unknown): v is string[] => Array.isArray(v) && v.length <= maxItems && v.every(x => isText(x));
const isPlans = (v: unknown): v is string[] | 'all' => v === 'all' || isTextList(v);
const isTemplate = (v: unknown): v is TemplateId => typeof v === 'string' && (templateIds as readonly string[]).includes(v);
const isAccessRight = (v: unknown): v is AccessRight => typeof v === 'string' && (accessRights as readonly string[]).includes(v);
const isCredentialType = (v: unknown): v is AppCredentialType => typeof v === 'string' && (credentialTypes as readonly string[]).includes(v);
const isMailboxRole = (v: unknown): v is MailboxRole | '' => v === '' || (typeof v === 'string' && (mailboxRoles as readonly string[]).includes(v));
// The recipe schema's bounds for credential.validDays (at most 24 months, as the Entra admin centre offers).
const isDays = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 730;
const noParams = (p: unknown): p is Record<string, never> => p === undefined || hasOnlyKeys(p, []);

/** Each field's check, so a partial set of values (a command's input) is checked field by field too. */
const valueChecks: { [F in WizardField]: (v: unknown) => v is WizardValues[F] } = {
    recipeName: (v): v is string => isText(v),
    description: (v): v is string => isText(v, maxLongText),
    accountName: (v): v is string => isText(v, 64),
    domain: (v): v is string => isText(v),
    displayName: (v): v is string => isText(v),
    usageLocation: (v): v is string => isText(v, 8),
    directoryRoles: isTextList,
    exchangeRoleGroups: isTextList,
    licenceSku: (v): v is string => isText(v),
    licencePlans: isPlans,
    groupName: (v): v is string => isText(v),
    groupAddress: (v): v is string => isText(v),
    hiddenFromAddressLists: (v): v is boolean => typeof v === 'boolean',
    calendarGroup: (v): v is string => isText(v),
    accessRight: isAccessRight,
    appName: (v): v is string => isText(v),
    credentialType: isCredentialType,
    credentialDays: isDays,
    graphPermissions: isTextList,
    exchangeManagement: (v): v is boolean => typeof v === 'boolean',
    appDirectoryRoles: isTextList,
    mailboxRole: isMailboxRole,
};
export const wizardFields = Object.keys(valueChecks) as WizardField[];

/** The first field of `values` that is not of its type (or is not a field at all), or undefined when all are fine. */
export function badField(values: unknown, options: { partial: boolean }): string | undefined {
    if (!isRecord(values)) return '(the values)';
    const extra = Object.keys(values).find(k => !(wizardFields as string[]).includes(k));
    if (extra !== undefined) return extra;
    return wizardFields.find(f => (values[f] === undefined ? !options.partial : !valueChecks[f](values[f])));
}

export const isWizardValues = (v: unknown): v is WizardValues => badField(v, { partial: false }) === undefined;
export const isPartialWizardValues = (v: unknown): v is Partial<WizardValues> => badField(v, { partial: true }) === undefined;

/** The host runs these on every request before its handler (see dispatchRequest). */
export const wizardValidators: ParamValidators<WizardRequests> = {
    templateDefaults: (p): p is WizardRequests['templateDefaults']['params'] => hasOnlyKeys(p, ['template', 'domain']) && isTemplate(p.template) && isText(p.domain),
    listDomains: noParams,
    listSkus: noParams,
    listRoles: noParams,
    listRoleGroups: noParams,
    checkUserPrincipalName: (p): p is WizardRequests['checkUserPrincipalName']['params'] => hasOnlyKeys(p, ['userPrincipalName']) && isText(p.userPrincipalName),
    checkLicence: (p): p is WizardRequests['checkLicence']['params'] => hasOnlyKeys(p, ['sku', 'plans', 'userPrincipalName']) && isText(p.sku) && isPlans(p.plans) && isText(p.userPrincipalName),
    checkGroup: (p): p is WizardRequests['checkGroup']['params'] => hasOnlyKeys(p, ['group']) && isText(p.group),
    checkGroupAddress: (p): p is WizardRequests['checkGroupAddress']['params'] => hasOnlyKeys(p, ['address']) && isText(p.address),
    checkRoles: (p): p is WizardRequests['checkRoles']['params'] => hasOnlyKeys(p, ['roles']) && isTextList(p.roles),
    checkRoleGroups: (p): p is WizardRequests['checkRoleGroups']['params'] => hasOnlyKeys(p, ['roleGroups']) && isTextList(p.roleGroups),
    checkApplication: (p): p is WizardRequests['checkApplication']['params'] => hasOnlyKeys(p, ['name']) && isText(p.name),
    checkScopeGroup: (p): p is WizardRequests['checkScopeGroup']['params'] => hasOnlyKeys(p, ['group']) && isText(p.group),
    checkAppRoles: (p): p is WizardRequests['checkAppRoles']['params'] => hasOnlyKeys(p, ['roles']) && isTextList(p.roles),
    checkGraphPermissions: (p): p is WizardRequests['checkGraphPermissions']['params'] => hasOnlyKeys(p, ['permissions']) && isTextList(p.permissions),
    ewsOutlook: noParams,
    signInWarnings: noParams,
    createRecipe: (p): p is WizardRequests['createRecipe']['params'] => hasOnlyKeys(p, ['template', 'values']) && isTemplate(p.template) && isWizardValues(p.values),
};
