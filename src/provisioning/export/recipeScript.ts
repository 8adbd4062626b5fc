import type { CloudName } from '../../auth/clouds';
import type { Recipe, RecipeServiceAccount } from '../recipes/recipe';
import { psString } from './powershell';

/** Which PowerShell the export writes: Microsoft Graph + Exchange Online, or Active Directory + Exchange Server. */
export type ExportVariant = 'cloud' | 'onPremises';

/**
 * On premises, where an account's Exchange Online mailbox goes. Hybrid: Exchange Online mailboxes for on-premises
 * accounts, made with Enable-RemoteMailbox ("create a mailbox in the cloud-based service for an existing user in the
 * on-premises Active Directory", MicrosoftDocs/office-docs-powershell:exchange/exchange-ps/ExchangePowerShell/Enable-RemoteMailbox.md);
 * Enable-Mailbox there would make a second, on-premises mailbox. Exchange-only: every mailbox is on Exchange Server,
 * made with Enable-Mailbox (Enable-Mailbox.md: "create mailboxes for existing users who don't already have mailboxes").
 */
export type OnPremisesOrganisation = 'hybrid' | 'exchangeOnly';

/** What one export writes: the cloud script for one Microsoft cloud, or the on-premises script for one kind of organisation. */
export type ExportTarget = { variant: 'cloud'; cloud: CloudName } | { variant: 'onPremises'; organisation: OnPremisesOrganisation };

/** Lines indented by four spaces per level (blank lines stay blank). */
export function indent(lines: string[], levels = 1): string[] {
    return lines.map(l => (l ? `${'    '.repeat(levels)}${l}` : l));
}

/** `Write-Host '  <text>'`: progress in the admin's words; the text is a quoted value, never code. */
export function progress(text: string): string {
    return `Write-Host ${psString(`  ${text}`)}`;
}

/** UPNs the recipe's mail-enabled groups list as members, lower-cased; a group being removed gives no one a mailbox. */
export function mailGroupMembers(recipe: Recipe): Set<string> {
    return new Set((recipe.mailEnabledGroups ?? []).filter(g => g.ensure !== 'absent').flatMap(g => g.members ?? []).map(m => m.trim().toLowerCase()));
}

/** The recipe account with this UPN, if the member is one of them. */
export function recipeAccount(recipe: Recipe, upn: string): RecipeServiceAccount | undefined {
    return recipe.serviceAccounts.find(a => a.userPrincipalName.trim().toLowerCase() === upn.trim().toLowerCase());
}

/** A licence with an Exchange Online plan (or all plans) gives the account a mailbox. */
export function hasExchangePlan(account: RecipeServiceAccount): boolean {
    const plans = account.licence?.enabledPlans;
    return plans === 'all' || (plans ?? []).some(p => /^EXCHANGE_/i.test(p));
}

/**
 * Whether the account needs a mailbox: its cloud licence gives it one, or it is a member of a mail-enabled group
 * (Exchange only takes recipients as members).
 */
export function needsMailbox(recipe: Recipe, account: RecipeServiceAccount): boolean {
    return hasExchangePlan(account) || mailGroupMembers(recipe).has(account.userPrincipalName.trim().toLowerCase());
}
