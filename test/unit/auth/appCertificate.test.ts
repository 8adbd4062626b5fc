import * as assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import * as path from 'node:path';
import { newAppCertificate } from '../../../src/auth/appCertificate';

describe('A new app certificate (issue 17: the private key goes to the admin, the public part to Entra)', () => {
    const now = new Date('2026-11-29T12:00:00Z');
    const made = newAppCertificate('MyTimetable Calendar Integration', 365, now);
    const x509 = new X509Certificate(made.certificatePem);

    it('is self-signed for the app, valid for the days asked from now, and its key pair matches', () => {
        assert.match(x509.subject, /CN=MyTimetable Calendar Integration/);
        assert.equal(x509.subject, x509.issuer);
        assert.equal(new Date(x509.validTo).getTime(), Math.floor((now.getTime() + 365 * 24 * 3600 * 1000) / 1000) * 1000);
        assert.ok(new Date(x509.validFrom) < now);
        assert.ok(x509.checkPrivateKey(createPrivateKey(made.privateKeyPem)));
        assert.ok(x509.verify(createPublicKey(made.certificatePem)), 'signed by its own key');
    });

    it('gives Entra the DER and the SHA-1 thumbprint of the same certificate', () => {
        assert.deepEqual(Buffer.from(made.derBase64, 'base64'), x509.raw);
        assert.equal(made.thumbprint, createHash('sha1').update(x509.raw).digest('hex').toUpperCase());
        assert.equal(made.thumbprint, x509.fingerprint.replace(/:/g, ''));
    });

    it('never repeats a serial, so two certificates of one app are told apart', () => {
        assert.notEqual(new X509Certificate(newAppCertificate('App', 1).certificatePem).serialNumber, x509.serialNumber);
    });

    it('keeps the private key out of the certificate', () => {
        assert.doesNotMatch(made.certificatePem, /PRIVATE KEY/);
        assert.match(made.privateKeyPem, /^-----BEGIN PRIVATE KEY-----/);
    });

    it('loads node-forge only when a certificate is made, so the extension\'s start reads no `navigator`', () => {
        // VS Code's extension host logs a PendingMigrationError for each read of `navigator`; node-forge reads it as it
        // loads. Both modules are loaded afresh here, with a getter that counts the reads.
        const forgeFolder = path.dirname(require.resolve('node-forge/package.json'));
        const modulePath = require.resolve('../../../src/auth/appCertificate');
        const forget = () => {
            for (const key of Object.keys(require.cache)) if (key.startsWith(forgeFolder) || key === modulePath) delete require.cache[key];
        };
        const original = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
        let reads = 0;
        Object.defineProperty(globalThis, 'navigator', { configurable: true, get: () => { reads++; return undefined; } });
        try {
            forget();
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const fresh = require(modulePath) as typeof import('../../../src/auth/appCertificate');
            assert.equal(reads, 0, 'loading the module reads nothing');
            fresh.newAppCertificate('Loaded on first use', 1);
            assert.ok(reads > 0, 'node-forge, loaded for the certificate, does read it (so the count above means something)');
        } finally {
            if (original) Object.defineProperty(globalThis, 'navigator', original);
            else delete (globalThis as { navigator?: unknown }).navigator;
            forget();
        }
    });
});
