import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { ConfidentialClientApplication } from '@azure/msal-node';
import type { ApiResource } from './TokenProvider';
import { msalConfiguration, resourceScope, type MsalAppOptions } from './msalConfig';
import { toSignInError } from './signInErrors';

/** How an app proves who it is: a client secret, or a certificate (PEM) with its private key (PEM). */
export type AppCredential = { kind: 'secret'; secret: string } | { kind: 'certificate'; certificatePem: string; privateKeyPem: string };

/**
 * App-only sign-in (client credentials) for automation: the app's own permissions, no user. The credential comes from
 * SecretStorage; tokens are cached by msal through the same SecretStorage plugin.
 */
export class AppOnlySignIn {
    private readonly app: ConfidentialClientApplication;

    constructor(private readonly options: MsalAppOptions, credential: AppCredential) {
        const cacheKey = `m365Provisioner.msal.app.${options.cloud.name}.${options.tenant}.${options.clientId}`;
        this.app = new ConfidentialClientApplication(msalConfiguration(options, cacheKey, credentialOptions(credential)));
    }

    /** A token for the resource with the app's granted application permissions (`/.default`). */
    async acquire(resource: ApiResource): Promise<string> {
        try {
            const result = await this.app.acquireTokenByClientCredential({ scopes: [resourceScope(this.options.cloud, resource, '.default')] });
            if (!result) throw new Error('No token was returned.');
            return result.accessToken;
        } catch (error) {
            throw toSignInError(error, this.options.tenant);
        }
    }
}

function credentialOptions(credential: AppCredential) {
    if (credential.kind === 'secret') {
        return { clientSecret: credential.secret };
    }
    const certificate = new X509Certificate(credential.certificatePem);
    // Fail here with a clear message rather than at the token endpoint with an opaque one.
    createPrivateKey(credential.privateKeyPem);
    return {
        clientCertificate: {
            thumbprintSha256: createHash('sha256').update(certificate.raw).digest('hex'),
            privateKey: credential.privateKeyPem,
            x5c: credential.certificatePem,
        },
    };
}
