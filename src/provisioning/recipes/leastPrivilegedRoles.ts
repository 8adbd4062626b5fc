/**
 * For a service account given a role Microsoft marks privileged (src/graph/adminNames.ts), the smaller role that does
 * what integrations usually ask it for, so the warning names the fix and not only the risk. Plain data: the wizard's
 * browser bundle shows the same words.
 *
 * Sources (MicrosoftDocs/entra-docs):
 * - `docs/identity/role-based-access-control/delegate-by-task.md` ("Least privileged roles by task"): Support, "Submit
 *   support ticket" → Service Support Administrator; Users, "Assign license" → License Administrator, "Reset password
 *   of non-admins" → Password Administrator; Company branding / Custom domain names, "Read all configuration" →
 *   Directory Readers; Connect, Cloud Provisioning and External Identities, "Read all configuration" → Global Reader;
 *   Enterprise applications, "Create enterprise application" → Cloud Application Administrator.
 * - `docs/identity/role-based-access-control/permissions-reference.md`: which built-in roles are PRIVILEGED (Global
 *   Reader and Security Reader among them: they read security settings), Directory Readers ("read basic directory
 *   information"), Reports Reader ("read usage reporting data"), Exchange Recipient Administrator.
 * Exchange reading without an Entra role: the Exchange role group View-Only Organization Management (the first guide's).
 */
export interface RoleAdvice {
    /** The role Microsoft marks privileged, as the Entra admin centre names it. */
    role: string;
    /** The least-privileged role (or roles) that does the usual job, and the job. */
    instead: string;
}

const advice: RoleAdvice[] = [
    { role: 'Global Administrator', instead: 'reading: Global Reader, or Directory Readers (users, groups, licences) with Reports Reader (usage reports) and Exchange\'s View-Only Organization Management; support tickets: Service Support Administrator; users and licences: User Administrator or License Administrator' },
    { role: 'Global Reader', instead: 'reading users, groups and licences: Directory Readers; usage reports: Reports Reader; Exchange objects: the Exchange role group View-Only Organization Management (none of them privileged). An app registration may hold Global Reader without a password to steal' },
    { role: 'Helpdesk Administrator', instead: 'service health and support tickets: Service Support Administrator (not privileged)' },
    { role: 'Password Administrator', instead: 'service health and support tickets: Service Support Administrator; an integration rarely needs to reset passwords' },
    { role: 'User Administrator', instead: 'licences only: License Administrator; reading users: Directory Readers' },
    { role: 'Security Administrator', instead: 'reading security reports: Security Reader; reading the directory: Directory Readers' },
    { role: 'Security Reader', instead: 'reading the directory: Directory Readers; usage reports: Reports Reader' },
    { role: 'Application Administrator', instead: 'Cloud Application Administrator (the same without Application Proxy); an integration that only signs in needs no role: use an app registration' },
    { role: 'Cloud Application Administrator', instead: 'an integration that only signs in needs no role: use an app registration with the permissions it needs' },
    { role: 'Privileged Role Administrator', instead: 'no smaller built-in role assigns roles; give the integration the roles it needs directly instead' },
    { role: 'Directory Writers', instead: 'reading: Directory Readers; users: User Administrator' },
    { role: 'Intune Administrator', instead: 'reading devices: Global Reader or Directory Readers' },
    { role: 'Cloud Device Administrator', instead: 'reading devices: Directory Readers' },
];

const byName = new Map(advice.map(a => [a.role.toLowerCase(), a]));

/** The advice for a privileged role, or a general pointer to Microsoft's table when there is no usual smaller one. */
export function leastPrivilegedInstead(role: string): string {
    return byName.get(role.trim().toLowerCase())?.instead ?? 'see "Least privileged roles by task" in the Entra documentation for the smallest role that does the job';
}

/** The warning for a user account given a privileged role, in the admin's words. */
export function privilegedRoleWarning(account: string, role: string): string {
    return `${account} is a user account with a password, and ${role} is a role Microsoft marks privileged (it reaches credentials, security settings or other admins' access). The least-privileged role for the job: ${leastPrivilegedInstead(role)}.`;
}
