import * as assert from 'node:assert/strict';
import { SignInError, toSignInError } from '../../../src/auth/signInErrors';

// Shapes as msal-node throws them (errorCode, subError, errorMessage with the AADSTS description).
const msal = (errorCode: string, errorMessage: string, subError = '') => ({ name: 'ServerError', errorCode, subError, errorMessage, message: `${errorCode}: ${errorMessage}` });

describe('toSignInError', () => {
    const cases: [string, object, SignInError['problem'], RegExp][] = [
        ['consent', msal('invalid_grant', 'AADSTS65001: The user or administrator has not consented to use the application.', 'consent_required'), 'consentRequired', /not been consented/],
        ['revoked refresh token', msal('invalid_grant', 'AADSTS70008: The provided authorization code or refresh token has expired.', 'bad_token'), 'sessionRevoked', /Sign in again/],
        ['MFA / Conditional Access', msal('invalid_grant', 'AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication.', 'basic_action'), 'interactionRequired', /multi-factor authentication or a Conditional Access/],
        ['wrong tenant', msal('invalid_request', 'AADSTS90002: Tenant \'nope.example\' not found.'), 'wrongTenant', /m365Provisioner\.tenant/],
        ['wrong secret', msal('invalid_client', 'AADSTS7000215: Invalid client secret provided.'), 'badClientCredential', /secret or certificate was refused/],
        ['expired secret', msal('invalid_client', 'AADSTS7000222: The provided client secret keys are expired.'), 'badClientCredential', /expired/],
        ['disabled account', msal('invalid_grant', 'AADSTS50057: The user account is disabled.'), 'accountDisabled', /disabled/],
        ['no network', { name: 'ClientAuthError', errorCode: 'network_error', errorMessage: 'connect ECONNREFUSED 127.0.0.1:1' }, 'network', /proxy/],
        ['cancelled device code', msal('authorization_declined', 'The user declined.'), 'cancelled', /cancelled/],
        // Texts as the sandbox sends them, after MicrosoftDocs/entra-docs reference-error-codes.md.
        ['a Microsoft app asking for an API it is not pre-authorised for', msal('invalid_request', 'AADSTS65002: Consent between first party application \'14d82eec-204b-4c2f-b7e8-296a70dab67e\' and first party resource \'00000002-0000-0ff1-ce00-000000000000\' must be configured via preauthorization'), 'clientNotAllowed', /m365Provisioner\.clientId/],
        ['device code with public client flows off', msal('invalid_client', 'AADSTS7000218: The request body must contain the following parameter: \'client_assertion\' or \'client_secret\'.'), 'other', /Allow public client flows" to Yes/],
        ['an unregistered redirect URI', msal('invalid_request', 'AADSTS50011: The redirect URI \'http://localhost:5000\' specified in the request does not match the redirect URIs configured for the application'), 'other', /Mobile and desktop applications.*http:\/\/localhost/],
        ['an app not in the tenant (Microsoft\'s, in China)', msal('unauthorized_client', 'AADSTS700016: Application with identifier \'14d82eec-204b-4c2f-b7e8-296a70dab67e\' was not found in the directory \'Contoso\'.'), 'wrongTenant', /national clouds \(China\).*m365Provisioner\.clientId/],
    ];
    for (const [name, error, problem, message] of cases) {
        it(`maps ${name} to ${problem} with an actionable message`, () => {
            const mapped = toSignInError(error, 'contoso.com');
            assert.equal(mapped.problem, problem);
            assert.match(mapped.message, message);
        });
    }

    it('keeps the AADSTS code for the log and passes SignInErrors through', () => {
        const mapped = toSignInError(msal('invalid_grant', 'AADSTS65001: consent'));
        assert.equal(mapped.aadsts, 'AADSTS65001');
        assert.equal(toSignInError(mapped), mapped);
    });
});
