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
