export { bundleScenario, checkBundle, K6_TARGET, type BundleOptions } from './bundle.ts';
export { k6Options, type K6Options } from './runtime/options.ts';
export { k6InspectOutput } from './inspect.ts';
export { runK6, type K6RunOptions, type K6RunResult } from './runner.ts';
export { K6_EXIT, describeK6Exit } from './exit-codes.ts';
