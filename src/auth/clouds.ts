/**
 * Microsoft's clouds: each has its own sign-in authority, Graph host and Exchange host (DESIGN.md §1, "National clouds").
 * A Custom cloud (three URLs and an optional CA file) is what the sandbox tenant and tests use.
 */
export type CloudName = 'Global' | 'USGovernment' | 'USGovernmentDoD' | 'China' | 'Custom';

export interface CloudEndpoints {
    name: CloudName;
    /** e.g. `https://login.microsoftonline.com`; the tenant is appended to make the authority. */
    authorityHost: string;
    /** Base URL of Microsoft Graph, without version: requests go to `${graphEndpoint}/v1.0/...`. */
    graphEndpoint: string;
    /** Base URL of Exchange Online: the admin API is `${exchangeEndpoint}/adminapi/beta/{tenantId}/InvokeCommand`. */
    exchangeEndpoint: string;
    /** Resource identifiers that prefix scopes (`${graphResource}/User.Read.All`, `${exchangeResource}/.default`). */
    graphResource: string;
    exchangeResource: string;
    /** Entra and Microsoft 365 admin centre base URLs, for "Open in admin centre". */
    entraPortal: string;
    m365AdminPortal: string;
    exchangeAdminPortal: string;
    /** Extra PEM certificate authorities to trust (Custom only). */
    caFile?: string;
}

const builtIn: Record<Exclude<CloudName, 'Custom'>, CloudEndpoints> = {
    Global: {
        name: 'Global',
        authorityHost: 'https://login.microsoftonline.com',
        graphEndpoint: 'https://graph.microsoft.com',
        exchangeEndpoint: 'https://outlook.office365.com',
        graphResource: 'https://graph.microsoft.com',
        exchangeResource: 'https://outlook.office365.com',
        entraPortal: 'https://entra.microsoft.com',
        m365AdminPortal: 'https://admin.microsoft.com',
        exchangeAdminPortal: 'https://admin.exchange.microsoft.com',
    },
    USGovernment: {
        name: 'USGovernment',
        authorityHost: 'https://login.microsoftonline.us',
        graphEndpoint: 'https://graph.microsoft.us',
        exchangeEndpoint: 'https://outlook.office365.us',
        graphResource: 'https://graph.microsoft.us',
        exchangeResource: 'https://outlook.office365.us',
        entraPortal: 'https://entra.microsoft.us',
        m365AdminPortal: 'https://portal.office365.us',
        exchangeAdminPortal: 'https://admin.exchange.office365.us',
    },
    USGovernmentDoD: {
        name: 'USGovernmentDoD',
        authorityHost: 'https://login.microsoftonline.us',
        graphEndpoint: 'https://dod-graph.microsoft.us',
        exchangeEndpoint: 'https://outlook-dod.office365.us',
        graphResource: 'https://dod-graph.microsoft.us',
        exchangeResource: 'https://outlook-dod.office365.us',
        entraPortal: 'https://entra.microsoft.us',
        m365AdminPortal: 'https://portal.apps.mil',
        exchangeAdminPortal: 'https://admin.exchange.apps.mil',
    },
    China: {
        name: 'China',
        authorityHost: 'https://login.chinacloudapi.cn',
        graphEndpoint: 'https://microsoftgraph.chinacloudapi.cn',
        exchangeEndpoint: 'https://partner.outlook.cn',
        graphResource: 'https://microsoftgraph.chinacloudapi.cn',
        exchangeResource: 'https://partner.outlook.cn',
        entraPortal: 'https://portal.azure.cn',
        m365AdminPortal: 'https://portal.partner.microsoftonline.cn',
        exchangeAdminPortal: 'https://admin.exchange.partner.outlook.cn',
    },
};

/** Microsoft's clouds by name, in the order settings and messages list them. */
export const builtInCloudNames = Object.keys(builtIn) as Exclude<CloudName, 'Custom'>[];

export interface CustomCloudSettings {
    authority: string;
    graphEndpoint: string;
    exchangeEndpoint: string;
    caFile?: string;
}

/** The endpoints of a cloud; for Custom, checks the three URLs and says which one is wrong. */
export function cloudEndpoints(name: CloudName, custom?: CustomCloudSettings): CloudEndpoints {
    if (name !== 'Custom') {
        return builtIn[name];
    }
    const url = (value: string | undefined, setting: string): string => {
        let parsed: URL;
        try {
            parsed = new URL(value ?? '');
        } catch {
            throw new Error(`The custom cloud needs ${setting}: a URL such as https://login.example.com (it is "${value ?? ''}").`);
        }
        if (parsed.protocol !== 'https:') {
            throw new Error(`${setting} must be an https URL (it is ${parsed.href}).`);
        }
        return parsed.href.replace(/\/+$/, '');
    };
    const graphEndpoint = url(custom?.graphEndpoint, 'm365Provisioner.customCloud.graphEndpoint');
    const exchangeEndpoint = url(custom?.exchangeEndpoint, 'm365Provisioner.customCloud.exchangeEndpoint');
    return {
        name: 'Custom',
        authorityHost: url(custom?.authority, 'm365Provisioner.customCloud.authority'),
        graphEndpoint,
        exchangeEndpoint,
        graphResource: graphEndpoint,
        exchangeResource: exchangeEndpoint,
        entraPortal: 'https://entra.microsoft.com',
        m365AdminPortal: 'https://admin.microsoft.com',
        exchangeAdminPortal: 'https://admin.exchange.microsoft.com',
        ...(custom?.caFile ? { caFile: custom.caFile } : {}),
    };
}

/** The settings (under `m365Provisioner.`) that decide where sign-in, tokens and passwords go, and which CA is trusted. */
export const cloudSettingNames = ['cloud', 'customCloud.authority', 'customCloud.graphEndpoint', 'customCloud.exchangeEndpoint', 'customCloud.caFile'] as const;

/**
 * Why the cloud settings cannot be used when some are set by the open workspace (`.vscode/settings.json`, a
 * `.code-workspace` file), or undefined when none is. A repository someone clones must not be able to send the
 * admin's sign-in, tokens and new passwords to its own servers or make the extension trust its CA; only the admin's
 * user (or remote) settings may choose them.
 */
export function cloudSettingsFromWorkspaceProblem(setByWorkspace: readonly string[]): string | undefined {
    if (!setByWorkspace.length) return undefined;
    const names = setByWorkspace.map(name => `m365Provisioner.${name}`).join(', ');
    return `${names} ${setByWorkspace.length === 1 ? 'is' : 'are'} set in this workspace's settings, and where sign-in and tokens go may come only from your own settings. Move ${setByWorkspace.length === 1 ? 'it' : 'them'} to your user settings (Preferences: Open User Settings (JSON)) and remove ${setByWorkspace.length === 1 ? 'it' : 'them'} from the workspace's .vscode/settings.json, if you trust where ${setByWorkspace.length === 1 ? 'it points' : 'they point'}.`;
}
