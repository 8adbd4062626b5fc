import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository's src/, from a compiled test under out/test/unit/… */
export const srcRoot = path.resolve(__dirname, '../../../src');

/**
 * The code lines of every .ts file under src/<folder> that `offends` (comment lines skipped), as
 * "folder/file.ts:line: text" for a test's failure message.
 */
export function offendingLines(folder: string, offends: (line: string) => boolean): string[] {
    const found: string[] = [];
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const file = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(file);
            else if (entry.name.endsWith('.ts')) {
                fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
                    if (/^\s*(\*|\/\/|\/\*)/.test(line)) return;
                    if (offends(line)) found.push(`${path.relative(srcRoot, file)}:${i + 1}: ${line.trim().slice(0, 120)}`);
                });
            }
        }
    };
    walk(path.join(srcRoot, folder));
    return found;
}
