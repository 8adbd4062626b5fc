import { createPrivateKey, createPublicKey, createSign, createVerify, type KeyObject } from 'node:crypto';

export type Claims = Record<string, unknown>;

/** An RS256 JWT, as Entra signs its tokens. */
export function signJwt(claims: Claims, privateKeyPem: string, kid: string): string {
    const header = { typ: 'JWT', alg: 'RS256', kid, x5t: kid };
    const body = `${b64(header)}.${b64(claims)}`;
    const signature = createSign('RSA-SHA256').update(body).sign(createPrivateKey(privateKeyPem)).toString('base64url');
    return `${body}.${signature}`;
}

export interface DecodedJwt {
    header: Claims;
    claims: Claims;
    signedPart: string;
    signature: Buffer;
}

export function decodeJwt(token: string): DecodedJwt | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    try {
        return {
            header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as Claims,
            claims: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Claims,
            signedPart: `${parts[0]}.${parts[1]}`,
            signature: Buffer.from(parts[2], 'base64url'),
        };
    } catch {
        return undefined;
    }
}

/** Checks an RS256 or PS256 signature with a PEM public key. */
export function verifySignature(jwt: DecodedJwt, publicKey: string | KeyObject): boolean {
    const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    const alg = jwt.header.alg;
    if (alg === 'RS256') return createVerify('RSA-SHA256').update(jwt.signedPart).verify(key, jwt.signature);
    if (alg === 'PS256') return createVerify('RSA-SHA256').update(jwt.signedPart).verify({ key, padding: 6, saltLength: 32 }, jwt.signature);
    return false;
}

function b64(value: unknown): string {
    return Buffer.from(JSON.stringify(value)).toString('base64url');
}
