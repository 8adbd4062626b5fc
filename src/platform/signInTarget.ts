import * as vscode from 'vscode';
import type { SignInTarget } from '../auth/Accounts';
import { cloudEndpoints, cloudSettingNames, cloudSettingsFromWorkspaceProblem, type CloudName } from '../auth/clouds';
import { SettingsSection } from '../constants';

/**
 * Where to sign in, from the settings; a Custom cloud's URLs are checked here so a wrong one is named up front, and the
 * cloud settings are refused when the open workspace sets them (a cloned repository must not choose where tokens go).
 */
export function signInTargetFromSettings(): SignInTarget {
    const settings = vscode.workspace.getConfiguration(SettingsSection);
    const fromWorkspace = cloudSettingNames.filter(name => {
        const value = settings.inspect(name);
        return value?.workspaceValue !== undefined || value?.workspaceFolderValue !== undefined;
    });
    const problem = cloudSettingsFromWorkspaceProblem(fromWorkspace);
    if (problem) throw new Error(problem);
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
