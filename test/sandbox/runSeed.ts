import { runSeed, seedLine } from '../../sandbox/src/knobs/seed';

export interface RunSeed {
    seed: number;
    /** Says the run failed, for a process that will exit 0 anyway or set its exit code only while exiting (mocha without --exit). */
    failed(): void;
}

/**
 * For a test run (the unit suite's root hook, the extension-host and UI harnesses): takes the run's sandbox seed
 * (M365P_SANDBOX_SEED, else a new one, put into the environment so every sandbox the run starts uses it), prints the
 * line that replays it, and prints it again as the run's last line when the run fails, below mocha's list of failures.
 */
export function announceRunSeed(command: string): RunSeed {
    const seed = runSeed();
    const line = seedLine(seed, command);
    let failed = false;
    console.log(line);
    process.once('exit', code => {
        if (code !== 0 || failed) console.log(`\n${line}`);
    });
    return { seed, failed: () => { failed = true; } };
}
