import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { INetworkModule } from '@azure/msal-node';
import type { CloudEndpoints } from '../auth/clouds';
import { msalNetworkModule } from '../auth/msalNetwork';
import { HttpTransport } from '../net/HttpTransport';
import { proxyFromEnvironment, type ProxySettings } from '../net/proxy';

/** VS Code's `http.proxy` when set, else HTTPS_PROXY / HTTP_PROXY, with NO_PROXY from the environment. */
export function proxySettings(): ProxySettings {
    const fromEnvironment = proxyFromEnvironment();
    const configured = vscode.workspace.getConfiguration('http').get<string>('proxy', '').trim();
    return configured ? { ...fromEnvironment, url: configured } : fromEnvironment;
}

/** The transport for one cloud: its extra CA (custom clouds, the sandbox) and the proxy. */
export function transportFor(cloud: CloudEndpoints): HttpTransport {
    let ca: string | undefined;
    if (cloud.caFile) {
        try {
            ca = readFileSync(cloud.caFile, 'utf8');
        } catch (error) {
            throw new Error(`Cannot read the CA file in m365Provisioner.customCloud.caFile (${cloud.caFile}): ${(error as Error).message}`);
        }
    }
    return new HttpTransport({ ...(ca ? { ca } : {}), proxy: proxySettings(), userAgent: 'm365-provisioner-vscode' });
}

export function msalNetworkFor(cloud: CloudEndpoints): INetworkModule {
    const transport = transportFor(cloud);
    return msalNetworkModule(request => transport.send(request));
}
