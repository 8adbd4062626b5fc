import * as assert from 'node:assert/strict';
import { dispatchRequest, parseToHost, parseToWebview, RequestRefusedError } from '../../../src/webviews/rpc';
import { templateDefaults } from '../../../src/provisioning/recipes/recipeTemplates';
import { badField, wizardValidators, type WizardRequests, type WizardValues } from '../../../src/webviews/setupWizard/protocol';

/** Well-formed values: the calendar template's, as the wizard starts with them. */
const values: WizardValues = templateDefaults('calendar', 'contoso.com');
const huge = 'x'.repeat(100_000);

describe('Setup wizard protocol: what the host accepts from the webview', () => {
    describe('the envelope', () => {
        it('takes ready, requests and cancels of the right shape', () => {
            assert.deepEqual(parseToHost({ kind: 'ready' }), { kind: 'ready' });
            assert.deepEqual(parseToHost({ kind: 'req', id: 3, method: 'listDomains', params: {} }), { kind: 'req', id: 3, method: 'listDomains', params: {} });
            assert.deepEqual(parseToHost({ kind: 'cancel', id: 3 }), { kind: 'cancel', id: 3 });
        });

        it('drops anything else: other kinds, bad ids, odd method names, extra keys, non-objects', () => {
            for (const message of [
                null, 'ready', 42, [], { kind: 'res', id: 1, ok: true }, { kind: 'req', id: '1', method: 'listDomains' }, { kind: 'req', id: -1, method: 'listDomains' },
                { kind: 'req', id: 1.5, method: 'listDomains' }, { kind: 'req', id: 1, method: '' }, { kind: 'req', id: 1, method: 7 }, { kind: 'req', id: 1, method: huge },
                { kind: 'req', id: 1, method: 'listDomains', params: {}, extra: true }, { kind: 'ready', payload: huge }, { kind: 'cancel' }, { kind: 'cancel', id: Number.MAX_VALUE },
            ]) {
                assert.equal(parseToHost(message), undefined, JSON.stringify(message)?.slice(0, 80));
            }
        });

        it('the page reads answers and events, and nothing else', () => {
            assert.deepEqual(parseToWebview({ kind: 'res', id: 1, ok: false, error: 'no' }), { kind: 'res', id: 1, ok: false, error: 'no' });
            assert.deepEqual(parseToWebview({ kind: 'evt', method: 'chooseTemplate', params: { template: 'calendar' } }), { kind: 'evt', method: 'chooseTemplate', params: { template: 'calendar' } });
            assert.equal(parseToWebview({ kind: 'req', id: 1, method: 'x' }), undefined);
        });
    });

    describe('each request\'s params', () => {
        it('accepts well-formed params', () => {
            assert.ok(wizardValidators.listDomains({}));
            assert.ok(wizardValidators.listSkus(undefined));
            assert.ok(wizardValidators.checkUserPrincipalName({ userPrincipalName: 'sa@contoso.com' }));
            assert.ok(wizardValidators.checkLicence({ sku: 'ENTERPRISEPACK', plans: 'all', userPrincipalName: '' }));
            assert.ok(wizardValidators.checkRoles({ roles: ['Global Reader'] }));
            assert.ok(wizardValidators.templateDefaults({ template: 'reporting', domain: 'contoso.com' }));
            assert.ok(wizardValidators.createRecipe({ template: 'calendar', values }));
            assert.ok(wizardValidators.createRecipe({ template: 'calendarAppOnly', values: templateDefaults('calendarAppOnly', 'contoso.com') }));
            assert.ok(wizardValidators.createRecipe({ template: 'reportingAppOnly', values: templateDefaults('reportingAppOnly', 'contoso.com') }));
            assert.ok(wizardValidators.checkApplication({ name: 'MyTimetable Calendar Integration' }));
            assert.ok(wizardValidators.checkGraphPermissions({ permissions: ['User.Read.All'] }));
            assert.ok(wizardValidators.ewsOutlook({}));
        });

        it('refuses wrong types, missing and extra fields', () => {
            const refused: [keyof WizardRequests, unknown][] = [
                ['listDomains', { all: true }],
                ['listRoles', []],
                ['checkUserPrincipalName', {}],
                ['checkUserPrincipalName', { userPrincipalName: 42 }],
                ['checkUserPrincipalName', { userPrincipalName: 'a@b.c', alsoDelete: true }],
                ['checkLicence', { sku: 'E3', plans: 'some', userPrincipalName: '' }],
                ['checkLicence', { sku: 'E3', plans: [1], userPrincipalName: '' }],
                ['checkGroup', { group: null }],
                ['checkRoles', { roles: 'Global Reader' }],
                ['checkRoleGroups', { roleGroups: [{}] }],
                ['templateDefaults', { template: 'admin', domain: 'contoso.com' }],
                ['createRecipe', { template: 'calendar' }],
                ['createRecipe', { template: 'calendar', values: { ...values, accessRight: 'FullAccess' } }],
                ['createRecipe', { template: 'calendar', values: { ...values, hiddenFromAddressLists: 'yes' } }],
                ['createRecipe', { template: 'calendar', values: { ...values, $where: 'x' } }],
                ['createRecipe', { template: 'calendar', values: { ...values, accountName: undefined } }],
                ['createRecipe', { template: 'calendar', values, overwrite: true }],
                // The app-only fields: a credential type, a lifetime and a mailbox role the recipe schema allows, nothing else.
                ['createRecipe', { template: 'calendarAppOnly', values: { ...values, credentialType: 'password' } }],
                ['createRecipe', { template: 'calendarAppOnly', values: { ...values, credentialDays: 731 } }],
                ['createRecipe', { template: 'calendarAppOnly', values: { ...values, credentialDays: 1.5 } }],
                ['createRecipe', { template: 'calendarAppOnly', values: { ...values, mailboxRole: 'Application FullAccess' } }],
                ['createRecipe', { template: 'calendarAppOnly', values: { ...values, exchangeManagement: 'true' } }],
                ['checkApplication', { name: 7 }],
                ['checkGraphPermissions', { permissions: 'User.Read.All' }],
                ['checkAppRoles', { roles: [1] }],
                ['ewsOutlook', { tenant: 'x' }],
                ['signInWarnings', { all: true }],
            ];
            for (const [method, params] of refused) assert.equal(wizardValidators[method](params), false, `${method} ${JSON.stringify(params)}`);
        });

        it('refuses huge strings and long lists (a flood, not a form)', () => {
            assert.equal(wizardValidators.checkUserPrincipalName({ userPrincipalName: huge }), false);
            assert.equal(wizardValidators.checkGroup({ group: huge }), false);
            assert.equal(wizardValidators.checkRoles({ roles: Array.from({ length: 51 }, (_, i) => `Role ${i}`) }), false);
            assert.equal(wizardValidators.checkRoles({ roles: [huge] }), false);
            assert.equal(wizardValidators.createRecipe({ template: 'calendar', values: { ...values, description: huge } }), false);
            assert.equal(wizardValidators.createRecipe({ template: 'calendar', values: { ...values, accountName: 'a'.repeat(65) } }), false);
        });

        it('names the first bad field of a command\'s partial values', () => {
            assert.equal(badField({ accountName: 'x', domain: 'contoso.com' }, { partial: true }), undefined);
            assert.equal(badField({ accountName: 'x' }, { partial: false }), 'recipeName');
            assert.equal(badField({ usageLocation: 31 }, { partial: true }), 'usageLocation');
            assert.equal(badField({ password: 'x' }, { partial: true }), 'password');
            assert.equal(badField('values', { partial: true }), '(the values)');
        });
    });

    describe('dispatch: the one path to a handler', () => {
        const calls: string[] = [];
        const handlers = Object.fromEntries(Object.keys(wizardValidators).map(m => [m, (params: unknown) => { calls.push(m); return Promise.resolve(params); }])) as never;
        const signal = new AbortController().signal;

        it('refuses an unknown method and malformed params before the handler runs', async () => {
            calls.length = 0;
            await assert.rejects(dispatchRequest(wizardValidators, handlers, 'deleteUser', {}, signal), (e: Error) => e instanceof RequestRefusedError && /Unknown request "deleteUser"/.test(e.message));
            await assert.rejects(dispatchRequest(wizardValidators, handlers, 'constructor', {}, signal), RequestRefusedError);
            await assert.rejects(dispatchRequest(wizardValidators, handlers, '__proto__', {}, signal), RequestRefusedError);
            await assert.rejects(dispatchRequest(wizardValidators, handlers, 'checkGroup', { group: 1 }, signal), /malformed parameters/);
            assert.deepEqual(calls, []);
        });

        it('runs the handler of a well-formed request', async () => {
            calls.length = 0;
            assert.deepEqual(await dispatchRequest(wizardValidators, handlers, 'checkGroup', { group: 'Staff' }, signal), { group: 'Staff' });
            assert.deepEqual(calls, ['checkGroup']);
        });
    });
});
