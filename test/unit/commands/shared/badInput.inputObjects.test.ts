import * as assert from 'node:assert/strict';
import { givenInput } from '../../../../src/commands/shared/givenInput';
import { inputShapes } from '../../../../src/commands/shared/inputShapes';
import { ProvisioningInputError } from '../../../../src/provisioning/errors';
import { assertNamesFieldAndFix, badInputCases, caseTitle, commandInput, reportCount } from '../../provisioning/badInput.cases';

/**
 * The table through the commands' input objects (what the setup wizard and other extensions pass): the very shapes the
 * commands check with. The check is a pure function of the object, so it reaches no tenant at all; the extension-host
 * suite runs the same objects through the real commands and compares the sandbox's state.
 */
describe('Bad input through the commands\' input objects (givenInput with each command\'s shape)', () => {
    const cases = badInputCases.filter(c => !c.tenant);
    let count = 0;
    after(() => reportCount('input objects', count));

    for (const c of cases) {
        it(caseTitle(c), () => {
            const { command, input } = commandInput(c);
            assert.throws(() => givenInput(input, inputShapes[command], command), (e: Error) => {
                assert.ok(e instanceof ProvisioningInputError, `${e.name}: ${e.message}`);
                assertNamesFieldAndFix(c, e.message);
                assert.ok(e.field && e.field in input, `the error names the input's field (${String(e.field)})`);
                return true;
            });
            count++;
        });
    }

    it('takes the good values of every row\'s object (only the bad field is refused)', () => {
        for (const c of cases) {
            const { command, input } = commandInput(c);
            const field = Object.keys(input).find(k => input[k] === c.value || (Array.isArray(input[k]) && (input[k] as unknown[]).includes(c.value)));
            const good = { ...input };
            if (field) delete good[field];
            assert.doesNotThrow(() => givenInput(good, inputShapes[command], command), caseTitle(c));
        }
    });
});
