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
    it('there are the two guides\' examples, and one offboarding each', () => assert.deepEqual(files.sort(), ['calendar-integration.m365recipe.json', 'offboard-calendar-integration.m365recipe.json', 'offboard-reporting-inventory.m365recipe.json', 'reporting-inventory.m365recipe.json']));

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
            assert.ok(plan.steps.every(s => s.status === (offboards ? 'done' : 'create')), JSON.stringify(plan.steps.map(s => [s.id, s.status])));
        });
    }
});
