// Bundles the extension (Node, CommonJS, `vscode` external) and each webview UI (browser, ESM) into dist/.
// Usage: node esbuild.mjs [--production] [--watch]. --production minifies and drops source maps; a metafile is always
// written (dist/*.meta.json) so bundle size can be inspected with esbuild's analyser.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {esbuild.BuildOptions} */
const common = {
    bundle: true,
    minify: production,
    sourcemap: production ? false : 'linked',
    metafile: true,
    logLevel: 'info',
    legalComments: production ? 'external' : 'none',
};

// jsonc-parser's "main" is a UMD build whose require('./impl/…') calls esbuild cannot follow (the bundle would fail at
// run time with "Cannot find module './impl/format'"); its ES module build bundles cleanly. Both Node bundles need it.
const nodeAliases = { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' };

/** What both Node bundles share: CommonJS for Node 20 into dist/. */
const nodeBundle = { ...common, outdir: 'dist', platform: 'node', format: 'cjs', target: 'node20', alias: nodeAliases };

const extension = { ...nodeBundle, entryPoints: { extension: 'src/extension.ts' }, external: ['vscode'] };

// The command line (`m365-provisioner`, package.json "bin"): the same engine, no VS Code. Not in the .vsix
// (.vscodeignore is an allow-list); it carries the sandbox tenant for `--sandbox` and `sandbox`.
const cli = { ...nodeBundle, entryPoints: { cli: 'src/cli/bin.ts' } };

// One browser bundle per folder under src/webview-ui/ that has a main.ts (shared code lives in src/webview-ui/shared).
const webviewRoot = 'src/webview-ui';
const webviewEntries = existsSync(webviewRoot)
    ? Object.fromEntries(
          readdirSync(webviewRoot, { withFileTypes: true })
              .filter(d => d.isDirectory() && existsSync(path.join(webviewRoot, d.name, 'main.ts')))
              .map(d => [d.name, path.join(webviewRoot, d.name, 'main.ts')]),
      )
    : {};
const webview = {
    ...common,
    entryPoints: webviewEntries,
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
};

const configs = [['extension', extension], ['cli', cli], ...(Object.keys(webviewEntries).length ? [['webview', webview]] : [])];
mkdirSync('dist', { recursive: true });

function writeMeta(name, result) {
    if (result.metafile) writeFileSync(`dist/${name}.meta.json`, JSON.stringify(result.metafile));
}

if (watch) {
    for (const [name, options] of configs) {
        const ctx = await esbuild.context({
            ...options,
            plugins: [{ name: 'meta', setup: b => b.onEnd(r => { if (!r.errors.length) writeMeta(name, r); }) }],
        });
        await ctx.watch();
    }
    console.log('[watch] watching for changes');
} else {
    for (const [name, options] of configs) writeMeta(name, await esbuild.build(options));
}
