import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { recipeApplyJournal } from '../../../src/platform/recipeStore';
import type { MailboxOutcome } from '../../../src/provisioning/calendar';
import type { RecipeApplyRecord } from '../../../src/provisioning/recipes/recipeApply';

/** globalState as VS Code keeps it: one value per key, `undefined` removes the key. */
function memento(): vscode.Memento & { values: Map<string, unknown> } {
    const values = new Map<string, unknown>();
    return {
        values,
        keys: () => [...values.keys()],
        get: <T>(key: string, fallback?: T) => (values.has(key) ? (values.get(key) as T) : fallback),
        update: (key: string, value: unknown) => {
            if (value === undefined) values.delete(key);
            else values.set(key, structuredClone(value));
            return Promise.resolve();
        },
    };
}

const recipeUri = { toString: () => 'file:///work/calendar.m365recipe.json' } as vscode.Uri;
const anna: MailboxOutcome = { userId: 'u-anna', userPrincipalName: 'anna@contoso.com', displayName: 'Anna', outcome: 'granted', folder: 'anna@contoso.com:\\Calendar' };

/** An apply's record with these steps finished (the journal reads only which steps; their shape is recipe apply's). */
const applyRecord = (stepIds: string[]) => ({ recipe: 'fingerprint-1', startedAt: '2026-01-01T00:00:00Z', steps: Object.fromEntries(stepIds.map(id => [id, { id }])) }) as unknown as RecipeApplyRecord;

describe('recipeApplyJournal (the apply journal in globalState)', () => {
    it('keeps a calendar step\'s mailboxes in the calendar engine\'s journal, under the key earlier versions used', async () => {
        const state = memento();
        const journal = recipeApplyJournal(state, 'tenant-1', recipeUri);
        await journal.calendar('/calendarGrants/0').append([anna]);
        assert.deepEqual(state.values.get(`${journal.key}.calendar/calendarGrants/0`), [anna], 'a journal left by an earlier version resumes');
        assert.deepEqual(await recipeApplyJournal(state, 'tenant-1', recipeUri).calendar('/calendarGrants/0').load(), [anna]);
        await journal.calendar('/calendarGrants/0').clear();
        assert.deepEqual([...state.values.keys()], [], 'a finished step leaves nothing behind');
    });

    it('clear also empties the calendar journals an earlier version left for the steps in its record', async () => {
        const state = memento();
        const journal = recipeApplyJournal(state, 'tenant-1', recipeUri);
        await state.update(`${journal.key}.calendar/calendarGrants/0`, [anna]);
        await journal.save(applyRecord(['/calendarGrants/0']));
        await journal.clear();
        assert.deepEqual([...state.values.keys()], []);
    });

    it('clear (a changed recipe, or start over) also empties the journal of a calendar step that never finished', async () => {
        // An apply stopped inside a calendar grant by a failure or a closed window: the step is not in the record,
        // but its mailboxes are journalled. Left behind, they would be taken as done by the next apply of that step
        // even when the recipe changed its grantee or right.
        const state = memento();
        const journal = recipeApplyJournal(state, 'tenant-1', recipeUri);
        await journal.save(applyRecord([]));
        await journal.calendar('/calendarGrants/0').append([anna]);
        await journal.clear();
        assert.deepEqual(await journal.calendar('/calendarGrants/0').load(), []);
        assert.deepEqual([...state.values.keys()], [], 'nothing of this apply is left in globalState');
    });
});
