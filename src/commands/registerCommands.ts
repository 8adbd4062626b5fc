import type * as vscode from 'vscode';
import { CommandIds, type CommandId } from '../constants';
import type { CommandServices } from '../platform/commandServices';
import { registerCommand, type CommandHandler } from '../platform/runAction';
import { signIn } from './accounts/signIn';
import { signOut } from './accounts/signOut';
import { switchAccount } from './accounts/switchAccount';
import { addAppCredentialCommand, copyAppIdCommand, removeAppCredentialCommand } from './applications/applicationCredentials';
import { registerOwnAppCommand, registerOwnAppOnlyCommand } from './applications/registerOwnApp';
import { copyId, copyUpn } from './directory/copy';
import { clearFilter, filterFolder } from './directory/filter';
import { loadMore, retryLoad } from './directory/loadMore';
import { openInAdminCentre } from './directory/openInAdminCentre';
import { refreshDirectory } from './shared/refreshDirectory';
import { showDetails } from './directory/showDetails';
import { grantCalendarAccessCommand, revokeCalendarAccessCommand } from './provisioning/calendarCommands';
import { assignLicenceCommand, removeLicenceCommand } from './provisioning/licenceCommands';
import { addMailGroupMemberCommand, createMailGroupCommand, removeMailGroupMemberCommand } from './provisioning/mailGroupCommands';
import { assignRoleCommand, removeRoleCommand } from './provisioning/roleCommands';
import { addToRoleGroupCommand, removeFromRoleGroupCommand } from './provisioning/roleGroupCommands';
import { createServiceAccountCommand, resetPasswordCommand } from './provisioning/serviceAccountCommands';
import { offboardServiceAccountCommand } from './provisioning/offboardCommand';
import { showAuditLog } from './provisioning/showAuditLog';
import { applyRecipeCommand } from './recipes/applyRecipe';
import { exportRecipeCommand, exportRecipeUntitledCommand } from './recipes/exportRecipe';
import { planAllTenantsCommand } from './recipes/planAllTenants';
import { planRecipeCommand } from './recipes/planRecipe';
import { revealRecipePasswordCommand } from './recipes/revealPassword';
import { setUpServiceAccountCommand } from './recipes/setUpServiceAccount';
import { verifyRecipeCommand } from './recipes/verifyRecipe';
import { openSettings } from './openSettings';
import { showLog } from './showLog';

/** The one table of commands: id → handler. Each handler lives in its own file. */
const commands: Record<CommandId, CommandHandler> = {
    [CommandIds.showLog]: showLog,
    [CommandIds.openSettings]: openSettings,
    [CommandIds.signIn]: signIn,
    [CommandIds.switchAccount]: switchAccount,
    [CommandIds.signOut]: signOut,
    [CommandIds.directoryRefresh]: refreshDirectory,
    [CommandIds.directoryFilter]: filterFolder,
    [CommandIds.directoryClearFilter]: clearFilter,
    [CommandIds.directoryLoadMore]: loadMore,
    [CommandIds.directoryRetry]: retryLoad,
    [CommandIds.showDetails]: showDetails,
    [CommandIds.copyId]: copyId,
    [CommandIds.copyUpn]: copyUpn,
    [CommandIds.openInAdminCentre]: openInAdminCentre,
    [CommandIds.createServiceAccount]: createServiceAccountCommand,
    [CommandIds.resetPassword]: resetPasswordCommand,
    [CommandIds.offboardServiceAccount]: offboardServiceAccountCommand,
    [CommandIds.assignRole]: assignRoleCommand,
    [CommandIds.removeRole]: removeRoleCommand,
    [CommandIds.addToRoleGroup]: addToRoleGroupCommand,
    [CommandIds.removeFromRoleGroup]: removeFromRoleGroupCommand,
    [CommandIds.assignLicence]: assignLicenceCommand,
    [CommandIds.removeLicence]: removeLicenceCommand,
    [CommandIds.createMailGroup]: createMailGroupCommand,
    [CommandIds.addMailGroupMember]: addMailGroupMemberCommand,
    [CommandIds.removeMailGroupMember]: removeMailGroupMemberCommand,
    [CommandIds.grantCalendarAccess]: grantCalendarAccessCommand,
    [CommandIds.revokeCalendarAccess]: revokeCalendarAccessCommand,
    [CommandIds.showAuditLog]: showAuditLog,
    [CommandIds.setUpServiceAccount]: setUpServiceAccountCommand,
    [CommandIds.planRecipe]: planRecipeCommand,
    [CommandIds.planRecipeAllTenants]: planAllTenantsCommand,
    [CommandIds.applyRecipe]: applyRecipeCommand,
    [CommandIds.verifyRecipe]: verifyRecipeCommand,
    [CommandIds.exportRecipe]: exportRecipeCommand,
    [CommandIds.exportRecipeUntitled]: exportRecipeUntitledCommand,
    [CommandIds.revealRecipePassword]: revealRecipePasswordCommand,
    [CommandIds.addAppCredential]: addAppCredentialCommand,
    [CommandIds.removeAppCredential]: removeAppCredentialCommand,
    [CommandIds.copyAppId]: copyAppIdCommand,
    [CommandIds.registerOwnApp]: registerOwnAppCommand,
    [CommandIds.registerOwnAppOnly]: registerOwnAppOnlyCommand,
};

/** Registers the table; each handler gets the services it names in its type (the full set satisfies every one). */
export function registerCommands(services: CommandServices): vscode.Disposable[] {
    return Object.entries(commands).map(([id, handler]) => registerCommand(services, id as CommandId, handler));
}
