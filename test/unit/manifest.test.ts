import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CommandIds, ContextKeys, SettingsSection, ViewIds } from '../../src/constants';

interface Manifest {
    name: string;
    displayName: string;
    main: string;
    activationEvents: string[];
    contributes: {
        commands: { command: string; title: string; category: string }[];
        views: Record<string, { id: string; name: string }[]>;
        viewsContainers: { activitybar: { id: string; title: string; icon: string }[] };
        viewsWelcome: { view: string; when: string; contents: string }[];
        configuration: { properties: Record<string, unknown> };
        walkthroughs: { id: string; steps: { id: string; description: string; media: { markdown: string } }[] }[];
    };
}

const root = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;

describe('package.json manifest', () => {
    it('names the extension as the admins see it', () => {
        assert.equal(manifest.name, 'm365-provisioner');
        assert.equal(manifest.displayName, 'M365 Provisioner');
        assert.equal(manifest.main, './dist/extension.js');
    });

    it('contributes exactly the commands the code knows, each m365Provisioner.<area>.<verb> in category M365', () => {
        const contributed = manifest.contributes.commands.map(c => c.command).sort();
        assert.deepEqual(contributed, Object.values(CommandIds).sort());
        for (const command of manifest.contributes.commands) {
            assert.match(command.command, /^m365Provisioner\.[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/, command.command);
            assert.equal(command.category, 'M365', command.command);
            assert.ok(command.title.length > 0, command.command);
        }
    });

    it('has an activity-bar container with the Accounts, Directory and Recipe Plan views and an icon that exists', () => {
        const [container] = manifest.contributes.viewsContainers.activitybar;
        assert.equal(container.id, 'm365Provisioner');
        assert.ok(fs.existsSync(path.join(root, container.icon)), container.icon);
        const views = manifest.contributes.views[container.id].map(v => [v.id, v.name]);
        assert.deepEqual(views, [
            [ViewIds.accounts, 'Accounts'],
            [ViewIds.directory, 'Directory'],
            [ViewIds.recipePlan, 'Recipe Plan'],
        ]);
    });

    it('gives every view a welcome for when it is empty: signed out, or no recipe planned yet', () => {
        const emptyWhen: Record<string, string> = { [ViewIds.accounts]: `!${ContextKeys.signedIn}`, [ViewIds.directory]: `!${ContextKeys.signedIn}`, [ViewIds.recipePlan]: `!${ContextKeys.hasRecipePlan}` };
        for (const view of Object.values(ViewIds)) {
            const welcome = manifest.contributes.viewsWelcome.find(w => w.view === view);
            assert.ok(welcome, `viewsWelcome for ${view}`);
            assert.equal(welcome.when, emptyWhen[view]);
        }
    });

    it('offers a walkthrough whose steps link to commands that exist and whose pages ship', () => {
        const known = new Set<string>([...Object.values(CommandIds), `${ViewIds.directory}.focus`]);
        const [walkthrough] = manifest.contributes.walkthroughs;
        assert.deepEqual(walkthrough.steps.map(s => s.id), ['signIn', 'explore', 'wizard']);
        for (const step of walkthrough.steps) {
            for (const [, id] of step.description.matchAll(/\(command:([^)?]+)/g)) assert.ok(known.has(id), `${step.id} links to unknown command ${id}`);
            assert.ok(fs.existsSync(path.join(root, step.media.markdown)), step.media.markdown);
        }
    });

    it('links only to commands that exist from welcome content', () => {
        const known = new Set<string>(Object.values(CommandIds));
        for (const welcome of manifest.contributes.viewsWelcome) {
            for (const [, id] of welcome.contents.matchAll(/\(command:([^)?]+)/g)) {
                assert.ok(known.has(id), `${welcome.view} links to unknown command ${id}`);
            }
        }
    });

    it('activates on no event of its own (views and commands activate it), so start-up costs nothing', () => {
        assert.deepEqual(manifest.activationEvents, []);
    });

    it('keeps every setting under the m365Provisioner section', () => {
        for (const key of Object.keys(manifest.contributes.configuration.properties)) {
            assert.ok(key.startsWith(`${SettingsSection}.`), key);
        }
    });
});
