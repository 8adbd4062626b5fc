import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import { inScope, newAppRoleAssignment, newExchangeServicePrincipal, newManagementScope, removeExchangeServicePrincipal, removeManagementRoleAssignment, removeManagementScope, roleAssignmentsOf, testServicePrincipalAuthorization, type ExchangeServicePrincipal, type ManagementRoleAssignment, type ManagementScope } from '../../exchange/applicationAccess';
import { getRecipient, listDistributionGroupMembers, type RecipientSummary } from '../../exchange/cmdlets';
import type { ExchangeAdminClient } from '../../exchange/ExchangeAdminClient';
import { ExchangeCommandError } from '../../exchange/ExchangeCommandError';
import { exchangePages } from '../../exchange/exchangePages';
import { ProvisioningInputError } from '../errors';
import { appAtWrite, applicationNamed, type AppFound } from './applicationLookup';
import type { MailboxAccessWant } from './applicationWants';
import { isAbsent, type Step, type WriteContext } from './contract';
import { waitForReplication } from './replication';

/** A group as Get-Recipient shows it: its DistinguishedName is what a MemberOfGroup filter compares with. */
type GroupRecipient = RecipientSummary;

export interface MailboxAccessHave extends AppFound {
    /** The group Exchange knows (undefined: made by this recipe, not there yet). */
    group?: GroupRecipient;
    /** Exchange's pointer to the app's service principal. */
    pointer?: ExchangeServicePrincipal;
    /** The scope this step makes (by its name), if there. */
    scope?: ManagementScope;
    /** The pointer's role assignments (all of them: removing the pointer waits until none is left). */
    assignments: ManagementRoleAssignment[];
    /** The assignment this step makes: its role, with its scope. */
    assignment?: ManagementRoleAssignment;
    /** The app holds the same permission tenant-wide in Entra (admin consent): the scope would limit nothing. */
    tenantWide?: MicrosoftGraph.AppRoleAssignment;
    /** Members of the group that are groups themselves: the scope does not reach their members. */
    nestedGroups?: string[];
}

const o = (ctx: WriteContext) => (ctx.signal ? { signal: ctx.signal } : {});
const same = (a: string | null | undefined, b: string) => (a ?? '').toLowerCase() === b.toLowerCase();

/** The Graph permission an "Application …" role grants ("Application Calendars.ReadWrite" → Calendars.ReadWrite; app-rbac's role table). */
export const permissionOfRole = (role: string): string => role.trim().replace(/^Application\s+/i, '');

/** The scope's name: one per app and group, in the admin's words. */
export const scopeNameFor = (want: MailboxAccessWant): string => `${want.application.trim()} — members of ${want.membersOf.trim()}`;
const assignmentNameFor = (want: MailboxAccessWant): string => `${want.application.trim()} — ${want.role.trim()} — ${want.membersOf.trim()}`;

/** An OPATH string in single quotes: a quote inside is doubled. */
const filterFor = (distinguishedName: string): string => `MemberOfGroup -eq '${distinguishedName.replace(/'/g, "''")}'`;

const notFound = (e: unknown) => e instanceof ExchangeCommandError && e.isNotFound;
const alreadyThere = (e: unknown) => e instanceof ExchangeCommandError && /already exists/i.test(e.message);

/**
 * Mailbox access limited to a group's members with Exchange RBAC for Applications (MicrosoftDocs/OfficeDocs-Exchange
 * `Exchange/ExchangeOnline/permissions-exo/application-rbac.md`): Exchange's pointer to the app's service principal
 * (New-ServicePrincipal -AppId -ObjectId), a management scope `MemberOfGroup -eq '<group DN>'` (New-ManagementScope;
 * the group's distinguished name as Get-Recipient shows it: filter-properties.md), and the "Application …" role
 * assigned with that scope (New-ManagementRoleAssignment -App -Role -CustomResourceScope).
 *
 * Blocked when the app also holds the same Microsoft Graph permission tenant-wide: "An app can have both Microsoft
 * Entra consented permissions and RBAC assignments" and the two add up (app-rbac), so the scope would limit nothing.
 * Exchange follows direct members only: a member that is itself a group does not bring its members in (A61).
 */
export const mailboxAccessStep: Step<MailboxAccessWant, MailboxAccessHave> = {
    kind: 'scopeMailboxAccess',
    label: 'Limit mailbox access',
    writeScopes: [],
    target: want => `${want.application.trim()} → ${want.role.trim()} on members of ${want.membersOf.trim()}`,
    async read(reads, want) {
        const found = await applicationNamed(reads, want.application);
        const group = await reads.recipient(want.membersOf);
        if (!isAbsent(want)) {
            if (!group && !reads.expected(want.membersOf)) {
                // Exchange lists mail-enabled groups as recipients; a security group that is not mail-enabled has no
                // distinguished name Exchange shows, so no scope can name it.
                throw new ProvisioningInputError(`Exchange knows no mail-enabled group "${want.membersOf.trim()}". A management scope names the group by its distinguished name, which Exchange shows for mail-enabled groups: give a mail-enabled security group (the recipient's "mailEnabledGroups" can make one) whose direct members are the mailboxes the app may use.`, 'group', '/membersOf');
            }
            if (group && !group.DistinguishedName) throw new ProvisioningInputError(`"${want.membersOf.trim()}" is not a group in Exchange (${group.RecipientTypeDetails}). Give the mail-enabled security group whose members' mailboxes the app may use.`, 'group', '/membersOf');
        }
        const appId = found.application?.appId;
        const pointer = appId ? await reads.exchangeServicePrincipal(appId) : undefined;
        const scopeName = scopeNameFor(want);
        const scope = (await reads.managementScopes()).find(s => same(s.Name, scopeName));
        const assignments = pointer ? await reads.exchangeRoleAssignments(pointer.Identity) : [];
        const assignment = assignments.find(a => same(a.Role, want.role.trim()) && same(a.CustomResourceScope, scopeName));
        let tenantWide: MicrosoftGraph.AppRoleAssignment | undefined;
        if (found.servicePrincipal?.id && !isAbsent(want)) {
            const graph = await reads.resourceServicePrincipal('Microsoft Graph');
            const role = (graph?.appRoles ?? []).find(r => r.value === permissionOfRole(want.role) && (r.allowedMemberTypes ?? []).includes('Application'));
            tenantWide = role?.id ? (await reads.appRoleAssignments(found.servicePrincipal.id)).find(a => a.resourceId === graph?.id && a.appRoleId === role.id) : undefined;
        }
        let nestedGroups: string[] | undefined;
        if (group && !isAbsent(want)) {
            try {
                nestedGroups = (await reads.distributionGroupMemberList(group.PrimarySmtpAddress || group.Identity)).filter(m => /Group/.test(m.RecipientTypeDetails)).map(m => m.DisplayName);
            } catch (error) {
                if (!notFound(error)) throw error; // a Microsoft 365 group lists its members elsewhere; no warning then
            }
        }
        return { ...found, ...(group ? { group } : {}), ...(pointer ? { pointer } : {}), ...(scope ? { scope } : {}), assignments, ...(assignment ? { assignment } : {}), ...(tenantWide ? { tenantWide } : {}), ...(nestedGroups?.length ? { nestedGroups } : {}) };
    },
    compare(want, have) {
        const name = want.application.trim();
        const role = want.role.trim();
        const group = want.membersOf.trim();
        if (isAbsent(want)) {
            const parts = [have.assignment ? `the role assignment ${have.assignment.Name}` : '', have.scope ? `the management scope ${have.scope.Name}` : '', have.pointer && have.assignments.every(a => a === have.assignment) ? `Exchange's service principal for ${name}` : ''].filter(Boolean);
            return parts.length ? { status: 'remove', detail: `Remove ${parts.join(', then ')}.` } : { status: 'done', detail: `${name} has no ${role} on members of ${group}.` };
        }
        if (have.tenantWide) {
            const permission = permissionOfRole(role);
            return { status: 'blocked', field: '/role', detail: `${name} also holds the Microsoft Graph application permission ${permission} for the whole tenant (admin consent in Entra). Entra consent and RBAC for Applications add up, so a scope of ${group} would limit nothing: the app reaches every mailbox. Remove ${permission} from the recipe's graphPermissions and revoke it in Entra (Enterprise applications → ${name} → Permissions), then plan again.` };
        }
        const filter = have.group?.DistinguishedName ? filterFor(have.group.DistinguishedName) : undefined;
        if (have.scope && filter && have.scope.RecipientRestrictionFilter !== filter) {
            return { status: 'blocked', field: '/membersOf', detail: `Exchange has a management scope "${have.scope.Name}" with another filter (${have.scope.RecipientRestrictionFilter}). Remove or rename it (Remove-ManagementScope), then plan again.` };
        }
        // Exchange's MemberOfGroup matches direct members only (A61): say so when the group nests others.
        const nested = have.nestedGroups?.length ? ` Note: ${have.nestedGroups.join(', ')} ${have.nestedGroups.length === 1 ? 'is a group' : 'are groups'} inside ${group}; the scope takes in direct members only, not theirs.` : '';
        if (have.assignment && have.scope) return { status: 'done', detail: `${name} has ${role} on the mailboxes of ${group}'s members only (scope ${have.scope.Name}).${nested}` };
        const todo = [have.pointer ? '' : `tell Exchange about ${name}'s service principal`, have.scope ? '' : `make the management scope "${scopeNameFor(want)}" (direct members of ${group})`, `assign ${role} with that scope`].filter(Boolean);
        return { status: have.pointer || have.scope ? 'change' : 'create', detail: `${todo.join(', ')}: the app may use those mailboxes and no other.${nested}` };
    },
    async write(ctx, want, have) {
        const role = want.role.trim();
        const scopeName = scopeNameFor(want);
        if (have.assignment && have.scope) return { outcome: 'alreadyInPlace', detail: `${role} on members of ${want.membersOf.trim()}.` };
        const app = await appAtWrite(ctx, want.application, have);
        const made: string[] = [];
        let pointer = have.pointer?.Identity;
        if (!pointer) {
            try {
                pointer = (await newExchangeServicePrincipal(ctx.exchange, app.appId, app.servicePrincipalId, app.displayName, o(ctx)))?.Identity ?? app.appId;
                made.push('service principal known to Exchange');
            } catch (error) {
                if (!alreadyThere(error)) throw error;
                pointer = app.appId;
            }
        }
        if (!have.scope) {
            // A group this recipe made may reach Exchange a little after Entra: wait for it.
            const group = have.group?.DistinguishedName ? have.group : await waitForReplication(() => getRecipient(ctx.exchange, want.membersOf.trim(), o(ctx)), notFound, { what: 'Exchange to see the group', ...o(ctx), ...ctx.replication });
            if (!group?.DistinguishedName) throw new Error(`Exchange shows no distinguished name for ${want.membersOf.trim()}: it is not a mail-enabled group.`);
            try {
                await newManagementScope(ctx.exchange, scopeName, filterFor(group.DistinguishedName), o(ctx));
                made.push(`management scope "${scopeName}"`);
            } catch (error) {
                if (!alreadyThere(error)) throw error;
            }
        }
        try {
            await newAppRoleAssignment(ctx.exchange, pointer, role, scopeName, assignmentNameFor(want), o(ctx));
            made.push(`${role} assigned with that scope`);
        } catch (error) {
            if (!alreadyThere(error)) throw error;
        }
        return made.length ? { outcome: 'created', detail: `${made.join('; ')}: ${want.application.trim()} may use the mailboxes of ${want.membersOf.trim()}'s direct members only.` } : { outcome: 'alreadyInPlace', detail: `${role} on members of ${want.membersOf.trim()}.` };
    },
    async remove(ctx, want, have) {
        const removed: string[] = [];
        if (have.assignment) {
            await removeManagementRoleAssignment(ctx.exchange, have.assignment.Identity, o(ctx)).catch((e: unknown) => { if (!notFound(e)) throw e; });
            removed.push(`role assignment ${have.assignment.Name}`);
        }
        if (have.scope) {
            try {
                await removeManagementScope(ctx.exchange, have.scope.Identity, o(ctx));
                removed.push(`scope ${have.scope.Name}`);
            } catch (error) {
                // Still used by another assignment (someone else's): left in place, said so.
                if (!notFound(error)) removed.push(`scope ${have.scope.Name} kept (${error instanceof Error ? error.message : String(error)})`);
            }
        }
        if (have.pointer) {
            // Read now, not at plan: another mailbox-access step of this apply may have removed the last other assignment.
            const left = await roleAssignmentsOf(ctx.exchange, have.pointer.Identity, o(ctx)).catch((e: unknown) => { if (notFound(e)) return undefined; throw e; });
            if (left && !left.length) {
                await removeExchangeServicePrincipal(ctx.exchange, have.pointer.Identity, o(ctx)).catch((e: unknown) => { if (!notFound(e)) throw e; });
                removed.push(`Exchange's service principal for ${want.application.trim()}`);
            }
        }
        return { outcome: removed.length ? 'removed' : 'alreadyInPlace', detail: removed.length ? `Removed ${removed.join(', ')}.` : 'Nothing left to remove.' };
    },
};

/**
 * Whether the scope really holds, as Test-ServicePrincipalAuthorization shows it (its documented use in app-rbac): for
 * one member of the group the assignment must be InScope, for one mailbox outside the group it must not.
 */
export async function checkMailboxScope(exo: ExchangeAdminClient, want: MailboxAccessWant, have: MailboxAccessHave, o: { signal?: AbortSignal } = {}): Promise<{ inSync: boolean; detail: string }> {
    const appId = have.application?.appId;
    const group = have.group;
    if (!appId || !group) return { inSync: false, detail: 'The app or the group is not there to check.' };
    const members = await listDistributionGroupMembers(exo, group.PrimarySmtpAddress || group.Identity, o);
    const ids = new Set(members.map(m => m.ExternalDirectoryObjectId));
    const member = members.find(m => m.RecipientTypeDetails === 'UserMailbox');
    const outsider = (await exchangePages(exo).mailboxes(o)).items.find(m => m.RecipientTypeDetails === 'UserMailbox' && !ids.has(m.ExternalDirectoryObjectId));
    const scopeName = scopeNameFor(want);
    const covered = async (mailbox: string) => (await testServicePrincipalAuthorization(exo, appId, mailbox, o)).some(r => same(r.RoleName, want.role.trim()) && inScope(r));
    const problems: string[] = [];
    const seen: string[] = [];
    if (member) {
        if (await covered(member.PrimarySmtpAddress)) seen.push(`${member.PrimarySmtpAddress} (member) in scope`);
        else problems.push(`${member.PrimarySmtpAddress}, a member, is not in scope`);
    }
    if (outsider) {
        if (await covered(outsider.PrimarySmtpAddress)) problems.push(`${outsider.PrimarySmtpAddress}, not a member, is in scope: something else grants ${want.role.trim()} beyond the group`);
        else seen.push(`${outsider.PrimarySmtpAddress} (not a member) outside it`);
    }
    if (problems.length) return { inSync: false, detail: `Test-ServicePrincipalAuthorization: ${problems.join('; ')} (scope ${scopeName}).` };
    return { inSync: true, detail: `Test-ServicePrincipalAuthorization: ${seen.join(', ') || 'no mailbox to test'} (scope ${scopeName}).` };
}
