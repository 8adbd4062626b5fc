import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

// The provisioning wing is layered: steps and fields at the bottom, the calendar engine on them, recipes (plan, apply,
// verify, the wizard's templates) on top. A cycle (even a type-only one) means two files cannot be read, tested or
// moved apart; an arrow from the engine to the wizard means the engine changes when the wizard does. madge is not a
// dependency, so the imports are read here: every relative `import`/`export … from`, `import()` and `require()`.

const root = path.resolve(__dirname, '..', '..', '..', '..');
const wing = path.join(root, 'src', 'provisioning');

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return sourceFiles(full);
        return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
    });
}

/** The files of the wing a file imports (type-only imports included: they tie the two files together too). */
function importsOf(file: string): string[] {
    const text = fs.readFileSync(file, 'utf8');
    const specifiers = [
        ...text.matchAll(/^\s*(?:import|export)\s[^'";]*?\sfrom\s*['"]([^'"]+)['"]/gm),
        ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
        ...text.matchAll(/\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g),
    ].map(m => m[1]);
    return specifiers.filter(s => s.startsWith('.')).flatMap(s => {
        const base = path.resolve(path.dirname(file), s);
        const target = [`${base}.ts`, path.join(base, 'index.ts')].find(f => fs.existsSync(f));
        return target && target.startsWith(wing + path.sep) ? [target] : [];
    });
}

/** One cycle per strongly connected part of the graph, as a path of wing-relative names (empty: none). */
function cycles(graph: Map<string, string[]>): string[][] {
    const found: string[][] = [];
    const state = new Map<string, 'open' | 'done'>();
    const trail: string[] = [];
    // Iterative depth-first search: the wing may grow past what a recursive walk should hold on the stack.
    for (const start of graph.keys()) {
        if (state.has(start)) continue;
        const stack: { file: string; next: number }[] = [{ file: start, next: 0 }];
        state.set(start, 'open');
        trail.push(start);
        while (stack.length) {
            const top = stack[stack.length - 1];
            const edges = graph.get(top.file) ?? [];
            if (top.next < edges.length) {
                const to = edges[top.next++];
                if (state.get(to) === 'open') found.push([...trail.slice(trail.indexOf(to)), to].map(f => path.relative(wing, f)));
                else if (!state.has(to)) {
                    state.set(to, 'open');
                    trail.push(to);
                    stack.push({ file: to, next: 0 });
                }
            } else {
                state.set(top.file, 'done');
                trail.pop();
                stack.pop();
            }
        }
    }
    return found;
}

describe('src/provisioning imports', () => {
    const graph = new Map(sourceFiles(wing).map(file => [file, importsOf(file)]));

    it('reads the wing (a sanity check of the parser)', () => {
        const engine = path.join(wing, 'calendar', 'calendarGrants.ts');
        assert.ok(graph.size > 20, `expected the wing's files, found ${graph.size}`);
        assert.ok((graph.get(engine) ?? []).length > 0, 'the calendar engine imports files of the wing');
    });

    it('has no import cycle', () => {
        assert.deepEqual(cycles(graph).map(c => c.join(' → ')), []);
    });

    it('has no arrow from the calendar engine to the recipes (the wizard builds on the engine, not the other way)', () => {
        const calendar = path.join(wing, 'calendar') + path.sep;
        const recipes = path.join(wing, 'recipes') + path.sep;
        const arrows = [...graph].flatMap(([from, to]) => (from.startsWith(calendar) ? to.filter(t => t.startsWith(recipes)).map(t => `${path.relative(wing, from)} → ${path.relative(wing, t)}`) : []));
        assert.deepEqual(arrows, []);
    });

    it('keeps the access-right list browser-safe (the setup wizard bundles it): it imports nothing', () => {
        const text = fs.readFileSync(path.join(wing, 'calendar', 'calendarAccessRights.ts'), 'utf8');
        assert.doesNotMatch(text, /^\s*(import|export\s[^;]*\sfrom)\b|\brequire\(/m);
    });
});
