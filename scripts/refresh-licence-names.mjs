// Refreshes src/shared/licensing/licenceNames.json, the product and service-plan names the extension shows, from
// Microsoft's "Product names and service plan identifiers for licensing" (MicrosoftDocs/entra-docs,
// docs/identity/users/licensing-service-plan-reference.md), or from the CSV version of the same table the page links to.
//
//   node scripts/refresh-licence-names.mjs <markdown or CSV file, or URL> [--commit <sha>] [--fetched YYYY-MM-DD]
//       [--read-from "<where the file came from>"] [--page-updated "Month D, YYYY"] [--out <file>]
//
// Give the page's markdown (a checkout of entra-docs, or the raw file's URL) and the commit it is from, or the CSV
// (https://download.microsoft.com/…/Product names and service plan identifiers for licensing.csv, the page's link),
// so the JSON says where its names came from. The table is read by src/shared/licensing/licenceTable.ts, the same
// parser the unit tests run, bundled here on the fly with esbuild (a dev dependency) so there is one parser.
import * as esbuild from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = name => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const source = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (!source) {
    console.error('usage: node scripts/refresh-licence-names.mjs <licensing-service-plan-reference.md path or URL> [--commit <sha>] [--fetched YYYY-MM-DD] [--out <file>]');
    process.exit(2);
}
const out = path.resolve(option('--out') ?? path.join(repoRoot, 'src/shared/licensing/licenceNames.json'));

// The CSV the page links to ("You can also download a CSV version of this table here").
const csvDownload = 'https://download.microsoft.com/download/e/3/e/e3e9faf2-f28b-490a-9ada-c6089a1fc5b0/Product%20names%20and%20service%20plan%20identifiers%20for%20licensing.csv';
const markdown = /^https?:\/\//i.test(source) ? await (await fetch(source)).text() : readFileSync(source, 'utf8');

const bundled = await esbuild.build({ entryPoints: [path.join(repoRoot, 'src/shared/licensing/licenceTable.ts')], bundle: true, write: false, format: 'esm', platform: 'neutral', logLevel: 'silent' });
const { parseLicenceSource } = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`);

const table = parseLicenceSource(markdown);
const isCsv = /^\uFEFF?Product_Display_Name,/i.test(markdown);
const products = Object.keys(table.products).length;
if (products === 0) {
    console.error(`No table rows found in ${source}: is it the licensing-service-plan-reference page or its CSV?`);
    process.exit(1);
}
// The page's own "last updated" note, so a reader can tell how current the names are without opening the source.
const updated = option('--page-updated') ?? /This information was last updated on ([A-Z][a-z]+ \d{1,2}, \d{4})/.exec(markdown)?.[1]?.trim();
const sorted = record => Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
const json = {
    source: {
        title: 'Product names and service plan identifiers for licensing',
        repository: 'MicrosoftDocs/entra-docs',
        path: 'docs/identity/users/licensing-service-plan-reference.md',
        commit: option('--commit') ?? 'unknown',
        ...(updated ? { pageUpdated: updated } : {}),
        fetched: option('--fetched') ?? new Date().toISOString().slice(0, 10),
        ...(isCsv ? { csv: csvDownload } : {}),
        read: option('--read-from') ?? (/^https?:\/\//i.test(source) ? source : path.relative(repoRoot, path.resolve(source))),
        refresh: 'node scripts/refresh-licence-names.mjs <page markdown or its CSV, file or URL> --commit <page commit>',
    },
    products: sorted(table.products),
    servicePlans: sorted(table.servicePlans),
};
// One entry a line: compact, and a refresh shows in a diff as the names that changed.
const lines = entries => Object.entries(entries).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n');
writeFileSync(out, `{\n  "source": ${JSON.stringify(json.source, null, 2).replace(/\n/g, '\n  ')},\n  "products": {\n${lines(json.products)}\n  },\n  "servicePlans": {\n${lines(json.servicePlans)}\n  }\n}\n`);
console.log(`${path.relative(repoRoot, out)}: ${products} products, ${Object.keys(table.servicePlans).length} service plans`);
