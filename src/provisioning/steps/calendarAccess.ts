import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import type { RecipientSummary } from '../../exchange/cmdlets';
import { countOutcomes, runCalendarGrant, type CalendarAccessRight, type CalendarGrantRequest } from '../calendar/calendarGrants';
import { ProvisioningInputError } from '../errors';
import { isAbsent, type Ensure, type Step, type WriteContext, type Written } from './contract';
import { waitForExchangeToSee } from './roleGroups';

/** Access for a grantee to the calendar of every member of a group (nested groups included). */
export interface CalendarAccessWant {
    /** Display name or object id of the group whose members' calendars are shared. */
    membersOf: string;
    /** Address of the user or mail-enabled security group that gets the access. */
    grantee: string;
    accessRight: CalendarAccessRight;
    /** 'absent': the grantee's access is revoked on every member's calendar (offboarding). */
    ensure?: Ensure;
    /** With 'absent': the calendars of every mailbox OUTSIDE the group instead ("exact": access the recipe does not give). */
    outsideGroup?: boolean;
}

export interface CalendarAccessHave {
    group: MicrosoftGraph.Group;
    /** The grantee as Exchange knows it, or 'expected' when the recipe makes it. */
    grantee: RecipientSummary | 'expected';
    users: number;
    withMail: number;
}

/** The calendar engine's request for this step: the group the plan found (not looked up again). */
export function calendarRequestFor(want: CalendarAccessWant, have: CalendarAccessHave, mode: CalendarGrantRequest['mode'] = 'grant'): CalendarGrantRequest {
    const name = have.group.displayName ?? want.membersOf.trim();
    const outside = want.outsideGroup === true && mode === 'revoke';
    return { mode, groupId: have.group.id ?? '', groupName: outside ? `the mailboxes outside ${name}` : name, grantee: want.grantee.trim(), accessRight: want.accessRight, ...(outside ? { outsideGroup: true } : {}) };
}

/**
 * Calendar delegation on every mailbox of a group. Planning counts the members and reads no calendar (a group of
 * 100,000 plans in seconds); each calendar is read and, where needed, changed by the calendar engine when applying,
 * and read without a write when verifying.
 */
export const calendarAccessStep: Step<CalendarAccessWant, CalendarAccessHave> = {
    kind: 'grantCalendarAccess',
    label: 'Grant calendar access',
    writeScopes: [],
    target: want => (want.outsideGroup ? `${want.grantee.trim()} → calendars outside ${want.membersOf.trim()}` : `${want.grantee.trim()} → calendars of ${want.membersOf.trim()} (${want.accessRight})`),
    async read(reads, want) {
        let group: MicrosoftGraph.Group;
        try {
            group = await reads.group(want.membersOf);
        } catch (error) {
            if (error instanceof ProvisioningInputError) throw new ProvisioningInputError(error.message, 'group', '/membersOf');
            throw error;
        }
        const found = await reads.recipient(want.grantee);
        if (!found && isAbsent(want)) return { group, grantee: 'expected', users: 0, withMail: 0 };
        if (!found && !reads.expected(want.grantee)) {
            throw new ProvisioningInputError(`Exchange has no recipient "${want.grantee.trim()}", and this recipe does not create it. Check the spelling, and give the address of a user with a mailbox or of a mail-enabled security group.`, 'grantee', '/grantee');
        }
        const { users, withMail } = await reads.transitiveUsers(group.id ?? '');
        return { group, grantee: found ?? 'expected', users, withMail };
    },
    compare(want, have) {
        const label = have.group.displayName ?? want.membersOf.trim();
        const count = have.users;
        // Members with a mail address: the mailboxes the engine reads (the others have none, and are skipped).
        const mailboxes = `${have.withMail} mailbox${have.withMail === 1 ? '' : 'es'} in ${label}`;
        if (isAbsent(want)) {
            if (have.grantee === 'expected') return { status: 'done', count: 0, detail: `${want.grantee.trim()} is not in the organisation, so it has no calendar access to revoke.` };
            // Outside the group: which calendar gives the grantee access is known only by reading each, at apply (or verify).
            if (want.outsideGroup) return { status: 'remove', touches: `revoke ${want.grantee.trim()} on every mailbox outside ${label}`, detail: `Revoke ${want.grantee.trim()}'s access on any calendar outside ${label} (every mailbox outside it is read at apply; only those with an entry are changed).` };
            if (have.withMail === 0) return { status: 'done', count, detail: `None of the ${count} members of ${label} has a mailbox: no calendar access to revoke.` };
            return { status: 'remove', count, touches: `revoke ${want.grantee.trim()} on ${mailboxes}`, detail: `Revoke ${want.grantee.trim()}'s access on the calendars of ${count} members (each read at apply; only those with an entry are changed). Revoked first: Exchange keeps a deleted grantee's entries as unresolved orphans.` };
        }
        // Nothing to share is not a change: saying "change" for it would have Apply and Verify report work that never
        // happens. The step is in place as far as it can be, and says why, so a wrong group name is noticed.
        if (count === 0) return { status: 'done', count, detail: `${label} has no members (nested groups included), so no calendar will be shared. Add the people whose calendars are to be shared to ${label}, or name another group in membersOf.` };
        if (have.withMail === 0) return { status: 'done', count, detail: `None of the ${count} members of ${label} has a mailbox, so no calendar will be shared. Give them Exchange Online licences, or name another group in membersOf.` };
        if (have.grantee === 'expected') return { status: 'create', count, touches: `${want.grantee.trim()} gets ${want.accessRight} on ${mailboxes}`, detail: `${count} members; none has it yet (the grantee is created by this recipe).` };
        return { status: 'change', count, touches: `${want.grantee.trim()} gets ${want.accessRight} on ${mailboxes}`, detail: `${count} members; to check per mailbox at apply.` };
    },
    write: (ctx, want, have) => runCalendarStep(ctx, want, have, 'grant'),
    remove: (ctx, want, have) => runCalendarStep(ctx, want, have, 'revoke'),
};

/** The engine over every member's calendar: granting (write) or revoking (remove). */
async function runCalendarStep(ctx: WriteContext, want: CalendarAccessWant, have: CalendarAccessHave, mode: CalendarGrantRequest['mode']): Promise<Written> {
    const request = calendarRequestFor(want, have, mode);
    // A grantee account this apply made may not have reached Exchange yet (a group made in Exchange has).
    if (mode === 'grant' && have.grantee === 'expected' && ctx.newAccounts.has(request.grantee.toLowerCase())) await waitForExchangeToSee(ctx.exchange, request.grantee, { ...(ctx.signal ? { signal: ctx.signal } : {}), ...ctx.replication });
    const result = await runCalendarGrant(ctx, request, {
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        ...ctx.calendar,
        onProgress: p => ctx.onProgress?.(`Calendars of ${request.groupName}: ${p.finished} of ${p.total} mailboxes`),
    });
    const counts = countOutcomes(result.outcomes);
    const detail = Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ') || 'no members';
    // A cancelled grant leaves its own journal; the step is not finished.
    if (result.cancelled) return { outcome: 'notRun', detail: `Cancelled part-way: ${detail}.`, mailboxes: counts };
    await ctx.calendar?.journal?.clear?.();
    if (counts.failed) throw new Error(`${counts.failed} of ${result.outcomes.length} calendars could not be changed (${detail}); run Apply again to retry them, or see the calendar report.`);
    if (mode === 'revoke') return { outcome: counts.revoked ? 'removed' : 'alreadyInPlace', detail: `${detail}.`, mailboxes: counts };
    const changed = (counts.granted ?? 0) + (counts.changed ?? 0);
    return { outcome: changed ? 'changed' : 'alreadyInPlace', detail: `${detail}.`, mailboxes: counts };
}
