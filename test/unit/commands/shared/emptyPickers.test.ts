import * as assert from 'node:assert/strict';
import { emptyLists, emptySearch, userWithoutMailbox } from '../../../../src/commands/shared/emptyPickers';

describe('What an empty picker says', () => {
    it('a search that found nothing names the text and how to search or make the object', () => {
        const grantee = emptySearch('grantee', 'xyz');
        assert.equal(grantee.why, 'No mailbox or mail-enabled security group matches "xyz"');
        assert.match(grantee.whatToDo, /Create Mail-Enabled Security Group/);
        assert.equal(emptySearch('user', '').why, 'This organisation has no user you can see');
        for (const kind of ['user', 'group', 'grantee', 'mailGroup'] as const) assert.ok(emptySearch(kind, 'a').whatToDo.length > 20, kind);
    });

    it('a user without a mailbox: the reason is the missing Exchange Online licence, and the fix is to assign one', () => {
        const row = userWithoutMailbox('Lidia Holloway');
        assert.equal(row.why, 'Lidia Holloway has no mailbox (no Exchange Online licence)');
        assert.match(row.whatToDo, /Assign Licence/);
    });

    it('every whole list has its reason and what to do', () => {
        for (const [name, row] of Object.entries({ ...emptyLists, members: emptyLists.members('G'), heldRoles: emptyLists.heldRoles('u'), heldLicences: emptyLists.heldLicences('u') })) {
            assert.ok(row.why && row.whatToDo, name);
        }
        assert.match(emptyLists.licences.whatToDo, /admin centre/);
    });
});
