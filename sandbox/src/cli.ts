// `npm run sandbox`: the sandbox tenant as a server (options: sandboxCli.ts; `-- --help` lists them).
import { runSandboxCli } from './sandboxCli';

runSandboxCli(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
});
