import * as assert from 'node:assert/strict';
import { offendingLines } from '../sourceLines';
import type { ActionContext } from '../../../src/platform/runAction';

/**
 * Commands get what they need, not the whole container: each handler names its services in its type
 * (`ActionContext<'audit' | 'sessions'>`), and the composition root hands them a `CommandServices` built from the
 * container. Reaching the container from a command (or the webview hosts it opens) would undo that, so it is refused.
 */
describe('Commands reach only the services they name, never the container', () => {
    // `context.container.audit`, `{ log } = context.container`, or an import of src/container.ts.
    const reachesContainer = /\bcontainer\s*[.;,)}\]]|\bContainer\b|from\s+['"][./]*container['"]/;

    // Words in quotes are the admin's ("works in containers"), not code.
    const offenders = (folder: string) => offendingLines(folder, line => reachesContainer.test(line.replace(/'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g, "''")));

    for (const folder of ['commands', 'webviews']) {
        it(`src/${folder}`, () => assert.deepEqual(offenders(folder), [], 'name the service in the handler\'s ActionContext<…> and use context.<service>'));
    }

    it('the check sees what it looks for', () => {
        for (const line of ['context.container.audit', 'const { log } = context.container;', 'import type { Container } from \'../container\';', 'registerCommands(container)']) {
            assert.ok(reachesContainer.test(line), line);
        }
        for (const line of ['context.audit', 'const containers = 2;', 'context.directoryView.selection[0]']) assert.ok(!reachesContainer.test(line), line);
    });

    it('a handler\'s context has only the services it names (the compiler checks this file)', () => {
        const handler = (context: ActionContext<'audit'>): string[] => {
            const named = [context.audit.file, context.commandId];
            // @ts-expect-error the log was not named, so it is not there
            named.push(typeof context.log);
            return named;
        };
        assert.equal(typeof handler, 'function');
    });
});
