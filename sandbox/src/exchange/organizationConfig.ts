import type { ExchangeOrganizationConfig, SandboxContext } from '../contracts';

type Parameters = Record<string, unknown>;

/**
 * The EWS settings as a tenant that never set them has them: all `$null`. "$null (blank): The setting isn't configured
 * … This is the default value" (office-docs-powershell `exchange/exchange-ps/ExchangePowerShell/Set-OrganizationConfig.md`,
 * -EwsEnabled; -EwsApplicationAccessPolicy, -EwsAllowList and -EwsBlockList have no default either). Message Center
 * MC1227454: from 1 October 2026 EWS is off for a tenant that has not set EwsEnabled to $true and allow-listed the app.
 */
export const unsetEwsSettings: ExchangeOrganizationConfig = { ewsEnabled: null, ewsApplicationAccessPolicy: null, ewsAllowList: null, ewsBlockList: null };

/**
 * Get-OrganizationConfig (office-docs-powershell Get-OrganizationConfig.md): the organisation's settings. The sandbox
 * answers the identity fields and the EWS settings only (EwsEnabled, EwsApplicationAccessPolicy, EwsAllowList,
 * EwsBlockList, as Set-OrganizationConfig.md names them).
 */
export function getOrganizationConfig(ctx: SandboxContext, _p: Parameters): { value: Record<string, unknown>[] } {
    const ews = ctx.state.exchangeOrganizationConfig ?? unsetEwsSettings;
    const initial = ctx.state.domains.find(d => d.isInitial)?.id ?? ctx.state.tenantId;
    return {
        value: [{
            Identity: initial,
            Name: initial,
            DisplayName: ctx.state.organization.displayName,
            Guid: ctx.state.tenantId,
            EwsEnabled: ews.ewsEnabled,
            EwsApplicationAccessPolicy: ews.ewsApplicationAccessPolicy,
            EwsAllowList: ews.ewsAllowList,
            EwsBlockList: ews.ewsBlockList,
        }],
    };
}
