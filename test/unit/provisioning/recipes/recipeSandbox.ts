import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExchangeAdminClient } from '../../../../src/exchange/ExchangeAdminClient';
import type { GraphClient } from '../../../../src/graph/GraphClient';
import { parseRecipe, type Recipe } from '../../../../src/provisioning/recipes/recipe';
import type { RecipeApplyOptions } from '../../../../src/provisioning/recipes/recipeApply';
import { sandboxFixture, type SandboxFixture } from '../../../sandbox/fixture';
import { recordingLogger, sandboxClients } from '../../graph/clientFixture';

const examples = path.resolve(__dirname, '..', '..', '..', '..', '..', 'examples');

/** A recipe in examples/ (what the README points to), checked as the extension checks it. */
export function example(file: string): Recipe {
    const parsed = parseRecipe(fs.readFileSync(path.join(examples, file), 'utf8'));
    assert.deepEqual(parsed.problems, []);
    assert.ok(parsed.recipe);
    return parsed.recipe;
}

/**
 * A fresh sandbox tenant for each test of the suite it is called in, with the clients a recipe is applied through.
 * Replication waits move the sandbox's clock instead of sleeping: the same waits, without the minutes.
 */
export function recipeSandbox() {
    const it = {
        f: undefined as unknown as SandboxFixture,
        graph: undefined as unknown as GraphClient,
        exo: undefined as unknown as ExchangeAdminClient,
        logger: recordingLogger(),
        deps: () => ({ graph: it.graph, exchange: it.exo, logger: it.logger }),
        options: (extra: Partial<RecipeApplyOptions> = {}): RecipeApplyOptions => ({
            storePassword: () => Promise.resolve(),
            replication: { sleep: ms => { it.f.sandbox.advanceClock(ms); return Promise.resolve(); } },
            ...extra,
        }),
    };
    beforeEach(async () => {
        it.f = await sandboxFixture();
        it.logger = recordingLogger();
        ({ graph: it.graph, exchange: it.exo } = sandboxClients(it.f, it.logger));
    });
    afterEach(() => it.f.stop());
    return it;
}
