// bench/explorer: builds, then runs bench/explorer/suite.ts inside a real VS Code extension host against a sandbox of
// 100,000 users and prints its figures against the targets. Usage: npm run bench:explorer [-- --users N]
import { execSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../test/harness/codeServer.mjs';
import { runInExtensionHost } from '../../test/harness/extensionHost.mjs';

const i = process.argv.indexOf('--users');
const users = i >= 0 ? Number(process.argv[i + 1]) : 100_000;
execSync('npm run --silent build && npm run --silent compile-tests', { cwd: repoRoot, stdio: 'inherit' });
process.exit(await runInExtensionHost({ suite: path.join(repoRoot, 'out/bench/explorer/suite'), sandboxOptions: { users }, timeoutMs: 600_000, checkGraphRequests: false }));
