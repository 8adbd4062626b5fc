// Preloaded into the command line's process by the fleet bench (node --require): on exit, its peak resident memory.
import { writeSync } from 'node:fs';

process.on('exit', () => writeSync(2, `\npeakRssKb=${process.resourceUsage().maxRSS}\n`));
