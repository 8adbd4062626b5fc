import type { AppCredentialWant, AppDirectoryRoleWant, AppPermissionWant, AppRegistrationWant, MailboxAccessWant } from '../../steps/applicationWants';
import type { KindScript } from './scriptKind';

/**
 * The application kinds as PowerShell (issue 17). Until their writers land, an application entry cannot be exported:
 * saying so is better than a script that silently leaves the app out. No recipe entry of these kinds exists yet.
 */
function notYet<W>(): KindScript<W & { ensure?: 'present' | 'absent' }> {
    const refuse = (): string[] => { throw new Error('Exporting app registrations as PowerShell is not available yet: apply the recipe from VS Code or the command line.'); };
    return { present: refuse, absent: refuse };
}

export const appRegistrationScript = notYet<AppRegistrationWant>();
export const appCredentialScript = notYet<AppCredentialWant>();
export const appPermissionScript = notYet<AppPermissionWant>();
export const appDirectoryRoleScript = notYet<AppDirectoryRoleWant>();
export const mailboxAccessScript = notYet<MailboxAccessWant>();
