import * as assert from 'node:assert/strict';
import { contextValue } from '../../../src/tree/contextValues';

describe('contextValue', () => {
    it('is the namespaced type followed by the true flags in a fixed order', () => {
        assert.equal(contextValue('account', { app: true, active: true, disabled: false }), 'm365Provisioner:account+active+app');
        assert.equal(contextValue('user'), 'm365Provisioner:user');
    });

    it('matches the when-clause regexes package.json uses', () => {
        const inactive = /^m365Provisioner:account(?!.*\+active)/;
        assert.ok(inactive.test(contextValue('account', { app: true })));
        assert.ok(!inactive.test(contextValue('account', { active: true })));
    });
});
