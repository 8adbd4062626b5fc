import * as vscode from 'vscode';
import type { SignInTarget } from '../auth/Accounts';
import { cloudEndpoints, type CloudName } from '../auth/clouds';
import { SettingsSection } from '../constants';

/** Where to sign in, from the settings; a Custom cloud's URLs are checked here so a wrong one is named up front. */
export function signInTargetFromSettings(): SignInTarget {
    const settings = vscode.workspace.getConfiguration(SettingsSection);
    const cloud = settings.get<CloudName>('cloud', 'Global');
    const target: SignInTarget = {
        cloud,
        clientId: settings.get<string>('clientId', '').trim(),
        tenant: settings.get<string>('tenant', 'organizations').trim() || 'organizations',
    };
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(target.clientId)) {
        throw new Error(`m365Provisioner.clientId must be an application (client) id, a GUID (it is "${target.clientId}").`);
    }
    if (cloud === 'Custom') {
        const caFile = settings.get<string>('customCloud.caFile', '');
        target.customCloud = {
            authority: settings.get<string>('customCloud.authority', ''),
            graphEndpoint: settings.get<string>('customCloud.graphEndpoint', ''),
            exchangeEndpoint: settings.get<string>('customCloud.exchangeEndpoint', ''),
            ...(caFile ? { caFile } : {}),
        };
        cloudEndpoints(cloud, target.customCloud);
    }
    return target;
}
