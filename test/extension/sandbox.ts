import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { SignInInteraction } from '../../src/auth/Accounts';
import { ExtensionId } from '../../src/constants';
import type { ExtensionApi } from '../../src/extension';
import { HttpTransport } from '../../src/net/HttpTransport';

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
export async function approveDeviceCode(userCode: string, upn: string): Promise<void> {
    const t = sandboxTransport();
    const post = (fields: Record<string, string>) => t.send({ method: 'POST', url: `${sandbox.origin}/devicelogin`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    const picker = (await post({ otc: userCode })).body.toString('utf8');
    const account = new RegExp(`name="account" value="([^"]+)" data-upn="${upn}"`).exec(picker)?.[1];
    if (!account) throw new Error(`no account ${upn} on the device login page`);
    const page = (await post({ otc: userCode, account })).body.toString('utf8');
    // A permission not granted yet: the page asks for consent, and the person accepts.
    if (page.includes('name="consent"')) {
        const fields = Object.fromEntries([...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(m => [m[1], m[2].replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')]));
        await post({ ...fields, consent: 'accept' });
    }
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
