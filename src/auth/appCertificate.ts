import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import type * as Forge from 'node-forge';

let loaded: typeof Forge | undefined;
/**
 * node-forge, loaded on first use. Its big-number code reads `navigator` as it loads (to pick a browser's fast path),
 * and VS Code's extension host reports every such read as a PendingMigrationError: imported at the top, that error was
 * logged at each activation. Now it is read only when a certificate is made.
 */
function forgeLibrary(): typeof Forge {
    // A `require` where it is needed: the bundle then evaluates node-forge here, not when the extension starts.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (loaded ??= require('node-forge') as typeof Forge);
}

/** A new app certificate: the public part for Entra, the private key for the admin's file only. */
export interface NewAppCertificate {
    /** PEM of the certificate (public). */
    certificatePem: string;
    /** PEM (PKCS#8) of the private key: written once to the file the admin chooses, never kept or logged by us. */
    privateKeyPem: string;
    /** Base64 DER of the certificate: a keyCredential's `key`. */
    derBase64: string;
    /** SHA-1 thumbprint, upper-case hex, as the Entra admin centre and Windows show it. */
    thumbprint: string;
    notBefore: Date;
    notAfter: Date;
}

const dayMs = 24 * 3600 * 1000;

/**
 * A self-signed certificate for an app's client-assertion sign-in (Microsoft's recommended credential for app-only:
 * entra-docs `identity-platform/certificate-credentials.md`; a self-signed one is accepted: `howto-create-self-signed-certificate.md`).
 * RSA 2048 with SHA-256, made locally: the private key never leaves this machine except into the admin's file. The key
 * comes from Node's native generator (fast); node-forge builds and signs the certificate, which Node cannot.
 */
export function newAppCertificate(commonName: string, validDays: number, now = new Date()): NewAppCertificate {
    const forge = forgeLibrary();
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.publicKeyFromPem(pair.publicKey);
    // A positive serial (high bit clear), random so two certificates of the same app never share one.
    const serial = randomBytes(16);
    serial[0] &= 0x7f;
    cert.serialNumber = serial.toString('hex');
    // A few minutes back, so a clock slightly ahead of Entra's does not make the certificate "not yet valid".
    cert.validity.notBefore = new Date(now.getTime() - 5 * 60 * 1000);
    cert.validity.notAfter = new Date(now.getTime() + validDays * dayMs);
    const name = [{ name: 'commonName', value: commonName }];
    cert.setSubject(name);
    cert.setIssuer(name);
    cert.setExtensions([{ name: 'basicConstraints', cA: false }, { name: 'keyUsage', digitalSignature: true, critical: true }]);
    cert.sign(forge.pki.privateKeyFromPem(pair.privateKey), forge.md.sha256.create());
    const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
    return {
        certificatePem: forge.pki.certificateToPem(cert),
        privateKeyPem: pair.privateKey,
        derBase64: der.toString('base64'),
        thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase(),
        notBefore: cert.validity.notBefore,
        notAfter: cert.validity.notAfter,
    };
}
