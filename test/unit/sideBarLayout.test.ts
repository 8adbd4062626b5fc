import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CommandIds, ContextKeys, ExtensionId, ViewIds } from '../../src/constants';

interface View { id: string; name: string; initialSize?: number; visibility?: string }
interface Manifest {
    contributes: {
        views: Record<string, View[]>;
        menus: Record<string, { command: string; when?: string; group?: string }[]>;
        walkthroughs: { id: string; steps: { id: string; completionEvents?: string[] }[] }[];
    };
}

const root = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
const views = manifest.contributes.views.m365Provisioner;
const view = (id: string) => views.find(v => v.id === id);

/** Issue 18: where each view lives and how the walkthrough knows a step is done, read off the manifest. */
describe('side bar layout and walkthrough (package.json)', () => {
    it('gives Accounts a strip and the Directory and Recipe Plan the height (initialSize is a weight, like CSS flex)', () => {
        const [accounts, directory, plan] = [view(ViewIds.accounts), view(ViewIds.directory), view(ViewIds.recipePlan)];
        assert.ok(accounts?.initialSize && directory?.initialSize && plan?.initialSize, 'every view has a weight');
        const total = accounts.initialSize + directory.initialSize + plan.initialSize;
        assert.ok(accounts.initialSize / total <= 0.15, `Accounts gets ${accounts.initialSize} of ${total}`);
        assert.ok(directory.initialSize > plan.initialSize && plan.initialSize > accounts.initialSize);
        // A collapsed view's share goes to the others (the Accounts strip grew to 40 % with a collapsed Recipe Plan).
        assert.equal(plan.visibility, undefined, 'the Recipe Plan is not collapsed at first');
    });

    it('ticks each step on an event that fires whenever the admin has done it, not only on a view becoming visible', () => {
        const [walkthrough] = manifest.contributes.walkthroughs;
        const known = new Set<string>([...Object.values(CommandIds), `${ViewIds.directory}.focus`]);
        const contextKeys = new Set<string>(Object.values(ContextKeys));
        for (const step of walkthrough.steps) {
            const events = step.completionEvents ?? [];
            assert.ok(events.length, `${step.id} names its completion events (else VS Code ticks it when merely selected)`);
            assert.ok(events.some(e => e.startsWith('onContext:') || e.startsWith('onCommand:')), `${step.id} has an event besides onView`);
            for (const event of events) {
                const [, kind, argument] = /^(\w+):(.*)$/.exec(event) ?? [];
                if (kind === 'onContext') assert.ok(contextKeys.has(argument), `${step.id}: ${argument} is a context key the extension sets`);
                else if (kind === 'onCommand') assert.ok(known.has(argument), `${step.id}: ${argument} is a command`);
                else assert.equal(kind, 'onView', `${step.id}: ${event}`);
            }
        }
        assert.equal(`${ExtensionId}#${walkthrough.id}`, 'm365-provisioner.m365-provisioner#gettingStarted', 'the id src/platform/walkthrough.ts opens');
    });

    it('offers "Get Started" in every view\'s … menu (a secondary group, not the title bar\'s icons)', () => {
        for (const id of Object.values(ViewIds)) {
            const entry = manifest.contributes.menus['view/title'].find(m => m.command === CommandIds.openWalkthrough && m.when === `view == ${id}`);
            assert.ok(entry, `Get Started in ${id}'s menu`);
            assert.ok(entry.group && !entry.group.startsWith('navigation'), `${id}: ${entry.group}`);
        }
    });
});
