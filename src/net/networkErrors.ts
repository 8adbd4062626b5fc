/** A failure to talk to a service at all (as opposed to an error answer from it), with what to check. */
export class NetworkError extends Error {
    constructor(message: string, readonly code: string | undefined, readonly host: string) {
        super(message);
        this.name = 'NetworkError';
    }
}

const certificateCodes = new Set(['SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID']);

export function describeNetworkError(error: Error, url: URL, viaProxy: boolean): NetworkError {
    const code = (error as NodeJS.ErrnoException).code;
    const where = `${url.protocol}//${url.host}`;
    let advice: string;
    if (code && certificateCodes.has(code)) {
        advice = 'Its certificate is not trusted. For a custom cloud or the sandbox tenant set m365Provisioner.customCloud.caFile to its CA file; behind a TLS-inspecting proxy add the proxy\'s CA there.';
    } else if (code === 'EPROXY' || viaProxy) {
        advice = 'Check the proxy (VS Code\'s http.proxy setting or HTTPS_PROXY) and that it allows this host.';
    } else {
        advice = 'Check your network connection, and the proxy (http.proxy or HTTPS_PROXY) if you need one.';
    }
    return new NetworkError(`Cannot reach ${where}: ${error.message}. ${advice}`, code, url.host);
}
