import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Every permission named in a `scopes: [...]` / `…Scopes = [...]` literal of the TypeScript under these folders, read
 * from the source (the export's PowerShell scopes are the script's, not ours, so `export/` is left out). What the
 * code asks Microsoft for: the sign-in intents and our own registration are checked against it.
 */
export function scopeLiteralsIn(dirs: readonly string[]): Set<string> {
    const asked = new Set<string>();
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(full);
            else if (entry.name.endsWith('.ts') && !full.includes(`${path.sep}export${path.sep}`)) {
                const text = fs.readFileSync(full, 'utf8');
                for (const list of text.matchAll(/[sS]copes\s*(?::|=)\s*\[([^\]]*)\]/g)) for (const name of list[1].matchAll(/'([A-Za-z]+\.[A-Za-z.]+)'/g)) asked.add(name[1]);
            }
        }
    };
    for (const dir of dirs) walk(dir);
    return asked;
}
