// The same extension-host suite in a downloaded desktop VS Code, for machines that can reach Microsoft's update
// server (npm run test:electron). On the offline build machines use npm run test:extension (code-server) instead.
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
    const repoRoot = path.resolve(__dirname, '..', '..', '..');
    await runTests({
        extensionDevelopmentPath: repoRoot,
        extensionTestsPath: path.join(repoRoot, 'out', 'test', 'extension', 'index'),
        launchArgs: ['--disable-extensions'],
    });
}

main().catch((error: unknown) => {
    console.error('Extension-host tests failed:', error);
    process.exit(1);
});
