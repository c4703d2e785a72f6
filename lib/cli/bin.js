#!/usr/bin/env node
// Entry point of the `faultline` command. tsx lets the CLI and users' .ts scenarios load
// directly, with no build step.
// A Ctrl-C while the CLI loads (about half a second) must stop a run, not be lost: it is
// remembered from here on (tsx itself loads after) and handed to the command
// (lib/cli/early-stop.ts).
let early = null;
const remember = (signal) => { early ??= signal; };
process.on('SIGINT', remember).on('SIGTERM', remember);
const earlyStop = {
  get signal() { return early; },
  release() { process.off('SIGINT', remember).off('SIGTERM', remember); },
};

const { register } = await import('tsx/esm/api');
register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv, earlyStop);
