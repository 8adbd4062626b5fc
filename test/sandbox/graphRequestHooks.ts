import { describeViolations, graphViolations, nowRunning } from './graphRequestChecks';
import { announceRunSeed } from './runSeed';

// Before any sandbox starts: every sandbox of this run draws its faults from this seed, and the line that replays the
// run is printed now and again at the end of a failing run.
const run = announceRunSeed(`npx mocha ${process.argv.slice(2).join(' ')}`);

/**
 * Mocha root hooks (.mocharc.unit.json `require`): name the running test for the Graph request checks, and at the end
 * print "Graph reference violations: N" and fail the run when N is not 0. Loading this module picks the run's sandbox
 * seed (above).
 */
export const mochaHooks = {
    beforeEach(this: Mocha.Context): void {
        nowRunning(this.currentTest?.fullTitle() ?? '(unnamed test)');
    },
    afterEach(this: Mocha.Context): void {
        // Mocha run without --exit sets its exit code only while the process exits, too late for the seed line to see.
        if (this.currentTest?.state === 'failed') run.failed();
        nowRunning(`a hook or suite set-up after "${this.currentTest?.fullTitle() ?? ''}"`);
    },
    async afterAll(this: Mocha.Context): Promise<void> {
        // The checks run here, after the tests: loading the reference alone takes seconds.
        this.timeout(300_000);
        const { checked, violations } = await graphViolations();
        console.log(`\n${describeViolations(violations)} (${checked} Graph requests checked against the reference)`);
        if (violations.length) {
            run.failed();
            throw new Error(`${violations.length} Graph request(s) broke the reference; see the list above.`);
        }
    },
};
