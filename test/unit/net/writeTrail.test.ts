import * as assert from 'node:assert/strict';
import { guidsIn, noteWrite, recordWrites } from '../../../src/net/writeTrail';

describe('WriteTrail: each change sees only its own writes', () => {
    const write = (requestId: string, ...objectIds: string[]) => noteWrite({ api: 'graph', request: 'POST /users', status: 201, requestId, objectIds });
    const tick = () => new Promise(resolve => setImmediate(resolve));

    it('two changes running at once each get their own request ids and object ids', async () => {
        const [a, b] = await Promise.all([
            recordWrites(async trail => { write('a-1', 'id-a'); await tick(); write('a-2'); await tick(); return trail; }),
            recordWrites(async trail => { await tick(); write('b-1', 'id-b'); await tick(); return trail; }),
        ]);
        assert.deepEqual(a.writes.map(w => w.requestId), ['a-1', 'a-2']);
        assert.equal(a.lastRequestId, 'a-2');
        assert.deepEqual(a.objectIds(), ['id-a']);
        assert.deepEqual(b.writes.map(w => w.requestId), ['b-1']);
    });

    it('a step\'s trail inside an apply\'s: the step sees its writes, the apply all of them', async () => {
        const outer = await recordWrites(async trail => {
            const inner = await recordWrites(() => { write('step-1', 'x'); return Promise.resolve(); });
            write('after');
            return { trail, inner };
        });
        assert.deepEqual(outer.trail.writes.map(w => w.requestId), ['step-1', 'after']);
    });

    it('a write outside any change goes nowhere, and ids in a path are found lower-case', () => {
        write('lost');
        assert.deepEqual(guidsIn('/users/6F1B2C3D-0000-4000-8000-000000000001/memberOf/11111111-2222-4333-8444-555555555555/$ref'), ['6f1b2c3d-0000-4000-8000-000000000001', '11111111-2222-4333-8444-555555555555']);
    });
});
