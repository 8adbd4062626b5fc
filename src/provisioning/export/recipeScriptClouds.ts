import type { CloudName } from '../../auth/clouds';

/**
 * The names PowerShell gives each Microsoft cloud, for the cloud script's two sign-ins. Sources:
 * - Connect-MgGraph -Environment: the built-in environments Get-MgEnvironment lists (Global, USGov, USGovDoD, China;
 *   learn.microsoft.com/powershell/module/microsoft.graph.authentication/get-mgenvironment).
 * - Connect-ExchangeOnline -ExchangeEnvironmentName: "Microsoft 365 or Microsoft 365 GCC: … O365Default", "Microsoft 365
 *   GCC High: O365USGovGCCHigh", "Microsoft 365 DoD: O365USGovDoD", "Office 365 operated by 21Vianet: O365China"
 *   (MicrosoftDocs/office-docs-powershell:exchange/exchange-ps/ExchangePowerShell/Connect-ExchangeOnline.md).
 */
export interface ScriptCloud {
    /** The cloud the script signs in to; never Custom. */
    cloud: Exclude<CloudName, 'Custom'>;
    /** How the header names it, in Microsoft's words. */
    title: string;
    graphEnvironment: 'Global' | 'USGov' | 'USGovDoD' | 'China';
    exchangeEnvironmentName: 'O365Default' | 'O365USGovGCCHigh' | 'O365USGovDoD' | 'O365China';
    /** Set when the export was asked for a Custom cloud: what the header says about it. */
    customNote?: string;
}

const scriptClouds: Record<Exclude<CloudName, 'Custom'>, Omit<ScriptCloud, 'cloud'>> = {
    Global: { title: 'Microsoft 365 worldwide (or GCC)', graphEnvironment: 'Global', exchangeEnvironmentName: 'O365Default' },
    USGovernment: { title: 'Microsoft 365 GCC High', graphEnvironment: 'USGov', exchangeEnvironmentName: 'O365USGovGCCHigh' },
    USGovernmentDoD: { title: 'Microsoft 365 DoD', graphEnvironment: 'USGovDoD', exchangeEnvironmentName: 'O365USGovDoD' },
    China: { title: 'Microsoft 365 operated by 21Vianet', graphEnvironment: 'China', exchangeEnvironmentName: 'O365China' },
};

/**
 * The PowerShell names of a cloud. A Custom cloud (the sandbox tenant, a test setup) has none: PowerShell's modules know
 * only Microsoft's clouds. The script then signs in to the worldwide cloud, where a script exported from a trial or
 * demo is most likely run, and its header says so; signing in picks the tenant, so a wrong cloud fails at sign-in and
 * changes nothing.
 */
export function scriptCloud(cloud: CloudName): ScriptCloud {
    if (cloud === 'Custom') {
        return {
            cloud: 'Global',
            ...scriptClouds.Global,
            customNote: 'It was exported from a custom cloud (such as the sandbox tenant), which PowerShell has no environment for, so it signs in to the worldwide cloud.\nFor GCC High, DoD or 21Vianet, export it again and choose that cloud.',
        };
    }
    return { cloud, ...scriptClouds[cloud] };
}
