/** Why a token could not be had, in terms an admin can act on. */
export type SignInProblem =
    | 'consentRequired'
    | 'interactionRequired'
    /** The API's tokens come from a second client (Exchange Online PowerShell) the account has not signed in to yet. */
    | 'secondClientSignIn'
    /** A Microsoft-owned client asked for an API it is not pre-authorised for (AADSTS65002). */
    | 'clientNotAllowed'
    | 'wrongTenant'
    | 'badClientCredential'
    | 'sessionRevoked'
    | 'accountDisabled'
    | 'cancelled'
    | 'network'
    | 'other';

export class SignInError extends Error {
    constructor(
        readonly problem: SignInProblem,
        message: string,
        /** The AADSTS code when Entra sent one, e.g. `AADSTS65001`. */
        readonly aadsts?: string,
    ) {
        super(message);
        this.name = 'SignInError';
    }
}

interface MsalLikeError {
    name?: string;
    errorCode?: string;
    subError?: string;
    errorMessage?: string;
    message?: string;
}

/**
 * Turns what msal throws into a SignInError with a message that says what to do. The text never includes tokens:
 * msal's messages carry AADSTS descriptions, trace and correlation ids only.
 */
export function toSignInError(error: unknown, tenantHint?: string): SignInError {
    if (error instanceof SignInError) {
        return error;
    }
    const e = (error ?? {}) as MsalLikeError;
    const text = `${e.errorMessage ?? ''} ${e.message ?? ''}`;
    const aadsts = /AADSTS\d+/.exec(text)?.[0];
    const code = e.errorCode ?? '';
    const sub = e.subError ?? '';
    if (e.name === 'AbortError' || code === 'user_cancelled' || code === 'authorization_declined' || /access_denied/.test(code)) {
        return new SignInError('cancelled', 'Sign-in was cancelled.', aadsts);
    }
    if (sub === 'consent_required' || aadsts === 'AADSTS65001' || aadsts === 'AADSTS90094' || code === 'consent_required') {
        return new SignInError('consentRequired', 'This action needs a permission that has not been consented to yet. Sign in again and accept the permission (an administrator may need to consent for the organisation).', aadsts);
    }
    if (aadsts === 'AADSTS65002') {
        return new SignInError('clientNotAllowed', 'Microsoft does not let this Microsoft-owned app get tokens for this API (AADSTS65002). Register your own app (README, "Permissions for your own app registration") and set m365Provisioner.clientId to its client id.', aadsts);
    }
    if (sub === 'bad_token' || aadsts === 'AADSTS70008' || aadsts === 'AADSTS50173' || aadsts === 'AADSTS700082') {
        return new SignInError('sessionRevoked', 'Your sign-in session has expired or was revoked. Sign in again.', aadsts);
    }
    if (aadsts === 'AADSTS50057') {
        return new SignInError('accountDisabled', 'This account is disabled in the tenant. Sign in with another account.', aadsts);
    }
    if (aadsts === 'AADSTS700016') {
        // "Globally registered apps don't replicate to Azure China" (MicrosoftDocs/microsoftgraph-docs-powershell:
        // microsoftgraph/docs-conceptual/authentication-commands.md; microsoftgraph/msgraph-sdk-powershell#1735).
        return new SignInError('wrongTenant', 'The app registration (m365Provisioner.clientId) was not found in this tenant. Microsoft\'s own apps are missing in some national clouds (China): register your own app (README, "Permissions for your own app registration") and set m365Provisioner.clientId to it; otherwise check m365Provisioner.tenant.', aadsts);
    }
    if (aadsts === 'AADSTS90002' || aadsts === 'AADSTS50020') {
        const tenant = tenantHint ? ` "${tenantHint}"` : '';
        return new SignInError('wrongTenant', `The tenant${tenant} or the app registration was not found there. Check m365Provisioner.tenant and m365Provisioner.clientId (an app registration must exist in, or be consented to by, the tenant).`, aadsts);
    }
    if (aadsts === 'AADSTS7000218') {
        return new SignInError('other', 'The app registration is not set up for sign-in from VS Code: it treats the sign-in as a confidential client. In the Entra admin centre, open App registrations > the app > Authentication and set "Allow public client flows" to Yes (device code sign-in needs it), with the "Mobile and desktop applications" platform and redirect URI http://localhost.', aadsts);
    }
    if (aadsts === 'AADSTS50011') {
        return new SignInError('other', 'The app registration does not have the redirect URI this sign-in uses. In the Entra admin centre, open App registrations > the app > Authentication, add the "Mobile and desktop applications" platform with redirect URI http://localhost (any port matches it), or sign in with a device code.', aadsts);
    }
    if (aadsts === 'AADSTS7000215' || aadsts === 'AADSTS7000222' || aadsts === 'AADSTS700027' || aadsts === 'AADSTS700024' || code === 'invalid_client') {
        return new SignInError('badClientCredential', 'The app\'s client secret or certificate was refused (wrong, expired or not registered). Add a current secret or certificate for the app and sign in again.', aadsts);
    }
    if (code === 'interaction_required' || code === 'login_required' || code === 'no_tokens_found' || sub === 'basic_action' || sub === 'additional_action' || aadsts === 'AADSTS50076' || aadsts === 'AADSTS50079' || aadsts === 'AADSTS53003' || aadsts === 'AADSTS50158') {
        return new SignInError('interactionRequired', 'Your organisation needs you to sign in interactively again (multi-factor authentication or a Conditional Access policy). Sign in again.', aadsts);
    }
    if (code === 'endpoints_resolution_error') {
        const tenant = tenantHint ? ` "${tenantHint}"` : '';
        return new SignInError('wrongTenant', `The sign-in service did not describe the tenant${tenant}: the tenant does not exist there, or the authority URL is wrong. Check m365Provisioner.tenant and, for a custom cloud, m365Provisioner.customCloud.authority.`, aadsts);
    }
    if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|ECONNRESET|certificate|Cannot reach/i.test(text) || code === 'network_error' || code === 'endpoints_resolution_error') {
        return new SignInError('network', `Cannot reach the sign-in service: ${firstLine(text)}. Check your network connection and proxy (http.proxy or HTTPS_PROXY), and for a custom cloud its URLs and CA file.`, aadsts);
    }
    return new SignInError('other', `Sign-in failed: ${firstLine(text) || String(error)}`, aadsts);
}

function firstLine(text: string): string {
    return text.trim().split('\n')[0].trim();
}
