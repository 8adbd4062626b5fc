import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { AuditRecord } from '../../src/audit/auditRecord';
import type { SignInInteraction } from '../../src/auth/Accounts';
import { ExtensionId } from '../../src/constants';
import type { ExtensionApi } from '../../src/extension';
import { HttpTransport } from '../../src/net/HttpTransport';
import { approveDeviceCodeAt } from '../sandbox/deviceLogin';

/** The sandbox tenant the harness started for this run (test/harness/runExtensionTests.mjs). */
export interface SandboxInfo {
    origin: string;
    authority: string;
    tenantId: string;
    graphUrl: string;
    exchangeUrl: string;
    caPath: string;
    publicClientId: string;
}

export const sandbox = JSON.parse(process.env.M365P_SANDBOX ?? '{}') as SandboxInfo;
export const sandboxTransport = () => new HttpTransport({ ca: fs.readFileSync(sandbox.caPath, 'utf8') });

export async function extensionApi(): Promise<ExtensionApi> {
    const extension = vscode.extensions.getExtension<ExtensionApi>(ExtensionId);
    if (!extension) throw new Error(`${ExtensionId} is not loaded`);
    return extension.activate();
}

/** Approves a device code on the sandbox's /devicelogin page as the given account (what the person would do). */
export function approveDeviceCode(userCode: string, upn: string): Promise<void> {
    return approveDeviceCodeAt(sandboxTransport(), sandbox.origin, userCode, upn);
}

/** An interaction that says yes when asked to sign in again for a new permission, and approves the device code. */
export function consentingInteraction(upn: string): SignInInteraction {
    return { ...deviceCodeInteraction(upn), confirmSignInAgain: () => Promise.resolve(true) };
}

/** An interaction for tests: device codes are approved as `upn`; any other prompt fails the test. */
export function deviceCodeInteraction(upn: string): SignInInteraction {
    return {
        openBrowser: () => Promise.reject(new Error('the test did not expect a browser')),
        showDeviceCode: prompt => void approveDeviceCode(prompt.userCode, upn),
        confirmSignInAgain: (_account, why) => Promise.reject(new Error(`the test did not expect to be asked to sign in again (${why})`)),
        preferDeviceCode: () => true,
    };
}

/**
 * The admin says yes once to permissions the sign-in did not ask for, as they would to the prompt on the first action
 * that needs them (incremental consent): each resource's scopes in one token request.
 */
export async function consentAsAdmin(wanted: { graph?: readonly string[]; exchange?: readonly string[] }): Promise<void> {
    const api = await extensionApi();
    const account = api.container.accounts.active();
    if (!account) throw new Error('not signed in');
    const tokens = api.container.accounts.tokenProvider(account, consentingInteraction('admin@contoso.com'));
    if (wanted.graph) await tokens.getAccessToken({ resource: 'graph', scopes: [...wanted.graph] });
    if (wanted.exchange) await tokens.getAccessToken({ resource: 'exchange', scopes: [...wanted.exchange] });
}

/** The Graph write permissions the provisioning commands ask for at their first change. */
export const provisioningWriteScopes = ['User.ReadWrite.All', 'RoleManagement.ReadWrite.Directory', 'LicenseAssignment.ReadWrite.All', 'Policy.Read.All'] as const;

/** The active tenant session (the test fails when nobody is signed in). */
export async function activeSession() {
    const s = (await extensionApi()).container.sessions.active();
    if (!s) throw new Error('not signed in');
    return s;
}

export type AuditLine = AuditRecord;

/** The audit log's lines as written so far. */
export async function auditLines(): Promise<AuditLine[]> {
    const file = (await extensionApi()).container.audit.file;
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').map(l => JSON.parse(l) as AuditLine) : [];
}
