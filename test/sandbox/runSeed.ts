import { runSeed, seedLine } from '../../sandbox/src/knobs/seed';

/**
 * For a test run (the unit suite's root hook, the extension-host and UI harnesses): takes the run's sandbox seed
 * (M365P_SANDBOX_SEED, else a new one, put into the environment so every sandbox the run starts uses it), prints the
 * line that replays it, and prints it again as the run's last line when the run fails, below mocha's list of failures.
 */
export function announceRunSeed(command: string): number {
    const seed = runSeed();
    const line = seedLine(seed, command);
    console.log(line);
    process.once('exit', code => {
        if (code !== 0) console.log(`\n${line}`);
    });
    return seed;
}
