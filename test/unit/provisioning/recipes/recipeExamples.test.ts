import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseRecipe } from '../../../../src/provisioning/recipes/recipe';
import { planRecipe } from '../../../../src/provisioning/recipes/recipePlan';
import { sandboxFixture, type SandboxFixture } from '../../../sandbox/fixture';
import { recordingLogger, sandboxClients } from '../../graph/clientFixture';

const examples = path.resolve(__dirname, '..', '..', '..', '..', '..', 'examples');

/** The example recipes the README points to and the demo copies into its workspace must plan cleanly on Contoso. */
describe('Example recipes', function () {
    this.timeout(60_000);
    let f: SandboxFixture;
    before(async () => { f = await sandboxFixture(); });
    after(() => f.stop());

    const files = fs.readdirSync(examples).filter(n => n.endsWith('.m365recipe.json'));
    it('there are the two guides\' examples, one offboarding each, and each guide app-only', () => assert.deepEqual(files.sort(), [
        'calendar-integration-app-only.m365recipe.json', 'calendar-integration.m365recipe.json', 'offboard-calendar-integration.m365recipe.json',
        'offboard-reporting-inventory.m365recipe.json', 'reporting-inventory-app-only.m365recipe.json', 'reporting-inventory.m365recipe.json',
    ]));

    // The app-only examples (issue 17) replace the guides' user accounts with an app registration each.
    for (const file of files.filter(f => f.includes('app-only'))) {
        it(`${file} lists an application and no account, and says what it replaces`, () => {
            const { recipe } = parseRecipe(fs.readFileSync(path.join(examples, file), 'utf8'));
            assert.ok(recipe);
            assert.deepEqual(recipe.serviceAccounts, []);
            assert.equal(recipe.applications?.length, 1);
            assert.match(recipe.description ?? '', /instead of a service account with a password/i);
        });
    }

    // The offboarding examples are applied after their set-up in offboarding.test.ts; on Contoso as shipped they have
    // nothing to remove.
    for (const file of files) {
        const offboards = file.startsWith('offboard-');
        it(`${file} parses and plans on the sandbox tenant with nothing blocked and ${offboards ? 'nothing to remove' : 'everything to create'}`, async () => {
            const { recipe, problems } = parseRecipe(fs.readFileSync(path.join(examples, file), 'utf8'));
            assert.deepEqual(problems, []);
            assert.ok(recipe);
            const logger = recordingLogger();
            const { graph, exchange } = sandboxClients(f, logger);
            const plan = await planRecipe({ graph, exchange }, recipe);
            assert.equal(plan.applicable, true, JSON.stringify(plan.steps.filter(s => s.status === 'blocked')));
            // An app-only recipe plans its application's steps (registration first), not nothing.
            if (file.includes('app-only')) assert.ok(plan.steps.some(s => s.kind === 'registerApplication'), JSON.stringify(plan.steps.map(s => [s.id, s.kind])));
            assert.ok(plan.steps.every(s => s.status === (offboards ? 'done' : 'create')), JSON.stringify(plan.steps.map(s => [s.id, s.status])));
        });
    }
});
