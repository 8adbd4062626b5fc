#!/usr/bin/env node
// The `m365-provisioner` command (package.json "bin", built to dist/cli.js by esbuild.mjs).
import { main } from './main';

const debug = process.argv.includes('--debug');
main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }).then(
    code => {
        process.exitCode = code;
    },
    (error: unknown) => {
        const text = error instanceof Error ? (debug ? (error.stack ?? error.message) : error.message) : String(error);
        process.stderr.write(`Unexpected error: ${text}\n${debug ? '' : 'Run again with --debug for details.\n'}`);
        process.exitCode = 1;
    },
);
