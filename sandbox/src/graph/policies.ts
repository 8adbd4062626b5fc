import type { SandboxContext, SandboxRequest } from '../contracts';
import { requirePermission } from './permissions';

/** What reading sign-in policies needs (Policy.Read.All, or Directory.Read.All for security defaults). */
const policyRead = ['Policy.Read.All', 'Policy.ReadWrite.ConditionalAccess', 'Directory.Read.All'];

/**
 * `GET /policies/identitySecurityDefaultsEnforcementPolicy`: whether security defaults are on. They require MFA
 * registration for every account, so a service account that signs in without MFA (the guides ask for one) is blocked.
 */
export function securityDefaultsPolicy(ctx: SandboxContext, request: SandboxRequest): Record<string, unknown> {
    requirePermission(ctx.state, request.principal, policyRead, false);
    return {
        '@odata.context': `${request.url.origin}/graph/v1.0/$metadata#policies/identitySecurityDefaultsEnforcementPolicy/$entity`,
        id: '00000000-0000-0000-0000-000000000005',
        displayName: 'Security Defaults',
        description: 'Security defaults is a set of basic identity security mechanisms recommended by Microsoft. When enabled, these recommendations will be automatically enforced in your organization. Administrators and users will be better protected from common identity related attacks.',
        isEnabled: ctx.state.organization.securityDefaultsEnabled,
    };
}

/**
 * `GET /identity/conditionalAccess/policies`. Entra refuses Conditional Access policies while security defaults are
 * on, so the seeded tenant (security defaults on) has none; tests add some through the state.
 */
export function conditionalAccessPolicies(ctx: SandboxContext, request: SandboxRequest): Record<string, unknown> {
    requirePermission(ctx.state, request.principal, ['Policy.Read.All', 'Policy.ReadWrite.ConditionalAccess'], false);
    return { '@odata.context': `${request.url.origin}/graph/v1.0/$metadata#identity/conditionalAccess/policies`, value: ctx.state.conditionalAccessPolicies ?? [] };
}
