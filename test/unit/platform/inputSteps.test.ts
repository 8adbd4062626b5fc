import * as assert from 'node:assert/strict';
import { InputSteps } from '../../../src/platform/inputSteps';

describe('InputSteps: the "(2/4)" of a command\'s questions, counted from what was not given', () => {
    it('numbers only the questions that are asked', () => {
        // Grant Calendar Access run on a group's row: the group is not asked, the grantee and the right are.
        const steps = new InputSteps([false, true, true]);
        assert.deepEqual(steps.next(), { step: 1, totalSteps: 2 });
        assert.deepEqual(steps.next(), { step: 2, totalSteps: 2 });
    });

    it('a single question gets no position ("1/1" says nothing), nor do none', () => {
        assert.equal(new InputSteps([false, true]).next(), undefined);
        assert.equal(new InputSteps([false, false]).next(), undefined);
    });

    it('a follow-up inside a question keeps its number; a question found necessary later grows the total', () => {
        const steps = new InputSteps([true, true, true]);
        steps.next();
        assert.deepEqual(steps.again(), { step: 1, totalSteps: 3 });
        steps.add();
        steps.next();
        steps.next();
        assert.deepEqual(steps.next(), { step: 4, totalSteps: 4 });
        assert.deepEqual(steps.next(), { step: 4, totalSteps: 4 }, 'never beyond the total');
    });
});
