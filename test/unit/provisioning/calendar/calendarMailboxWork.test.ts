import * as assert from 'node:assert/strict';
import type { BatchCommand, BatchCommandResult } from '../../../../src/exchange/exchangeBatch';
import { ExchangeCommandError } from '../../../../src/exchange/ExchangeCommandError';
import type { CalendarGrantRequest, MailboxOutcome } from '../../../../src/provisioning/calendar';
import { MailboxWork } from '../../../../src/provisioning/calendar/calendarMailboxWork';

// The per-mailbox decisions without a tenant: each test answers the cmdlets one mailbox is sent, and reads which
// cmdlets were needed and the outcome (the sandbox tests, calendarGrants.test.ts, run the same against Exchange's answers).

const grant: CalendarGrantRequest = { mode: 'grant', groupId: 'g', groupName: 'Staff', grantee: 'sa@contoso.com', accessRight: 'Editor' };
const grantee = { identity: 'sa@contoso.com', id: 'u-sa' };
const member = (name: string) => ({ userId: `u-${name}`, userPrincipalName: `${name}@contoso.com`, displayName: name });
const ok = (value: unknown[]): BatchCommandResult<unknown> => ({ ok: true, value, warnings: [], requestId: 'r-ok' });
const failed = (status: number, message: string, exceptionType = ''): BatchCommandResult<unknown> => ({ ok: false, error: new ExchangeCommandError('x', status, message, exceptionType, 'r-err') });
const noEntry = () => failed(404, 'There is no existing permission entry found for user: sa.', 'UserNotFoundInPermissionEntryException');

/** Runs one mailbox to its outcome, answering each cmdlet with `answer`; returns the cmdlets sent and the outcome. */
function runMailbox(work: MailboxWork, outcomes: MailboxOutcome[], name: string, answer: (command: BatchCommand, sent: number) => BatchCommandResult<unknown>): { sent: string[]; outcome: MailboxOutcome } {
    const sent: string[] = [];
    const task = work.begin(member(name));
    assert.ok(task);
    let next = [task];
    while (next.length) {
        const [current] = next;
        const command = work.command(current);
        sent.push(`${command.cmdlet} ${String(command.parameters.Identity)}`);
        work.handle(current, answer(command, sent.length));
        next = work.followUps.splice(0);
        assert.ok(sent.length < 20, 'the mailbox settles');
    }
    const outcome = outcomes.at(-1);
    assert.ok(outcome && outcome.userId === `u-${name}`);
    return { sent, outcome };
}

describe('MailboxWork (one mailbox\'s cmdlets in a calendar grant)', () => {
    it('reads first, adds where the grantee has no entry, and adds first once mailboxes show no entries', () => {
        const outcomes: MailboxOutcome[] = [];
        const work = new MailboxWork(grant, false, grantee, o => outcomes.push(o));
        const first = runMailbox(work, outcomes, 'anna', c => (c.cmdlet === 'Get-MailboxFolderPermission' ? noEntry() : ok([])));
        assert.deepEqual(first.sent, ['Get-MailboxFolderPermission anna@contoso.com:\\Calendar', 'Add-MailboxFolderPermission anna@contoso.com:\\Calendar']);
        assert.equal(first.outcome.outcome, 'granted');
        const second = runMailbox(work, outcomes, 'ben', () => ok([]));
        assert.deepEqual(second.sent, ['Add-MailboxFolderPermission ben@contoso.com:\\Calendar'], 'one cmdlet for a first grant');
    });

    it('an Add whose answer never came is read back: found in place, the mailbox was granted (not "already in place")', () => {
        const outcomes: MailboxOutcome[] = [];
        const work = new MailboxWork(grant, false, grantee, o => outcomes.push(o));
        runMailbox(work, outcomes, 'anna', c => (c.cmdlet === 'Get-MailboxFolderPermission' ? noEntry() : ok([])));
        const lost = runMailbox(work, outcomes, 'ben', (_command, n) => (n === 1 ? failed(0, 'no answer') : ok([{ AccessRights: ['Editor'] }])));
        assert.deepEqual(lost.sent.map(s => s.split(' ')[0]), ['Add-MailboxFolderPermission', 'Get-MailboxFolderPermission']);
        assert.equal(lost.outcome.outcome, 'granted');
    });

    it('finds a localised calendar\'s name once, then works on it', () => {
        const outcomes: MailboxOutcome[] = [];
        const work = new MailboxWork(grant, false, grantee, o => outcomes.push(o));
        const result = runMailbox(work, outcomes, 'karl', c => {
            if (c.cmdlet === 'Get-MailboxFolderStatistics') return ok([{ Name: 'Kalender', FolderType: 'Calendar' }]);
            if (c.parameters.Identity === 'karl@contoso.com:\\Calendar') return failed(404, 'The operation couldn\'t be performed because \'karl@contoso.com:\\Calendar\' couldn\'t be found.', 'ManagementObjectNotFoundException');
            return c.cmdlet === 'Get-MailboxFolderPermission' ? ok([{ AccessRights: ['Editor'] }]) : ok([]);
        });
        assert.deepEqual(result.sent, ['Get-MailboxFolderPermission karl@contoso.com:\\Calendar', 'Get-MailboxFolderStatistics karl@contoso.com', 'Get-MailboxFolderPermission karl@contoso.com:\\Kalender']);
        assert.deepEqual([result.outcome.outcome, result.outcome.folder], ['alreadyInPlace', 'karl@contoso.com:\\Kalender']);
    });

    it('a read-only run reports a differing right with what is there, and sends no write', () => {
        const outcomes: MailboxOutcome[] = [];
        const work = new MailboxWork(grant, true, grantee, o => outcomes.push(o));
        const result = runMailbox(work, outcomes, 'anna', () => ok([{ AccessRights: ['Reviewer'] }]));
        assert.deepEqual(result.sent.map(s => s.split(' ')[0]), ['Get-MailboxFolderPermission']);
        assert.deepEqual([result.outcome.outcome, result.outcome.previousRights], ['differs', ['Reviewer']]);
    });

    it('settles the grantee\'s own mailbox and a member without a UPN without asking Exchange', () => {
        const outcomes: MailboxOutcome[] = [];
        const work = new MailboxWork(grant, false, grantee, o => outcomes.push(o));
        assert.equal(work.begin({ userId: 'u-sa', userPrincipalName: 'sa@contoso.com', displayName: 'SA' }), undefined);
        assert.equal(work.begin({ userId: 'u-x', userPrincipalName: '', displayName: 'X' }), undefined);
        assert.deepEqual(outcomes.map(o => [o.outcome, o.reason]), [['skipped', 'the grantee itself'], ['skipped', 'no user principal name']]);
    });
});
