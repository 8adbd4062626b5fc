import { HttpTransport } from '../src/net/HttpTransport';
import { cloudEndpoints, type CloudEndpoints } from '../src/auth/clouds';
import { startSandbox, type RunningSandbox } from '../sandbox/src/server';

/** A sandbox tenant for the smoke run, and a stand-in for the person who approves its device codes. */
export interface SandboxTarget {
    sandbox: RunningSandbox;
    cloud: CloudEndpoints;
    transport: HttpTransport;
    /** Enters the code on the sandbox's /devicelogin page as its Global Administrator, accepting consent if asked. */
    approve(userCode: string): Promise<void>;
}

export async function sandboxTarget(): Promise<SandboxTarget> {
    const sandbox = await startSandbox({ deviceCodeIntervalSeconds: 1 });
    const transport = new HttpTransport({ ca: sandbox.caPem });
    const cloud = cloudEndpoints('Custom', { authority: sandbox.origin, graphEndpoint: sandbox.graphUrl, exchangeEndpoint: sandbox.exchangeUrl, caFile: sandbox.caPath });
    const admin = sandbox.adminAccounts.find(a => a.role === 'Global Administrator')?.upn ?? 'admin@contoso.com';
    const page = `${sandbox.origin}/devicelogin`;
    const post = async (fields: Record<string, string>) =>
        (await transport.send({ method: 'POST', url: page, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() })).body.toString('utf8');
    return {
        sandbox,
        cloud,
        transport,
        async approve(userCode) {
            const picker = await post({ otc: userCode });
            const account = new RegExp(`name="account" value="([^"]+)" data-upn="${admin.replace(/\./g, '\\.')}"`).exec(picker)?.[1];
            if (!account) throw new Error(`The sandbox's device-code page offers no account ${admin}.`);
            const answer = await post({ otc: userCode, account });
            if (answer.includes('name="consent"')) await post({ otc: userCode, account, consent: 'accept' });
        },
    };
}
