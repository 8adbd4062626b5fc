import type { HttpTransport } from '../../src/net/HttpTransport';

/**
 * Approves a device code on the sandbox's /devicelogin page as the given account, consenting where the page asks: what
 * the person at the browser would do. Used by the extension-host tests and the command line's.
 */
export async function approveDeviceCodeAt(transport: Pick<HttpTransport, 'send'>, origin: string, userCode: string, upn: string): Promise<void> {
    const post = (fields: Record<string, string>) => transport.send({ method: 'POST', url: `${origin}/devicelogin`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
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
