import * as assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
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
});
