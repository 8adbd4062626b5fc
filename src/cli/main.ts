import { createInterface } from 'node:readline/promises';
import type { DeviceCodePrompt } from '../auth/DelegatedSignIn';
import type { Logger } from '../shared/logger';
import { parseArgs, usage, UsageError, type CliArgs } from './args';
import { humanFleetReport, readTenantsFile, runFleet } from './fleet';
import { humanReport } from './report';
import { runCommand } from './run';

/**
 * `m365-provisioner`: the engine the extension uses, from a terminal or a pipeline. Exit codes: 0 done or in sync,
 * 2 changes pending or drift, 1 anything else. Bad input is one clear message (no stack unless --debug).
 */
export async function main(argv: readonly string[], io: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream; stdin: NodeJS.ReadStream; env: NodeJS.ProcessEnv }): Promise<number> {
    let args: CliArgs;
    try {
        args = parseArgs(argv);
    } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        if (!error.message) {
            io.stdout.write(usage);
            return 0;
        }
        io.stderr.write(`${error.message}\n\nRun m365-provisioner --help for the options.\n`);
        return 1;
    }
    if (args.command === 'sandbox') return runSandbox(args, io);

    const controller = new AbortController();
    const onInterrupt = () => controller.abort();
    process.once('SIGINT', onInterrupt);
    process.once('SIGTERM', onInterrupt);
    const terminal = io.stderr.isTTY && !args.json;
    const logger = cliLogger(io.stderr, args.debug);
    // One line of progress, rewritten in place, on a terminal only (a pipeline's log gets no cursor codes).
    const progress = terminal ? { progress: (message: string) => void io.stderr.write(`\r\x1b[K${message.slice(0, (io.stderr.columns || 100) - 1)}`) } : {};
    // The code is shown where the person (or whoever reads the pipeline's log) sees it; never on standard output.
    const showCode = (prompt: DeviceCodePrompt, why: string) => void io.stderr.write(`${terminal ? '\r\x1b[K' : ''}Sign in (${why}): open ${prompt.verificationUri} and enter the code ${prompt.userCode}\n`);
    try {
        if (args.tenantsFile) {
            const fleet = await runFleet(args, { env: io.env, logger, debug: args.debug, signal: controller.signal, showCode, ...progress }, await readTenantsFile(args.tenantsFile), args.concurrency ?? 4);
            if (terminal) io.stderr.write('\r\x1b[K');
            io.stdout.write(args.json ? `${JSON.stringify(fleet, null, 2)}\n` : humanFleetReport(fleet));
            return fleet.exitCode;
        }
        const report = await runCommand(args, {
            env: io.env,
            logger,
            debug: args.debug,
            signal: controller.signal,
            showCode,
            ...progress,
            ...(io.stdin.isTTY && io.stderr.isTTY ? { confirm: (question, plan) => ask(io, question, humanReport(plan)) } : {}),
        });
        if (terminal) io.stderr.write('\r\x1b[K');
        io.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : humanReport(report));
        return report.exitCode;
    } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        io.stderr.write(`${error.message}\n`);
        return 1;
    } finally {
        process.off('SIGINT', onInterrupt);
        process.off('SIGTERM', onInterrupt);
    }
}

async function ask(io: { stdin: NodeJS.ReadStream; stderr: NodeJS.WriteStream }, question: string, plan: string): Promise<boolean> {
    io.stderr.write(plan);
    const rl = createInterface({ input: io.stdin, output: io.stderr });
    try {
        return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
    } finally {
        rl.close();
    }
}

/** The sandbox tenant as a server, as `npm run sandbox` runs it (its own options and --help). */
async function runSandbox(args: CliArgs, io: { stderr: NodeJS.WriteStream }): Promise<number> {
    const { runSandboxCli } = await import('../../sandbox/src/sandboxCli');
    try {
        await runSandboxCli([...args.rest]);
        return 0;
    } catch (error) {
        io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
        return 1;
    }
}

/** Warnings and errors to standard error; everything with --debug. Never a token: the clients log none. */
function cliLogger(stderr: NodeJS.WriteStream, debug: boolean): Logger {
    const line = (level: string) => (message: string) => void stderr.write(`${level}: ${message}\n`);
    const quiet = () => undefined;
    return { trace: debug ? line('trace') : quiet, debug: debug ? line('debug') : quiet, info: debug ? line('info') : quiet, warn: line('warning'), error: line('error') };
}
