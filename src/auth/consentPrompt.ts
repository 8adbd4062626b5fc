import type { SignedInAccount } from './Accounts';
import { describePermission, notCoveredBy, signInIntent, widerIntentFor, type SignInIntent } from './signInIntents';
import type { ApiResource } from './TokenProvider';

/** What the "sign in again for a permission" prompt says; the VS Code side shows it as a modal. */
export interface ConsentPrompt {
    message: string;
    /** One permission a line, each with what it lets us do in plain words. */
    detail: string;
    /** The next intent that covers what the call needs, offered as a second button. */
    widerIntent?: SignInIntent;
    /** That button's label. */
    widenButton?: string;
}

/**
 * The consentRequired prompt: only the permissions the account's intent did not ask for at sign-in, each described;
 * and, when a wider intent covers them, the offer to ask for all of it now so later changes need no prompt.
 */
export function consentPrompt(account: Pick<SignedInAccount, 'intent' | 'username'>, resource: ApiResource, scopes: readonly string[]): ConsentPrompt {
    const api = resource === 'graph' ? 'Microsoft Graph' : 'Exchange Online';
    const intent = signInIntent(account.intent);
    const missing = notCoveredBy(account.intent, resource, scopes);
    // All covered means sign-in asked for them but they were not granted (declined then, or consent revoked since).
    const listed = (missing.length ? missing : scopes).map(describePermission);
    const plural = listed.length === 1 ? '' : 's';
    const widerIntent = widerIntentFor(account.intent, resource, scopes);
    const widenButton = widerIntent ? `Sign In for "${widerIntent.label}"` : undefined;
    const message = missing.length
        ? `This action needs ${api} permission${plural} that your sign-in ("${intent.label}") did not ask for.`
        : `This action needs ${api} permission${plural} that ${account.username} has not granted to the app.`;
    const detail = [
        `It lets M365 Provisioner:\n${listed.map(l => `• ${l}`).join('\n')}`,
        `Sign in again to grant ${listed.length === 1 ? 'it' : 'them'}. An administrator may need to consent for the organisation.`,
        widerIntent ? `"${widenButton}" also asks now for everything "${widerIntent.label}" covers, so later changes need no prompt.` : undefined,
    ].filter(Boolean).join('\n\n');
    return { message, detail, ...(widerIntent && widenButton ? { widerIntent, widenButton } : {}) };
}
