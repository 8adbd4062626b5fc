/**
 * Identifiers shared by package.json and the code. A unit test checks that every id here is contributed in
 * package.json and that package.json contributes nothing missing here, so a typo fails the build, not the user.
 */
export const ExtensionId = 'm365-provisioner.m365-provisioner';

export const CommandIds = {
    showLog: 'm365Provisioner.log.show',
    openSettings: 'm365Provisioner.settings.open',
    signIn: 'm365Provisioner.accounts.signIn',
    switchAccount: 'm365Provisioner.accounts.switch',
    signOut: 'm365Provisioner.accounts.signOut',
    directoryRefresh: 'm365Provisioner.directory.refresh',
    directoryFilter: 'm365Provisioner.directory.filter',
    directoryClearFilter: 'm365Provisioner.directory.clearFilter',
    directoryLoadMore: 'm365Provisioner.directory.loadMore',
    directoryRetry: 'm365Provisioner.directory.retry',
    showDetails: 'm365Provisioner.directory.showDetails',
    copyId: 'm365Provisioner.directory.copyId',
    copyUpn: 'm365Provisioner.directory.copyUpn',
    openInAdminCentre: 'm365Provisioner.directory.openInAdminCentre',
    createServiceAccount: 'm365Provisioner.serviceAccounts.create',
    resetPassword: 'm365Provisioner.serviceAccounts.resetPassword',
    offboardServiceAccount: 'm365Provisioner.serviceAccounts.offboard',
    assignRole: 'm365Provisioner.roles.assign',
    removeRole: 'm365Provisioner.roles.remove',
    addToRoleGroup: 'm365Provisioner.roleGroups.addMember',
    removeFromRoleGroup: 'm365Provisioner.roleGroups.removeMember',
    assignLicence: 'm365Provisioner.licences.assign',
    removeLicence: 'm365Provisioner.licences.remove',
    createMailGroup: 'm365Provisioner.mailGroups.create',
    addMailGroupMember: 'm365Provisioner.mailGroups.addMember',
    removeMailGroupMember: 'm365Provisioner.mailGroups.removeMember',
    grantCalendarAccess: 'm365Provisioner.calendar.grant',
    revokeCalendarAccess: 'm365Provisioner.calendar.revoke',
    showAuditLog: 'm365Provisioner.audit.show',
    setUpServiceAccount: 'm365Provisioner.recipes.setUpServiceAccount',
    planRecipe: 'm365Provisioner.recipes.plan',
    planRecipeAllTenants: 'm365Provisioner.recipes.planAllTenants',
    applyRecipe: 'm365Provisioner.recipes.apply',
    verifyRecipe: 'm365Provisioner.recipes.verify',
    exportRecipe: 'm365Provisioner.recipes.export',
    exportRecipeUntitled: 'm365Provisioner.recipes.exportUntitled',
    revealRecipePassword: 'm365Provisioner.recipes.revealPassword',
    addAppCredential: 'm365Provisioner.applications.addCredential',
    removeAppCredential: 'm365Provisioner.applications.removeCredential',
    copyAppId: 'm365Provisioner.applications.copyAppId',
    registerOwnApp: 'm365Provisioner.applications.registerOwnApp',
    registerOwnAppOnly: 'm365Provisioner.applications.registerOwnAppOnly',
} as const;
export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];

export const ViewIds = {
    accounts: 'm365Provisioner.accounts',
    directory: 'm365Provisioner.directory',
    recipePlan: 'm365Provisioner.recipePlan',
} as const;

export const ContextKeys = {
    signedIn: 'm365Provisioner:signedIn',
    /** Set while the Recipe Plan view has a plan to show. */
    hasRecipePlan: 'm365Provisioner:hasRecipePlan',
} as const;

/** Recipe files: what the JSON schema, the CodeLens and the recipe commands apply to. */
export const RecipeFileGlob = '**/*.m365recipe.json';

/** The scheme of the read-only Markdown documents "Show details" opens. */
export const DetailsScheme = 'm365-details';

export const SettingsSection = 'm365Provisioner';
export const OutputChannelName = 'M365 Provisioner';
