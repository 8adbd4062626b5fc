/** A proxy from VS Code's `http.proxy` (passed in) or the environment, and the hosts that bypass it. */
export interface ProxySettings {
    /** e.g. `http://proxy.corp:8080` or `http://user:pass@proxy.corp:8080`. */
    url?: string;
    /** Comma-separated host suffixes, as NO_PROXY. */
    noProxy?: string;
}

/** Proxy settings from the environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, any case). */
export function proxyFromEnvironment(env: NodeJS.ProcessEnv = process.env): ProxySettings {
    const url = env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy;
    const noProxy = env.NO_PROXY ?? env.no_proxy;
    return { ...(url ? { url } : {}), ...(noProxy ? { noProxy } : {}) };
}

/** The proxy to use for a target, or undefined to go direct (no proxy set, or the host is in NO_PROXY). */
export function proxyFor(target: URL, settings: ProxySettings | undefined): URL | undefined {
    if (!settings?.url) return undefined;
    const host = target.hostname.toLowerCase();
    const bypass = (settings.noProxy ?? '')
        .split(',')
        .map(s => s.trim().toLowerCase().replace(/^\*?\./, '.'))
        .filter(Boolean)
        .some(entry => entry === '*' || host === entry.replace(/^\./, '') || (entry.startsWith('.') && host.endsWith(entry)));
    if (bypass) return undefined;
    const proxy = new URL(settings.url.includes('://') ? settings.url : `http://${settings.url}`);
    if (proxy.protocol !== 'http:') {
        throw new Error(`Only http:// proxies are supported (the proxy setting is ${proxy.protocol}//${proxy.host}).`);
    }
    return proxy;
}
