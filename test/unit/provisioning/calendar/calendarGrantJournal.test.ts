import * as assert from 'node:assert/strict';
import { calendarGrantRequestKey, keptCalendarGrantJournal, type CalendarGrantRequest, type JournalStore, type MailboxOutcome } from '../../../../src/provisioning/calendar';
import { JournalWriter } from '../../../../src/provisioning/calendar/calendarGrantJournal';
import { recordingLogger } from '../../graph/clientFixture';

function store(): JournalStore & { values: Map<string, unknown> } {
    const values = new Map<string, unknown>();
    return {
        values,
        get: <T>(key: string) => values.get(key) as T | undefined,
        update: (key, value) => {
            if (value === undefined) values.delete(key);
            else values.set(key, structuredClone(value));
            return Promise.resolve();
        },
    };
}

const outcome = (userId: string): MailboxOutcome => ({ userId, userPrincipalName: `${userId}@contoso.com`, displayName: userId, outcome: 'granted' });
const grant: CalendarGrantRequest = { mode: 'grant', groupId: 'g-staff', groupName: 'Staff', grantee: 'SA-MyTT@contoso.com', accessRight: 'Editor' };

describe('the calendar grant journal', () => {
    it('keeps final outcomes under its key across instances, in order, and clear removes the key', async () => {
        const kept = store();
        const journal = keptCalendarGrantJournal(kept, 'k');
        await journal.append([outcome('a')]);
        await journal.append([outcome('b'), outcome('c')]);
        assert.deepEqual((await keptCalendarGrantJournal(kept, 'k').load()).map(o => o.userId), ['a', 'b', 'c']);
        await journal.clear();
        assert.deepEqual([...kept.values.keys()], []);
        assert.deepEqual(await journal.load(), []);
    });

    it('tells requests apart by mode, group, grantee (any case) and right, as the menu commands\' keys always did', () => {
        // The key part the Grant/Revoke commands stored their journals under: a journal an earlier version left resumes.
        assert.equal(calendarGrantRequestKey(grant), 'grant.g-staff.sa-mytt@contoso.com.Editor');
        assert.equal(calendarGrantRequestKey({ ...grant, grantee: 'sa-mytt@CONTOSO.com' }), calendarGrantRequestKey(grant));
        assert.equal(calendarGrantRequestKey({ ...grant, mode: 'revoke' }), 'revoke.g-staff.sa-mytt@contoso.com.');
        assert.notEqual(calendarGrantRequestKey({ ...grant, accessRight: 'Reviewer' }), calendarGrantRequestKey(grant));
    });

    it('the run\'s writer writes what it recorded on flush, in order, and logs a failed write instead of failing the run', async () => {
        const written: string[][] = [];
        let refuse = true;
        const logger = recordingLogger();
        const writer = new JournalWriter({ load: () => Promise.resolve([]), append: o => (refuse ? Promise.reject(new Error('disk full')) : (written.push(o.map(x => x.userId)), Promise.resolve())) }, logger);
        writer.record(outcome('a'));
        writer.flush();
        await writer.settled();
        assert.ok(logger.lines.some(l => /could not write the journal: disk full/.test(l)));
        refuse = false;
        writer.record(outcome('b'));
        writer.record(outcome('c'));
        writer.flush();
        writer.flush();
        await writer.settled();
        assert.deepEqual(written, [['b', 'c']], 'one write per flush with something in it');
    });
});
