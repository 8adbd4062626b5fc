import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import forge from 'node-forge';

export interface SandboxCertificates {
    caPath: string;
    caPem: string;
    serverCertPem: string;
    serverKeyPem: string;
    /** The RSA key that signs the sandbox's tokens, and its key id in the JWKS. */
    signingKeyPem: string;
    signingPublicKeyPem: string;
    signingKid: string;
}

export function defaultCacheDir(): string {
    return path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'm365-provisioner', 'sandbox');
}

/**
 * A CA and a server certificate for 127.0.0.1/localhost, made on first start and reused afterwards so the CA a client
 * trusts (NODE_EXTRA_CA_CERTS, the custom cloud's CA file) stays valid across restarts.
 */
export function ensureCertificates(cacheDir = defaultCacheDir()): SandboxCertificates {
    const dir = path.join(cacheDir, 'ca');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = (name: string) => path.join(dir, name);
    if (!existsSync(file('server-key.pem')) || !existsSync(file('signing-key.pem'))) {
        writeAll(dir);
    }
    const signingPublicKeyPem = readFileSync(file('signing-public.pem'), 'utf8');
    return {
        caPath: file('ca.pem'),
        caPem: readFileSync(file('ca.pem'), 'utf8'),
        serverCertPem: readFileSync(file('server.pem'), 'utf8'),
        serverKeyPem: readFileSync(file('server-key.pem'), 'utf8'),
        signingKeyPem: readFileSync(file('signing-key.pem'), 'utf8'),
        signingPublicKeyPem,
        signingKid: createHash('sha256').update(signingPublicKeyPem).digest('base64url').slice(0, 27),
    };
}

function writeAll(dir: string): void {
    const ca = forge.pki.rsa.generateKeyPair(2048);
    const caCert = certificate(ca.publicKey, '01', 5);
    const caName = [{ name: 'commonName', value: 'M365 Provisioner Sandbox CA' }, { name: 'organizationName', value: 'M365 Provisioner sandbox (local only)' }];
    caCert.setSubject(caName);
    caCert.setIssuer(caName);
    caCert.setExtensions([{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }, { name: 'subjectKeyIdentifier' }]);
    caCert.sign(ca.privateKey, forge.md.sha256.create());

    const server = forge.pki.rsa.generateKeyPair(2048);
    const serverCert = certificate(server.publicKey, '02', 2);
    serverCert.setSubject([{ name: 'commonName', value: '127.0.0.1' }]);
    serverCert.setIssuer(caName);
    serverCert.setExtensions([
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ]);
    serverCert.sign(ca.privateKey, forge.md.sha256.create());

    const signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const write = (name: string, text: string, mode = 0o644) => writeFileSync(path.join(dir, name), text, { mode });
    write('ca.pem', forge.pki.certificateToPem(caCert));
    write('server.pem', forge.pki.certificateToPem(serverCert));
    write('server-key.pem', forge.pki.privateKeyToPem(server.privateKey), 0o600);
    write('signing-public.pem', signing.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    write('signing-key.pem', signing.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 0o600);
}

function certificate(publicKey: forge.pki.PublicKey, serial: string, years: number): forge.pki.Certificate {
    const cert = forge.pki.createCertificate();
    cert.publicKey = publicKey;
    cert.serialNumber = serial + Date.now().toString(16);
    cert.validity.notBefore = new Date(Date.now() - 24 * 3600 * 1000);
    cert.validity.notAfter = new Date(Date.now() + years * 365 * 24 * 3600 * 1000);
    return cert;
}

/** An app's certificate and key, as its owner holds them (the tenant keeps only the public parts). */
export interface AppCertificate { certificatePem: string; privateKeyPem: string; sha1Thumbprint: Buffer; sha256Thumbprint: Buffer; publicKeyPem: string }

/**
 * An app certificate and key for the client-assertion flow (tests and the demo's confidential apps). The key comes
 * from Node's native generator (well under a second), not forge's JavaScript one (about a second each); forge still
 * builds and signs the certificate.
 */
export function makeAppCertificate(commonName: string): AppCertificate {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs1', format: 'pem' } });
    const keys = { publicKey: forge.pki.publicKeyFromPem(pair.publicKey), privateKey: forge.pki.privateKeyFromPem(pair.privateKey) };
    const cert = certificate(keys.publicKey, '03', 1);
    cert.setSubject([{ name: 'commonName', value: commonName }]);
    cert.setIssuer([{ name: 'commonName', value: commonName }]);
    cert.sign(keys.privateKey, forge.md.sha256.create());
    const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
    return {
        certificatePem: forge.pki.certificateToPem(cert),
        privateKeyPem: forge.pki.privateKeyToPem(keys.privateKey),
        publicKeyPem: forge.pki.publicKeyToPem(keys.publicKey),
        sha1Thumbprint: createHash('sha1').update(der).digest(),
        sha256Thumbprint: createHash('sha256').update(der).digest(),
    };
}
