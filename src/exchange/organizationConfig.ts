import type { ExchangeAdminClient } from './ExchangeAdminClient';

/**
 * The organisation's EWS settings, as Get-OrganizationConfig shows them (office-docs-powershell
 * `exchange/exchange-ps/ExchangePowerShell/Get-OrganizationConfig.md`; the values are Set-OrganizationConfig's
 * -EwsEnabled, -EwsApplicationAccessPolicy and -EwsAllowList: `$null` is "not configured", the default). They decide
 * whether an EWS integration still works once Message Center MC1227454's dates pass.
 */
export interface OrganizationEwsSettings {
    ewsEnabled: boolean | null;
    ewsApplicationAccessPolicy: 'EnforceAllowList' | 'EnforceBlockList' | null;
    ewsAllowList: string[] | null;
}

interface OrganizationConfig { EwsEnabled?: boolean | null; EwsApplicationAccessPolicy?: string | null; EwsAllowList?: string[] | null }

export async function organizationEwsSettings(exo: ExchangeAdminClient, o: { signal?: AbortSignal } = {}): Promise<OrganizationEwsSettings> {
    const config = (await exo.invoke<OrganizationConfig>('Get-OrganizationConfig', {}, o)).value[0] ?? {};
    const policy = config.EwsApplicationAccessPolicy;
    return {
        ewsEnabled: typeof config.EwsEnabled === 'boolean' ? config.EwsEnabled : null,
        ewsApplicationAccessPolicy: policy === 'EnforceAllowList' || policy === 'EnforceBlockList' ? policy : null,
        ewsAllowList: Array.isArray(config.EwsAllowList) ? config.EwsAllowList.map(String) : null,
    };
}
