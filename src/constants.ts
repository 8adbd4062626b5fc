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
} as const;
export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];

export const ViewIds = {
    accounts: 'm365Provisioner.accounts',
    directory: 'm365Provisioner.directory',
} as const;

export const ContextKeys = {
    signedIn: 'm365Provisioner:signedIn',
} as const;

export const SettingsSection = 'm365Provisioner';
export const OutputChannelName = 'M365 Provisioner';
