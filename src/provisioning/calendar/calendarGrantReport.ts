import type { CalendarGrantSummary, MailboxOutcomeKind } from './calendarGrantTypes';

const meaning: Record<MailboxOutcomeKind, [string, string]> = {
    granted: ['Granted', 'the grantee had no entry on the calendar; one was added'],
    changed: ['Changed', 'the grantee had other rights; they were set (previous rights below)'],
    alreadyInPlace: ['Already in place', 'the grantee already had exactly these rights; nothing was sent'],
    revoked: ['Removed', 'the grantee\'s entry was removed'],
    notPresent: ['Not present', 'the grantee had no entry; nothing was sent'],
    differs: ['Differs', 'checked only: the grantee\'s rights are not as requested (current rights below); nothing was sent'],
    skipped: ['Skipped', 'not changed, for the reason listed below'],
    failed: ['Failed', 'Exchange refused or kept failing; reasons and request ids below'],
};
const order: MailboxOutcomeKind[] = ['granted', 'changed', 'alreadyInPlace', 'revoked', 'notPresent', 'differs', 'skipped', 'failed'];
/** Rows listed per table before "and N more". */
const listLimit = 500;

/**
 * The run as a document: what was asked and done, counts per outcome, tables of skipped and failed mailboxes with
 * reasons and request ids, previous rights of changed ones, and for a cancelled run what was not done and how to resume.
 */
export function calendarGrantSummaryMarkdown(summary: CalendarGrantSummary): string {
    const r = summary.request;
    const grantee = summary.grantee ? `${summary.grantee.displayName} (${summary.grantee.identity})` : r.grantee;
    const counts = Object.fromEntries(order.map(k => [k, 0])) as Record<MailboxOutcomeKind, number>;
    for (const o of summary.outcomes) counts[o.outcome]++;
    const of = (kind: MailboxOutcomeKind) => summary.outcomes.filter(o => o.outcome === kind);
    const seconds = Math.max(0, (Date.parse(summary.finishedAt) - Date.parse(summary.startedAt)) / 1000);
    const lines: string[] = [];

    lines.push(r.mode === 'grant' ? `# Calendar access: ${r.accessRight} for ${cell(grantee)}` : `# Calendar access removed: ${cell(grantee)}`, '');
    lines.push(r.mode === 'grant'
        ? `**${r.accessRight}** for **${cell(grantee)}** on the calendar of every member of the group **${cell(r.groupName)}** (nested groups included).`
        : `**${cell(grantee)}** removed from the calendar of every member of the group **${cell(r.groupName)}** (nested groups included).`, '');
    lines.push('| | |', '| --- | --- |');
    lines.push(`| Status | ${summary.cancelled ? '**Cancelled** — not every member was done (see below)' : 'Finished'} |`);
    lines.push(`| Started | ${summary.startedAt} |`, `| Finished | ${summary.finishedAt} (${seconds.toFixed(1)} s) |`);
    lines.push(`| Members | ${summary.members ?? summary.outcomes.length}${summary.resumedFrom ? ` (${summary.resumedFrom} finished by an earlier run, carried over from the journal)` : ''} |`);
    lines.push(`| Requests | Microsoft Graph ${summary.requests.graph}, Exchange ${summary.requests.exchange} (\`$batch\`, up to 10 commands each; retries included) |`);
    lines.push(`| Throttled | ${summary.throttled} answers 429 (waited as asked; throttling never fails the job) |`, '');

    lines.push('## Outcomes', '', '| Outcome | Mailboxes | Meaning |', '| --- | ---: | --- |');
    for (const kind of order) if (counts[kind] || kind === 'failed' || kind === 'skipped') lines.push(`| ${meaning[kind][0]} | ${counts[kind]} | ${meaning[kind][1]} |`);
    lines.push('');

    const changed = [...of('changed'), ...of('revoked')].filter(o => o.previousRights?.length);
    if (changed.length) {
        lines.push(`## Previous rights (${changed.length})`, '', 'What the grantee had before this run changed or removed it; to undo, set these rights again.', '');
        table(lines, ['Member', 'UPN', 'Folder', 'Before', 'Now'], changed, o => [o.displayName, o.userPrincipalName, o.folder ?? '', (o.previousRights ?? []).join(', '), o.outcome === 'revoked' ? '(no entry)' : r.accessRight]);
    }
    const skipped = of('skipped');
    lines.push(`## Skipped (${skipped.length})`, '');
    if (skipped.length) {
        lines.push('Members whose calendar was not changed. "No mailbox": the user has no Exchange Online mailbox (unlicensed, or the licence has no Exchange plan); license the user and run the job again to include them.', '');
        table(lines, ['Member', 'UPN', 'Reason'], skipped, o => [o.displayName, o.userPrincipalName, o.reason ?? '']);
    } else lines.push('None.', '');
    const failed = of('failed');
    lines.push(`## Failed (${failed.length})`, '');
    if (failed.length) {
        lines.push('A failure stopped only its own mailbox; the job went on with the others. Run the job again to retry these: it reads first and changes only what is not yet in place. Give the request id to Microsoft support if a failure persists.', '');
        table(lines, ['Member', 'UPN', 'Reason', 'Request id'], failed, o => [o.displayName, o.userPrincipalName, o.reason ?? '', o.requestId ?? '']);
    } else lines.push('None.', '');

    if (summary.cancelled) {
        const notDone = summary.notDone ?? [];
        const unlisted = summary.unlisted ?? 0;
        lines.push(`## Not done (${notDone.length + unlisted})`, '');
        lines.push(`The run was cancelled, so these members' calendars were not ${r.mode === 'grant' ? 'checked or changed' : 'checked or cleaned'} (a command that was in flight at the cancel may or may not have been applied).`, '');
        if (notDone.length) table(lines, ['Member', 'UPN'], notDone, m => [m.displayName, m.userPrincipalName]);
        // Members are listed while the first mailboxes are worked on: a cancel can come before the last page.
        if (unlisted) lines.push(`${unlisted === 1 ? 'One more member' : `${unlisted} more members`} of the group had not been listed yet when the run was cancelled.`, '');
        lines.push('### How to resume', '');
        lines.push(`Run the same request again: the same group (${cell(r.groupName)}), grantee (${cell(r.grantee)})${r.mode === 'grant' ? ` and right (${r.accessRight})` : ''}. With this run's journal, the ${summary.outcomes.filter(o => o.outcome !== 'failed').length} mailboxes already finished are skipped; every other mailbox is read first and changed only where it still differs, so nothing is done twice (without the journal, the finished ones are read again and found in place).`, '');
    }
    return lines.join('\n');
}

function table<T>(lines: string[], headers: string[], rows: T[], cells: (row: T) => string[]): void {
    lines.push(`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`);
    for (const row of rows.slice(0, listLimit)) lines.push(`| ${cells(row).map(cell).join(' | ')} |`);
    if (rows.length > listLimit) lines.push('', `…and ${rows.length - listLimit} more.`);
    lines.push('');
}

/** Text safe inside a Markdown table cell. */
function cell(text: string): string {
    return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/([*_`[\]<>])/g, '\\$1');
}
