// What each picker says when its list comes back empty: why, in the admin's words, and what to do. Plain data and
// functions (no vscode), so a unit test reads every message.

import type { EmptyListRow } from '../../platform/inputSteps';

export type SearchKind = 'user' | 'group' | 'grantee' | 'mailGroup';

const what: Record<SearchKind, string> = {
    user: 'user',
    group: 'group',
    grantee: 'mailbox or mail-enabled security group',
    mailGroup: 'mail-enabled security group',
};

const howToSearch: Record<SearchKind, string> = {
    user: 'Type the start of a name, user principal name or mail address (the search matches the start of words). A new account can take a minute to be found.',
    group: 'Type the start of the group\'s name (the search matches the start of words). A new group can take a minute to be found.',
    grantee: 'Type the start of a name or address. Calendar access goes to a user with a mailbox or to a mail-enabled security group: run "Create Mail-Enabled Security Group…" to make one.',
    mailGroup: 'Type the start of its name or address, or run "Create Mail-Enabled Security Group…" to make one.',
};

/** A search that found nothing: what was searched for, and how to find it or make it. */
export function emptySearch(kind: SearchKind, text: string): EmptyListRow {
    return {
        why: text ? `No ${what[kind]} matches "${text}"` : `This organisation has no ${what[kind]} you can see`,
        whatToDo: howToSearch[kind],
    };
}

/**
 * A grantee search that found no mailbox, but a user by that name: the user has no mailbox, which in Exchange Online
 * comes with a licence that includes Exchange Online (the mailbox is made minutes after the licence is assigned).
 */
export function userWithoutMailbox(displayName: string): EmptyListRow {
    return {
        why: `${displayName} has no mailbox (no Exchange Online licence)`,
        whatToDo: 'A mailbox is made minutes after a licence with Exchange Online is assigned: assign one ("Assign Licence…" on the user) and search again, or grant to a mail-enabled security group the user is in.',
    };
}

/** The lists read whole (no search), when the tenant has none. */
export const emptyLists = {
    roles: { why: 'No directory role could be read', whatToDo: 'Your account may not read role definitions: sign in with an account that holds a directory role (Global Reader is enough to read them), or ask an administrator.' },
    licences: { why: 'This tenant has no licence to assign', whatToDo: 'Buy or start a subscription in the Microsoft 365 admin centre (Billing › Purchase services); it is listed here once it is active.' },
    plans: { why: 'This licence has no service plans to choose from', whatToDo: 'Assign it with all its plans from the admin centre, or choose another licence.' },
    roleGroups: { why: 'Exchange lists no role groups', whatToDo: 'Your account may not read them: it needs an Exchange role such as View-Only Organization Management (or Exchange Administrator in Entra).' },
    domains: { why: 'This tenant has no verified domain', whatToDo: 'Add and verify a domain in the Microsoft 365 admin centre (Settings › Domains); the .onmicrosoft.com domain is always verified, so refresh and try again.' },
    members: (group: string): EmptyListRow => ({ why: `${group} has no members`, whatToDo: 'There is nobody to remove. Refresh the Directory view if you expected members.' }),
    heldRoles: (who: string): EmptyListRow => ({ why: `${who} holds no directory role`, whatToDo: 'There is no role to remove. Refresh the Directory view if you expected one.' }),
    heldLicences: (who: string): EmptyListRow => ({ why: `${who} holds no licence`, whatToDo: 'There is no licence to remove. Refresh the Directory view if you expected one.' }),
};
