#!/usr/bin/env node
// Entry point of the `faultline` command. tsx lets the CLI and users' .ts scenarios load
// directly, with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv);
